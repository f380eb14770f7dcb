// Snapshot import on the province snapshot (bench/province.ts): wall time and peak RSS of the import
// in a child process, against the floor: the sqlite3 shell's own `.import` of the same file into a
// WAL database with synchronous=FULL and an index on MA_KHANG. Budgets: <= 3x the floor, <= 300 MB.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { provinceSnapshot } from './province.ts';
import { SNAPSHOT_COLUMNS } from '../electron/cmis/profiles.ts';

const here = dirname(fileURLToPath(import.meta.url));
const RATIO_BUDGET = 3;
const RSS_BUDGET_MB = 300;

function ensureSqlite3(): void {
  if (spawnSync('sqlite3', ['--version']).status === 0) return;
  console.log('installing Debian sqlite3 for the floor measurement...');
  execFileSync('apt-get', ['install', '-y', 'sqlite3'], { stdio: 'inherit' });
}

function importFigures(file: string): { ms: number; maxRssMb: number; rows: number; bills: number } {
  const dir = mkdtempSync(join(tmpdir(), 'diemthu-bench-import-'));
  try {
    const out = execFileSync(process.execPath, ['--import', 'tsx', join(here, 'import-child.ts'), dir, file], { encoding: 'utf8' });
    return JSON.parse(out) as { ms: number; maxRssMb: number; rows: number; bills: number };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function floorMs(file: string): number {
  const dir = mkdtempSync(join(tmpdir(), 'diemthu-bench-floor-'));
  try {
    const script = [
      'PRAGMA journal_mode=WAL;',
      'PRAGMA synchronous=FULL;',
      `CREATE TABLE snapshot (${SNAPSHOT_COLUMNS.join(', ')});`,
      'CREATE INDEX snapshot_ma_khang ON snapshot (MA_KHANG);',
      `.import --csv --skip 1 '${file}' snapshot`,
    ].join('\n');
    const started = performance.now();
    execFileSync('sqlite3', [join(dir, 'floor.sqlite')], { input: script, stdio: ['pipe', 'ignore', 'inherit'] });
    return performance.now() - started;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  ensureSqlite3();
  const file = await provinceSnapshot();
  const floor = floorMs(file);
  const ours = importFigures(file);
  const ratio = ours.ms / floor;
  console.log(`province snapshot: ${ours.rows} rows, ${ours.bills} bills (${file})`);
  console.log(`sqlite3 .import floor:  ${(floor / 1000).toFixed(2)} s`);
  console.log(`diemthu import:         ${(ours.ms / 1000).toFixed(2)} s  = ${ratio.toFixed(2)}x the floor (budget <= ${RATIO_BUDGET}x) ${ratio <= RATIO_BUDGET ? 'OK' : 'OVER'}`);
  console.log(`import peak RSS:        ${ours.maxRssMb} MB (budget <= ${RSS_BUDGET_MB} MB) ${ours.maxRssMb <= RSS_BUDGET_MB ? 'OK' : 'OVER'}`);
}
