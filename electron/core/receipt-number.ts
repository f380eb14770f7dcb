/**
 * Receipt numbers (SO_BIENNHAN): `<point code>-<yy>-<6-digit sequence>`, gapless per point and
 * local year. The sequence itself comes from receipt_counters inside the payment transaction.
 */
export const RECEIPT_SEQ_MAX = 999_999;

export interface ReceiptNumber {
  pointCode: string;
  year: number; // full year, e.g. 2026
  seq: number; // 1..999999
}

const PATTERN = /^([A-Z0-9]{2,20})-(\d{2})-(\d{6})$/;

export function formatReceiptNo(r: ReceiptNumber): string {
  if (!Number.isInteger(r.seq) || r.seq < 1 || r.seq > RECEIPT_SEQ_MAX) throw new RangeError(`receipt sequence out of range: ${r.seq}`);
  if (!Number.isInteger(r.year) || r.year < 2000 || r.year > 2099) throw new RangeError(`receipt year out of range: ${r.year}`);
  return `${r.pointCode}-${String(r.year % 100).padStart(2, '0')}-${String(r.seq).padStart(6, '0')}`;
}

/** null when the text is not a receipt number. The two-digit year is read as 20yy. */
export function parseReceiptNo(text: string): ReceiptNumber | null {
  const m = PATTERN.exec(text.trim().toUpperCase());
  if (m === null) return null;
  const seq = Number(m[3]);
  if (seq < 1) return null;
  return { pointCode: m[1]!, year: 2000 + Number(m[2]), seq };
}
