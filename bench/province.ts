// Shared province-scale data for benchmarks: one generated Đắk Lắk snapshot (490,000 customers,
// ~620,000 bills) and one initialised data dir with it imported, both cached under .bench/.
// Builds go to a temporary name and are renamed into place, so concurrent callers never see half a file.
import { closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GENERATED_UNITS, GENERATOR_VERSION, generateSnapshot } from '../fixtures/generate-snapshot.ts';
import { openContext } from '../electron/store/context.ts';
import { initPoint } from '../electron/store/point.ts';
import { importSnapshot } from '../electron/cmis/import-snapshot.ts';
import { DATABASE_FILE } from '../electron/store/data-dir.ts';
import { migrations } from '../electron/store/migrations.ts';

export const PROVINCE = { seed: 20261127, customers: 490_000, pointCode: 'DT0001', unitCode: 'PC12AA' } as const;
/** When the province data was imported (07:30 local): fixed, so every copy is the same. */
export const PROVINCE_IMPORTED_AT = new Date('2026-11-27T00:30:00.000Z');

const cacheDir = join(dirname(fileURLToPath(import.meta.url)), '..', '.bench');

/** Path of the generated province snapshot CSV (generated once, then reused). */
export async function provinceSnapshot(): Promise<string> {
  const path = join(cacheDir, `province-${PROVINCE.seed}-${PROVINCE.customers}-v${GENERATOR_VERSION}.csv`);
  if (!existsSync(path)) {
    mkdirSync(cacheDir, { recursive: true });
    const partial = `${path}.${process.pid}.tmp`;
    generateSnapshot({ seed: PROVINCE.seed, customers: PROVINCE.customers, out: partial });
    renameSync(partial, path);
  }
  return path;
}

/**
 * The next morning's province file, for an import into the province data dir: every 50th data line
 * gone (paid at the bank overnight: 2% of the bills, under the supervisor's 10% threshold), the rest as is.
 */
export async function provinceNextDay(): Promise<string> {
  const path = join(cacheDir, `province-${PROVINCE.seed}-${PROVINCE.customers}-v${GENERATOR_VERSION}-next-day.csv`);
  if (!existsSync(path)) {
    const lines = readFileSync(await provinceSnapshot(), 'utf8').split('\n');
    const partial = `${path}.${process.pid}.tmp`;
    const fd = openSync(partial, 'w');
    try {
      writeSync(fd, lines.filter((line, i) => i === 0 || i % 50 !== 0).join('\n'));
    } finally {
      closeSync(fd);
    }
    renameSync(partial, path);
  }
  return path;
}

/**
 * The cached master data dir: point DT0001 / PC12AA initialised and the province snapshot imported.
 * Keyed by the schema too: while nothing is released, migrations/0001 may still be edited in place.
 */
async function masterDataDir(): Promise<string> {
  const schema = createHash('sha256').update(migrations.map((m) => m.sql).join('\n')).digest('hex').slice(0, 12);
  const master = join(cacheDir, `province-${PROVINCE.seed}-${PROVINCE.customers}-v${GENERATOR_VERSION}-${schema}-datadir`);
  if (!existsSync(join(master, DATABASE_FILE))) {
    const file = await provinceSnapshot();
    const building = `${master}.${process.pid}.tmp`;
    rmSync(building, { recursive: true, force: true });
    const ctx = openContext(building, { clock: () => PROVINCE_IMPORTED_AT });
    try {
      initPoint(ctx, { pointCode: PROVINCE.pointCode, unitCode: PROVINCE.unitCode, unitCodes: [...GENERATED_UNITS], pointName: 'Điểm thu Buôn Ma Thuột' });
      importSnapshot(ctx, { file });
    } finally {
      ctx.close(); // checkpoints the WAL into the file (TRUNCATE), so the .sqlite alone is the database
    }
    if (!existsSync(join(master, DATABASE_FILE))) renameSync(building, master);
    else rmSync(building, { recursive: true, force: true });
  }
  return master;
}

/** A FRESH copy of the master data dir (a new temp folder each call; the caller may change it freely). */
export async function provinceDataDir(): Promise<string> {
  const master = await masterDataDir();
  const dir = mkdtempSync(join(tmpdir(), 'diemthu-province-'));
  copyFileSync(join(master, DATABASE_FILE), join(dir, DATABASE_FILE));
  return dir;
}
