import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { openContext } from '../../electron/store/context.ts';
import { makeDeposit } from '../../electron/shifts/deposit.ts';
import { verifyStore } from '../../electron/verify/verify.ts';
import { closedDay, EXACT } from '../helpers/answered-day.ts';
import { count, refusedWith } from '../helpers/collect-fixture.ts';

const CHILD = fileURLToPath(new URL('./deposit-child.ts', import.meta.url));
const DAY = '2026-11-27';

/** A closed day (two cashiers, a refund) whose deposit slip a child process makes and is SIGKILLed at `crashAt`. */
function killedDeposit(crashAt: 'in_transaction' | 'after_commit') {
  const w = closedDay();
  const { dataDir } = w.ctx;
  const supervisorId = w.supervisor.id;
  w.ctx.close();
  const run = spawnSync(process.execPath, ['--import', 'tsx', CHILD, dataDir, String(supervisorId), DAY, JSON.stringify(EXACT)], {
    env: { ...process.env, CRASH_AT: crashAt },
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(run.signal, 'SIGKILL', `the child was killed at ${crashAt}: ${run.stderr}`);
  const ctx = openContext(dataDir);
  assert.equal(ctx.sqlite.pragma('integrity_check', { simple: true }), 'ok');
  return { ctx, supervisorId };
}

test('deposit slip killed inside its transaction: no slip, no shift mark, no print job, no journal row; verify passes and the slip is made once afterwards', (t) => {
  const { ctx, supervisorId } = killedDeposit('in_transaction');
  t.after(() => ctx.close());
  assert.deepEqual(
    [count(ctx, 'deposits'), count(ctx, 'deposit_shifts'), count(ctx, 'print_jobs', "kind = 'deposit_slip'"), count(ctx, 'journal', "kind = 'deposit'")],
    [0, 0, 0, 0],
  );
  assert.deepEqual(verifyStore(ctx).problems, []);
  const made = makeDeposit(ctx, { day: DAY, supervisorId, notes: EXACT });
  assert.equal(made.slip.counted, made.slip.expected);
  assert.throws(() => makeDeposit(ctx, { day: DAY, supervisorId, notes: EXACT }), refusedWith('DEPOSIT_EXISTS'));
  assert.equal(count(ctx, 'deposits'), 1);
  assert.deepEqual(verifyStore(ctx).problems, []);
});

test('deposit slip killed after its commit, before printing: the slip, its shifts and journal row stay, its print job waits in the outbox; a second slip for the day is refused', (t) => {
  const { ctx, supervisorId } = killedDeposit('after_commit');
  t.after(() => ctx.close());
  assert.deepEqual([count(ctx, 'deposits'), count(ctx, 'deposit_shifts'), count(ctx, 'journal', "kind = 'deposit'")], [1, 2, 1]);
  assert.equal(count(ctx, 'print_jobs', "kind = 'deposit_slip' AND status = 'pending'"), 1, 'the outbox prints it at the next start');
  assert.deepEqual(verifyStore(ctx).problems, []);
  assert.throws(() => makeDeposit(ctx, { day: DAY, supervisorId, notes: EXACT }), refusedWith('DEPOSIT_EXISTS'));
  assert.equal(count(ctx, 'deposits'), 1);
});
