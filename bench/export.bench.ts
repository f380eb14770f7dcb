// The clearing export of >= 20,000 payment lines on its own (`npm run bench -- export`): a generated
// snapshot of 16,000 customers imported, every customer's bills collected (FULL sync, journal,
// receipt documents), then `exportClearing` (reconciliation, batch rows, the four files written
// atomically, the marks) timed on fresh copies of that database. Figures, not a pass/fail test.
// Budget: <= 1 s. The database is built by the code under test, so older code can run this file too.
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSnapshot, GENERATED_UNITS } from '../fixtures/generate-snapshot.ts';
import { openContext } from '../electron/store/context.ts';
import { initPoint } from '../electron/store/point.ts';
import { importSnapshot } from '../electron/cmis/import-snapshot.ts';
import { DATABASE_FILE } from '../electron/store/data-dir.ts';
import { addUser } from '../electron/users/users.ts';
import { openShift } from '../electron/shifts/shifts.ts';
import { collectPayment } from '../electron/payments/collect.ts';
import { exportClearing } from '../electron/cmis/write-clearing.ts';

const CUSTOMERS = 16_000;
const EXPORT_LINES = 20_000;
const RUNS = Number(process.env.DIEMTHU_BENCH_RUNS ?? 5);
const at = new Date('2026-11-27T01:00:00.000Z');

/** Imports the generated snapshot and collects every customer's bills until EXPORT_LINES lines wait for export. */
function buildMaster(master: string, snapshot: string): void {
  generateSnapshot({ seed: 20261130, customers: CUSTOMERS, out: snapshot });
  const ctx = openContext(master, { clock: () => at });
  initPoint(ctx, { pointCode: 'DT0001', unitCode: 'PC12AA', unitCodes: [...GENERATED_UNITS], pointName: 'Điểm thu đo' });
  importSnapshot(ctx, { file: snapshot });
  const cheap = { N: 2 ** 10, r: 8, p: 1 };
  const head = addUser(ctx, { code: 'BENCH0', name: 'Giám sát đo', role: 'supervisor', pin: '246800', approvedBy: [] }, cheap);
  const cashier = addUser(ctx, { code: 'BENCH', name: 'Thu ngân đo', role: 'cashier', pin: '123456', approvedBy: [head.id] }, cheap);
  openShift(ctx, { cashierId: cashier.id, openingFloat: 0 });
  const customers = ctx.sqlite
    .prepare('SELECT DISTINCT c.ma_khang FROM customers c JOIN bills b ON b.customer_id = c.id ORDER BY c.id')
    .pluck()
    .all() as string[];
  let lines = 0;
  for (let i = 0; i < customers.length && lines < EXPORT_LINES; i++) {
    lines += collectPayment(ctx, { customer: customers[i]!, cashierId: cashier.id, idempotencyKey: `bench-${i}` }).lines.length;
  }
  ctx.close();
}

export async function run(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'diemthu-export-bench-'));
  try {
    // DIEMTHU_EXPORT_BENCH_DB: a data folder kept from an earlier run of the same code (built there when missing), to time changes quickly.
    const kept = process.env.DIEMTHU_EXPORT_BENCH_DB;
    const master = kept ?? join(root, 'master');
    if (!existsSync(join(master, DATABASE_FILE))) buildMaster(master, join(root, 'snapshot.csv'));
    const times: number[] = [];
    // CPU time of this process (user + system) too: on a shared machine the wall time moves with the others' load.
    const cpuTimes: number[] = [];
    let [rows, payments] = [0, 0];
    for (let i = 0; i < RUNS; i++) {
      const dir = mkdtempSync(join(root, 'run-'));
      copyFileSync(join(master, DATABASE_FILE), join(dir, DATABASE_FILE));
      const copy = openContext(dir, { clock: () => at });
      const [t0, cpu0] = [process.hrtime.bigint(), process.cpuUsage()];
      const result = exportClearing(copy, { outDir: join(dir, 'exports') });
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      const cpu = process.cpuUsage(cpu0);
      cpuTimes.push((cpu.user + cpu.system) / 1000);
      if (result.code === 'EXPORTED') [rows, payments] = [result.manifest.rowCount, result.manifest.receiptCount];
      copy.close();
    }
    times.sort((a, b) => a - b);
    cpuTimes.sort((a, b) => a - b);
    const load = loadavg().map((l) => l.toFixed(2)).join(' ');
    console.log(`export: ${rows} payment lines of ${payments} payments, ${RUNS} runs on fresh copies: min ${times[0]!.toFixed(0)} ms, median ${times[Math.floor(RUNS / 2)]!.toFixed(0)} ms, max ${times[RUNS - 1]!.toFixed(0)} ms; CPU min ${cpuTimes[0]!.toFixed(0)} ms, median ${cpuTimes[Math.floor(RUNS / 2)]!.toFixed(0)} ms (budget <= 1000 ms; load average ${load} on ${cpus().length} cores)`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
