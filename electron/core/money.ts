/** Money is an integer number of đồng (VND has no minor unit). Never a float. */
export type Dong = number;

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
