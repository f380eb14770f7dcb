import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Ctx } from '../store/context.ts';
import { AppError, asAppError, diskFullError, isDiskFull } from '../core/errors.ts';
import { requireAbsolute } from '../core/paths.ts';
import { compactDate, localParts } from '../core/local-time.ts';
import { BACKUP_FILE, BACKUPS_FOLDER } from '../store/data-dir.ts';
import { appendJournal } from '../store/journal.ts';
import { getSetting } from '../store/settings.ts';
import { fsyncDir, realFs, sweepPartials } from '../store/atomic-write.ts';

/** What a check of a backup in place (older versions) or an unfinished copy leaves beside backups. */
const BESIDE_BACKUP = /^diemthu-\d{8}-\d{6}(-\d+)?\.sqlite(-wal|-shm|-journal|\.partial)$/;

/** Local time as yyyymmdd-hhmmss, for backup and safety-copy names. */
export function stamp(at: Date): string {
  const t = localParts(at);
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${compactDate(at)}-${p2(t.hour)}${p2(t.minute)}${p2(t.second)}`;
}

/** A name not yet used in `dir`: two backups in one second get -2, -3, ... */
function freshName(dir: string, at: Date): string {
  const base = `diemthu-${stamp(at)}`;
  let name = `${base}.sqlite`;
  for (let n = 2; existsSync(join(dir, name)); n++) name = `${base}-${n}.sqlite`;
  return name;
}

export interface BackupResult {
  file: string;
  bytes: number;
  removed: string[];
}

/** Where backups go: --out, else the backup_dir setting (e.g. a USB stick), else <dataDir>/backups. */
export function backupDir(ctx: Ctx, outDir?: string): string {
  return requireAbsolute(outDir ?? getSetting(ctx.sqlite, 'backup_dir') ?? join(ctx.dataDir, BACKUPS_FOLDER), 'Thư mục sao lưu');
}

/**
 * Whether the backups land on the disk that holds the database (one failing disk takes both). The
 * folder need not exist yet: its nearest existing parent tells the disk. A folder that cannot be
 * judged (a relative or unreadable path) counts as the same disk, so the warning errs on the safe side.
 */
export function backupsOnSameDisk(ctx: Ctx): boolean {
  try {
    let dir = backupDir(ctx);
    while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
    return statSync(dir).dev === statSync(ctx.dataDir).dev;
  } catch {
    return true;
  }
}

/**
 * An online backup (better-sqlite3's backup API: consistent while the app keeps writing) named with
 * the local time, then only the newest `backup_keep` backups are kept, and -wal/-shm files or
 * unfinished copies left beside them are removed. Journaled as 'backup'. Called after every export
 * and every shift close (`backupAfter`). A full disk or stick is DISK_FULL.
 */
export async function backupNow(ctx: Ctx, args: { outDir?: string } = {}): Promise<BackupResult> {
  const dir = backupDir(ctx, args.outDir);
  const at = ctx.clock();
  let file: string;
  try {
    mkdirSync(dir, { recursive: true });
    sweepPartials(dir);
    file = join(dir, freshName(dir, at));
    // Tagged with our pid: a copy left by a killed process is swept, one being written is not.
    const temp = `${file}.partial-${process.pid}`;
    await ctx.sqlite.backup(temp);
    // Renamed only when complete, so a pulled USB stick never leaves a backup that looks whole.
    realFs.renameSync(temp, file);
    fsyncDir(realFs, dir);
  } catch (error) {
    if (isDiskFull(error)) {
      throw diskFullError(error, `Ổ đĩa chứa thư mục sao lưu ${dir} đã đầy: chưa sao lưu được (dữ liệu của điểm thu vẫn nguyên vẹn). Hãy xóa bớt tệp trên ổ đó hoặc dùng ổ USB khác còn trống rồi sao lưu lại.`);
    }
    throw new AppError('BACKUP_FAILED', `Không sao lưu được vào thư mục ${dir}. Hãy kiểm tra ổ USB hoặc thư mục sao lưu.`, { cause: String(error) });
  }
  const keep = getSetting(ctx.sqlite, 'backup_keep') ?? 30;
  const names = readdirSync(dir);
  const backups = names.filter((n) => BACKUP_FILE.test(n)).sort();
  const removed = backups.slice(0, Math.max(0, backups.length - keep));
  // Nothing opens a backup in place any more (restore checks a copy): what is beside one is stale.
  for (const name of [...removed, ...names.filter((n) => BESIDE_BACKUP.test(n))]) rmSync(join(dir, name), { force: true });
  const bytes = statSync(file).size;
  ctx.sqlite.transaction(() => appendJournal(ctx.sqlite, { kind: 'backup', actorId: null, payload: { file, bytes, removed }, at })).immediate();
  return { file, bytes, removed };
}

/**
 * The backup after a shift close or an export: a failure (USB stick missing) must not undo or hide
 * the closed shift or the written clearing file, so it is reported, not thrown.
 */
export async function backupAfter(ctx: Ctx, outDir?: string): Promise<{ ok: true; backup: BackupResult } | { ok: false; code: string; message: string }> {
  try {
    return { ok: true, backup: await backupNow(ctx, outDir === undefined ? {} : { outDir }) };
  } catch (error) {
    const known = asAppError(error);
    if (known !== null) return { ok: false, code: known.code, message: known.message };
    throw error;
  }
}
