import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Ctx } from './context.ts';
import { AppError } from './core/errors.ts';
import { requireAbsolute } from './core/paths.ts';
import { compactDate, localParts } from './core/local-time.ts';
import { systemClock, type Clock } from './core/clock.ts';
import { DATABASE_FILE } from './data-dir.ts';
import { openStore } from './db/open.ts';
import Database from 'better-sqlite3';
import { appendJournal, journalHead, verifyJournal } from './journal.ts';
import { openContext } from './context.ts';
import { requireSupervisor, type User } from './users.ts';
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
  return requireAbsolute(outDir ?? getSetting(ctx.sqlite, 'backup_dir') ?? join(ctx.dataDir, 'backups'), 'Thư mục sao lưu');
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
  /** Set when an older backup was restored by a supervisor: what was carried over from the replaced database. */
  forced: ForcedCarryOver | null;
}

/** Checks a backup file without changing it: integrity_check and the journal chain. */
export function checkBackup(file: string): { journalRows: number; head: { id: number; hash: string } } {
  if (!existsSync(file)) throw new AppError('RESTORE_FILE_MISSING', `Không tìm thấy tệp sao lưu ${file}.`);
  const store = openStore(file, { readonly: true });
  try {
    const integrity = store.sqlite.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw new AppError('RESTORE_CORRUPT', `Tệp sao lưu ${file} bị hỏng (kiểm tra toàn vẹn không đạt): không khôi phục.`, { integrity });
    const chain = verifyJournal(store.sqlite);
    if (!chain.ok) {
      throw new AppError('RESTORE_JOURNAL_BROKEN', `Nhật ký trong tệp sao lưu ${file} bị sửa (dòng ${chain.firstBadId}): không khôi phục.`, chain);
    }
    return { journalRows: chain.rows, head: journalHead(store.sqlite) };
  } finally {
    store.close();
  }
}

/** Journal kinds that change nothing a restore could roll back: the backup itself records one after its copy. */
const HARMLESS_KINDS = ['backup', 'login', 'login_failed'];

interface CurrentState {
  head: { id: number; hash: string };
  /** Rows (other than HARMLESS_KINDS) the current journal has after the backup's head; null: the backup's head is not in it. */
  backupBehindBy: number | null;
  counters: { point_code: string; year: number; last_seq: number }[];
  batches: Record<string, unknown>[];
  exported: { receipt_no: string; idempotency_key: string; batch_id: number | null; void_batch_id: number | null }[];
}

function behindBy(db: Database.Database, backupHead: { id: number; hash: string }): number | null {
  const row = db.prepare('SELECT hash FROM journal WHERE id = ?').get(backupHead.id) as { hash: string } | undefined;
  if (backupHead.id !== 0 && row?.hash !== backupHead.hash) return null;
  const kinds = HARMLESS_KINDS.map(() => '?').join(', ');
  return (db.prepare(`SELECT COUNT(*) AS n FROM journal WHERE id > ? AND kind NOT IN (${kinds})`).get(backupHead.id, ...HARMLESS_KINDS) as { n: number }).n;
}

/**
 * Takes the current database for the restore: an exclusive lock refused (SQLITE_BUSY) while any
 * other connection has it open (the app deletes nothing under a running program). Returns the lock
 * and what a forced restore must carry over, or state null when the file cannot be read (damaged:
 * the usual reason to restore).
 */
function lockCurrent(dbPath: string, backupHead: { id: number; hash: string }): { release: () => void; state: CurrentState | null } | null {
  if (!existsSync(dbPath)) return null;
  let db: Database.Database;
  try {
    db = new Database(dbPath, { fileMustExist: true, timeout: 0 });
  } catch {
    return { release: () => undefined, state: null };
  }
  const release = () => db.close();
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    release();
    if (/^SQLITE_(BUSY|LOCKED)/.test(String((error as { code?: unknown }).code))) {
      throw new AppError('RESTORE_DB_IN_USE', 'Cơ sở dữ liệu đang mở ở một chương trình khác (Điểm Thu hoặc một lệnh diemthu): hãy đóng chương trình đó rồi khôi phục lại.');
    }
    return { release: () => undefined, state: null };
  }
  try {
    const all = <T>(sql: string) => db.prepare(sql).all() as T[];
    const state: CurrentState = {
      head: journalHead(db),
      counters: all('SELECT point_code, year, last_seq FROM receipt_counters'),
      batches: all('SELECT * FROM clearing_batches ORDER BY id'),
      exported: all('SELECT receipt_no, idempotency_key, batch_id, void_batch_id FROM payments WHERE batch_id IS NOT NULL OR void_batch_id IS NOT NULL'),
      backupBehindBy: behindBy(db, backupHead),
    };
    return { release, state };
  } catch {
    return { release, state: null };
  }
}

/**
 * The backup is not older than the current database: it holds the current journal head (same or
 * newer), or the current journal continues the backup's only with rows that change nothing.
 */
function backupIsCurrent(file: string, current: CurrentState): boolean {
  if (current.head.id === 0 || current.backupBehindBy === 0) return true;
  const backup = openStore(file, { readonly: true });
  try {
    const row = backup.sqlite.prepare('SELECT hash FROM journal WHERE id = ?').get(current.head.id) as { hash: string } | undefined;
    return row?.hash === current.head.hash;
  } finally {
    backup.close();
  }
}

export interface ForcedCarryOver {
  receiptCounters: { pointCode: string; year: number; from: number; to: number }[];
  batchesCarried: number[];
  paymentsMarkedExported: string[];
}

