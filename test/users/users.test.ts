import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes, scryptSync } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { openContext } from '../../electron/store/context.ts';
import { sequentialIds } from '../../electron/core/clock.ts';
import { addUser, changePin, requireSupervisor, verifyPin, type Role } from '../../electron/users/users.ts';
import { verifyJournal } from '../../electron/store/journal.ts';
import { backupNow } from '../../electron/backups/backups.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { count, refusedWith, TEST_PIN_COST } from '../helpers/collect-fixture.ts';

const PIN_KEY_FILE = 'pin.key';
const CHECK_PIN_WORKER = fileURLToPath(new URL('../workers/check-pin.ts', import.meta.url));

/**
 * A data folder whose first user is the supervisor GS00 (PIN 24682468); `add` adds users approved by
 * GS00. PINs are hashed at the real cost only where a test is about it.
 */
function setup(cost: 'real' | 'cheap' = 'cheap') {
  const dataDir = join(tempDir(), 'data');
  const now = { at: new Date('2026-11-27T01:00:00.000Z') };
  const ctx = openContext(dataDir, { clock: () => now.at, newId: sequentialIds(), ...(cost === 'cheap' ? { pinCost: TEST_PIN_COST } : {}) });
  const head = addUser(ctx, { code: 'GS00', name: 'Trưởng điểm', role: 'supervisor', pin: '24682468', approvedBy: [] });
  const add = (code: string, role: Role, pin: string) => addUser(ctx, { code, name: `Người dùng ${code}`, role, pin, approvedBy: [head.id] });
  return { ctx, dataDir, now, head, add };
}

/**
 * What an offline search can do with a stolen database alone: take a stored hash's salt and cost
 * (the last five $-fields, whatever the format) and see whether scrypt of the guess gives the hash.
 */
function backupConfirms(stored: string, guess: string): boolean {
  const [N, r, p, salt, hash] = stored.split('$').slice(-5) as [string, string, string, string, string];
  const expected = Buffer.from(hash, 'base64');
  const cost = { N: Number(N), r: Number(r), p: Number(p), maxmem: 1024 * 1024 * 1024 };
  return scryptSync(guess, Buffer.from(salt, 'base64'), expected.length, cost).equals(expected);
}

/** A PIN hash as versions before the key file stored it: scrypt of the PIN alone. */
function legacyHash(pin: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(pin, salt, 32, { N: 2 ** 14, r: 8, p: 1 });
  return ['scrypt', 2 ** 14, 8, 1, salt.toString('base64'), hash.toString('base64')].join('$');
}

function checkPinInChild(dataDir: string, code: string, pin: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', CHECK_PIN_WORKER, dataDir, code, pin], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += String(d)));
  child.stderr.on('data', (d: Buffer) => (err += String(d)));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', () => out.startsWith('ready\n') && resolve());
    child.on('exit', (code) => reject(new Error(`worker exit ${code} before ready: ${err}`)));
  });
  const outcome = new Promise<string>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out.slice('ready\n'.length).trim()) : reject(new Error(`worker exit ${code}: ${err}`))));
  });
  return { ready, go: () => child.stdin.end('go\n'), outcome };
}

test('PINs are stored only as salted scrypt hashes: the plain PIN is nowhere in the database files', () => {
  const { ctx, dataDir, add } = setup('real');
  add('tn01', 'cashier', '48151623');
  add('TN02', 'cashier', '48151623');
  const hashes = ctx.sqlite.prepare("SELECT code, pin_hash FROM users WHERE role = 'cashier' ORDER BY code").all() as { code: string; pin_hash: string }[];
  assert.deepEqual(hashes.map((h) => h.code), ['TN01', 'TN02']);
  for (const h of hashes) assert.match(h.pin_hash, /^scrypt-hmac\$[0-9a-f]{16}\$16384\$8\$4\$/);
  assert.notEqual(hashes[0]!.pin_hash, hashes[1]!.pin_hash);
  ctx.close();
  for (const file of readdirSync(dataDir)) {
    const bytes = readFileSync(join(dataDir, file));
    assert.equal(bytes.includes('48151623'), false, file);
    assert.equal(bytes.includes(Buffer.from('48151623', 'utf16le')), false, file);
  }
});

test('a user is added once, with a valid code, role and PIN; the addition is journaled', () => {
  const { ctx, head } = setup();
  const user = addUser(ctx, { code: 'GS01', name: '  Trần Văn Giám ', role: 'supervisor', pin: '000000', approvedBy: [head.id] });
  assert.deepEqual(user, { id: user.id, code: 'GS01', name: 'Trần Văn Giám', role: 'supervisor' });
  const cashier = (code: string, pin: string, role = 'cashier') => () => addUser(ctx, { code, name: 'X', role: role as Role, pin, approvedBy: [head.id] });
  assert.throws(cashier('gs01', '111111'), refusedWith('USER_EXISTS'));
  assert.throws(cashier('A1', '123'), refusedWith('PIN_INVALID'));
  assert.throws(cashier('A1', '123456', 'boss'), refusedWith('USER_ROLE_INVALID'));
  assert.throws(cashier('A 1', '123456'), refusedWith('USER_CODE_INVALID'));
  assert.equal(count(ctx, 'journal', "kind = 'user_added'"), 2);
  ctx.close();
});

