import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { isAppError } from '../../electron/core/errors.ts';
import { openDb } from '../../server/db/connect.ts';
import { migrate, requireMigrated, serverMigrations } from '../../server/db/migrate.ts';
import { addPoint } from '../../server/points.ts';
import { applyEvents } from '../../server/sync/apply.ts';
import { testDatabase } from './pg.ts';
import { payEvent, payment } from './helpers.ts';

async function emptyDb() {
  const db = openDb(await testDatabase());
  test.after(() => db.destroy());
  return db;
}

const tables = async (db: Awaited<ReturnType<typeof emptyDb>>) =>
  (await sql<{ t: string }>`SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`.execute(db)).rows.map((r) => r.t);

test('migrate applies each migration once, in one transaction each, even when run twice at the same time', async () => {
  const db = await emptyDb();
  await assert.rejects(requireMigrated(db), (e: unknown) => isAppError(e) && e.code === 'SERVER_DB_NOT_MIGRATED');
  const [a, b] = await Promise.all([migrate(db), migrate(db)]);
  assert.deepEqual([...a, ...b], serverMigrations.map((m) => m.version));
  assert.deepEqual(await migrate(db), []);
  await requireMigrated(db);
  assert.deepEqual(await tables(db), ['batch_receipts', 'conflicts', 'feed', 'payment_lines', 'payments', 'point_batches', 'points', 'refunds', 'refused_bodies', 'resent_lines', 'schema_migrations', 'sms_files', 'sms_gateway_cursor', 'sms_messages', 'sms_refused', 'sms_reports', 'voids']);
});

test('a migration that fails half-way leaves nothing of itself; a database newer than the program is refused untouched', async () => {
  const db = await emptyDb();
  await migrate(db);
  const broken = [...serverMigrations, { version: serverMigrations.length + 1, name: 'broken', sql: 'CREATE TABLE half_done (x int); SELECT no_such_function();' }];
  await assert.rejects(migrate(db, broken));
  assert.equal((await tables(db)).includes('half_done'), false);
  await sql`INSERT INTO schema_migrations (version, name) VALUES (99, 'from the future')`.execute(db);
  await assert.rejects(migrate(db), (e: unknown) => isAppError(e) && e.code === 'SERVER_DB_TOO_NEW');
  await assert.rejects(requireMigrated(db), (e: unknown) => isAppError(e) && e.code === 'SERVER_DB_TOO_NEW');
});

test('PostgreSQL itself keeps the money rules: one live clearance per bill, no delete, no changed body, no live line of a voided payment, a void written once', async () => {
  const db = await emptyDb();
  await migrate(db);
  await addPoint(db, { point: 'PT01', unit: 'PC12AA' });
  await applyEvents(db, 'PT01', [payEvent(1, payment({ point: 'PT01', seq: 1, bills: ['B1'] })), payEvent(2, payment({ point: 'PT01', seq: 2, bills: ['B2'] }))], 'push', { recordSeq: true });
  const fails = async (statement: string, code: string) => {
    await assert.rejects(sql.raw(statement).execute(db), (e: unknown) => (e as { code?: string }).code === code, statement);
  };
  // A second live line for B1, written by hand past the code: the partial unique index refuses it.
  await fails(`INSERT INTO payment_lines SELECT 'PT01-26-000002', 5, 'B1', 'TD', 1, 1, 2026, 1, 0, 1, true`, '23505');
  await fails(`DELETE FROM payment_lines WHERE receipt_no = 'PT01-26-000001'`, '23514');
  await fails(`DELETE FROM payments WHERE receipt_no = 'PT01-26-000001'`, '23514');
  await fails(`UPDATE payments SET total = 1 WHERE receipt_no = 'PT01-26-000001'`, '23514');
  await fails(`UPDATE payment_lines SET tong_tien = 1, so_tien = 1, tien_gtgt = 0 WHERE receipt_no = 'PT01-26-000001'`, '23514');
  await sql`UPDATE payments SET voided_at = now() WHERE receipt_no = 'PT01-26-000002'`.execute(db);
  await fails(`UPDATE payments SET voided_at = now() - interval '1 day' WHERE receipt_no = 'PT01-26-000002'`, '23514');
  await fails(`UPDATE payment_lines SET live = true WHERE receipt_no = 'PT01-26-000002'`, '23514');
  await fails(`INSERT INTO payments (receipt_no, point_code, unit, ma_khang, ten_khang, paid_at, cashier_code, total, body, body_sha256, source)
               VALUES ('PT02-26-000001', 'PT01', 'PC12AA', 'PC12AA0000001', 'A', now(), 'TN', 1, '{}', '${'a'.repeat(64)}', 'push')`, '23514');
});
