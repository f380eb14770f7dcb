import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectPayment } from '../electron/payments/collect.ts';
import { voidPayment } from '../electron/payments/voids.ts';
import { closeShift, openShift } from '../electron/shifts/shifts.ts';
import { addUser, changePin, requireSupervisor, verifyPin } from '../electron/users/users.ts';
import { deactivateUser, resetPin } from '../electron/users/user-admin.ts';
import { verifyStore } from '../electron/verify/verify.ts';
import { seedSnapshot } from './helpers/seed.ts';
import { collectWorld, refusedWith } from './helpers/collect-fixture.ts';
import { captureIo } from './helpers/capture-io.ts';
import { main } from '../electron/cli/diemthu.ts';

function world() {
  const w = collectWorld();
  seedSnapshot(w.ctx, [
    { maKhang: 'PC12AA0000001', tenKhang: 'An', dchiKhang: 'x', bills: [{ idHdon: 'A1', thang: 10, nam: 2026, soTien: 100_000 }] },
    { maKhang: 'PC12AA0000002', tenKhang: 'Bình', dchiKhang: 'y', bills: [{ idHdon: 'B1', thang: 10, nam: 2026, soTien: 50_000 }] },
    { maKhang: 'PC12AA0000003', tenKhang: 'Cường', dchiKhang: 'z', bills: [{ idHdon: 'C1', thang: 10, nam: 2026, soTien: 20_000 }] },
  ]);
  return w;
}
const journalKinds = (w: ReturnType<typeof world>) => w.ctx.sqlite.prepare('SELECT kind, actor_id AS actor FROM journal ORDER BY id').all() as { kind: string; actor: number }[];

test('a deactivated user cannot sign in or approve; their payments and journal stay, and verify passes', () => {
  const w = world();
  const paid = collectPayment(w.ctx, { customer: 'PC12AA0000001', cashierId: w.cashier.id, idempotencyKey: 'k1' });
  assert.throws(() => deactivateUser(w.ctx, { code: 'TN01', supervisor: w.supervisor }), refusedWith('USER_HAS_OPEN_SHIFT'));
  closeShift(w.ctx, { cashierId: w.cashier.id, countedCash: 600_000 });
  assert.throws(() => deactivateUser(w.ctx, { code: 'TN01', supervisor: w.cashier }), refusedWith('SUPERVISOR_REQUIRED'));
  deactivateUser(w.ctx, { code: 'TN01', supervisor: w.supervisor });
  assert.throws(() => verifyPin(w.ctx, 'TN01', '123456'), refusedWith('LOGIN_FAILED'));
  assert.throws(() => openShift(w.ctx, { cashierId: w.cashier.id, openingFloat: 0 }));
  assert.deepEqual(journalKinds(w).at(-1), { kind: 'user_deactivated', actor: w.supervisor.id });

  deactivateUser(w.ctx, { code: 'GS01', supervisor: w.head });
  assert.throws(() => requireSupervisor(w.ctx, 'GS01', '987654'), refusedWith('LOGIN_FAILED'));
  assert.throws(() => addUser(w.ctx, { code: 'TN02', name: 'Mới', role: 'cashier', pin: '135790', approvedBy: [w.supervisor.id] }), refusedWith('SUPERVISOR_REQUIRED'));
  assert.throws(
    () => w.ctx.sqlite.prepare("INSERT INTO users (code, name, role, pin_hash, created_at, approved_by, added_after_payment_id) VALUES ('TN03', 'x', 'cashier', 'h', '2026-11-27T09:00:00.000Z', ?, 1)").run(w.supervisor.id),
    /approved by a supervisor/,
    'nor by SQL',
  );
  // the point keeps one supervisor who can sign in: by the service (nobody deactivates themselves) and by the database
  assert.throws(() => deactivateUser(w.ctx, { code: 'GS00', supervisor: w.head }), refusedWith('USER_SELF'));
  assert.throws(() => w.ctx.sqlite.prepare("UPDATE users SET active = 0 WHERE code = 'GS00'").run(), /last active supervisor/);
  // deactivated for good: no reactivation, even by SQL
  assert.throws(() => w.ctx.sqlite.prepare("UPDATE users SET active = 1 WHERE code = 'TN01'").run(), /stays deactivated/);
  assert.equal(w.ctx.sqlite.prepare('SELECT cashier_id FROM payments WHERE id = ?').pluck().get(paid.paymentId), w.cashier.id);
  assert.deepEqual(verifyStore(w.ctx).problems, []);
  w.ctx.close();
});

