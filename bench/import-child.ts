// Imports one snapshot in a process of its own and prints {ms, swapMs, maxRssMb, rows, bills, search} as JSON
// (swapMs: the write transaction, from the end of staging to the commit; search: how the swap made the search index), so the
// import's peak memory can be read apart from the caller's (bench/import.bench.ts, test/cmis/streaming.test.ts).
//   node --import tsx bench/import-child.ts <dataDir> <file>
import { readFileSync } from 'node:fs';
import { openContext } from '../electron/store/context.ts';
import { initPoint } from '../electron/store/point.ts';
import { importSnapshot } from '../electron/cmis/import-snapshot.ts';
import { GENERATED_UNITS } from '../fixtures/generate-snapshot.ts';

const [dataDir, file] = process.argv.slice(2);
if (dataDir === undefined || file === undefined) throw new Error('usage: import-child.ts <dataDir> <file>');
const ctx = openContext(dataDir);
initPoint(ctx, { pointCode: 'DT0001', unitCode: 'PC12AA', unitCodes: [...GENERATED_UNITS], pointName: '' });
const started = performance.now();
let staged = NaN;
let search = '';
const result = importSnapshot(ctx, { file }, { staged: () => (staged = performance.now()), searchUpkeep: (how) => (search = how) });
const done = performance.now();
ctx.close();
const figures = { ms: Math.round(done - started), swapMs: Math.round(done - staged), maxRssMb: peakRssMb(), rows: result.rowCount, bills: result.billCount, search };
process.stdout.write(JSON.stringify(figures) + '\n');

/**
 * This process's own peak RSS. On Linux getrusage's maxrss survives exec: a child spawned by a big
 * parent reports the parent's peak. VmHWM (/proc/self/status) belongs to this process image only.
 */
function peakRssMb(): number {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm?.[1] !== undefined) return Math.round(Number(hwm[1]) / 1024);
  } catch {
    // not Linux: fall back to getrusage
  }
  return Math.round(process.resourceUsage().maxRSS / 1024);
}