test('five wrong PINs lock the user for five minutes; the lock runs out', () => {
  const { ctx, now, add } = setup();
  add('TN01', 'cashier', '123456');
  for (let i = 1; i <= 4; i++) assert.throws(() => verifyPin(ctx, 'TN01', '9999'), refusedWith('LOGIN_FAILED'));
  assert.throws(() => verifyPin(ctx, 'TN01', '9999'), refusedWith('USER_LOCKED'));
  assert.throws(() => verifyPin(ctx, 'TN01', '123456'), refusedWith('USER_LOCKED'), 'the right PIN is refused while locked');
  now.at = new Date(now.at.getTime() + 5 * 60 * 1000 - 1);
  assert.throws(() => verifyPin(ctx, 'TN01', '123456'), refusedWith('USER_LOCKED'));
  now.at = new Date(now.at.getTime() + 1);
  assert.equal(verifyPin(ctx, 'TN01', '123456').code, 'TN01');
  assert.deepEqual(
    [count(ctx, 'journal', "kind = 'login_failed'"), count(ctx, 'journal', "kind = 'user_locked'"), count(ctx, 'journal', "kind = 'login'")],
    [5 + 2, 1, 1], // two tries during the lock are journaled too
  );
  assert.equal(verifyJournal(ctx.sqlite).ok, true);
  ctx.close();
});

test('a right PIN resets the count of wrong ones', () => {
  const { ctx, add } = setup();
  add('TN01', 'cashier', '123456');
  for (let i = 0; i < 4; i++) assert.throws(() => verifyPin(ctx, 'TN01', '0000'), refusedWith('LOGIN_FAILED'));
  verifyPin(ctx, 'tn01', '123456');
  for (let i = 0; i < 4; i++) assert.throws(() => verifyPin(ctx, 'TN01', '0000'), refusedWith('LOGIN_FAILED'));
  assert.equal(verifyPin(ctx, 'TN01', '123456').code, 'TN01');
  assert.throws(() => verifyPin(ctx, 'NOBODY', '123456'), refusedWith('LOGIN_FAILED'));
  ctx.close();
});

test('requireSupervisor accepts a supervisor only', () => {
  const { ctx, add } = setup();
  add('TN01', 'cashier', '123456');
  add('GS01', 'supervisor', '567812');
  assert.throws(() => requireSupervisor(ctx, 'TN01', '123456'), refusedWith('SUPERVISOR_REQUIRED'));
  assert.throws(() => requireSupervisor(ctx, 'GS01', '123456'), refusedWith('LOGIN_FAILED'));
  assert.equal(requireSupervisor(ctx, 'GS01', '567812').role, 'supervisor');
  ctx.close();
});

test('[#15] two wrong PINs at the same moment from two processes count two failures: six at once check five PINs, then the lock', async () => {
  // The real cost: a check as long as at a counter, the window the count was once read outside.
  const { ctx, dataDir, add } = setup('real');
  add('TN01', 'cashier', '48151623');
  ctx.close();
  const workers = Array.from({ length: 6 }, (_, i) => checkPinInChild(dataDir, 'TN01', `9000000${i}`));
  await Promise.all(workers.map((w) => w.ready));
  for (const w of workers) w.go();
  const outcomes = (await Promise.all(workers.map((w) => w.outcome))).sort();
  const check = openContext(dataDir);
  const failures = (check.sqlite.prepare("SELECT payload FROM journal WHERE kind = 'login_failed'").all() as { payload: string }[]).map(
    (r) => JSON.parse(r.payload) as { failed?: number; locked?: boolean },
  );
  // Each PIN checked counted one more failure than the one before it; the rest met the lock unchecked.
  assert.deepEqual(failures.filter((f) => f.locked !== true).map((f) => f.failed).sort(), [1, 2, 3, 4, 5]);
  assert.equal(failures.filter((f) => f.locked === true).length, 1);
  assert.equal(count(check, 'journal', "kind = 'user_locked'"), 1);
  assert.deepEqual(outcomes, [...Array(4).fill('LOGIN_FAILED'), ...Array(2).fill('USER_LOCKED')]);
  assert.equal(verifyJournal(check.sqlite).ok, true);
  check.close();
});

