import { formatAmount } from '../core/money.ts';
import { compactDate, dayRange, formatDate, isoDay, localParts, parseDate } from '../core/local-time.ts';
import { formatReceiptNo, parseReceiptNo } from '../core/receipt-number.ts';
import { septets } from './gsm7.ts';
import { normalisePhone, type SkipReason } from './phone.ts';
import { render, type Placeholder, type SmsProfile, type SmsType } from './profile.ts';

/**
 * Message rows (contract section 6) from a payment or from a snapshot customer: pure functions of
 * their input and of `madeAt`, so the same input always gives the same rows.
 */
export const SMS_COLUMNS = ['MA_TIN', 'LOAI_TIN', 'MA_MAU', 'MA_DVIQLY', 'MA_KHANG', 'SO_DTHOAI', 'NOI_DUNG', 'SO_KY_TU', 'SO_BAN_TIN', 'GUI_TU', 'HET_HAN'] as const;
export type SmsColumn = (typeof SMS_COLUMNS)[number];
export type SmsRow = { [K in SmsColumn]: K extends 'SO_KY_TU' | 'SO_BAN_TIN' ? number : K extends 'LOAI_TIN' ? SmsType : string };

/** A message, or why a message that the rules call for is not sent. */
export type SmsOutcome = { ok: true; row: SmsRow } | { ok: false; type: SmsType; maKhang: string; reason: SkipReason };

export type NoticeType = Exclude<SmsType, 'XNTT'>;
export const NOTICE_TYPES: readonly NoticeType[] = ['TBTD', 'NHACNO', 'TBCD'];

export interface Period {
  ky: number;
  thang: number;
  nam: number;
}

/** A valid payment as the clearing batch holds it; its lines give the periods paid. */
export interface SmsPayment {
  receipt_no: string;
  ma_khang: string;
  ma_dviqly: string;
  total: number;
  paid_at: string; // ISO UTC
  dthoai_sms: string | null;
  voided: boolean;
  lines: readonly { ky: number | null; thang: number | null; nam: number | null }[];
}

/** A customer as the snapshot gives it (the reader's field names) with its outstanding bills. */
export interface SmsCustomer {
  ma_dviqly: string;
  ma_khang: string;
  dthoai_sms: string | null;
  tthai_cat: 0 | 1;
  bills: readonly SmsBill[];
}

export interface SmsBill extends Period {
  dien_tthu: number | null;
  tong_tien: number;
  han_ttoan: string | null; // dd/MM/yyyy
}

export interface SmsOptions {
  /** When the file is made: GUI_TU, HET_HAN, "today" for reminders, the day in notice ids. */
  madeAt: Date;
  /** Normalised numbers (84 + 9 digits) that never get a message. */
  optOut?: ReadonlySet<string>;
}

const HOUR_MS = 60 * 60 * 1000;
const SEND_FROM_HOUR = 7;
const SEND_UNTIL_HOUR = 21;
const VALID_FOR_HOURS = 72;

const p2 = (n: number) => String(n).padStart(2, '0');

/** dd/MM/yyyy HH:mm, Việt Nam time (GUI_TU, HET_HAN). */
export function formatMinute(at: Date): string {
  const t = localParts(at);
  return `${formatDate(at)} ${p2(t.hour)}:${p2(t.minute)}`;
}

/**
 * Messages go out between 07:00 and 21:00 (Việt Nam time): GUI_TU is `madeAt`, or 07:00 of the same
 * day before 07:00, or 07:00 of the next day from 21:00 on. HET_HAN is 72 hours after GUI_TU.
 */
