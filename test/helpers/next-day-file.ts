import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './temp-dir.ts';

/** The morning file of the e2e fixtures (test/e2e/fixtures/morning-good.csv). */
export const MORNING_GOOD = join(import.meta.dirname, '..', 'e2e', 'fixtures', 'morning-good.csv');

/**
 * The next morning's file: the same customers, the unpaid HD0000000061 (Phạm Thị Mai) with a new
 * amount, and `extra` new customers so that reading it takes a while. `dropHoa`: HD0000000021 (Trần Thị
 * Hoa) gone from CMIS (1 of 8 bills: a supervisor must confirm, unless it is paid here meanwhile).
 */
export function nextDayFile(extra: number, dropHoa = false): string {
  const [header, ...rows] = readFileSync(MORNING_GOOD, 'utf8').trimEnd().split(/\r?\n/);
  const kept = rows.map((r) =>
    dropHoa && r.includes('HD0000000021')
      ? 'PC12AA,PC12AA0000002,Trần Thị Hoa,"45 Phan Bội Châu, phường Thắng Lợi",,0905123456,A01,5,CT100002,0,,,,,,,,,,'
      : r.replace('80000,6400,86400', '90000,7200,97200'),
  );
  const more: string[] = [];
  for (let i = 1; i <= extra; i++) {
    const n = String(i).padStart(6, '0');
    more.push(`PC12AA,PC12AA1${n},Khách hàng số ${i},"Thôn ${i % 50}, xã Ea Tu",,,Z${i % 100},${i},CT9${n},0,HDX1${n},TD,1,10,2026,50,100000,8000,108000,15/10/2026`);
  }
  const path = join(tempDir(), `next-day-${extra}.csv`);
  writeFileSync(path, [header, ...kept, ...more].join('\r\n') + '\r\n');
  return path;
}
