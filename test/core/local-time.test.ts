import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compactDate, dayRange, formatDate, formatDateTime, isoDay, parseDate } from '../../electron/core/local-time.ts';

test('local time is Việt Nam time (UTC+7) whatever the machine time zone', () => {
  const at = new Date('2026-11-27T17:30:05Z'); // 00:30:05 on the 28th in Việt Nam
  assert.equal(formatDate(at), '28/11/2026');
  assert.equal(formatDateTime(at), '28/11/2026 00:30:05');
  assert.equal(compactDate(at), '20261128');
  assert.equal(isoDay(at), '2026-11-28');
});

test('dayRange covers the local day from 00:00 to 24:00 Việt Nam time', () => {
  const { start, end } = dayRange('2026-11-28');
  assert.equal(start.toISOString(), '2026-11-27T17:00:00.000Z');
  assert.equal(end.toISOString(), '2026-11-28T17:00:00.000Z');
  assert.equal(isoDay(start), '2026-11-28');
  assert.equal(isoDay(new Date(end.getTime() - 1)), '2026-11-28');
});

test('parseDate agrees with the calendar (Date.UTC) on every day 0-32 of every month 0-13 of years around every leap rule', () => {
  const calendar = (day: number, month: number, year: number): boolean => {
    const probe = new Date(Date.UTC(year, month - 1, day));
    return probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
  };
  let real = 0;
  for (const year of [0, 50, 99, 100, 1600, 1900, 1999, 2000, 2024, 2026, 2028, 2100, 2400, 2999, 9999]) {
    for (let month = 0; month <= 13; month++) {
      for (let day = 0; day <= 32; day++) {
        const text = `${String(day).padStart(2, '0')}/${String(month).padStart(2, '0')}/${String(year).padStart(4, '0')}`;
        const expected = calendar(day, month, year) ? { day, month, year } : null;
        if (expected !== null) real++;
        assert.deepEqual(parseDate(text), expected, text);
      }
    }
  }
  assert.equal(real, 7 * 365 + 5 * 366, 'the years 100-9999 of the list: 7 common, 5 leap (0-99 are read as 19xx, so none)');
});

test('parseDate accepts real dd/MM/yyyy dates only', () => {
  assert.deepEqual(parseDate('05/12/2026'), { day: 5, month: 12, year: 2026 });
  assert.deepEqual(parseDate('29/02/2028'), { day: 29, month: 2, year: 2028 });
  for (const bad of ['29/02/2026', '31/04/2026', '2026-12-05', '5/13/2026', '', 'ngày 5']) assert.equal(parseDate(bad), null, bad);
});