export function sendWindow(madeAt: Date): { guiTu: string; hetHan: string } {
  const hour = localParts(madeAt).hour;
  const midnight = dayRange(isoDay(madeAt)).start.getTime();
  let from = madeAt.getTime();
  if (hour < SEND_FROM_HOUR) from = midnight + SEND_FROM_HOUR * HOUR_MS;
  else if (hour >= SEND_UNTIL_HOUR) from = midnight + (24 + SEND_FROM_HOUR) * HOUR_MS;
  return { guiTu: formatMinute(new Date(from)), hetHan: formatMinute(new Date(from + VALID_FOR_HOURS * HOUR_MS)) };
}

const monthText = (key: number) => `${key % 100}/${Math.floor(key / 100)}`;
const MAX_PERIOD_TEXT = 15;

/**
 * The months a message speaks of, at most 15 characters: `11/2026`, `11/2026 ky 2` (one month, one
 * billing round other than the first), `9-11/2026` or `12/2025-2/2026` (consecutive months),
 * `9,11/2026` or `12/2025,2/2026` (a gap), and first-last when a list with gaps is too long.
 * Undefined when there is no period (a reconnection fee charged here).
 */
export function periodText(periods: readonly Period[]): string | undefined {
  const months = [...new Set(periods.map((p) => p.nam * 100 + p.thang))].sort((a, b) => a - b);
  const first = months[0];
  const last = months[months.length - 1];
  if (first === undefined || last === undefined) return undefined;
  if (first === last) {
    const rounds = new Set(periods.map((p) => p.ky));
    const [only] = rounds;
    return rounds.size === 1 && only !== 1 ? `${monthText(first)} ky ${only}` : monthText(first);
  }
  const year = (key: number) => Math.floor(key / 100);
  const next = (key: number) => (key % 100 === 12 ? (year(key) + 1) * 100 + 1 : key + 1);
  const consecutive = months.every((m, i) => i === 0 || m === next(months[i - 1]!));
  const range = year(first) === year(last) ? `${first % 100}-${monthText(last)}` : `${monthText(first)}-${monthText(last)}`;
  if (consecutive) return range;
  const byYear = new Map<number, number[]>();
  for (const m of months) byYear.set(year(m), [...(byYear.get(year(m)) ?? []), m % 100]);
  const list = [...byYear].map(([y, ms]) => `${ms.join(',')}/${y}`).join(',');
  return list.length <= MAX_PERIOD_TEXT ? list : range;
}

const CODE = /^[A-Z0-9]{1,16}$/;
const UNIT = /^[A-Z0-9]{1,10}$/;
const isCount = (n: number) => Number.isSafeInteger(n) && n >= 0;
const isPeriod = (p: Period) => Number.isInteger(p.ky) && p.ky >= 1 && p.ky <= 3 && Number.isInteger(p.thang) && p.thang >= 1 && p.thang <= 12 && Number.isInteger(p.nam) && p.nam >= 1000 && p.nam <= 9999;

/** Day number yyyymmdd of a dd/MM/yyyy date, null when it is not a real date. */
function dueDay(text: string): number | null {
  const d = parseDate(text);
  return d === null ? null : d.year * 10000 + d.month * 100 + d.day;
}
const dueText = (day: number) => `${p2(day % 100)}/${p2(Math.floor(day / 100) % 100)}/${Math.floor(day / 10000)}`;

/** The phone of a message, or why there is none. */
function recipient(phone: string | null, options: SmsOptions): { msisdn: string } | { reason: SkipReason } {
  const result = normalisePhone(phone);
  if (!result.ok) return { reason: result.reason };
  if (options.optOut?.has(result.msisdn)) return { reason: 'opted_out' };
  return { msisdn: result.msisdn };
}

interface Message {
  type: SmsType;
  maTin: string;
  maDviqly: string;
  maKhang: string;
  values: Partial<Record<Placeholder, string>>;
}

