import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { latestVersion, migrations } from '../../electron/store/migrations.ts';
import { openStore } from '../../electron/store/open.ts';
import { checkSchema } from '../../electron/verify/schema.ts';
import { Problems } from '../../electron/verify/problems.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const JOBS = 'SELECT id, kind, payment_id, copy_no, document, created_at, status, attempts, last_error, printed_at, set_aside_at FROM print_jobs ORDER BY id';
const INDEXES = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'print_jobs' ORDER BY name";

/** A version-7 database as the previous release left it: a payment, and print jobs of every kind, one set aside, one printed. */
function versionSeven(path: string): void {
  const db = new Database(path);
  for (const m of migrations.slice(0, 7)) db.exec(m.sql);
  db.pragma('user_version = 7');
  db.exec(`
    INSERT INTO users (id, code, name, role, pin_hash, created_at) VALUES (1, 'GS00', 'Trưởng', 'supervisor', 'x', '2026-11-27T00:00:00.000Z');
    INSERT INTO shifts (id, cashier_id, opened_at, opening_float) VALUES (1, 1, '2026-11-27T01:00:00.000Z', 0);
    INSERT INTO snapshots (id, file_name, sha256, encoding, delimiter, imported_at, row_count, customer_count, bill_count, bill_total)
      VALUES (1, 'NO.csv', 'x', 'utf8', ',', '2026-11-27T00:30:00.000Z', 1, 1, 0, 0);
    INSERT INTO customers (id, ma_khang, ma_dviqly, ten_khang, dchi_khang, name_fold, addr_fold, last_snapshot_id)
      VALUES (1, 'PC12AA0000001', 'PC12AA', 'An', 'x', 'an', 'x', 1);
    INSERT INTO payments (id, idempotency_key, request_hash, receipt_no, receipt_year, receipt_seq, customer_id, shift_id, cashier_id, paid_at, total)
      VALUES (1, 'k', 'h', 'DT0001-26-000001', 26, 1, 1, 1, 1, '2026-11-27T02:00:00.000Z', 1000);
    INSERT INTO print_jobs (id, kind, payment_id, copy_no, document, created_at, status, attempts, last_error, printed_at, set_aside_at) VALUES
      (3, 'receipt', 1, 0, '{"kind":"receipt"}', '2026-11-27T02:00:00.000Z', 'done', 1, NULL, '2026-11-27T02:00:01.000Z', NULL),
      (4, 'reprint', 1, 1, '{"kind":"receipt"}', '2026-11-27T02:01:00.000Z', 'failed', 2, 'PRINT_JOB_UNREADABLE: x', NULL, '2026-11-27T02:01:05.000Z'),
      (7, 'void_slip', 1, 0, '{}', '2026-11-27T02:02:00.000Z', 'pending', 0, NULL, NULL, NULL),
      (8, 'z_report', NULL, 0, '{}', '2026-11-27T02:03:00.000Z', 'sending', 1, NULL, NULL, NULL),
      (9, 'test_page', NULL, 0, '{}', '2026-11-27T02:04:00.000Z', 'pending', 0, NULL, NULL, NULL),
      (12, 'reconnection_order', 1, 0, '{}', '2026-11-27T02:05:00.000Z', 'done', 1, NULL, '2026-11-27T02:05:01.000Z', NULL);
  `);
  db.close();
}

test('migration 0008 rebuilds print_jobs with the refund kind: every row, id and index kept, the other rules unchanged, the schema as a fresh database has it', (t) => {
  const path = join(tempDir(), 'v7.sqlite');
  versionSeven(path);
  const before = new Database(path, { readonly: true });
  const rows = before.prepare(JOBS).all();
  const indexes = before.prepare(INDEXES).all();
  const outbox = before.prepare('SELECT seq, kind, payment_id, batch_id, created_at, status, answered_at, code, message FROM sync_outbox ORDER BY seq').all();
  before.close();
  assert.equal(rows.length, 6);
  assert.equal(outbox.length, 1, 'the payment queued for sync');

  const store = openStore(path);
  t.after(() => store.close());
  const { sqlite } = store;
  assert.equal(sqlite.pragma('user_version', { simple: true }), latestVersion);
  assert.deepEqual(sqlite.prepare(JOBS).all(), rows, 'every job kept as it was, ids included');
  assert.deepEqual(sqlite.prepare(INDEXES).all(), indexes, 'the same indexes, same definitions');
  assert.deepEqual(sqlite.prepare('SELECT seq, kind, payment_id, batch_id, created_at, status, answered_at, code, message FROM sync_outbox ORDER BY seq').all(), outbox, 'the sync outbox kept too (rebuilt for refunds)');
  // The triggers that write the outbox still do, the new seq after the kept ones.
  sqlite
    .prepare(
      `INSERT INTO payments (id, idempotency_key, request_hash, receipt_no, receipt_year, receipt_seq, customer_id, shift_id, cashier_id, paid_at, total)
       VALUES (2, 'k2', 'h', 'DT0001-26-000002', 26, 2, 1, 1, 1, '2026-11-27T03:00:00.000Z', 1000)`,
    )
    .run();
  assert.deepEqual(sqlite.prepare('SELECT seq, kind, payment_id FROM sync_outbox ORDER BY seq').all(), [{ seq: 1, kind: 'payment', payment_id: 1 }, { seq: 2, kind: 'payment', payment_id: 2 }]);
  assert.throws(() => sqlite.prepare('DELETE FROM sync_outbox').run(), /never deleted/);
  assert.deepEqual(sqlite.pragma("foreign_key_check"), []);
  const problems = new Problems();
  checkSchema(sqlite, problems);
  assert.deepEqual(problems.list, [], 'a migrated database has the schema a fresh one has');

  const insert = sqlite.prepare("INSERT INTO print_jobs (kind, payment_id, document, created_at) VALUES (?, 1, '{}', '2026-11-27T03:00:00.000Z') RETURNING id");
  assert.equal((insert.get('refund') as { id: number }).id, 13, 'new ids carry on after the kept ones');
  assert.throws(() => insert.get('refund_all'), /CHECK constraint failed/);
  assert.throws(() => sqlite.prepare("UPDATE print_jobs SET set_aside_at = 'x' WHERE id = 9").run(), /CHECK constraint failed/, 'set aside only when failed');
  assert.throws(() => sqlite.prepare("INSERT INTO print_jobs (kind, payment_id, document, created_at) VALUES ('refund', 99, '{}', 'x')").run(), /FOREIGN KEY/);
  for (const table of ['refunds', 'refund_lines', 'resends', 'resend_lines']) {
    assert.equal((sqlite.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n, 0);
  }
});
