import Database from 'better-sqlite3';
import { closeSync, openSync, readSync, statfsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError, diskFullError, isAppError, isDiskFull } from '../core/errors.ts';
import { migrations, latestVersion } from './migrations.ts';

export type Sqlite = Database.Database;

export interface Store {
  /** The connection: synchronous transactions; typed queries (store/typed-query.ts) and prepared statements run on it. */
  sqlite: Sqlite;
  path: string;
  close(): void;
}

export interface OpenOptions {
  /** Open an existing file only (no migration, no writes): for verify and restore checks. */
  readonly?: boolean;
  /** ms to wait for another process's write lock before SQLITE_BUSY. */
  busyTimeoutMs?: number;
  /**
   * false: no quick_check (a second connection of the same process to a database its first connection
   * checked when it opened it: the import's worker, which must not read a whole province first).
   */
  quickCheck?: boolean;
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
    throw openError(error, path);
  }
  try {
    if (options.quickCheck !== false) checkIntegrity(sqlite, path);
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
    throw openError(error, path);
  }
  return {
    sqlite,
    path,
    close() {
      if (!sqlite.open) return;
      if (!options.readonly) {
        try {
          sqlite.pragma('wal_checkpoint(TRUNCATE)');
        } catch {
          // A checkpoint that cannot run (a full disk) loses nothing: every commit stays in the WAL.
        }
      }
      sqlite.close();
    },
  };
}

/** Below this much free space an I/O error while opening is the disk being full. */
const LOW_SPACE_BYTES = 1024 * 1024;

/**
 * Why an open failed, in words: a full disk is DISK_FULL, not damage. SQLite says SQLITE_FULL when a
 * write finds no space, but an I/O error (SQLITE_IOERR_SHMSIZE) when it cannot create the WAL's
 * shared-memory file beside the database, so an I/O error with almost no free space counts as full.
 * Other I/O and permission errors are DB_OPEN_FAILED; anything else stays an internal fault.
 */
function openError(error: unknown, path: string): unknown {
  if (isAppError(error)) return error;
  const code = String((error as { code?: unknown }).code);
  if (isDiskFull(error) || (code.startsWith('SQLITE_IOERR') && freeBytes(dirname(path)) < LOW_SPACE_BYTES)) {
    return diskFullError(
      error,
      `Ổ đĩa chứa dữ liệu (${dirname(path)}) đã đầy nên chương trình không mở được cơ sở dữ liệu. Dữ liệu vẫn nguyên vẹn, không cần khôi phục: hãy giải phóng chỗ trống trên ổ đĩa (xóa bớt tệp không cần, dọn Thùng rác) rồi mở lại.`,
    );
  }
  if (/^SQLITE_(CANTOPEN|IOERR|READONLY|PERM)/.test(code)) {
    return new AppError('DB_OPEN_FAILED', `Không mở được cơ sở dữ liệu ${path} (lỗi đọc ghi ổ đĩa hoặc không có quyền ghi vào thư mục).`, { cause: String(error) });
  }
  return error;
}

function freeBytes(dir: string): number {
  try {
    const s = statfsSync(dir);
    return s.bavail * s.bsize;
  } catch {
    return Infinity;
  }
}

function checkIntegrity(sqlite: Sqlite, path: string): void {
  let result: unknown;
  try {
    result = sqlite.pragma('quick_check', { simple: true });
  } catch (error) {
    // Only what SQLite itself calls damage is DB_CORRUPT; a full disk or a locked folder is not.
    if (!/^SQLITE_(CORRUPT|NOTADB)/.test(String((error as { code?: unknown }).code))) throw error;
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

/** The 16 bytes every SQLite database file starts with. */
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** What is at `path` before SQLite touches it: nothing, an empty file, something else, or a SQLite file. */
export function sqliteFileState(path: string): 'absent' | 'empty' | 'not-sqlite' | 'sqlite' {
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) return 'not-sqlite';
    size = stat.size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw error;
  }
  if (size === 0) return 'empty';
  const head = Buffer.alloc(SQLITE_HEADER.length);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  return head.equals(SQLITE_HEADER) ? 'sqlite' : 'not-sqlite';
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