function row(profile: SmsProfile, m: Message, msisdn: string, window: { guiTu: string; hetHan: string }): SmsRow {
  const { templateId, text } = render(profile, m.type, m.values);
  return {
    MA_TIN: m.maTin,
    LOAI_TIN: m.type,
    MA_MAU: templateId,
    MA_DVIQLY: m.maDviqly,
    MA_KHANG: m.maKhang,
    SO_DTHOAI: msisdn,
    NOI_DUNG: text,
    SO_KY_TU: septets(text),
    SO_BAN_TIN: 1,
    GUI_TU: window.guiTu,
    HET_HAN: window.hetHan,
  };
}

/**
 * The payment confirmation (XNTT) of a payment: MA_TIN `<receipt number>-XNTT`. A voided payment
 * gets none (null: not a skip either).
 */
export function paymentConfirmation(profile: SmsProfile, payment: SmsPayment, options: SmsOptions): SmsOutcome | null {
  return confirmation(profile, payment, options, sendWindow(options.madeAt));
}

/** paymentConfirmation with the batch's send window worked out once (it is the same for every message of a batch). */
function confirmation(profile: SmsProfile, payment: SmsPayment, options: SmsOptions, window: { guiTu: string; hetHan: string }): SmsOutcome | null {
  if (payment.voided) return null;
  const skip = (reason: SkipReason): SmsOutcome => ({ ok: false, type: 'XNTT', maKhang: payment.ma_khang, reason });
  const receipt = parseReceiptNo(payment.receipt_no);
  const periods = payment.lines.flatMap((l) => (l.ky === null || l.thang === null || l.nam === null ? [] : [{ ky: l.ky, thang: l.thang, nam: l.nam }]));
  const paidAt = new Date(payment.paid_at);
  const t = localParts(paidAt);
  if (
    receipt === null || formatReceiptNo(receipt) !== payment.receipt_no || !CODE.test(payment.ma_khang) || !UNIT.test(payment.ma_dviqly) ||
    !isCount(payment.total) || !periods.every(isPeriod) || !(t.year >= 1000 && t.year <= 9999) // NaN for an invalid date
  ) {
    return skip('bad_data');
  }
  const to = recipient(payment.dthoai_sms, options);
  if ('reason' in to) return skip(to.reason);
  const values: Message['values'] = {
    amount: formatAmount(payment.total),
    code: payment.ma_khang,
    unit: payment.ma_dviqly,
    point: receipt.pointCode,
    receipt: payment.receipt_no,
    time: `${p2(t.hour)}:${p2(t.minute)} ${formatDate(paidAt)}`,
    period: periodText(periods),
  };
  const message = { type: 'XNTT' as const, maTin: `${payment.receipt_no}-XNTT`, maDviqly: payment.ma_dviqly, maKhang: payment.ma_khang, values };
  return { ok: true, row: row(profile, message, to.msisdn, window) };
}

/** Confirmations of a batch's payments, voided ones left out. */
export function paymentConfirmations(profile: SmsProfile, payments: Iterable<SmsPayment>, options: SmsOptions): SmsOutcome[] {
  const out: SmsOutcome[] = [];
  const window = sendWindow(options.madeAt);
  for (const p of payments) {
    const outcome = confirmation(profile, p, options, window);
    if (outcome !== null) out.push(outcome);
  }
  return out;
}

/** Amount, kWh, earliest due day and newest period of a set of bills, in one pass; null when a bill breaks the snapshot's rules. */
interface BillFacts {
  amount: number;
  kwh: number | null;
  due: number | null; // yyyymmdd
  newest: string; // yyyyMMK<ky>
}

function billFacts(bills: readonly SmsBill[], dueOf: (text: string) => number | null): BillFacts | null {
  let amount = 0;
  let kwh: number | null = null;
  let due: number | null = null;
  let newest = 0;
  for (const b of bills) {
    if (!isPeriod(b) || !isCount(b.tong_tien)) return null;
    amount += b.tong_tien;
    if (b.dien_tthu !== null) {
      if (!isCount(b.dien_tthu)) return null;
      kwh = (kwh ?? 0) + b.dien_tthu;
    }
    if (b.han_ttoan !== null) {
      const d = dueOf(b.han_ttoan);
      if (d === null) return null;
      if (due === null || d < due) due = d;
    }
    newest = Math.max(newest, (b.nam * 100 + b.thang) * 10 + b.ky);
  }
  // a sum past 2^53 is no longer exact: refused, never rounded
  if (!Number.isSafeInteger(amount) || (kwh !== null && !Number.isSafeInteger(kwh))) return null;
  return { amount, kwh, due, newest: `${Math.floor(newest / 10)}K${newest % 10}` };
}