/**
 * After a forced restore of an older backup, inside the restore's transaction: receipt numbers and
 * clearing batches already issued by the replaced database are never issued again. Counters are
 * raised to the highest number issued, its clearing batches are copied (the next NN follows them),
 * and payments of the backup that it had already exported stay exported (not cleared a second time).
 */
function carryOver(sqlite: Database.Database, current: CurrentState): ForcedCarryOver {
  const receiptCounters: ForcedCarryOver['receiptCounters'] = [];
  const counterOf = sqlite.prepare('SELECT last_seq FROM receipt_counters WHERE point_code = ? AND year = ?');
  const raise = sqlite.prepare(
    'INSERT INTO receipt_counters (point_code, year, last_seq) VALUES (?, ?, ?) ON CONFLICT (point_code, year) DO UPDATE SET last_seq = excluded.last_seq',
  );
  for (const c of current.counters) {
    const from = (counterOf.get(c.point_code, c.year) as { last_seq: number } | undefined)?.last_seq ?? 0;
    if (from >= c.last_seq) continue;
    raise.run(c.point_code, c.year, c.last_seq);
    receiptCounters.push({ pointCode: c.point_code, year: c.year, from, to: c.last_seq });
  }
  const batchesCarried: number[] = [];
  for (const batch of current.batches) {
    const columns = Object.keys(batch);
    const inserted = sqlite
      .prepare(`INSERT OR IGNORE INTO clearing_batches (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`)
      .run(batch);
    if (inserted.changes === 1) batchesCarried.push(batch.id as number);
  }
  const paymentsMarkedExported: string[] = [];
  const markExported = sqlite.prepare(
    `UPDATE payments SET batch_id = @batch WHERE receipt_no = @no AND idempotency_key = @key AND batch_id IS NULL AND voided_at IS NULL
        AND EXISTS (SELECT 1 FROM clearing_batches WHERE id = @batch)`,
  );
  const markVoidListed = sqlite.prepare(
    `UPDATE payments SET void_batch_id = @batch WHERE receipt_no = @no AND idempotency_key = @key AND void_batch_id IS NULL AND voided_at IS NOT NULL
        AND EXISTS (SELECT 1 FROM clearing_batches WHERE id = @batch)`,
  );
  for (const p of current.exported) {
    const key = { no: p.receipt_no, key: p.idempotency_key };
    if (p.batch_id !== null && markExported.run({ ...key, batch: p.batch_id }).changes === 1) paymentsMarkedExported.push(p.receipt_no);
    if (p.void_batch_id !== null) markVoidListed.run({ ...key, batch: p.void_batch_id });
  }
  return { receiptCounters, batchesCarried, paymentsMarkedExported };
}

export interface RestoreOptions {
  clock?: Clock;
  /** Restore a backup older than the current database: a supervisor's code and PIN. */
  force?: { supervisorCode: string; pin: string };
}

/**
 * Replaces the point's database with a backup. The backup is checked first and refused when bad.
 * Refused while another process has the database open, and refused when the backup is older than
 * the current (readable) database unless a supervisor forces it: then receipt numbers and clearing
 * batch numbers carry on from the current database (see carryOver), journaled. The current database
 * (with its WAL) is copied to <dataDir>/safety/<time>/ before anything is replaced.
 */
export function restore(dataDir: string, file: string, options: RestoreOptions = {}): RestoreResult {
  const clock = options.clock ?? systemClock;
  const { journalRows, head } = checkBackup(file);
  const dbPath = join(dataDir, DATABASE_FILE);
  // Checked before the lock: checking the PIN writes to the current database (login, failed tries).
  const supervisor = options.force === undefined ? null : verifiedSupervisor(dataDir, options.force, clock);
  const lock = lockCurrent(dbPath, head);
  const at = clock();
  let safetyCopy: string | null = null;
  let forcedOver: CurrentState | null = null;
  try {
    if (lock?.state != null && !backupIsCurrent(file, lock.state)) {
      if (supervisor === null) {
        throw new AppError(
          'RESTORE_OLDER_THAN_CURRENT',
          `Tệp sao lưu ${file} cũ hơn dữ liệu hiện tại: khôi phục sẽ làm mất các khoản thu và số biên nhận đã có sau lần sao lưu đó. Chỉ người giám sát mới được khôi phục: diemthu restore <tệp> --force --supervisor <mã>.`,
        );
      }
      forcedOver = lock.state;
    }
    if (lock !== null) {
      const safetyDir = join(dataDir, 'safety', stamp(at));
      mkdirSync(safetyDir, { recursive: true });
      // Raw copies: the current database may be the damaged one.
      for (const suffix of ['', '-wal', '-shm']) {
        if (existsSync(dbPath + suffix)) copyFileSync(dbPath + suffix, join(safetyDir, basename(dbPath) + suffix));
      }
      safetyCopy = join(safetyDir, basename(dbPath));
    }
  } finally {
    lock?.release();
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
    const forced = store.sqlite
      .transaction(() => {
        const carried = forcedOver === null ? null : carryOver(store.sqlite, forcedOver);
        const payload = { from: file, safetyCopy, forced: carried !== null, replacedHead: forcedOver?.head ?? null, ...carried };
        appendJournal(store.sqlite, { kind: 'restore', actorId: carried === null ? null : supervisor!.id, payload, at });
        return carried;
      })
      .immediate();
    return { restored: file, safetyCopy, journalRows, forced };
  } finally {
    store.close();
  }
}

function verifiedSupervisor(dataDir: string, force: { supervisorCode: string; pin: string }, clock: Clock): User {
  const ctx = openContext(dataDir, { clock });
  try {
    return requireSupervisor(ctx, force.supervisorCode, force.pin);
  } finally {
    ctx.close();
  }
}
