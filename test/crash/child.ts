// The collector killed by the crash harness. It replays the client's plan from the first request not
// yet acknowledged (so the request in flight at the last kill is retried with the SAME key), appends
// each acknowledged receipt to the ack file (fsynced) after the commit, and exports every few payments.
// CRASH_AT makes it kill itself at a forced point: before_commit (inside the payment transaction),
// after_commit (committed, receipt not yet acknowledged), export_rename (the batch recorded as pending,
// killed after the 1st or 2nd rename of its files) or export_mark (files complete, not yet marked exported).
import * as fs from 'node:fs';
import { join } from 'node:path';
import { openContext } from '../../electron/store/context.ts';
import { systemClock } from '../../electron/core/clock.ts';
import { collectPayment } from '../../electron/payments/collect.ts';
import { exportClearing } from '../../electron/cmis/write-clearing.ts';
import { realFs, type AtomicFs } from '../../electron/store/atomic-write.ts';
import { ACK_FILE, EXPORT_DIR, EXPORT_EVERY, readAcks, planKey, planCustomer } from './plan.ts';

const [dataDir, cashierId, planSize] = process.argv.slice(2) as [string, string, string];
const crashAt = process.env.CRASH_AT ?? '';
const crashAfter = Number(process.env.CRASH_AFTER ?? '0'); // payments completed before the forced point

const die = (): never => {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
};

let armed = false; // set while the payment at the forced point is in its transaction
const ctx = openContext(dataDir, {
  busyTimeoutMs: 20_000,
  clock: () => {
    if (armed && crashAt === 'before_commit') die();
    return systemClock();
  },
});

let renames = 0;
const exportFs: AtomicFs =
  crashAt === 'export_rename'
    ? {
        ...realFs,
        // Dies after the first or the second rename: one or two final files present, the others still temporary.
        renameSync: (from, to) => {
          realFs.renameSync(from, to);
          if (++renames === 1 + (crashAfter % 2)) die();
        },
      }
    : realFs;

const ackPath = join(dataDir, ACK_FILE);
const ackFd = fs.openSync(ackPath, 'a');
let next = readAcks(ackPath).length;
process.stdout.write('ready\n');

let done = 0;
while (next < Number(planSize)) {
  // From the chosen payment on until it dies: a replayed request or an export with nothing new passes the point without reaching it.
  const forced = crashAt !== '' && done >= crashAfter;
  if (forced && crashAt.startsWith('export')) {
    exportClearing(ctx, { outDir: join(dataDir, EXPORT_DIR), fs: exportFs, beforeMark: crashAt === 'export_mark' ? die : undefined });
  }
  armed = forced;
  const result = collectPayment(ctx, { customer: planCustomer(next), cashierId: Number(cashierId), idempotencyKey: planKey(next) });
  armed = false;
  if (forced && crashAt === 'after_commit') die();
  fs.writeSync(ackFd, `${planKey(next)} ${result.receiptNo}\n`);
  fs.fsyncSync(ackFd);
  next++;
  done++;
  if (next % EXPORT_EVERY === 0) exportClearing(ctx, { outDir: join(dataDir, EXPORT_DIR) });
}
ctx.close();
process.stdout.write('finished\n');
