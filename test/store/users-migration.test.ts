import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, scryptSync } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { migration0001 } from '../../migrations/0001-initial.ts';
import { openContext } from '../../electron/store/context.ts';
import { addUser, verifyPin } from '../../electron/users/users.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { refusedWith } from '../helpers/collect-fixture.ts';

function legacyHash(pin: string): string {
  const salt = randomBytes(16);
  return ['scrypt', 1024, 8, 1, salt.toString('base64'), scryptSync(pin, salt, 32, { N: 1024, r: 8, p: 1 }).toString('base64')].join('$');
}

/** A version-1 database as the previous release left it: users without approvers, one payment at 02:00. */
function versionOne(dataDir: string): void {
  const db = new Database(join(dataDir, 'diemthu.sqlite'));
  db.exec(migration0001.sql);
  db.pragma('user_version = 1');
  const user = db.prepare('INSERT INTO users (code, name, role, pin_hash, created_at) VALUES (?, ?, ?, ?, ?)');
  user.run('GS01', 'Giám sát', 'supervisor', legacyHash('9876'), '2026-11-27T01:00:00.000Z');
  user.run('TN01', 'Thu ngân', 'cashier', legacyHash('1234'), '2026-11-27T01:00:00.000Z');
  db.prepare(
    `INSERT INTO snapshots (file_name, sha256, encoding, delimiter, imported_at, row_count, customer_count, bill_count, bill_total)
     VALUES ('a.csv', 'x', 'utf8', ',', '2026-11-27T00:30:00.000Z', 1, 1, 1, 1000)`,
  ).run();
  db.prepare(
    `INSERT INTO customers (ma_khang, ma_dviqly, ten_khang, dchi_khang, name_fold, addr_fold, last_snapshot_id)
     VALUES ('PC12AA0000001', 'PC12AA', 'An', 'Huế', 'an', 'hue', 1)`,
  ).run();
  db.prepare("INSERT INTO shifts (cashier_id, opened_at, opening_float) VALUES (2, '2026-11-27T01:30:00.000Z', 0)").run();
  db.prepare(
    `INSERT INTO payments (idempotency_key, request_hash, receipt_no, receipt_year, receipt_seq, customer_id, shift_id, cashier_id, paid_at, total)
     VALUES ('k1', 'h', 'DT0001-26-000001', 2026, 1, 1, 1, 2, '2026-11-27T02:00:00.000Z', 1000)`,
  ).run();
  user.run('GS02', 'Giám sát sau', 'supervisor', legacyHash('5555'), '2026-11-27T03:00:00.000Z');
  db.close();
}

test('[#3] migration 3 keeps the users of a version-1 database: no approver invented, a supervisor added after a payment does not void it, old PINs log in', () => {
  const dataDir = tempDir();
  versionOne(dataDir);
  const ctx = openContext(dataDir);
  assert.deepEqual(ctx.sqlite.prepare('SELECT code, approved_by, co_approved_by, added_after_payment_id FROM users ORDER BY id').all(), [
    { code: 'GS01', approved_by: null, co_approved_by: null, added_after_payment_id: 0 },
    { code: 'TN01', approved_by: null, co_approved_by: null, added_after_payment_id: 0 },
    { code: 'GS02', approved_by: null, co_approved_by: null, added_after_payment_id: 1 },
  ]);
  const voidBy = (code: string) => () =>
    ctx.sqlite
      .prepare("UPDATE payments SET voided_at = '2026-11-27T04:00:00.000Z', voided_by = (SELECT id FROM users WHERE code = ?), void_reason = 'x' WHERE id = 1")
      .run(code);
  assert.throws(voidBy('GS02'), /added after the payment/);
  voidBy('GS01')();
  // Their 4-digit PINs still work (a new PIN must have 6 to 8 digits).
  assert.equal(verifyPin(ctx, 'TN01', '1234').code, 'TN01');
  // From now on every user has an approver.
  assert.throws(() => addUser(ctx, { code: 'TN02', name: 'X', role: 'cashier', pin: '123456', approvedBy: [] }), refusedWith('APPROVAL_REQUIRED'));
  assert.equal(addUser(ctx, { code: 'TN02', name: 'X', role: 'cashier', pin: '123456', approvedBy: [1] }, { N: 1024, r: 8, p: 1 }).code, 'TN02');
  ctx.close();
});