test('[#15] a backup file alone cannot confirm a PIN guess: the hash needs the key file, kept in the data folder (0600) and out of every backup', async () => {
  const { ctx, dataDir, add } = setup();
  add('TN01', 'cashier', '48151623');
  const usb = join(tempDir(), 'usb');
  const { file } = await backupNow(ctx, { outDir: usb });
  ctx.close();
  assert.deepEqual(readdirSync(usb), [file.slice(usb.length + 1)], 'the backup is the database file alone');
  const stolen = new Database(file, { readonly: true });
  const { pin_hash: stored } = stolen.prepare("SELECT pin_hash FROM users WHERE code = 'TN01'").get() as { pin_hash: string };
  stolen.close();
  assert.equal(backupConfirms(stored, '48151623'), false, 'the right PIN is not confirmed by the backup alone');

  const key = readFileSync(join(dataDir, PIN_KEY_FILE));
  assert.ok(key.length >= 32);
  if (process.platform !== 'win32') assert.equal(statSync(join(dataDir, PIN_KEY_FILE)).mode & 0o777, 0o600);
  assert.equal(readFileSync(file).includes(key), false);

  // The same backup restored next to the key (the same PC) checks PINs; in a folder without it, nothing is checked.
  const samePc = join(tempDir(), 'same-pc');
  mkdirSync(samePc);
  copyFileSync(file, join(samePc, 'diemthu.sqlite'));
  copyFileSync(join(dataDir, PIN_KEY_FILE), join(samePc, PIN_KEY_FILE));
  const restored = openContext(samePc);
  assert.equal(verifyPin(restored, 'TN01', '48151623').code, 'TN01');
  rmSync(join(samePc, PIN_KEY_FILE));
  assert.throws(() => verifyPin(restored, 'TN01', '48151623'), refusedWith('PIN_KEY_MISSING'));
  assert.throws(() => verifyPin(restored, 'TN01', '00000000'), refusedWith('PIN_KEY_MISSING'));
  const row = restored.sqlite.prepare("SELECT failed_pins FROM users WHERE code = 'TN01'").get() as { failed_pins: number };
  assert.equal(row.failed_pins, 0, 'a missing key is no wrong PIN');
  // Nor does a new key appear for a new user, which would split the point's PINs over two keys.
  assert.throws(() => addUser(restored, { code: 'TN02', name: 'X', role: 'cashier', pin: '123456', approvedBy: [1] }), refusedWith('PIN_KEY_MISSING'));
  writeFileSync(join(samePc, PIN_KEY_FILE), randomBytes(32), { mode: 0o600 });
  assert.throws(() => verifyPin(restored, 'TN01', '48151623'), refusedWith('PIN_KEY_MISMATCH'));
  restored.close();
});

test('[#15] new PINs have 6 to 8 digits', () => {
  const { ctx, add } = setup();
  for (const pin of ['1234', '12345', '123456789', '12345a']) assert.throws(() => add('TN01', 'cashier', pin), refusedWith('PIN_INVALID'), pin);
  for (const [code, pin] of [['TN01', '123456'], ['TN02', '12345678']] as const) assert.equal(add(code, 'cashier', pin).code, code);
  ctx.close();
});

test('[#15] a PIN hash from before the key file still logs in once, and that login stores it again with the key and the new cost', () => {
  const { ctx, add } = setup('real');
  const user = add('TN01', 'cashier', '123456');
  // As the previous version stored it: a 4-digit PIN, scrypt alone.
  ctx.sqlite.prepare('UPDATE users SET pin_hash = ? WHERE id = ?').run(legacyHash('4815'), user.id);
  assert.throws(() => verifyPin(ctx, 'TN01', '4816'), refusedWith('LOGIN_FAILED'));
  assert.match((ctx.sqlite.prepare('SELECT pin_hash FROM users WHERE id = ?').get(user.id) as { pin_hash: string }).pin_hash, /^scrypt\$/);
  assert.equal(verifyPin(ctx, 'TN01', '4815').code, 'TN01');
  const { pin_hash: upgraded } = ctx.sqlite.prepare('SELECT pin_hash FROM users WHERE id = ?').get(user.id) as { pin_hash: string };
  assert.match(upgraded, /^scrypt-hmac\$[0-9a-f]{16}\$16384\$8\$4\$/);
  assert.equal(backupConfirms(upgraded, '4815'), false);
  assert.equal(verifyPin(ctx, 'TN01', '4815').code, 'TN01');
  assert.throws(() => verifyPin(ctx, 'TN01', '4816'), refusedWith('LOGIN_FAILED'));
  ctx.close();
});

test('[#15] a user moves from an old 4-digit PIN to a new one of 6-8 digits; the old one stops working', () => {
  const { ctx, add } = setup();
  const user = add('TN01', 'cashier', '123456');
  ctx.sqlite.prepare('UPDATE users SET pin_hash = ? WHERE id = ?').run(legacyHash('4815'), user.id);
  assert.throws(() => changePin(ctx, { code: 'TN01', pin: '4815', newPin: '1234' }), refusedWith('PIN_INVALID'));
  assert.throws(() => changePin(ctx, { code: 'TN01', pin: '4816', newPin: '48151623' }), refusedWith('LOGIN_FAILED'));
  assert.equal(changePin(ctx, { code: 'tn01', pin: '4815', newPin: '48151623' }).code, 'TN01');
  assert.throws(() => verifyPin(ctx, 'TN01', '4815'), refusedWith('LOGIN_FAILED'));
  assert.equal(verifyPin(ctx, 'TN01', '48151623').code, 'TN01');
  assert.deepEqual(ctx.sqlite.prepare("SELECT actor_id FROM journal WHERE kind = 'pin_changed'").all(), [{ actor_id: user.id }]);
  ctx.close();
});
