import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { latestVersion } from '../../electron/store/migrations.ts';
import { openStore } from '../../electron/store/open.ts';
import { checkSchema } from '../../electron/verify/schema.ts';
import { Problems } from '../../electron/verify/problems.ts';
import { depositFacts, depositSlip } from '../../electron/shifts/deposit.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { oldDatabase } from '../helpers/old-database.ts';

const DEPOSITS = 'SELECT * FROM deposits ORDER BY id';

/** A version-11 database with the slip of 27/11 (one shift, 1.000 ₫, the bank's reference added). */
function versionEleven(path: string): void {
  oldDatabase(path, 11, `
    INSERT INTO settings (key, value) VALUES ('point_code', '"DT0001"');
    INSERT INTO payments (id, idempotency_key, request_hash, receipt_no, receipt_year, receipt_seq, customer_id, shift_id, cashier_id, paid_at, total)
      VALUES (1, 'k', 'h', 'DT0001-26-000001', 26, 1, 1, 1, 1, '2026-11-27T02:00:00.000Z', 1000);
    UPDATE shifts SET closed_at = '2026-11-27T09:00:00.000Z', counted_cash = 1000, expected_cash = 1000, variance = 0, closed_by = 1 WHERE id = 1;
    INSERT INTO deposits (id, day, supervisor_id, made_at, n500000, n200000, n100000, n50000, n20000, n10000, n5000, n2000, n1000, counted, expected, reason)
      VALUES (4, '2026-11-27', 1, '2026-11-27T10:00:00.000Z', 0, 0, 0, 0, 0, 0, 0, 0, 1, 1000, 1000, NULL);
    INSERT INTO deposit_shifts VALUES (4, 1, 1, 1, 1000, 0, 0, 0);
    UPDATE deposits SET bank_ref = 'VCB-1', bank_ref_at = '2026-11-28T02:00:00.000Z', bank_ref_by = 1;
  `);
}

test('migration 0012 counts 500 and 200 ₫ notes and the loose change under 200 ₫: a slip made before keeps its rows, its facts and its document as they were', (t) => {
  const path = join(tempDir(), 'v11.sqlite');
  versionEleven(path);
  const before = new Database(path, { readonly: true });
  const rows = before.prepare(DEPOSITS).all() as Record<string, unknown>[];
  before.close();

  const store = openStore(path);
  t.after(() => store.close());
  const { sqlite } = store;
  assert.equal(sqlite.pragma('user_version', { simple: true }), latestVersion);
  assert.deepEqual(
    sqlite.prepare(DEPOSITS).all(),
    rows.map((r) => ({ ...r, n500: null, n200: null, loose_change: null })),
    'the slip kept, id and bank reference included; not counted then: NULL',
  );
  assert.deepEqual(sqlite.pragma('foreign_key_check'), [], 'its shifts still point at it');
  const problems = new Problems();
  checkSchema(sqlite, problems);
  assert.deepEqual(problems.list, [], 'a migrated database has the schema a fresh one has');

  // The old slip reads as the version that made it journaled and printed it: nine notes, no loose change.
  const facts = depositFacts(sqlite, 4)!;
  assert.deepEqual(facts.notes, [[500000, 0], [200000, 0], [100000, 0], [50000, 0], [20000, 0], [10000, 0], [5000, 0], [2000, 0], [1000, 1]]);
  assert.equal('looseChange' in facts, false);
  const slip = depositSlip(sqlite, 4)!;
  assert.equal(slip.notes.length, 9);
  assert.equal('looseChange' in slip, false);

  // Still fixed by the triggers, the day still closed to shifts.
  assert.throws(() => sqlite.prepare('UPDATE deposits SET n500 = 0, n200 = 0, loose_change = 0').run(), /never changed/);
  assert.throws(() => sqlite.prepare('DELETE FROM deposits').run(), /never changed/);
  assert.throws(() => sqlite.prepare("INSERT INTO shifts (cashier_id, opened_at, opening_float) VALUES (1, '2026-11-27T11:00:00.000Z', 0)").run(), /deposit slip is made/);

  // A new slip: the sum holds to the đồng with the new columns; the loose change stays under 200 ₫.
  const insert = (day: string, n500: number | null, n200: number | null, loose: number | null, counted: number) =>
    sqlite
      .prepare(
        `INSERT INTO deposits (day, supervisor_id, made_at, n500000, n200000, n100000, n50000, n20000, n10000, n5000, n2000, n1000, n500, n200, loose_change, counted, expected, reason)
         VALUES (?, 1, 'x', 0, 0, 0, 0, 0, 0, 0, 0, 1, ?, ?, ?, ?, ?, NULL)`,
      )
      .run(day, n500, n200, loose, counted, counted);
  assert.throws(() => insert('2026-11-26', 1, 2, 53, 1900), /CHECK constraint failed/, 'the sum is checked with them');
  assert.throws(() => insert('2026-11-26', 0, 0, 200, 1200), /CHECK constraint failed/, '200 ₫ and more is counted in notes');
  assert.throws(() => insert('2026-11-26', 0, 0, -1, 999), /CHECK constraint failed/);
  assert.throws(() => insert('2026-11-26', 1, null, null, 1500), /CHECK constraint failed/, 'the three together');
  insert('2026-11-26', 1, 2, 53, 1953);
  assert.deepEqual(depositFacts(sqlite, 5)!.looseChange, 53);
});
