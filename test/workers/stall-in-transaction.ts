// Child process of the SIGKILL tests: runs one diemthu command in-process, but the moment its
// transaction writes the journal row of `kind`, says "inside" on stdout and spins there: the parent
// kills it between the rows the command wrote and their journal row, with the transaction open.
// The trigger is TEMP (this connection only) and calls a function only this process defines.
import Database from 'better-sqlite3';
import { main } from '../../electron/cli/diemthu.ts';

const [dataDir, kind, ...argv] = process.argv.slice(2) as [string, string, ...string[]];
const prepare = Database.prototype.prepare;
const armed = new WeakSet<object>();
Database.prototype.prepare = function (this: InstanceType<typeof Database>, source: string) {
  if (!armed.has(this)) {
    armed.add(this);
    this.function('stall_here', () => {
      process.stdout.write('inside\n');
      for (;;) {
        // The parent's SIGKILL ends the process here.
      }
    });
    this.exec(`CREATE TEMP TRIGGER stall_here BEFORE INSERT ON main.journal WHEN NEW.kind = '${kind}' BEGIN SELECT stall_here(); END`);
  }
  return prepare.call(this, source);
} as typeof prepare;
const io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
process.exitCode = await main([...argv, '--data-dir', dataDir], io);
