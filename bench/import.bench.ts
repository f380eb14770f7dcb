// Snapshot import on the province snapshot (bench/province.ts): wall time and peak RSS of the import
// in a child process, against two floors of the sqlite3 shell's own `.import` of the same file into a
// WAL database with synchronous=FULL: with the MA_KHANG index made before the load (each row then
// updates it), and the real floor, the load first and then the index (one sort). Also the wall time of
// the `diemthu import` command (Node and tsx start-up included) and the import's write transaction
// (the swap: the only time the counter's collects wait). Budgets: <= 3x the real floor, <= 300 MB.
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { provinceSnapshot } from './province.ts';
import { GENERATED_UNITS } from '../fixtures/generate-snapshot.ts';
import { buildElectron } from '../scripts/build-electron.ts';

const here = dirname(fileURLToPath(import.meta.url));
const CLI = join(here, '..', 'bin', 'diemthu.mjs');
const RATIO_BUDGET = 3;
const RSS_BUDGET_MB = 300;

function ensureSqlite3(): void {
  if (spawnSync('sqlite3', ['--version']).status === 0) return;
  console.log('installing Debian sqlite3 for the floor measurement...');
  execFileSync('apt-get', ['install', '-y', 'sqlite3'], { stdio: 'inherit' });
}

interface Figures {
  ms: number;
  swapMs: number;
  maxRssMb: number;
  rows: number;
  bills: number;
}

function importFigures(file: string): Figures {
  const dir = mkdtempSync(join(tmpdir(), 'diemthu-bench-import-'));
  try {
    const out = execFileSync(process.execPath, ['--import', 'tsx', join(here, 'import-child.ts'), dir, file], { encoding: 'utf8' });
    return JSON.parse(out) as Figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `diemthu init` then `diemthu import <file>` through `launcher`: the checkout's command (TypeScript
 * through tsx) or the built main bundle with --cli, as the installed app runs it. Wall time, start-up included.
 */
function commandMs(file: string, launcher: string[] = [CLI]): number {
  const dir = mkdtempSync(join(tmpdir(), 'diemthu-bench-cli-'));
  const env = { ...process.env, NODE_PATH: join(here, '..', 'node_modules') };
  try {
    const cli = (...args: string[]) => execFileSync(process.execPath, [...launcher, ...args, '--data-dir', dir], { stdio: ['ignore', 'ignore', 'inherit'], env });
    cli('init', '--point', 'DT0001', '--unit', GENERATED_UNITS.join(','));
    const started = performance.now();
    cli('import', file);
    return performance.now() - started;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The file's own header: the floor's table has exactly its columns (a missing one costs a warning per row). */
function headerColumns(file: string): string[] {
  const fd = openSync(file, 'r');
  try {
    const bytes = Buffer.alloc(4096);
    const n = readSync(fd, bytes, 0, bytes.length, 0);
    return (bytes.subarray(0, n).toString('utf8').split(/\r?\n/)[0] ?? '').replace(/^\uFEFF/, '').split(',');
  } finally {
    closeSync(fd);
  }
}

function floorMs(file: string, indexFirst: boolean): number {
  const dir = mkdtempSync(join(tmpdir(), 'diemthu-bench-floor-'));
  try {
    const index = 'CREATE INDEX snapshot_ma_khang ON snapshot (MA_KHANG);';
    const script = [
      'PRAGMA journal_mode=WAL;',
      'PRAGMA synchronous=FULL;',
      `CREATE TABLE snapshot (${headerColumns(file).join(', ')});`,
      ...(indexFirst ? [index] : []),
      `.import --csv --skip 1 '${file}' snapshot`,
      ...(indexFirst ? [] : [index]),
    ].join('\n');
    const started = performance.now();
    execFileSync('sqlite3', [join(dir, 'floor.sqlite')], { input: script, stdio: ['pipe', 'ignore', 'inherit'] });
    return performance.now() - started;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const verdict = (ratio: number) => `${ratio.toFixed(2)}x${ratio <= RATIO_BUDGET ? '' : ` (OVER ${RATIO_BUDGET}x)`}`;

export async function run(): Promise<void> {
  ensureSqlite3();
  const file = await provinceSnapshot();
  const load = loadavg()[0]?.toFixed(1);
  const indexFirst = floorMs(file, true);
  const realFloor = floorMs(file, false);
  const ours = importFigures(file);
  const command = commandMs(file);
  const outDir = mkdtempSync(join(tmpdir(), 'diemthu-bench-bundle-'));
  const installed = commandMs(file, [(await buildElectron({ outDir })).main, '--cli']);
  rmSync(outDir, { recursive: true, force: true });
  console.log(`province snapshot: ${ours.rows} rows, ${ours.bills} bills (${file}); load average ${load} at start, ${loadavg()[0]?.toFixed(1)} at end`);
  console.log(`sqlite3 .import, MA_KHANG index made first:   ${s(indexFirst)}`);
  console.log(`sqlite3 .import, then the MA_KHANG index:     ${s(realFloor)}  (the real floor)`);
  console.log(`import (in a child process):                  ${s(ours.ms)}  = ${verdict(ours.ms / realFloor)} the real floor, ${(ours.ms / indexFirst).toFixed(2)}x the index-first floor (budget <= ${RATIO_BUDGET}x the real floor)`);
  console.log(`  of which the swap (write lock held):        ${s(ours.swapMs)}`);
  console.log(`diemthu import command, wall time:            ${s(command)}  = ${verdict(command / realFloor)} the real floor, ${(command / indexFirst).toFixed(2)}x the index-first floor`);
  console.log(`  as installed (built bundle, --cli):         ${s(installed)}  = ${verdict(installed / realFloor)} the real floor, ${(installed / indexFirst).toFixed(2)}x the index-first floor`);
  console.log(`import peak RSS:                              ${ours.maxRssMb} MB (budget <= ${RSS_BUDGET_MB} MB) ${ours.maxRssMb <= RSS_BUDGET_MB ? 'OK' : 'OVER'}`);
}
