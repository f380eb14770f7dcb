import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, win32 } from 'node:path';
import { threadId } from 'node:worker_threads';
import { AppError } from '../core/errors.ts';
import { removeFilesOfEndedProcesses } from './ended-processes.ts';

/**
 * The folder the app keeps its data in, shared by the window and the CLI. Order: --data-dir,
 * DIEMTHU_DATA_DIR, the OS default. On Windows one folder for the PC (%PROGRAMDATA%\DiemThu): the
 * install is per machine, and a point PC is often used under more than one Windows account; the
 * installer creates it writable by every user of the PC (build/installer.nsh).
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.DIEMTHU_DATA_DIR) return env.DIEMTHU_DATA_DIR;
  const home = homedir();
  if (platform === 'win32') return win32.join(env.PROGRAMDATA ?? 'C:\\ProgramData', 'DiemThu');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'diemthu');
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'diemthu');
}

/** Where versions before the per-machine folder kept the data on Windows (the user's roaming folder). */
export function legacyDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | null {
  if (env.DIEMTHU_DATA_DIR || platform !== 'win32') return null;
  return win32.join(env.APPDATA ?? win32.join(homedir(), 'AppData', 'Roaming'), 'diemthu');
}

/** Left in the old folder after the move, for whoever looks there. */
export const MOVED_NOTE = 'DA-CHUYEN-DU-LIEU.txt';

/**
 * Moves an older version's data folder into `dir` once: only when `dir` holds no database and `legacy`
 * does. Every entry is renamed (same disk: nothing is copied, nothing half-written); if one rename
 * fails, those done are renamed back and nothing has moved. Returns where the data came from, for the
 * caller to journal once the database is open, or null when there was nothing to move.
 */
export function adoptLegacyData(dir: string, legacy: string | null): { from: string } | null {
  if (legacy === null || existsSync(join(dir, DATABASE_FILE)) || !existsSync(join(legacy, DATABASE_FILE))) return null;
  mkdirSync(dir, { recursive: true });
  const moved: string[] = [];
  try {
    for (const entry of readdirSync(legacy)) {
      renameSync(join(legacy, entry), join(dir, entry));
      moved.push(entry);
    }
  } catch (error) {
    for (const entry of moved.reverse()) renameSync(join(dir, entry), join(legacy, entry));
    throw new AppError('DATA_DIR_MOVE_FAILED', `Không chuyển được dữ liệu từ ${legacy} sang ${dir} (${(error as Error).message}); dữ liệu vẫn ở chỗ cũ. Hãy đóng mọi cửa sổ Điểm Thu rồi mở lại, hoặc báo bộ phận kỹ thuật.`);
  }
  writeFileSync(join(legacy, MOVED_NOTE), `Dữ liệu Điểm Thu đã chuyển sang ${dir} (dùng chung cho mọi tài khoản Windows của máy này).\r\n`);
  return { from: legacy };
}

export const DATABASE_FILE = 'diemthu.sqlite';
/** <dataDir>/logs: main.log and its rotations (app/main-log.ts), zipped by the support bundle. */
export const LOGS_FOLDER = 'logs';

export const logsDir = (dataDir: string): string => join(dataDir, LOGS_FOLDER);

/** The database's size on disk: the file and its WAL (commits not yet folded into the file). */
export function databaseBytes(dataDir: string): number {
  const size = (path: string) => (existsSync(path) ? statSync(path).size : 0);
  const file = join(dataDir, DATABASE_FILE);
  return size(file) + size(`${file}-wal`);
}
/** <dataDir>/backups: where backups go unless the backup_dir setting names another folder. */
export const BACKUPS_FOLDER = 'backups';
/** <dataDir>/safety/<time>/: the database as it was before each restore. */
export const SAFETY_FOLDER = 'safety';
/** A backup's name: diemthu-<local yyyymmdd-hhmmss>[-n].sqlite. */
export const BACKUP_FILE = /^diemthu-\d{8}-\d{6}(-\d+)?\.sqlite$/;
/** The PIN key (pepper): next to the database, never inside it or its backups (electron/pin-key.ts). */
export const PIN_KEY_FILE = 'pin.key';

/** <dataDir>/restore-<pid>.sqlite: a backup copied in and checked by a restore or its preview (backups/restore.ts), removed when it ends. */
let staging = 0;
/**
 * A new staged copy's path: the process (whose end makes the copy stale), then the thread and a count,
 * so that two previews at once in one process (the app's, each in its own worker) never share a copy.
 */
export const stagedRestorePath = (dataDir: string, pid: number): string => join(dataDir, `restore-${pid}-${threadId}-${++staging}.sqlite`);
const STAGED_RESTORE = /^restore-(\d+)(?:-\d+-\d+)?\.sqlite(-wal|-shm|-journal)?$/;

/**
 * Removes staged restore copies (each a full copy of a backup) whose process has ended: a restore or
 * preview killed, or the machine switched off, before its own cleanup. A live process's copy stays (a
 * restore running elsewhere). Run wherever the folder is opened and wherever a restore stages.
 */
export function removeStaleRestoreCopies(dataDir: string): void {
  removeFilesOfEndedProcesses(dataDir, STAGED_RESTORE);
}