test('a PIN reset by a supervisor is temporary: it opens only its own change, and the supervisor can never void that user’s payments', () => {
  const w = world();
  const before = collectPayment(w.ctx, { customer: 'PC12AA0000001', cashierId: w.cashier.id, idempotencyKey: 'k1' });
  assert.throws(() => resetPin(w.ctx, { code: 'TN01', supervisor: w.supervisor, temporaryPin: '1234' }), refusedWith('PIN_INVALID'));
  assert.throws(() => resetPin(w.ctx, { code: 'GS01', supervisor: w.supervisor, temporaryPin: '111222' }), refusedWith('USER_SELF'));
  resetPin(w.ctx, { code: 'TN01', supervisor: w.supervisor, temporaryPin: '111222' });
  assert.deepEqual(journalKinds(w).at(-1), { kind: 'pin_reset', actor: w.supervisor.id });
  assert.throws(() => verifyPin(w.ctx, 'TN01', '123456'), refusedWith('LOGIN_FAILED'), 'the old PIN is gone');
  assert.throws(() => verifyPin(w.ctx, 'TN01', '111222'), refusedWith('PIN_CHANGE_REQUIRED'));
  assert.throws(() => changePin(w.ctx, { code: 'TN01', pin: '111222', newPin: '111222' }), refusedWith('PIN_UNCHANGED'));
  changePin(w.ctx, { code: 'TN01', pin: '111222', newPin: '975310' });
  assert.equal(verifyPin(w.ctx, 'TN01', '975310').code, 'TN01');

  // the supervisor who knew the PIN is linked to the user, before and after the reset
  const after = collectPayment(w.ctx, { customer: 'PC12AA0000002', cashierId: w.cashier.id, idempotencyKey: 'k2' });
  for (const p of [before, after]) {
    assert.throws(() => voidPayment(w.ctx, { receiptNo: p.receiptNo, reason: 'thử', supervisorId: w.supervisor.id }), refusedWith('VOID_LINKED_USERS'));
  }
  assert.throws(
    () => w.ctx.sqlite.prepare("UPDATE payments SET voided_at = '2026-11-27T09:00:00.000Z', voided_by = ?, void_reason = 'x' WHERE id = ?").run(w.supervisor.id, after.paymentId),
    /linked by approvals/,
  );
  assert.deepEqual(verifyStore(w.ctx).problems, []);
  w.ctx.close();
});

test('a supervisor whose PIN was reset, and every user they approve afterwards, stay linked to the one who reset it', () => {
  const w = world();
  const third = addUser(w.ctx, { code: 'GS02', name: 'Giám sát ba', role: 'supervisor', pin: '864200', approvedBy: [w.head.id, w.supervisor.id] });
  resetPin(w.ctx, { code: 'GS01', supervisor: third, temporaryPin: '222333' });
  changePin(w.ctx, { code: 'GS01', pin: '222333', newPin: '333444' });
  // the resetter, acting as GS01, adds a cashier: that cashier is linked to the resetter too
  const alterEgo = addUser(w.ctx, { code: 'TN09', name: 'Thu ngân mới', role: 'cashier', pin: '909090', approvedBy: [w.supervisor.id] });
  openShift(w.ctx, { cashierId: alterEgo.id, openingFloat: 0 });
  const paid = collectPayment(w.ctx, { customer: 'PC12AA0000003', cashierId: alterEgo.id, idempotencyKey: 'k9' });
  assert.throws(() => voidPayment(w.ctx, { receiptNo: paid.receiptNo, reason: 'thử', supervisorId: third.id }), refusedWith('VOID_LINKED_USERS'));
  w.ctx.close();
});

test('CLI: user reset-pin, the temporary PIN refused for work, user pin changes it, user deactivate (exit codes 0 and 2)', async () => {
  const w = world();
  const dir = w.ctx.dataDir;
  w.ctx.close();
  const run = async (args: string[], env: NodeJS.ProcessEnv) => {
    const io = captureIo(env);
    const code = await main([...args, '--data-dir', dir], io);
    return { code, err: io.err() };
  };
  assert.equal((await run(['user', 'reset-pin', 'TN01', '--supervisor', 'GS01'], { DIEMTHU_SUPERVISOR_PIN: '987654', DIEMTHU_NEW_PIN: '555666' })).code, 0);
  const refused = await run(['shift', 'close', '--cashier', 'TN01', '--counted', '500000'], { DIEMTHU_PIN: '555666' });
  assert.equal(refused.code, 2);
  assert.match(refused.err, /^\[PIN_CHANGE_REQUIRED\] /);
  assert.equal((await run(['user', 'pin', 'TN01'], { DIEMTHU_PIN: '555666', DIEMTHU_NEW_PIN: '777888' })).code, 0);
  assert.equal((await run(['shift', 'close', '--cashier', 'TN01', '--counted', '500000'], { DIEMTHU_PIN: '777888' })).code, 0);
  assert.equal((await run(['user', 'deactivate', 'TN01', '--supervisor', 'GS01'], { DIEMTHU_SUPERVISOR_PIN: '987654' })).code, 0);
  assert.equal((await run(['user', 'deactivate', 'GS00', '--supervisor', 'GS01'], { DIEMTHU_SUPERVISOR_PIN: '987654' })).code, 0);
  const self = await run(['user', 'deactivate', 'GS01', '--supervisor', 'GS01'], { DIEMTHU_SUPERVISOR_PIN: '987654' });
  assert.deepEqual([self.code, /^\[USER_SELF\] /.test(self.err)], [2, true], 'the last supervisor cannot leave by themselves');
  const io = captureIo({});
  assert.equal(await main(['user', 'list', '--json', '--data-dir', dir], io), 0);
  const users = (JSON.parse(io.out()) as { value: { code: string; active: boolean }[] }).value;
  assert.deepEqual(users.map((u) => [u.code, u.active]), [['GS00', false], ['TN01', false], ['GS01', true]]);
});
