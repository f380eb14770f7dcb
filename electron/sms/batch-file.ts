import defaultProfileJson from './profile-default.json' with { type: 'json' };
import { parseSmsProfile, type SmsProfile } from './profile.ts';
import { paymentConfirmations, type SmsPayment } from './messages.ts';
import { paymentFileName, smsFile, type SmsSummary } from './files.ts';

/** The profile shipped with the program, used while the point has none of its own. */
export const DEFAULT_SMS_PROFILE: SmsProfile = parseSmsProfile(JSON.stringify(defaultProfileJson), 'mặc định');

/** One clearing line as the batch reads it, with the customer's phone. */
export interface ConfirmationLine {
  payment_id: number;
  receipt_no: string;
  ma_khang: string;
  ma_dviqly: string;
  tong_tien: number;
  paid_at: string;
  dthoai_sms: string | null;
  ky: number | null;
  thang: number | null;
  nam: number | null;
}

export interface BatchMessages {
  name: string;
  bytes: Uint8Array;
  summary: SmsSummary;
}

/**
 * `TINNHAN_<point>_<day>_<NN>.csv` of a clearing batch: one confirmation per payment of its lines
 * (the batch takes valid payments only, so a voided payment never has one), made at the batch's
 * creation time. The same lines and time give the same bytes.
 */
export function batchMessages(
  settings: { profile: SmsProfile; optOut: ReadonlySet<string> },
  lines: readonly ConfirmationLine[],
  batch: { pointCode: string; day: string; seq: number; madeAt: Date },
): BatchMessages {
  const payments = new Map<number, SmsPayment & { lines: ConfirmationLine[] }>();
  for (const l of lines) {
    const p = payments.get(l.payment_id);
    if (p === undefined) {
      payments.set(l.payment_id, { receipt_no: l.receipt_no, ma_khang: l.ma_khang, ma_dviqly: l.ma_dviqly, total: l.tong_tien, paid_at: l.paid_at, dthoai_sms: l.dthoai_sms, voided: false, lines: [l] });
    } else {
      p.total += l.tong_tien;
      p.lines.push(l);
    }
  }
  const file = smsFile(paymentConfirmations(settings.profile, payments.values(), { madeAt: batch.madeAt, optOut: settings.optOut }));
  return { name: paymentFileName(batch.pointCode, batch.day, batch.seq), bytes: file.bytes, summary: file.summary };
}
