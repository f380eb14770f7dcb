import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Ctx } from './context.ts';
import { AppError } from './core/errors.ts';
import { compactDate, localParts } from './core/local-time.ts';
import { systemClock, type Clock } from './core/clock.ts';
import { DATABASE_FILE } from './data-dir.ts';
import { openStore } from './db/open.ts';
import { appendJournal, verifyJournal } from './journal.ts';
import { getSetting } from './settings.ts';
import { fsyncDir, realFs } from './atomic-write.ts';

const BACKUP_NAME = /^diemthu-\d{8}-\d{6}(-\d+)?\.sqlite$/;

function stamp(at: Date): string {
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
  return outDir ?? getSetting(ctx.sqlite, 'backup_dir') ?? join(ctx.dataDir, 'backups');
}

/**
 * An online backup (better-sqlite3's backup API: consistent while the app keeps writing) named with
 * the local time, then only the newest `backup_keep` backups are kept. Journaled as 'backup'.
 * Called after every export and every shift close (`backupAfter`).
 */
export async function backupNow(ctx: Ctx, args: { outDir?: string } = {}): Promise<BackupResult> {
  const dir = backupDir(ctx, args.outDir);
  const at = ctx.clock();
  let file: string;
  try {
    mkdirSync(dir, { recursive: true });
    file = join(dir, freshName(dir, at));
    const temp = `${file}.partial`;
    await ctx.sqlite.backup(temp);
    // Renamed only when complete, so a pulled USB stick never leaves a backup that looks whole.
    realFs.renameSync(temp, file);
    fsyncDir(realFs, dir);
  } catch (error) {
    throw new AppError('BACKUP_FAILED', `Không sao lưu được vào thư mục ${dir}. Hãy kiểm tra ổ USB hoặc thư mục sao lưu.`, { cause: String(error) });
  }
  const keep = getSetting(ctx.sqlite, 'backup_keep') ?? 30;
  const backups = readdirSync(dir).filter((n) => BACKUP_NAME.test(n)).sort();
  const removed = backups.slice(0, Math.max(0, backups.length - keep));
  for (const name of removed) rmSync(join(dir, name), { force: true });
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
    if (error instanceof AppError) return { ok: false, code: error.code, message: error.message };
    throw error;
  }
}

export interface RestoreResult {
  restored: string;
  safetyCopy: string | null;
  journalRows: number;
}

/** Checks a backup file without changing it: integrity_check and the journal chain. */
export function checkBackup(file: string): { journalRows: number } {
  if (!existsSync(file)) throw new AppError('RESTORE_FILE_MISSING', `Không tìm thấy tệp sao lưu ${file}.`);
  const store = openStore(file, { readonly: true });
  try {
    const integrity = store.sqlite.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw new AppError('RESTORE_CORRUPT', `Tệp sao lưu ${file} bị hỏng (kiểm tra toàn vẹn không đạt): không khôi phục.`, { integrity });
    const chain = verifyJournal(store.sqlite);
    if (!chain.ok) {
      throw new AppError('RESTORE_JOURNAL_BROKEN', `Nhật ký trong tệp sao lưu ${file} bị sửa (dòng ${chain.firstBadId}): không khôi phục.`, chain);
    }
    return { journalRows: chain.rows };
  } finally {
    store.close();
  }
}

/**
 * Replaces the point's database with a backup. The backup is checked first and refused when bad;
 * the current database (with its WAL) is copied to <dataDir>/safety/<time>/ before anything is
 * replaced. Every connection to the data folder must be closed (the CLI and the app close theirs).
 */
export function restore(dataDir: string, file: string, options: { clock?: Clock } = {}): RestoreResult {
  const clock = options.clock ?? systemClock;
  const { journalRows } = checkBackup(file);
  const dbPath = join(dataDir, DATABASE_FILE);
  const at = clock();
  let safetyCopy: string | null = null;
  if (existsSync(dbPath)) {
    const safetyDir = join(dataDir, 'safety', stamp(at));
    mkdirSync(safetyDir, { recursive: true });
    // Raw copies: the current database may be the damaged one, so it is not opened.
    for (const suffix of ['', '-wal', '-shm']) {
      if (existsSync(dbPath + suffix)) copyFileSync(dbPath + suffix, join(safetyDir, basename(dbPath) + suffix));
    }
    safetyCopy = join(safetyDir, basename(dbPath));
  }
  const temp = `${dbPath}.restore-partial`;
  copyFileSync(file, temp);
  const fd = realFs.openSync(temp, 'r+');
  realFs.fsyncSync(fd);
  realFs.closeSync(fd);
  // The old WAL belongs to the old database: left beside the new file it would be replayed into it.
  for (const suffix of ['-wal', '-shm']) rmSync(dbPath + suffix, { force: true });
  realFs.renameSync(temp, dbPath);
  fsyncDir(realFs, dataDir);
  const store = openStore(dbPath);
  try {
    store.sqlite.transaction(() =>
      appendJournal(store.sqlite, { kind: 'restore', actorId: null, payload: { from: file, safetyCopy }, at }),
    ).immediate();
  } finally {
    store.close();
  }
  return { restored: file, safetyCopy, journalRows };
}