/**
 * The notices of snapshot customers, for one file: TBTD when the customer has debt, NHACNO when a
 * bill is past its HAN_TTOAN (before today, Việt Nam time, of `madeAt`; amount, period and due date
 * of the overdue bills only), TBCD when TTHAI_CAT = 1; in that order, limited to `types`. MA_TIN:
 * `<MA_KHANG>-TBTD-<yyyyMM>K<ky>` of the newest bill (one bill notice per period, however often the
 * file is made), `<MA_KHANG>-NHACNO-<yyyyMMdd>` and `<MA_KHANG>-TBCD-<yyyyMMdd>` of the day made
 * (at most one a day). A skipped customer counts one skip per notice it would have had.
 */
export function noticeBuilder(profile: SmsProfile, options: SmsOptions & { types?: readonly NoticeType[] }): (customer: SmsCustomer) => SmsOutcome[] {
  const types = new Set(options.types ?? NOTICE_TYPES);
  const t = localParts(options.madeAt);
  const today = t.year * 10000 + t.month * 100 + t.day;
  const day = compactDate(options.madeAt);
  const window = sendWindow(options.madeAt);
  const dues = new Map<string, number | null>(); // a snapshot has few distinct due dates
  const dueOf = (text: string): number | null => {
    let d = dues.get(text);
    if (d === undefined) dues.set(text, (d = dueDay(text)));
    return d;
  };
  return (customer) => {
    const bills = customer.bills;
    const overdue = types.has('NHACNO') ? bills.filter((b) => b.han_ttoan !== null && (dueOf(b.han_ttoan) ?? today) < today) : [];
    const called = NOTICE_TYPES.filter((type) =>
      type === 'TBTD' ? types.has(type) && bills.length > 0 : type === 'NHACNO' ? overdue.length > 0 : types.has(type) && customer.tthai_cat === 1,
    );
    if (called.length === 0) return [];
    const skipAll = (reason: SkipReason): SmsOutcome[] => called.map((type) => ({ ok: false, type, maKhang: customer.ma_khang, reason }));
    const all = billFacts(bills, dueOf);
    const late = billFacts(overdue, dueOf);
    if (all === null || late === null || !CODE.test(customer.ma_khang) || !UNIT.test(customer.ma_dviqly)) return skipAll('bad_data');
    const to = recipient(customer.dthoai_sms, options);
    if ('reason' in to) return skipAll(to.reason);
    const code = customer.ma_khang;
    const unit = customer.ma_dviqly;
    return called.map((type): SmsOutcome => {
      let values: Message['values'];
      if (type === 'TBTD') {
        values = { code, unit, amount: formatAmount(all.amount), period: periodText(bills), kwh: all.kwh === null ? undefined : formatAmount(all.kwh), due: all.due === null ? undefined : dueText(all.due) };
      } else if (type === 'NHACNO') {
        values = { code, unit, amount: formatAmount(late.amount), period: periodText(overdue), due: late.due === null ? undefined : dueText(late.due) };
      } else {
        values = { code, unit, amount: bills.length > 0 ? formatAmount(all.amount) : undefined, period: periodText(bills) };
      }
      const maTin = `${code}-${type}-${type === 'TBTD' ? all.newest : day}`;
      return { ok: true, row: row(profile, { type, maTin, maDviqly: unit, maKhang: code, values }, to.msisdn, window) };
    });
  };
}
