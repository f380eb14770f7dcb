import { csvBytes } from '../core/csv.ts';
import { SKIP_REASONS, type SkipReason } from './phone.ts';
import { SMS_TYPES, type SmsType } from './profile.ts';
import { SMS_COLUMNS, type SmsOutcome, type SmsRow } from './messages.ts';

/** Counts of a message file: messages per type, would-be messages skipped per reason, SMS segments. */
export interface SmsSummary {
  messages: Record<SmsType, number>;
  skipped: Record<SkipReason, number>;
  segments: number;
}

export interface SmsFile {
  /** UTF-8 with BOM, CRLF, comma, header row; rows in MA_TIN order. */
  bytes: Uint8Array;
  rows: SmsRow[];
  summary: SmsSummary;
}

function* cells(rows: readonly SmsRow[]): Generator<(string | number)[]> {
  for (const r of rows) yield SMS_COLUMNS.map((c) => r[c]);
}

const zeros = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

/**
 * The file of a set of outcomes. Rows are sorted by MA_TIN (code-unit order: receipt order for
 * confirmations, customer then type for notices), so the same outcomes give the same bytes in any
 * order. Two messages with one MA_TIN is a caller's bug (the gateway would drop the second): refused.
 */
export function smsFile(outcomes: Iterable<SmsOutcome>): SmsFile {
  const summary: SmsSummary = { messages: zeros(SMS_TYPES), skipped: zeros(SKIP_REASONS), segments: 0 };
  const rows: SmsRow[] = [];
  for (const o of outcomes) {
    if (o.ok) {
      rows.push(o.row);
      summary.messages[o.row.LOAI_TIN] += 1;
      summary.segments += o.row.SO_BAN_TIN;
    } else {
      summary.skipped[o.reason] += 1;
    }
  }
  rows.sort((a, b) => (a.MA_TIN < b.MA_TIN ? -1 : a.MA_TIN > b.MA_TIN ? 1 : 0));
  for (let i = 1; i < rows.length; i++) {
    if (rows[i]!.MA_TIN === rows[i - 1]!.MA_TIN) throw new RangeError(`two messages with MA_TIN ${rows[i]!.MA_TIN}`);
  }
  return { bytes: csvBytes(SMS_COLUMNS, cells(rows)), rows, summary };
}

const p2 = (n: number) => String(n).padStart(2, '0');

/** `TINNHAN_<point>_<yyyyMMdd>_<NN>.csv`: beside the clearing batch of the same day and NN. */
export function paymentFileName(pointCode: string, day: string, seq: number): string {
  return `TINNHAN_${pointCode}_${day}_${p2(seq)}.csv`;
}

/** `THONGBAO_<MA_DVIQLY>_<yyyyMMdd>.csv`: notices made from a snapshot. */
export function noticeFileName(unitCode: string, day: string): string {
  return `THONGBAO_${unitCode}_${day}.csv`;
}
