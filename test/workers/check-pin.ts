// Child process of test/users.test.ts: opens the database, says "ready", waits for "go" on stdin,
// checks one PIN and prints the outcome ("ok" or the refusal's code).
import { createInterface } from 'node:readline';
import { openContext } from '../../electron/store/context.ts';
import { verifyPin } from '../../electron/users/users.ts';
import { toErrorShape } from '../../electron/core/errors.ts';

const [dataDir, code, pin] = process.argv.slice(2) as [string, string, string];
const ctx = openContext(dataDir, { busyTimeoutMs: 30_000 });
const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
await new Promise<void>((resolve) => lines.once('line', () => resolve()));
let outcome: string;
try {
  verifyPin(ctx, code, pin);
  outcome = 'ok';
} catch (error) {
  outcome = toErrorShape(error).code;
}
ctx.close();
lines.close();
process.stdout.write(`${outcome}\n`);
