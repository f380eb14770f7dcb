import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The folder the Electron app keeps its data in (app.getPath('userData') for the name "diemthu"),
 * so the CLI and the window share one database. Order: --data-dir, DIEMTHU_DATA_DIR, the OS default.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.DIEMTHU_DATA_DIR) return env.DIEMTHU_DATA_DIR;
  const home = homedir();
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'diemthu');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'diemthu');
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'diemthu');
}

export const DATABASE_FILE = 'diemthu.sqlite';
/** <dataDir>/backups: where backups go unless the backup_dir setting names another folder. */
export const BACKUPS_FOLDER = 'backups';
/** <dataDir>/safety/<time>/: the database as it was before each restore. */
export const SAFETY_FOLDER = 'safety';
/** A backup's name: diemthu-<local yyyymmdd-hhmmss>[-n].sqlite. */
export const BACKUP_FILE = /^diemthu-\d{8}-\d{6}(-\d+)?\.sqlite$/;
/** The PIN key (pepper): next to the database, never inside it or its backups (electron/pin-key.ts). */
export const PIN_KEY_FILE = 'pin.key';
