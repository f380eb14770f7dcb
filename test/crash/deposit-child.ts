// The supervisor's deposit slip killed by test/crash/deposit-crash.test.ts. CRASH_AT says where:
// in_transaction (every row of the slip written, the journal row being inserted, not committed) or
// after_commit (committed, the slip not yet printed). The kill is SIGKILL: nothing of the process runs after it.
import { openContext } from '../../electron/store/context.ts';
import { makeDeposit, type NoteCount } from '../../electron/shifts/deposit.ts';

const [dataDir, supervisorId, day, notes] = process.argv.slice(2) as [string, string, string, string];
const crashAt = process.env.CRASH_AT;
const die = (): never => {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
};

const ctx = openContext(dataDir);
if (crashAt === 'in_transaction') {
  // A connection-local trigger: the journal row is the slip's last write, so every other row is in the open transaction.
  ctx.sqlite.function('die_now', () => die());
  ctx.sqlite.exec("CREATE TEMP TRIGGER die_on_deposit_journal BEFORE INSERT ON main.journal WHEN NEW.kind = 'deposit' BEGIN SELECT die_now(); END");
}
makeDeposit(ctx, { day, supervisorId: Number(supervisorId), notes: JSON.parse(notes) as NoteCount[] });
if (crashAt === 'after_commit') die();
ctx.close();
process.stdout.write('finished\n');
