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
const receiptLists = migrations.findIndex((m) => m.name === 'receipt-lists');

test('migration receipt-lists rebuilds print_jobs with the receipt_list kind: every row, id and index kept, the other rules unchanged', (t) => {
  assert.ok(receiptLists > 0);
  const path = join(tempDir(), 'before.sqlite');
  const db = new Database(path);
  for (const m of migrations.slice(0, receiptLists)) db.exec(m.sql);
  db.pragma(`user_version = ${receiptLists}`);
  db.exec(`
    INSERT INTO print_jobs (id, kind, payment_id, copy_no, document, created_at, status, attempts, last_error, printed_at, set_aside_at) VALUES
      (3, 'z_report', NULL, 0, '{}', '2026-11-27T02:00:00.000Z', 'done', 1, NULL, '2026-11-27T02:00:01.000Z', NULL),
      (5, 'z_report', NULL, 1, '{}', '2026-11-27T02:01:00.000Z', 'failed', 2, 'PRINT_JOB_UNREADABLE: x', NULL, '2026-11-27T02:01:05.000Z'),
      (8, 'test_page', NULL, 0, '{}', '2026-11-27T02:04:00.000Z', 'pending', 0, NULL, NULL, NULL);
  `);
  const rows = db.prepare(JOBS).all();
  const indexes = db.prepare(INDEXES).all();
  assert.throws(() => db.prepare("INSERT INTO print_jobs (kind, document, created_at) VALUES ('receipt_list', '{}', 'x')").run(), /CHECK constraint failed/, 'the kind is new');
  db.close();

  const store = openStore(path);
  t.after(() => store.close());
  const { sqlite } = store;
  assert.equal(sqlite.pragma('user_version', { simple: true }), latestVersion);
  assert.deepEqual(sqlite.prepare(JOBS).all(), rows, 'every job kept as it was, ids included');
  assert.deepEqual(sqlite.prepare(INDEXES).all(), indexes, 'the same indexes, same definitions');
  const problems = new Problems();
  checkSchema(sqlite, problems);
  assert.deepEqual(problems.list, [], 'a migrated database has the schema a fresh one has');
  const insert = sqlite.prepare("INSERT INTO print_jobs (kind, document, created_at) VALUES (?, '{}', '2026-11-27T03:00:00.000Z') RETURNING id");
  assert.equal((insert.get('receipt_list') as { id: number }).id, 9, 'new ids carry on after the kept ones');
  assert.throws(() => insert.get('receipt_lists'), /CHECK constraint failed/);
  assert.throws(() => sqlite.prepare("UPDATE print_jobs SET set_aside_at = 'x' WHERE id = 8").run(), /CHECK constraint failed/, 'set aside only when failed');
});
