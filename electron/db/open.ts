import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { AppError } from '../core/errors.ts';
import { migrations, latestVersion } from './migrations.ts';
import type { Tables } from './tables.ts';

export type Sqlite = Database.Database;

export interface Store {
  /** The raw connection: synchronous transactions and prepared statements on hot paths. */
  sqlite: Sqlite;
  /** Typed queries for the application. */
  db: Kysely<Tables>;
  path: string;
  close(): void;
}

export interface OpenOptions {
  /** Open an existing file only (no migration, no writes): for verify and restore checks. */
  readonly?: boolean;
  /** ms to wait for another process's write lock before SQLITE_BUSY. */
  busyTimeoutMs?: number;
}

/**
 * Opens (creating if needed) the point's database: quick_check first, then pragmas that
 * better-sqlite3 does not keep across opens (synchronous falls back to NORMAL on a WAL file),
 * then pending migrations. A database written by a newer version is refused untouched.
 */
export function openStore(path: string, options: OpenOptions = {}): Store {
  let sqlite: Sqlite;
  try {
    sqlite = new Database(path, { readonly: options.readonly === true, fileMustExist: options.readonly === true });
  } catch (error) {
    throw new AppError('DB_OPEN_FAILED', `Không mở được cơ sở dữ liệu ${path}.`, { cause: String(error) });
  }
  try {
    checkIntegrity(sqlite, path);
    const version = sqlite.pragma('user_version', { simple: true }) as number;
    if (version > latestVersion) {
      throw new AppError(
        'DB_TOO_NEW',
        `Cơ sở dữ liệu do phiên bản mới hơn của Điểm Thu tạo (phiên bản dữ liệu ${version}, chương trình này hiểu đến ${latestVersion}). Hãy cài phiên bản mới.`,
      );
    }
    applyPragmas(sqlite, options);
    if (!options.readonly) migrate(sqlite);
  } catch (error) {
    sqlite.close();
    throw error;
  }
  const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: sqlite }) });
  return {
    sqlite,
    db,
    path,
    close() {
      if (sqlite.open) {
        if (!options.readonly) sqlite.pragma('wal_checkpoint(TRUNCATE)');
        sqlite.close();
      }
    },
  };
}

function checkIntegrity(sqlite: Sqlite, path: string): void {
  let result: unknown;
  try {
    result = sqlite.pragma('quick_check', { simple: true });
  } catch (error) {
    throw new AppError('DB_CORRUPT', `Tệp cơ sở dữ liệu ${path} bị hỏng hoặc không phải cơ sở dữ liệu của Điểm Thu.`, {
      cause: String(error),
    });
  }
  if (result !== 'ok') {
    throw new AppError('DB_CORRUPT', `Tệp cơ sở dữ liệu ${path} bị hỏng (kiểm tra toàn vẹn không đạt). Hãy khôi phục từ bản sao lưu.`, {
      check: result,
    });
  }
}

function applyPragmas(sqlite: Sqlite, options: OpenOptions): void {
  sqlite.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
  if (!options.readonly) sqlite.pragma('journal_mode = WAL');
  // Every open: SQLite does not persist this, and FULL is what makes a commit survive power loss in WAL mode.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
}

function migrate(sqlite: Sqlite): void {
  const current = sqlite.pragma('user_version', { simple: true }) as number;
  for (const m of migrations) {
    if (m.version <= current) continue;
    sqlite.transaction(() => {
      sqlite.exec(m.sql);
      sqlite.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
}
