import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { latestVersion } from '../../electron/store/migrations.ts';
import { openStore } from '../../electron/store/open.ts';
import { checkSchema } from '../../electron/verify/schema.ts';
import { Problems } from '../../electron/verify/problems.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { databaseAt, PRINT_JOB_INDEXES, PRINT_JOBS } from '../helpers/old-database.ts';

const [JOBS, INDEXES] = [PRINT_JOBS, PRINT_JOB_INDEXES];

/** A version-9 database as the previous release left it: a closed shift of 27/11, a payment, print jobs of several kinds, one set aside. */
function versionNine(path: string): void {
  databaseAt(path, 9, `
    INSERT INTO users (id, code, name, role, pin_hash, created_at) VALUES (1, 'GS00', 'Trưởng', 'supervisor', 'x', '2026-11-27T00:00:00.000Z');
    INSERT INTO shifts (id, cashier_id, opened_at, opening_float, closed_at, counted_cash, expected_cash, variance, closed_by)
      VALUES (1, 1, '2026-11-27T01:00:00.000Z', 0, '2026-11-27T09:00:00.000Z', 1000, 1000, 0, 1);
    INSERT INTO snapshots (id, file_name, sha256, encoding, delimiter, imported_at, row_count, customer_count, bill_count, bill_total)
      VALUES (1, 'NO.csv', 'x', 'utf8', ',', '2026-11-27T00:30:00.000Z', 1, 1, 0, 0);
    INSERT INTO customers (id, ma_khang, ma_dviqly, ten_khang, dchi_khang, name_fold, addr_fold, last_snapshot_id)
      VALUES (1, 'PC12AA0000001', 'PC12AA', 'An', 'x', 'an', 'x', 1);
    INSERT INTO payments (id, idempotency_key, request_hash, receipt_no, receipt_year, receipt_seq, customer_id, shift_id, cashier_id, paid_at, total)
      VALUES (1, 'k', 'h', 'DT0001-26-000001', 26, 1, 1, 1, 1, '2026-11-27T02:00:00.000Z', 1000);
    INSERT INTO print_jobs (id, kind, payment_id, copy_no, document, created_at, status, attempts, last_error, printed_at, set_aside_at) VALUES
      (3, 'receipt', 1, 0, '{"kind":"receipt"}', '2026-11-27T02:00:00.000Z', 'done', 1, NULL, '2026-11-27T02:00:01.000Z', NULL),
      (4, 'reprint', 1, 1, '{"kind":"receipt"}', '2026-11-27T02:01:00.000Z', 'failed', 2, 'PRINT_JOB_UNREADABLE: x', NULL, '2026-11-27T02:01:05.000Z'),
      (8, 'z_report', NULL, 0, '{}', '2026-11-27T02:03:00.000Z', 'sending', 1, NULL, NULL, NULL),
      (12, 'refund', 1, 0, '{}', '2026-11-27T02:05:00.000Z', 'pending', 0, NULL, NULL, NULL);
  `);
}

test('migration 0010 adds the deposit slip: print_jobs rebuilt with its kind (every row, id and index kept), the slip tables and the day closed to shifts once it has one', (t) => {
  const path = join(tempDir(), 'v8.sqlite');
  versionNine(path);
  const before = new Database(path, { readonly: true });
  const rows = before.prepare(JOBS).all();
  const indexes = before.prepare(INDEXES).all();
  before.close();
  assert.equal(rows.length, 4);

  const store = openStore(path);
  t.after(() => store.close());
  const { sqlite } = store;
  assert.equal(sqlite.pragma('user_version', { simple: true }), latestVersion);
  assert.deepEqual(sqlite.prepare(JOBS).all(), rows, 'every job kept as it was, ids included');
  assert.deepEqual(sqlite.prepare(INDEXES).all(), indexes, 'the same indexes, same definitions');
  assert.deepEqual(sqlite.pragma('foreign_key_check'), []);
  const problems = new Problems();
  checkSchema(sqlite, problems);
  assert.deepEqual(problems.list, [], 'a migrated database has the schema a fresh one has');

  const job = sqlite.prepare("INSERT INTO print_jobs (kind, payment_id, document, created_at) VALUES (?, ?, '{}', '2026-11-27T10:00:00.000Z') RETURNING id");
  assert.equal((job.get('deposit_slip', null) as { id: number }).id, 13, 'new ids carry on after the kept ones');
  assert.throws(() => job.get('deposit_slip', 1), /CHECK constraint failed/, 'a slip belongs to no payment');
  assert.equal((job.get('receipt_list', null) as { id: number }).id, 14, "the supervisor's receipt list is a kind too");
  assert.throws(() => job.get('receipt_lists', null), /CHECK constraint failed/);
  assert.throws(() => job.get('deposit', null), /CHECK constraint failed/);

  // The shift closed before the upgrade goes on the day's slip, with its own figures.
  const deposit = Number(
    sqlite
      .prepare(
        `INSERT INTO deposits (day, supervisor_id, made_at, n500000, n200000, n100000, n50000, n20000, n10000, n5000, n2000, n1000, counted, expected, reason)
         VALUES ('2026-11-27', 1, '2026-11-27T10:00:00.000Z', 0, 0, 0, 0, 0, 0, 0, 0, 1, 1000, 1000, NULL)`,
      )
      .run().lastInsertRowid,
  );
  assert.throws(() => sqlite.prepare('INSERT INTO deposit_shifts VALUES (?, 1, 1, 1, 999, 0, 0, 0)').run(deposit), /its own receipts/);
  sqlite.prepare('INSERT INTO deposit_shifts VALUES (?, 1, 1, 1, 1000, 0, 0, 0)').run(deposit);
  assert.throws(() => sqlite.prepare("INSERT INTO shifts (cashier_id, opened_at, opening_float) VALUES (1, '2026-11-27T11:00:00.000Z', 0)").run(), /deposit slip is made/);
  assert.throws(() => sqlite.prepare('UPDATE deposits SET expected = 0').run(), /never changed/);
});
