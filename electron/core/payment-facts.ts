/**
 * What a payment is, field by field: the payment's journal row carries exactly this, and `verify`
 * rebuilds the same shape from the tables (payments, payment_lines, reconnection_orders) and compares
 * the two, so a payment changed, added or removed by hand in either place shows.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from './journal-hash.ts';
import type { ReceiptLine } from './documents.ts';

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
  reconnectionOrderId: number | null;
  lines: LineFacts[];
}

const FACT_KEYS: readonly (keyof PaymentFacts)[] = [
  'paymentId', 'receiptNo', 'receiptYear', 'receiptSeq', 'idempotencyKey', 'requestHash', 'customerId', 'maKhang', 'shiftId',
  'cashierId', 'paidAt', 'total', 'tendered', 'reconnectionOrderId', 'lines',
];

/** Exactly the facts (a journal payload may carry more), so two sources compare key for key. */
export function pickFacts(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(FACT_KEYS.map((key) => [key, value[key] ?? null]));
}

/** A short fingerprint of the facts: verify keeps one per payment, not the whole payload. */
export function factsDigest(facts: Record<string, unknown>): string {
  return createHash('sha256').update(canonicalJson(pickFacts(facts))).digest('base64');
}

/** The names of the facts that differ (a line counts as `lines[i].field`). */
export function factsDiff(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const diff: string[] = [];
  const x = pickFacts(a);
  const y = pickFacts(b);
  for (const key of FACT_KEYS) {
    if (key !== 'lines') {
      if (canonicalJson(x[key]) !== canonicalJson(y[key])) diff.push(key);
      continue;
    }
    const la = Array.isArray(x.lines) ? (x.lines as Record<string, unknown>[]) : [];
    const lb = Array.isArray(y.lines) ? (y.lines as Record<string, unknown>[]) : [];
    if (la.length !== lb.length) diff.push('lines.length');
    for (let i = 0; i < Math.min(la.length, lb.length); i++) {
      for (const field of new Set([...Object.keys(la[i]!), ...Object.keys(lb[i]!)])) {
        if (canonicalJson(la[i]![field]) !== canonicalJson(lb[i]![field])) diff.push(`lines[${i}].${field}`);
      }
    }
  }
  return diff;
}
