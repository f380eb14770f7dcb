import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { latestVersion } from '../../electron/store/migrations.ts';
import { openStore } from '../../electron/store/open.ts';
import { checkSchema } from '../../electron/verify/schema.ts';
import { Problems } from '../../electron/verify/problems.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { oldDatabase } from '../helpers/old-database.ts';

const PAYMENT = `INSERT INTO payments (id, idempotency_key, request_hash, receipt_no, receipt_year, receipt_seq, customer_id, shift_id, cashier_id, paid_at, total, tendered`;

/** A version-8 database as the previous release left it: one payment with cash handed over, one without. */
function versionEight(path: string): void {
  oldDatabase(
    path,
    8,
    `${PAYMENT}) VALUES (1, 'k1', 'h', 'DT0001-26-000001', 26, 1, 1, 1, 1, '2026-11-27T02:00:00.000Z', 172800, 200000);
     ${PAYMENT}) VALUES (2, 'k2', 'h', 'DT0001-26-000002', 26, 2, 1, 1, 1, '2026-11-27T02:01:00.000Z', 1000, NULL);`,
  );
}

test('migration 0009 records the change step and rounding on payments: older payments none, the rule and write-once held by the database', (t) => {
  const path = join(tempDir(), 'v8.sqlite');
  versionEight(path);
  const store = openStore(path);
  t.after(() => store.close());
  const { sqlite } = store;
  assert.equal(sqlite.pragma('user_version', { simple: true }), latestVersion);
  assert.deepEqual(sqlite.prepare('SELECT id, tendered, change_step, change_rounding FROM payments ORDER BY id').all(), [
    { id: 1, tendered: 200000, change_step: 0, change_rounding: 0 },
    { id: 2, tendered: null, change_step: 0, change_rounding: 0 },
  ]);
  const problems = new Problems();
  checkSchema(sqlite, problems);
  assert.deepEqual(problems.list, [], 'a migrated database has the schema a fresh one has');

  const insert = (id: number, total: number, tendered: number | null, step: number, rounding: number) =>
    sqlite.prepare(`${PAYMENT}, change_step, change_rounding) VALUES (?, ?, 'h', ?, 26, ?, 1, 1, 1, '2026-11-27T03:00:00.000Z', ?, ?, ?, ?)`).run(id, `k${id}`, `DT0001-26-00000${id}`, id, total, tendered, step, rounding);
  insert(3, 172800, 200000, 500, 200);
  insert(4, 172300, 200000, 1000, 700);
  insert(5, 172800, 172800, 500, 0);
  insert(6, 5000, null, 500, 0);
  for (const [total, tendered, step, rounding, why] of [
    [172800, 200000, 500, 0, 'a rounding the step implies left out'],
    [172800, 200000, 500, 700, 'more than the step can keep'],
    [172800, 200000, 1000, 1200, 'more than a step'],
    [172800, 200000, 0, 200, 'a rounding without a step'],
    [172800, 200000, 200, 0, 'a step that is not a setting'],
    [5000, null, 500, 200, 'a rounding without cash handed over'],
    [172800, 100000, 500, 0, 'too little handed over'],
    [172800, 200000, 500, -300, 'a negative rounding'],
  ] as const) {
    assert.throws(() => insert(7, total, tendered, step, rounding), /CHECK constraint failed/, why);
  }
  assert.throws(() => sqlite.prepare('UPDATE payments SET change_rounding = 700 WHERE id = 4').run(), /never changed/);
  assert.throws(() => sqlite.prepare('UPDATE payments SET change_step = 0 WHERE id = 5').run(), /never changed/);
});
