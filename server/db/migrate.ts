import { sql } from 'kysely';
import { AppError } from '../../electron/core/errors.ts';
import type { ServerDb } from './connect.ts';
import { migration001 } from '../migrations/001-initial.ts';
import { migration002 } from '../migrations/002-sms.ts';
import { migration003 } from '../migrations/003-refunds.ts';
import { migration004 } from '../migrations/004-resends.ts';

export interface ServerMigration {
  version: number;
  name: string;
  sql: string;
}

/** Numbered, append-only; each applies in one transaction with its schema_migrations row. */
export const serverMigrations: readonly ServerMigration[] = [migration001, migration002, migration003, migration004];

/** Any constant: every `migrate` takes this advisory lock, so two at once apply each migration once. */
const MIGRATE_LOCK = 0x44_54_4d; // "DTM"

async function appliedVersions(db: ServerDb): Promise<number[]> {
  await sql`CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`.execute(db);
  const rows = await sql<{ version: number }>`SELECT version FROM schema_migrations ORDER BY version`.execute(db);
  return rows.rows.map((r) => r.version);
}

function tooNew(applied: number[], known: readonly ServerMigration[]): void {
  const newest = known.at(-1)?.version ?? 0;
  const beyond = applied.filter((v) => v > newest);
  if (beyond.length > 0) {
    throw new AppError('SERVER_DB_TOO_NEW', `Cơ sở dữ liệu đã ở phiên bản ${Math.max(...beyond)}, mới hơn chương trình (${newest}): hãy cập nhật diemthu-server. Không thay đổi gì.`);
  }
}

/** Applies the pending migrations in order; returns the versions applied now. */
export async function migrate(db: ServerDb, migrations: readonly ServerMigration[] = serverMigrations): Promise<number[]> {
  return db.connection().execute(async (conn) => {
    await sql`SELECT pg_advisory_lock(${MIGRATE_LOCK})`.execute(conn);
    try {
      const applied = new Set(await appliedVersions(conn));
      tooNew([...applied], migrations);
      const done: number[] = [];
      for (const m of migrations) {
        if (applied.has(m.version)) continue;
        await conn.transaction().execute(async (trx) => {
          await sql.raw(m.sql).execute(trx);
          await sql`INSERT INTO schema_migrations (version, name) VALUES (${m.version}, ${m.name})`.execute(trx);
        });
        done.push(m.version);
      }
      return done;
    } finally {
      await sql`SELECT pg_advisory_unlock(${MIGRATE_LOCK})`.execute(conn);
    }
  });
}

/** `serve`, `ingest`, … run only on a database at exactly this program's version. */
export async function requireMigrated(db: ServerDb, migrations: readonly ServerMigration[] = serverMigrations): Promise<void> {
  const applied = await appliedVersions(db);
  tooNew(applied, migrations);
  const pending = migrations.filter((m) => !applied.includes(m.version));
  if (pending.length > 0) {
    throw new AppError('SERVER_DB_NOT_MIGRATED', `Cơ sở dữ liệu còn ${pending.length} bước nâng cấp chưa chạy: hãy chạy "diemthu-server migrate" trước.`);
  }
}
