/**
 * What a payment is, field by field: the payment's journal row carries exactly this, and `verify`
 * rebuilds the same shape from the tables (payments, payment_lines, reconnection_orders) and compares
 * the two, so a payment changed, added or removed by hand in either place shows.
 */
import { hash } from 'node:crypto';
import { diffPaths } from './diff.ts';
import type { ReceiptLine } from './documents.ts';
import type { ChangeStep } from './change-rounding.ts';

export interface LineFacts extends ReceiptLine {
  billId: number | null;
}

export interface PaymentFacts {
  paymentId: number;
  receiptNo: string;
  receiptYear: number;
  receiptSeq: number;
  idempotencyKey: string;
  requestHash: string;
  customerId: number;
  maKhang: string;
  shiftId: number;
  cashierId: number;
  paidAt: string;
  total: number;
  tendered: number | null;
  /** The change_rounding step the change was rounded at (0: none, and always 0 without cash handed over). */
  changeStep: ChangeStep;
  /** Kept in the drawer: tendered − total − the change handed back. */
  changeRounding: number;
  reconnectionOrderId: number | null;
  lines: LineFacts[];
}

const FACT_KEYS: readonly (keyof PaymentFacts)[] = [
  'paymentId', 'receiptNo', 'receiptYear', 'receiptSeq', 'idempotencyKey', 'requestHash', 'customerId', 'maKhang', 'shiftId',
  'cashierId', 'paidAt', 'total', 'tendered', 'changeStep', 'changeRounding', 'reconnectionOrderId', 'lines',
];
/** Facts added later: a journal row written before them stands for this value (no rounding then). */
const FACT_DEFAULTS: Partial<Record<keyof PaymentFacts, number>> = { changeStep: 0, changeRounding: 0 };
const factOf = (value: Record<string, unknown>, key: keyof PaymentFacts): unknown => value[key] ?? FACT_DEFAULTS[key] ?? null;
const LINE_KEYS: readonly (keyof LineFacts)[] = ['billId', 'idHdon', 'loaiHdon', 'ky', 'thang', 'nam', 'dienTthu', 'soTien', 'tienGtgt', 'tongTien'];

/** The lines as a receipt prints them (without the bill's row id). */
export function receiptLines(lines: LineFacts[]): ReceiptLine[] {
  return lines.map(({ billId: _billId, ...line }) => line);
}

/** Exactly the facts (a journal payload may carry more), so two sources compare key for key. */
export function pickFacts(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(FACT_KEYS.map((key) => [key, factOf(value, key)]));
}

/**
 * A short fingerprint of the facts: verify keeps one per payment, not the whole payload. Values in a
 * fixed key order (not canonical JSON: this runs for every payment of a verify and of an export).
 */
export function factsDigest(facts: Record<string, unknown>): string {
  const values = FACT_KEYS.map((key) =>
    key === 'lines' && Array.isArray(facts.lines)
      ? (facts.lines as Record<string, unknown>[]).map((line) => (line !== null && typeof line === 'object' ? LINE_KEYS.map((k) => line[k] ?? null) : line))
      : factOf(facts, key),
  );
  return hash('sha256', JSON.stringify(values), 'base64');
}

/** The names of the facts that differ (a line's as `lines[i].field`). */
export function factsDiff(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  return diffPaths(pickFacts(a), pickFacts(b));
}
