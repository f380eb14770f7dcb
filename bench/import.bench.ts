// Snapshot import on the province snapshot (bench/province.ts): wall time and peak RSS of the import
// in a child process, against two floors of the sqlite3 shell's own `.import` of the same file into a
// WAL database with synchronous=FULL: with the MA_KHANG index made before the load (each row then
// updates it), and the real floor, the load first and then the index (one sort). Also the wall time of
// the `diemthu import` command (Node and tsx start-up included) and the import's write transaction
// (the swap: the only time the counter's collects wait), in interleaved rounds (medians). Budgets: <= 3x the real floor, <= 300 MB.
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
  search: string;
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
const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
/** The median and the range of a measure over the rounds. */
const spread = (values: number[]) => `${s(median(values))} (${values.map(s).join(', ')})`;

/**
 * Rounds of every measure, one after the other: this machine's speed drifts by a third within minutes
 * (other tenants), so a floor and an import measured minutes apart compare badly. Each measure starts
 * after `sync`, so the last one's writes are not flushed on its time. The figures are the medians.
 */
const ROUNDS = Number(process.env.IMPORT_BENCH_ROUNDS ?? 3);

export async function run(): Promise<void> {
  ensureSqlite3();
  const file = await provinceSnapshot();
  const load = loadavg()[0]?.toFixed(1);
  // Inside the checkout, as the installed bundle sits inside the app: its workers (ES modules, which
  // NODE_PATH does not reach) find better-sqlite3 in the node_modules above them.
  const outDir = mkdtempSync(join(here, '..', '.bench', 'bundle-'));
  const bundle = (await buildElectron({ outDir })).main;
  const settled = <T>(measure: () => T): T => {
    execFileSync('sync');
    return measure();
  };
  const rounds: { indexFirst: number; realFloor: number; ours: Figures; command: number; installed: number }[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      rounds.push({
        indexFirst: settled(() => floorMs(file, true)),
        realFloor: settled(() => floorMs(file, false)),
        ours: settled(() => importFigures(file)),
        command: settled(() => commandMs(file)),
        installed: settled(() => commandMs(file, [bundle, '--cli'])),
      });
    }
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
  const indexFirst = median(rounds.map((r) => r.indexFirst));
  const realFloor = median(rounds.map((r) => r.realFloor));
  const ours = median(rounds.map((r) => r.ours.ms));
  const command = median(rounds.map((r) => r.command));
  const installed = median(rounds.map((r) => r.installed));
  const first = rounds[0] as (typeof rounds)[number];
  console.log(`province snapshot: ${first.ours.rows} rows, ${first.ours.bills} bills (${file}); load average ${load} at start, ${loadavg()[0]?.toFixed(1)} at end`);
  console.log(`${ROUNDS} rounds, each measure after the other; medians, each round's figure in brackets:`);
  console.log(`sqlite3 .import, MA_KHANG index made first:   ${spread(rounds.map((r) => r.indexFirst))}`);
  console.log(`sqlite3 .import, then the MA_KHANG index:     ${spread(rounds.map((r) => r.realFloor))}  (the real floor)`);
  console.log(`import (in a child process):                  ${spread(rounds.map((r) => r.ours.ms))}  = ${verdict(ours / realFloor)} the real floor, ${(ours / indexFirst).toFixed(2)}x the index-first floor (budget <= ${RATIO_BUDGET}x the real floor)`);
  console.log(`  each round against its own floor:           ${rounds.map((r) => `${(r.ours.ms / r.realFloor).toFixed(2)}x`).join(', ')}`);
  console.log(`  of which the swap (write lock held):        ${spread(rounds.map((r) => r.ours.swapMs))}; search index: ${[...new Set(rounds.map((r) => r.ours.search))].join(', ')}`);
  console.log(`diemthu import command, wall time:            ${spread(rounds.map((r) => r.command))}  = ${verdict(command / realFloor)} the real floor, ${(command / indexFirst).toFixed(2)}x the index-first floor`);
  console.log(`  as installed (built bundle, --cli):         ${spread(rounds.map((r) => r.installed))}  = ${verdict(installed / realFloor)} the real floor, ${(installed / indexFirst).toFixed(2)}x the index-first floor`);
  console.log(`  each round against its own floor:           ${rounds.map((r) => `${(r.installed / r.realFloor).toFixed(2)}x`).join(', ')}`);
  const rss = Math.max(...rounds.map((r) => r.ours.maxRssMb));
  console.log(`import peak RSS (highest round):              ${rss} MB (budget <= ${RSS_BUDGET_MB} MB) ${rss <= RSS_BUDGET_MB ? 'OK' : 'OVER'}`);
}
