import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Sqlite } from './open.ts';
import { sqliteFileState } from './open.ts';
import { AppError } from '../core/errors.ts';
import { BACKUP_FILE, BACKUPS_FOLDER, DATABASE_FILE, SAFETY_FOLDER } from './data-dir.ts';
import { writeFilesAtomically } from './atomic-write.ts';
import { getSetting } from './settings.ts';

/**
 * <dataDir>/point.json, written outside the database when a point is set up: the folder remembers
 * that it held a point even when the database file is lost, so a new empty database (receipt
 * DT..-000001 and batch 01 all over again) is never made there silently.
 */
export const POINT_MARKER = 'point.json';

export interface PointCodes {
  pointCode: string;
  unitCode: string;
}

/** Writes the marker (atomically) unless it already says this. */
export function rememberPoint(dataDir: string, point: PointCodes): void {
  const path = join(dataDir, POINT_MARKER);
  const bytes = Buffer.from(`${JSON.stringify({ pointCode: point.pointCode, unitCode: point.unitCode })}\n`);
  if (existsSync(path) && readFileSync(path).equals(bytes)) return;
  writeFilesAtomically([{ path, bytes }]);
}

/** The marker for a database that holds a point (folders set up before markers existed get theirs on the next open). */
export function rememberPointOf(dataDir: string, sqlite: Sqlite): void {
  const pointCode = getSetting(sqlite, 'point_code');
  const unitCode = getSetting(sqlite, 'unit_code');
  if (pointCode !== undefined && unitCode !== undefined) rememberPoint(dataDir, { pointCode, unitCode });
}

export interface HeldPoint {
  /** From the marker; null when only backups or a safety copy show the folder was used. */
  pointCode: string | null;
  newestBackup: string | null;
}

/** Whether `dataDir` has held a point: its marker, or (from before markers) backups or a safety copy in it. */
export function heldPoint(dataDir: string): HeldPoint | null {
  const backupsDir = join(dataDir, BACKUPS_FOLDER);
  const backups = existsSync(backupsDir) ? readdirSync(backupsDir).filter((n) => BACKUP_FILE.test(n)).sort() : [];
  const marker = join(dataDir, POINT_MARKER);
  if (!existsSync(marker) && backups.length === 0 && !existsSync(join(dataDir, SAFETY_FOLDER))) return null;
  const newest = backups.at(-1);
  return { pointCode: markerPointCode(marker), newestBackup: newest === undefined ? null : join(backupsDir, newest) };
}

function markerPointCode(path: string): string | null {
  try {
    const { pointCode } = JSON.parse(readFileSync(path, 'utf8')) as { pointCode?: unknown };
    return typeof pointCode === 'string' ? pointCode : null;
  } catch {
    return null;
  }
}

const LOST = { absent: 'không còn', empty: 'bị rỗng (0 byte)', 'not-sqlite': 'không còn là cơ sở dữ liệu (mất phần đầu tệp)' } as const;

/**
 * Refuses to open (and so to create) the database of a folder that has held a point when its file is
 * missing, empty or without a SQLite header: DB_MISSING, nothing written, and how to restore. A
 * genuinely new folder goes on to be set up.
 */
export function refuseLostDatabase(dataDir: string): void {
  const state = sqliteFileState(join(dataDir, DATABASE_FILE));
  if (state === 'sqlite') return;
  const held = heldPoint(dataDir);
  if (held === null) return;
  const point = held.pointCode === null ? 'một điểm thu' : `điểm thu ${held.pointCode}`;
  const where = held.newestBackup === null ? 'thư mục sao lưu đã đặt, thường là ổ USB sao lưu' : `bản mới nhất trong thư mục này: ${held.newestBackup}`;
  throw new AppError(
    'DB_MISSING',
    `Thư mục dữ liệu ${dataDir} đã dùng cho ${point} nhưng tệp cơ sở dữ liệu ${DATABASE_FILE} ${LOST[state]}. ` +
      'Chương trình không tạo dữ liệu mới và không ghi gì, vì dữ liệu mới sẽ cấp lại những số biên nhận và số lần xuất đã dùng. ' +
      `Hãy khôi phục bản sao lưu mới nhất: diemthu restore <tệp sao lưu> --data-dir "${dataDir}" (${where}).`,
    { dataDir, state },
  );
}
