import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { openContext } from '../electron/context.ts';
import { sequentialIds } from '../electron/core/clock.ts';
import { addUser, requireSupervisor, verifyPin } from '../electron/users.ts';
import { verifyJournal } from '../electron/journal.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { count, refusedWith } from './helpers/collect-fixture.ts';

function setup() {
  const dataDir = join(tempDir(), 'data');
  const now = { at: new Date('2026-11-27T01:00:00.000Z') };
  const ctx = openContext(dataDir, { clock: () => now.at, newId: sequentialIds() });
  return { ctx, dataDir, now };
}

test('PINs are stored only as salted scrypt hashes: the plain PIN is nowhere in the database files', () => {
  const { ctx, dataDir } = setup();
  addUser(ctx, { code: 'tn01', name: 'Nguyễn Thị Thu', role: 'cashier', pin: '48151623' });
  addUser(ctx, { code: 'TN02', name: 'Lê Văn Hai', role: 'cashier', pin: '48151623' });
  const hashes = ctx.sqlite.prepare('SELECT code, pin_hash FROM users ORDER BY code').all() as { code: string; pin_hash: string }[];
  assert.deepEqual(hashes.map((h) => h.code), ['TN01', 'TN02']);
  for (const h of hashes) assert.match(h.pin_hash, /^scrypt\$16384\$8\$1\$/);
  assert.notEqual(hashes[0]!.pin_hash, hashes[1]!.pin_hash);
  ctx.close();
  for (const file of readdirSync(dataDir)) {
    const bytes = readFileSync(join(dataDir, file));
    assert.equal(bytes.includes('48151623'), false, file);
    assert.equal(bytes.includes(Buffer.from('48151623', 'utf16le')), false, file);
  }
});

test('a user is added once, with a valid code, role and PIN; the addition is journaled', () => {
  const { ctx } = setup();
  const user = addUser(ctx, { code: 'GS01', name: '  Trần Văn Giám ', role: 'supervisor', pin: '0000' });
  assert.deepEqual(user, { id: user.id, code: 'GS01', name: 'Trần Văn Giám', role: 'supervisor' });
  assert.throws(() => addUser(ctx, { code: 'gs01', name: 'X', role: 'cashier', pin: '1111' }), refusedWith('USER_EXISTS'));
  assert.throws(() => addUser(ctx, { code: 'A1', name: 'X', role: 'cashier', pin: '123' }), refusedWith('PIN_INVALID'));
  assert.throws(() => addUser(ctx, { code: 'A1', name: 'X', role: 'boss' as 'cashier', pin: '1234' }), refusedWith('USER_ROLE_INVALID'));
  assert.throws(() => addUser(ctx, { code: 'A 1', name: 'X', role: 'cashier', pin: '1234' }), refusedWith('USER_CODE_INVALID'));
  assert.equal(count(ctx, 'journal', "kind = 'user_added'"), 1);
  ctx.close();
});

test('five wrong PINs lock the user for five minutes; the lock runs out', () => {
  const { ctx, now } = setup();
  addUser(ctx, { code: 'TN01', name: 'Thu', role: 'cashier', pin: '1234' });
  for (let i = 1; i <= 4; i++) assert.throws(() => verifyPin(ctx, 'TN01', '9999'), refusedWith('LOGIN_FAILED'));
  assert.throws(() => verifyPin(ctx, 'TN01', '9999'), refusedWith('USER_LOCKED'));
  assert.throws(() => verifyPin(ctx, 'TN01', '1234'), refusedWith('USER_LOCKED'), 'the right PIN is refused while locked');
  now.at = new Date(now.at.getTime() + 5 * 60 * 1000 - 1);
  assert.throws(() => verifyPin(ctx, 'TN01', '1234'), refusedWith('USER_LOCKED'));
  now.at = new Date(now.at.getTime() + 1);
  assert.equal(verifyPin(ctx, 'TN01', '1234').code, 'TN01');
  assert.deepEqual(
    [count(ctx, 'journal', "kind = 'login_failed'"), count(ctx, 'journal', "kind = 'user_locked'"), count(ctx, 'journal', "kind = 'login'")],
    [5 + 2, 1, 1], // two tries during the lock are journaled too
  );
  assert.equal(verifyJournal(ctx.sqlite).ok, true);
  ctx.close();
});

test('a right PIN resets the count of wrong ones', () => {
  const { ctx } = setup();
  addUser(ctx, { code: 'TN01', name: 'Thu', role: 'cashier', pin: '1234' });
  for (let i = 0; i < 4; i++) assert.throws(() => verifyPin(ctx, 'TN01', '0000'), refusedWith('LOGIN_FAILED'));
  verifyPin(ctx, 'tn01', '1234');
  for (let i = 0; i < 4; i++) assert.throws(() => verifyPin(ctx, 'TN01', '0000'), refusedWith('LOGIN_FAILED'));
  assert.equal(verifyPin(ctx, 'TN01', '1234').code, 'TN01');
  assert.throws(() => verifyPin(ctx, 'NOBODY', '1234'), refusedWith('LOGIN_FAILED'));
  ctx.close();
});

test('requireSupervisor accepts a supervisor only', () => {
  const { ctx } = setup();
  addUser(ctx, { code: 'TN01', name: 'Thu', role: 'cashier', pin: '1234' });
  addUser(ctx, { code: 'GS01', name: 'Giám', role: 'supervisor', pin: '5678' });
  assert.throws(() => requireSupervisor(ctx, 'TN01', '1234'), refusedWith('SUPERVISOR_REQUIRED'));
  assert.throws(() => requireSupervisor(ctx, 'GS01', '1234'), refusedWith('LOGIN_FAILED'));
  assert.equal(requireSupervisor(ctx, 'GS01', '5678').role, 'supervisor');
  ctx.close();
});
