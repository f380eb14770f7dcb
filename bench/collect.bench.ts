// Collect latency on the province database (FULL sync, journal, receipt document in the outbox) and
// the clearing export of >= 20,000 payment lines (with its reconciliation), then a whole verify.
// Budgets: p99 <= 20 ms per payment, export <= 1 s.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openContext } from '../electron/store/context.ts';
import { addUser } from '../electron/users/users.ts';
import { openShift } from '../electron/shifts/shifts.ts';
import { collectPayment } from '../electron/payments/collect.ts';
import { exportClearing } from '../electron/cmis/write-clearing.ts';
import { exportCheck, verifyStore } from '../electron/verify/verify.ts';
import { provinceDataDir } from './province.ts';

const TIMED_PAYMENTS = 5_000;
const EXPORT_LINES = 20_000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function run(): Promise<void> {
  const dataDir = await provinceDataDir();
  const ctx = openContext(dataDir);
  const cheap = { N: 2 ** 10, r: 8, p: 1 };
  const head = addUser(ctx, { code: 'BENCH0', name: 'Giám sát đo', role: 'supervisor', pin: '246800', approvedBy: [] }, cheap);
  const cashier = addUser(ctx, { code: 'BENCH', name: 'Thu ngân đo', role: 'cashier', pin: '123456', approvedBy: [head.id] }, cheap);
  openShift(ctx, { cashierId: cashier.id, openingFloat: 0 });
  const customers = ctx.sqlite
    .prepare(
      `SELECT c.ma_khang, COUNT(*) AS bills FROM customers c JOIN bills b ON b.customer_id = c.id
        WHERE b.last_snapshot_id = (SELECT MAX(id) FROM snapshots) GROUP BY c.id ORDER BY c.id`,
    )
    .all() as { ma_khang: string; bills: number }[];
  const sync = ctx.sqlite.pragma('synchronous', { simple: true });
  const times: number[] = [];
  let lines = 0;
  let i = 0;
  for (; i < customers.length && (times.length < TIMED_PAYMENTS || lines < EXPORT_LINES); i++) {
    const t0 = process.hrtime.bigint();
    const r = collectPayment(ctx, { customer: customers[i]!.ma_khang, cashierId: cashier.id, idempotencyKey: `bench-${i}` });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (times.length < TIMED_PAYMENTS) times.push(ms);
    lines += r.lines.length;
  }
  times.sort((a, b) => a - b);
  console.log(`collect: ${times.length} payments on ${customers.length} customers with debt (synchronous=${sync === 2 ? 'FULL' : sync})`);
  console.log(`  p50 ${percentile(times, 50).toFixed(2)} ms, p99 ${percentile(times, 99).toFixed(2)} ms, max ${times[times.length - 1]!.toFixed(2)} ms (budget p99 <= 20 ms)`);

  const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
  let t0 = process.hrtime.bigint();
  const check = exportCheck(ctx.sqlite);
  const checkMs = ms(t0);
  t0 = process.hrtime.bigint();
  const result = exportClearing(ctx, { outDir: join(dataDir, 'exports') });
  const exportMs = ms(t0);
  const rows = result.code === 'EXPORTED' ? result.manifest.rowCount : 0;
  console.log(`export: ${rows} payment lines of ${i} payments in ${exportMs.toFixed(0)} ms (budget <= 1000 ms), of which the reconciliation before it ${checkMs.toFixed(0)} ms (${check.count} problems)`);
  t0 = process.hrtime.bigint();
  const verified = verifyStore(ctx);
  console.log(`verify (whole database, after the export): ${ms(t0).toFixed(0)} ms, ${verified.ok ? 'passed' : `FAILED: ${verified.problems[0]?.message}`}`);
  ctx.close();
  rmSync(dataDir, { recursive: true, force: true });
}
