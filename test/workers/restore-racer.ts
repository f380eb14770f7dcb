// Child process of test/restore-race.test.ts: another program using the point's database while a
// restore runs.
//   cli <dataDir> <MA_KHANG>...: one `diemthu collect --json` per customer (each opens and closes the
//     database, like separate CLI runs); prints one JSON line: [{exit, receiptNo?, code?}].
//   hold <dataDir> <signalDir> <MA_KHANG>: the long-running app: opens the database, writes
//     <signalDir>/opened, waits for <signalDir>/go, then collects with the connection it opened before
//     and writes <signalDir>/result.json ({receiptNo} or {code}).
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { main } from '../../electron/cli/diemthu.ts';
import { openContext } from '../../electron/store/context.ts';
import { collectPayment } from '../../electron/payments/collect.ts';
import { toErrorShape } from '../../electron/core/errors.ts';
import { requireUser } from '../../electron/users/users.ts';
import { captureIo } from '../helpers/capture-io.ts';

const [mode, dataDir, ...rest] = process.argv.slice(2) as [string, string, ...string[]];

if (mode === 'cli') {
  const outcomes: { exit: number; receiptNo?: string; code?: string }[] = [];
  for (const customer of rest) {
    const io = captureIo();
    const exit = await main(['collect', customer, '--cashier', 'TN01', '--data-dir', dataDir, '--json'], io);
    const answer = JSON.parse(io.out()) as { ok: boolean; value?: { receiptNo: string }; error?: { code: string } };
    outcomes.push(answer.ok ? { exit, receiptNo: answer.value!.receiptNo } : { exit, code: answer.error!.code });
  }
  process.stdout.write(JSON.stringify(outcomes) + '\n');
} else if (mode === 'hold') {
  const [signalDir, customer] = rest as [string, string];
  const ctx = openContext(dataDir);
  writeFileSync(join(signalDir, 'opened'), '');
  while (!existsSync(join(signalDir, 'go'))) await sleep(20);
  let result: { receiptNo: string } | { code: string };
  try {
    const cashier = requireUser(ctx, 'TN01');
    result = { receiptNo: collectPayment(ctx, { customer, cashierId: cashier.id, idempotencyKey: `hold-${process.pid}` }).receiptNo };
  } catch (error) {
    result = { code: toErrorShape(error).code };
  }
  ctx.close();
  writeFileSync(join(signalDir, 'result.json'), JSON.stringify(result));
} else {
  throw new Error(`unknown mode ${mode}`);
}
