import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { parseDate } from '../core/local-time.ts';

/**
 * Contract section 4, "extract time": when CMIS made the snapshot. From the file name
 * `NO_<MA_DVIQLY>_<yyyyMMdd>[_HHmm].<ext>` when it matches (a name without HHmm says only the day),
 * else from the column NGAY_TRICH (`dd/MM/yyyy HH:mm`, the same on every row), else the file's
 * modification time, which nothing vouches for ("not verified").
 */
export type ExtractSource = 'name_day' | 'name_minute' | 'column' | 'file';

export interface ExtractTime {
  /** ISO UTC; for a day-only name, 00:00 Việt Nam time of that day. */
  at: string;
  source: ExtractSource;
}

const OFFSET_MS = 7 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
const NAME = /^NO_([A-Z0-9]{4,10})_(\d{4})(\d{2})(\d{2})(?:_(\d{2})(\d{2}))?\.[A-Za-z0-9]+$/;

/** A Việt Nam local time as a UTC instant; null when it is not a real date and time. */
function localInstant(year: number, month: number, day: number, hour: number, minute: number): Date | null {
  if (parseDate(`${day}/${month}/${year}`) === null || hour > 23 || minute > 59) return null;
  return new Date(Date.UTC(year, month - 1, day, hour, minute) - OFFSET_MS);
}

/** The unit and time a snapshot's file name gives, or null when the name does not follow the contract's pattern. */
export function nameTime(path: string): { unit: string; time: ExtractTime } | null {
  const m = NAME.exec(basename(path));
  if (m === null) return null;
  const [, unit, y, mo, d, h, mi] = m;
  const at = localInstant(Number(y), Number(mo), Number(d), Number(h ?? 0), Number(mi ?? 0));
  if (at === null) return null;
  return { unit: unit ?? '', time: { at: at.toISOString(), source: h === undefined ? 'name_day' : 'name_minute' } };
}

/** NGAY_TRICH `dd/MM/yyyy HH:mm` as an ISO UTC time; null when it is not one. */
export function parseExtractColumn(text: string): string | null {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{2}):(\d{2})$/.exec(text.trim());
  if (m === null) return null;
  return localInstant(Number(m[3]), Number(m[2]), Number(m[1]), Number(m[4]), Number(m[5]))?.toISOString() ?? null;
}

/** The snapshot's extract time: the name's, else the column's, else the file's modification time. */
export function extractTime(path: string, column: string | null): ExtractTime {
  const named = nameTime(path);
  if (named !== null) return named.time;
  if (column !== null) return { at: column, source: 'column' };
  return { at: statSync(path).mtime.toISOString(), source: 'file' };
}

/**
 * Whether `next` is older than `current`, at the coarser of their precisions: a name with only a
 * day stands for any time of that day (Việt Nam), everything else is compared to the minute.
 */
export function isOlder(next: ExtractTime, current: ExtractTime): boolean {
  const byDay = next.source === 'name_day' || current.source === 'name_day';
  const unit = byDay ? DAY_MS : 60_000;
  const shift = byDay ? OFFSET_MS : 0;
  const floor = (iso: string) => Math.floor((Date.parse(iso) + shift) / unit);
  return floor(next.at) < floor(current.at);
}
