// Child process of test/concurrency.test.ts: waits for the start time, then tries to pay the same
// bill `attempts` times with fresh keys, and prints one JSON line of outcomes.
import { openContext } from '../../electron/store/context.ts';
import { collectPayment } from '../../electron/payments/collect.ts';
import { toErrorShape } from '../../electron/core/errors.ts';

const [dataDir, cashierId, billId, attempts, startAt] = process.argv.slice(2) as [string, string, string, string, string];
const ctx = openContext(dataDir, { busyTimeoutMs: 20_000 });
while (Date.now() < Number(startAt)) {
  // Spin until the common start so that every process races for the same bill.
}
const outcomes: string[] = [];
for (let i = 0; i < Number(attempts); i++) {
  try {
    const r = collectPayment(ctx, { customer: 'PC12AA0000001', billIds: [billId], cashierId: Number(cashierId), idempotencyKey: `${process.pid}-${i}` });
    outcomes.push(`paid:${r.receiptNo}`);
  } catch (error) {
    outcomes.push(`refused:${toErrorShape(error).code}`);
  }
}
ctx.close();
process.stdout.write(JSON.stringify(outcomes) + '\n');
