/**
 * Local time of the point. Việt Nam is UTC+7 all year (no daylight saving), so the offset is fixed:
 * receipts, clearing files and reports do not depend on the PC's time-zone setting.
 */
const OFFSET_MS = 7 * 60 * 60 * 1000;

export interface LocalParts {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function localParts(at: Date): LocalParts {
  const d = new Date(at.getTime() + OFFSET_MS);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

const p2 = (n: number) => String(n).padStart(2, '0');

/** dd/MM/yyyy */
export function formatDate(at: Date): string {
  const t = localParts(at);
  return `${p2(t.day)}/${p2(t.month)}/${t.year}`;
}

/** dd/MM/yyyy HH:mm:ss (NGAY_NOP of the clearing file) */
export function formatDateTime(at: Date): string {
  const t = localParts(at);
  return `${formatDate(at)} ${p2(t.hour)}:${p2(t.minute)}:${p2(t.second)}`;
}

/** yyyyMMdd (clearing file names) */
export function compactDate(at: Date): string {
  const t = localParts(at);
  return `${t.year}${p2(t.month)}${p2(t.day)}`;
}

/** yyyy-mm-dd (the day a payment belongs to, for reports) */
export function isoDay(at: Date): string {
  const t = localParts(at);
  return `${t.year}-${p2(t.month)}-${p2(t.day)}`;
}

/** The UTC instants [start, end) of a local day given as yyyy-mm-dd. */
export function dayRange(day: string): { start: Date; end: Date } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (m === null) throw new RangeError(`not a yyyy-mm-dd day: ${day}`);
  const start = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) - OFFSET_MS);
  // Date.UTC rolls 2026-13-01 over into 2027: only a day that reads back the same is a day.
  if (isoDay(start) !== day) throw new RangeError(`not a real day: ${day}`);
  return { start, end: new Date(start.getTime() + 24 * 60 * 60 * 1000) };
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/**
 * Parses dd/MM/yyyy; null when it is not a real date, or its year is below 100 (which Date.UTC reads
 * as 19xx). Checked by arithmetic, not a Date: a snapshot parses one per bill, 600,000 a province.
 */
export function parseDate(text: string): { day: number; month: number; year: number } | null {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text.trim());
  if (m === null) return null;
  const day = Number(m[1]);
  const month = Number(m[2]);
  const year = Number(m[3]);
  if (year < 100 || month < 1 || month > 12 || day < 1) return null;
  if (day > (month === 2 && isLeap(year) ? 29 : (DAYS_IN_MONTH[month - 1] as number))) return null;
  return { day, month, year };
}
