/** Money is an integer number of đồng (VND has no minor unit). Never a float. */
export type Dong = number;

/**
 * Bounds that keep every sum the program makes exact in a JavaScript number (2^53 ≈ 9 × 10^15).
 * One bill's amounts (SO_TIEN, TIEN_GTGT, TONG_TIEN) and the reconnection fee: at most 10^11 đồng,
 * a thousand times a large factory's monthly bill. One snapshot's bills: at most 10^13 đồng in all,
 * more than a province bills in a month; every total the program shows (a customer, a payment,
 * outstanding, a shift, a day, an export) is over bills of one snapshot or over payments, each bill
 * in one valid payment, so reaching 2^53 would take 900 such snapshots in one shift or export.
 * A drawer's float or count: at most ten snapshots' worth (it holds a float plus what was collected).
 */
export const MAX_BILL_AMOUNT: Dong = 100_000_000_000;
export const MAX_SNAPSHOT_TOTAL: Dong = 10_000_000_000_000;
export const MAX_CASH_AMOUNT: Dong = 10 * MAX_SNAPSHOT_TOTAL;

const GROUP = /\B(?=(\d{3})+(?!\d))/g;

/** 1234567 -> "1.234.567" */
export function formatAmount(amount: Dong): string {
  assertDong(amount);
  const sign = amount < 0 ? '-' : '';
  return sign + String(Math.abs(amount)).replace(GROUP, '.');
}

/** 1234567 -> "1.234.567 ₫" (the UI's and the receipt's form) */
export function formatDong(amount: Dong): string {
  return `${formatAmount(amount)} ₫`;
}

export function assertDong(amount: number): asserts amount is Dong {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`not a whole number of đồng: ${amount}`);
}

/**
 * Parses an amount as CMIS files write it: digits with optional thousands separators
 * ("1.234.567", "1,234,567", "1 234 567"). Anything that is not a whole, non-negative number of
 * đồng ("12,5", "1.2.3", "-5", "abc", "") gives null. One separator kind per value, groups of three.
 */
export function parseAmount(text: string): Dong | null {
  const s = text.trim().replace(/\u00a0/g, ' ');
  if (s === '') return null;
  if (/^\d+$/.test(s)) return toSafe(s);
  const m = /^(\d{1,3})((?:([.,  ])\d{3})(?:\3\d{3})*)$/.exec(s);
  if (m === null) return null;
  return toSafe(s.replace(/[., ]/g, ''));
}

function toSafe(digits: string): Dong | null {
  const n = Number(digits);
  return Number.isSafeInteger(n) ? n : null;
}

/** Sum of integer amounts; throws rather than lose precision. */
export function sumDong(amounts: Iterable<Dong>): Dong {
  let total = 0;
  for (const a of amounts) {
    total += a;
    assertDong(total);
  }
  return total;
}
