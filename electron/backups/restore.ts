import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError, diskFullError, isAppError, isDiskFull } from '../core/errors.ts';
import { systemClock, type Clock } from '../core/clock.ts';
import { DATABASE_FILE, removeStaleRestoreCopies, SAFETY_FOLDER, stagedRestorePath } from '../store/data-dir.ts';
import { openStore, sqliteFileState, type Sqlite } from '../store/open.ts';
import { latestVersion } from '../store/migrations.ts';
import { appendJournal, journalHead, verifyJournal } from '../store/journal.ts';
import { openContext } from '../store/context.ts';
import { requireSupervisor, type User } from '../users/users.ts';
import { getSetting } from '../store/settings.ts';
import { fsyncDir, realFs } from '../store/atomic-write.ts';
import { heldPoint, rememberPointOf } from '../store/held-point.ts';
import { stamp } from './backups.ts';
import type { DroppedPayment } from '../core/restore-outcome.ts';

export interface RestoreResult {
  restored: string;
  safetyCopy: string | null;
  journalRows: number;
  /** Set when an older backup was restored by a supervisor: what was carried over from the replaced database. */
  forced: ForcedCarryOver | null;
}

export interface ForcedCarryOver extends Dropped {
  receiptCounters: { pointCode: string; year: number; from: number; to: number }[];
  batchesCarried: number[];
  paymentsMarkedExported: string[];
}

/** What a forced restore drops from the replaced database, named in its journal row: no money leaves without a trace. */
export interface Dropped {
  droppedPayments: DroppedPayment[];
  /** Voids of payments the backup has, not voided there: those receipts count as collected again. */
  droppedVoids: { receiptNo: string; maKhang: string | null; total: number; voidedBy: string | null; voidedAt: string }[];
  droppedRefunds: { receiptNo: string; maKhang: string | null; total: number; cashierCode: string | null; supervisorCode: string | null; refundedAt: string }[];
}

export interface RestoreOptions {
  clock?: Clock;
  /** Restore a backup older than the current database: a supervisor's code and PIN. */
  force?: { supervisorCode: string; pin: string };
  /**
   * The journal head hash of the backup the supervisor previewed (RestorePreview.journalHead): a file
   * that no longer holds it (swapped at the same path since) is refused before anything is checked or replaced.
   */
  expect?: string;
  /** Test seam: runs after the checks and the safety copy, just before the database is replaced (the race window). */
  beforeReplace?: () => void;
  /** Test seam: runs once the backup has replaced the database, before that is confirmed (fsync, reopen, point marker). */
  afterReplace?: () => void;
}

type Head = { id: number; hash: string };

/** What a backup holds, as the app's preview shows it before a supervisor confirms. */
interface BackupFacts {
  journalRows: number;
  head: Head;
  pointCode: string | null;
  /** When its journal's last row was written: what the backup holds up to (null: an empty journal). */
  lastEntryAt: string | null;
  receipts: number;
  lastReceiptNo: string | null;
}

/** A backup copied into the data folder and checked there: what is checked is what gets restored. */
interface Staged extends BackupFacts {
  path: string;
}

/** Tables every Điểm Thu database has had since migration 1 (what restore and verify read). */
const DIEMTHU_TABLES = ['settings', 'users', 'shifts', 'payments', 'payment_lines', 'receipt_counters', 'clearing_batches', 'journal'];

/** How long a restore waits for another program's write to finish before giving up. */
const BUSY_WAIT_MS = 5000;

const sqliteCode = (error: unknown) => String((error as { code?: unknown }).code);

/**
 * Copies the backup into the data folder and checks the copy. The file itself is only read: SQLite
 * cannot open a WAL-mode backup on a write-protected stick (it needs a -shm beside it), and opening
 * it in place leaves -wal/-shm there. Empty files, other files and other programs' databases are
 * told apart from damaged backups. Copies left by killed restores are removed first (and at every open).
 */
function stageBackup(file: string, dataDir: string): Staged {
  const state = sqliteFileState(file);
  if (state === 'absent') throw new AppError('RESTORE_FILE_MISSING', `Không tìm thấy tệp sao lưu ${file}.`);
  if (state === 'empty') throw new AppError('BACKUP_INVALID', `Tệp ${file} rỗng (0 byte), không phải bản sao lưu của Điểm Thu: không khôi phục.`);
  if (state === 'not-sqlite') throw notABackup(file);
  removeStaleRestoreCopies(dataDir);
  const path = stagedRestorePath(dataDir, process.pid);
  try {
    copyFileSync(file, path);
    return { path, ...checkStaged(path, file) };
  } catch (error) {
    removeStaged(path);
    throw error;
  }
}

const notABackup = (file: string) =>
  new AppError('BACKUP_INVALID', `Tệp ${file} không phải bản sao lưu của Điểm Thu (không phải cơ sở dữ liệu SQLite): không khôi phục.`);

function checkStaged(path: string, file: string): BackupFacts {
  const db = new Database(path, { fileMustExist: true });
  try {
    let integrity: unknown;
    try {
      integrity = db.pragma('integrity_check', { simple: true });
    } catch (error) {
      if (sqliteCode(error).startsWith('SQLITE_NOTADB')) throw notABackup(file);
      if (!sqliteCode(error).startsWith('SQLITE_CORRUPT')) throw error;
      integrity = String(error);
    }
    if (integrity !== 'ok') throw new AppError('RESTORE_CORRUPT', `Tệp sao lưu ${file} bị hỏng (kiểm tra toàn vẹn không đạt): không khôi phục.`, { integrity });
    const version = db.pragma('user_version', { simple: true }) as number;
    const tables = new Set(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all());
    const notDiemthu = new AppError('BACKUP_NOT_DIEMTHU', `Tệp ${file} là cơ sở dữ liệu của một chương trình khác, không phải bản sao lưu của Điểm Thu: không khôi phục.`);
    if (version === 0 || DIEMTHU_TABLES.some((t) => !tables.has(t))) throw notDiemthu;
    if (version > latestVersion) {
      throw new AppError('BACKUP_TOO_NEW', `Tệp sao lưu ${file} do phiên bản mới hơn của Điểm Thu tạo (phiên bản dữ liệu ${version}, chương trình này hiểu đến ${latestVersion}). Hãy cài phiên bản mới rồi khôi phục.`);
    }
    try {
      const chain = verifyJournal(db);
      if (!chain.ok) throw new AppError('RESTORE_JOURNAL_BROKEN', `Nhật ký trong tệp sao lưu ${file} bị sửa (dòng ${chain.firstBadId}): không khôi phục.`, chain);
      const last = db.prepare('SELECT at FROM journal ORDER BY id DESC LIMIT 1').pluck().get() as string | undefined;
      return {
        journalRows: chain.rows,
        head: journalHead(db),
        pointCode: getSetting(db, 'point_code') ?? null,
        lastEntryAt: last ?? null,
        receipts: db.prepare('SELECT COUNT(*) FROM payments').pluck().get() as number,
        lastReceiptNo: (db.prepare('SELECT receipt_no FROM payments ORDER BY receipt_year DESC, receipt_seq DESC LIMIT 1').pluck().get() as string | undefined) ?? null,
      };
    } catch (error) {
      // Tables with our names but not our columns or values: not a Điểm Thu database either.
      throw isAppError(error) ? error : notDiemthu;
    }
  } finally {
    db.close();
  }
}

function removeStaged(path: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(path + suffix, { force: true });
}

/** Journal kinds that change nothing a restore could roll back: the backup itself records one after its copy. */
const HARMLESS_KINDS = ['backup', 'login', 'login_failed'];

interface CurrentState {
  head: Head;
  pointCode: string | null;
  /** Rows (other than HARMLESS_KINDS) the current journal has after the backup's head; null: the backup's head is not in it. */
  backupBehindBy: number | null;
  counters: { point_code: string; year: number; last_seq: number }[];
  orderCounters: { year: number; last_seq: number }[];
  batches: Record<string, unknown>[];
  exported: { receipt_no: string; idempotency_key: string; batch_id: number | null; void_batch_id: number | null }[];
}

function behindBy(db: Sqlite, backupHead: Head): number | null {
  const row = db.prepare('SELECT hash FROM journal WHERE id = ?').get(backupHead.id) as { hash: string } | undefined;
  if (backupHead.id !== 0 && row?.hash !== backupHead.hash) return null;
  const kinds = HARMLESS_KINDS.map(() => '?').join(', ');
  return (db.prepare(`SELECT COUNT(*) AS n FROM journal WHERE id > ? AND kind NOT IN (${kinds})`).get(backupHead.id, ...HARMLESS_KINDS) as { n: number }).n;
}

/** What a forced restore must carry over, or null when the current database cannot be read (damaged: the usual reason to restore). */
function readState(db: Sqlite, backupHead: Head): CurrentState | null {
  try {
    const all = <T>(sql: string) => db.prepare(sql).all() as T[];
    return {
      head: journalHead(db),
      pointCode: getSetting(db, 'point_code') ?? null,
      counters: all('SELECT point_code, year, last_seq FROM receipt_counters'),
      orderCounters: all('SELECT year, last_seq FROM order_counters'),
      batches: all('SELECT * FROM clearing_batches ORDER BY id'),
      exported: all('SELECT receipt_no, idempotency_key, batch_id, void_batch_id FROM payments WHERE batch_id IS NOT NULL OR void_batch_id IS NOT NULL'),
      backupBehindBy: behindBy(db, backupHead),
    };
  } catch {
    return null;
  }
}

const inUse = () =>
  new AppError('RESTORE_DB_IN_USE', 'Cơ sở dữ liệu đang mở ở một chương trình khác (Điểm Thu hoặc một lệnh diemthu): hãy đóng chương trình đó rồi khôi phục lại.');

/** Refused (RESTORE_DB_IN_USE) while any other connection has the database open: an exclusive lock cannot be had. */
function refuseIfOpenElsewhere(dbPath: string): void {
  if (sqliteFileState(dbPath) !== 'sqlite') return;
  let probe: Database.Database;
  try {
    probe = new Database(dbPath, { fileMustExist: true, timeout: 0 });
  } catch {
    return;
  }
  try {
    probe.pragma('locking_mode = EXCLUSIVE');
    probe.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    if (/^SQLITE_(BUSY|LOCKED)/.test(sqliteCode(error))) throw inUse();
    // Unreadable (damaged): no program can be working in it.
  } finally {
    probe.close();
  }
}

/**
 * The current database, as the restore replaces it. `watched`: a database programs may have open; a
 * connection stays on it for the whole restore and its data_version changes when any other
 * connection commits. `empty`: no file or a 0-byte one, no data to lose. `unreadable`: a file SQLite
 * cannot read, which no program can be working in.
 */
type Current = { kind: 'watched'; watcher: Database.Database } | { kind: 'empty' } | { kind: 'unreadable' };

function openCurrent(dbPath: string): Current {
  const state = sqliteFileState(dbPath);
  if (state === 'absent' || state === 'empty') return { kind: 'empty' };
  if (state === 'not-sqlite') return { kind: 'unreadable' };
  const watcher = new Database(dbPath, { fileMustExist: true, timeout: BUSY_WAIT_MS });
  try {
    // WAL (a no-op for every database this program made): readers then never wait for the copy's lock.
    watcher.pragma('journal_mode = WAL');
    return { kind: 'watched', watcher };
  } catch (error) {
    watcher.close();
    if (/^SQLITE_(CORRUPT|NOTADB)/.test(sqliteCode(error))) return { kind: 'unreadable' };
    if (/^SQLITE_(BUSY|LOCKED)/.test(sqliteCode(error))) throw inUse();
    throw error;
  }
}

/** <dataDir>/safety/<time>[-n]/: raw copies of the database and its WAL (it may be the damaged one). */
function safetyCopy(dbPath: string, dataDir: string, at: Date): string {
  let dir = join(dataDir, SAFETY_FOLDER, stamp(at));
  for (let n = 2; existsSync(dir); n++) dir = join(dataDir, SAFETY_FOLDER, `${stamp(at)}-${n}`);
  mkdirSync(dir, { recursive: true });
  for (const suffix of ['', '-wal']) {
    if (existsSync(dbPath + suffix)) copyFileSync(dbPath + suffix, join(dir, DATABASE_FILE + suffix));
  }
  return join(dir, DATABASE_FILE);
}

/**
 * The backup is not older than the current database: it holds the current journal head (same or
 * newer), or the current journal continues the backup's only with rows that change nothing.
 */
function backupIsCurrent(staged: Staged, current: CurrentState): boolean {
  if (current.head.id === 0 || current.backupBehindBy === 0) return true;
  const backup = new Database(staged.path, { fileMustExist: true });
  try {
    const row = backup.prepare('SELECT hash FROM journal WHERE id = ?').get(current.head.id) as { hash: string } | undefined;
    return row?.hash === current.head.hash;
  } finally {
    backup.close();
  }
}

/** Refused (BACKUP_OTHER_POINT) when the backup is another point's than the data folder's. */
function refuseOtherPoint(staged: Staged, state: CurrentState | null, dataDir: string, file: string): void {
  const currentPoint = state?.pointCode ?? heldPoint(dataDir)?.pointCode ?? null;
  if (staged.pointCode !== null && currentPoint !== null && staged.pointCode !== currentPoint) {
    throw new AppError('BACKUP_OTHER_POINT', `Tệp sao lưu ${file} là của điểm thu ${staged.pointCode}, không phải của điểm thu ${currentPoint} dùng thư mục dữ liệu này: không khôi phục.`);
  }
}

/** Restoring it would roll back work of the current (readable) database: only a supervisor may force it. */
const isOlder = (staged: Staged, state: CurrentState | null): boolean => state !== null && !backupIsCurrent(staged, state);

/**
 * After a forced restore of an older backup, in the backup before it goes in: receipt numbers and
 * clearing batches already issued by the replaced database are never issued again. Counters are
 * raised to the highest number issued, its clearing batches are copied (the next NN follows them),
 * and payments of the backup that it had already exported stay exported (not cleared a second time).
 */
function carryOver(sqlite: Sqlite, current: CurrentState): Omit<ForcedCarryOver, keyof Dropped> {
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
  // Reconnection order numbers too are never issued twice (not journaled: verify does not count them).
  const raiseOrders = sqlite.prepare(
    'INSERT INTO order_counters (year, last_seq) VALUES (?, ?) ON CONFLICT (year) DO UPDATE SET last_seq = MAX(last_seq, excluded.last_seq)',
  );
  for (const c of current.orderCounters) raiseOrders.run(c.year, c.last_seq);
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

interface CurrentMoney {
  payments: (DroppedPayment & { voidedAt: string | null; voidedBy: string | null })[];
  refunds: Dropped['droppedRefunds'];
}

function readMoney(db: Sqlite): CurrentMoney {
  return {
    payments: db
      .prepare(
        `SELECT p.receipt_no AS receiptNo, c.ma_khang AS maKhang, p.total, u.code AS cashierCode, p.paid_at AS paidAt, p.voided_at AS voidedAt, v.code AS voidedBy
           FROM payments p LEFT JOIN customers c ON c.id = p.customer_id LEFT JOIN users u ON u.id = p.cashier_id LEFT JOIN users v ON v.id = p.voided_by ORDER BY p.id`,
      )
      .all() as CurrentMoney['payments'],
    refunds: db
      .prepare(
        `SELECT p.receipt_no AS receiptNo, c.ma_khang AS maKhang, (SELECT COALESCE(SUM(amount), 0) FROM refund_lines WHERE refund_id = r.id) AS total,
                u.code AS cashierCode, s.code AS supervisorCode, r.refunded_at AS refundedAt
           FROM refunds r JOIN payments p ON p.id = r.payment_id LEFT JOIN customers c ON c.id = p.customer_id
           LEFT JOIN users u ON u.id = r.cashier_id LEFT JOIN users s ON s.id = r.supervisor_id ORDER BY r.id`,
      )
      .all() as CurrentMoney['refunds'],
  };
}

/** The replaced database's payments, voids and refunds the backup (migrated) does not hold. A refund is known by its receipt and time. */
function droppedFrom(backup: Sqlite, money: CurrentMoney | null): Dropped {
  if (money === null) return { droppedPayments: [], droppedVoids: [], droppedRefunds: [] };
  const voided = new Map(
    (backup.prepare('SELECT receipt_no AS no, voided_at IS NOT NULL AS voided FROM payments').all() as { no: string; voided: 0 | 1 }[]).map((p) => [p.no, p.voided === 1]),
  );
  const refunds = new Set(backup.prepare("SELECT p.receipt_no || ' ' || r.refunded_at FROM refunds r JOIN payments p ON p.id = r.payment_id").pluck().all() as string[]);
  return {
    droppedPayments: money.payments
      .filter((p) => !voided.has(p.receiptNo))
      .map(({ receiptNo, maKhang, total, cashierCode, paidAt }) => ({ receiptNo, maKhang, total, cashierCode, paidAt })),
    droppedVoids: money.payments
      .filter((p) => p.voidedAt !== null && voided.get(p.receiptNo) === false)
      .map(({ receiptNo, maKhang, total, voidedBy, voidedAt }) => ({ receiptNo, maKhang, total, voidedBy, voidedAt: voidedAt! })),
    droppedRefunds: money.refunds.filter((r) => !refunds.has(`${r.receiptNo} ${r.refundedAt}`)),
  };
}

/** The current database as the restore found it, under its write lock: nothing else committed in between. */
interface Taken {
  dataVersion: number | null;
  forcedOver: CurrentState | null;
  /** The replaced database's payments and refunds, read when forced: what the backup lacks is named. */
  money: CurrentMoney | null;
  safetyCopy: string | null;
}

/**
 * Under the current database's write lock: decides whether the backup may replace it (same point;
 * not older unless a supervisor forces it) and takes the safety copy. Remembers data_version so that
 * a commit by any other program before the replacement is noticed.
 */
function takeCurrent(current: Current, dbPath: string, dataDir: string, staged: Staged, file: string, supervisor: User | null, at: Date): Taken {
  const decide = (state: CurrentState | null): CurrentState | null => {
    refuseOtherPoint(staged, state, dataDir, file);
    if (!isOlder(staged, state)) return null;
    if (supervisor === null) {
      throw new AppError(
        'RESTORE_OLDER_THAN_CURRENT',
        `Tệp sao lưu ${file} cũ hơn dữ liệu hiện tại: khôi phục sẽ làm mất các khoản thu và số biên nhận đã có sau lần sao lưu đó. Chỉ người giám sát mới được khôi phục: diemthu restore <tệp> --force --supervisor <mã>.`,
      );
    }
    return state;
  };
  if (current.kind !== 'watched') {
    const forcedOver = decide(null);
    return { dataVersion: null, forcedOver, money: null, safetyCopy: existsSync(dbPath) ? safetyCopy(dbPath, dataDir, at) : null };
  }
  const { watcher } = current;
  try {
    watcher.exec('BEGIN IMMEDIATE');
  } catch (error) {
    if (/^SQLITE_(BUSY|LOCKED)/.test(sqliteCode(error))) throw inUse();
    throw error;
  }
  try {
    const dataVersion = watcher.pragma('data_version', { simple: true }) as number;
    const forcedOver = decide(readState(watcher, staged.head));
    return { dataVersion, forcedOver, money: forcedOver === null ? null : readMoney(watcher), safetyCopy: safetyCopy(dbPath, dataDir, at) };
  } finally {
    watcher.exec('ROLLBACK');
  }
}

/** Migrates the checked copy and writes into it what the restore must carry and its journal row: it goes in whole, in one commit. */
function finishStaged(staged: Staged, args: { file: string; taken: Taken; supervisor: User | null; at: Date; pageSize: number | null }): { forced: ForcedCarryOver | null; head: Head } {
  const store = openStore(staged.path);
  try {
    if (args.pageSize !== null && store.sqlite.pragma('page_size', { simple: true }) !== args.pageSize) {
      // SQLite copies into a WAL database only pages of its own size: the copy is rebuilt with that size.
      store.sqlite.pragma('journal_mode = DELETE');
      store.sqlite.pragma(`page_size = ${args.pageSize}`);
      store.sqlite.exec('VACUUM');
      store.sqlite.pragma('journal_mode = WAL');
    }
    const { forcedOver, safetyCopy } = args.taken;
    const forced = store.sqlite
      .transaction(() => {
        const carried = forcedOver === null ? null : { ...droppedFrom(store.sqlite, args.taken.money), ...carryOver(store.sqlite, forcedOver) };
        const supervisor = carried === null ? null : args.supervisor!;
        const payload = { from: args.file, safetyCopy, forced: carried !== null, forcedBy: supervisor?.code ?? null, replacedHead: forcedOver?.head ?? null, ...carried };
        // The supervisor is the actor when the backup knows them (a supervisor added after it is named in the payload).
        const actorId = supervisor === null ? null : ((store.sqlite.prepare("SELECT id FROM users WHERE code = ? AND role = 'supervisor'").pluck().get(supervisor.code) as number | undefined) ?? null);
        appendJournal(store.sqlite, { kind: 'restore', actorId, payload, at: args.at });
        return carried;
      })
      .immediate();
    return { forced, head: journalHead(store.sqlite) };
  } finally {
    store.close();
  }
}

/** All remaining pages in one step: the destination's write lock is held from the first step to the commit. */
const ALL_PAGES = 0x7fffffff;

/**
 * Puts the finished copy's content into the database through SQLite itself (the backup API with the
 * live file as destination): no file is renamed over a database a program may have open, so every
 * connection, open before or during the restore, either waits for the copy's commit or sees the
 * restored content after it. Under the copy's write lock, data_version says whether any other
 * program committed since the restore looked: then nothing is replaced (RESTORE_DB_IN_USE).
 */
async function copyInto(source: string, dbPath: string, current: Current, dataVersion: number | null): Promise<void> {
  if (current.kind === 'unreadable') return replaceUnreadable(source, dbPath);
  const src = new Database(source, { fileMustExist: true });
  try {
    for (const deadline = Date.now() + BUSY_WAIT_MS; ; await sleep(50)) {
      let locked = false;
      await src.backup(dbPath, {
        progress: () => {
          locked = true;
          if (current.kind === 'watched' && current.watcher.pragma('data_version', { simple: true }) !== dataVersion) {
            throw new AppError(
              'RESTORE_DB_IN_USE',
              'Trong lúc khôi phục, một chương trình khác (Điểm Thu hoặc một lệnh diemthu) đã ghi vào cơ sở dữ liệu: không khôi phục gì, dữ liệu hiện tại vẫn nguyên vẹn. Hãy đóng chương trình đó rồi khôi phục lại.',
            );
          }
          return ALL_PAGES;
        },
      });
      // A first step that could not take the write lock (another program is writing) copies nothing: try again.
      if (locked) return;
      if (Date.now() > deadline) throw inUse();
    }
  } finally {
    src.close();
  }
}

/**
 * A file no program can open as a database (every opener is refused: DB_MISSING or DB_CORRUPT) is
 * replaced by renaming the finished copy over it, its stale WAL removed first.
 */
function replaceUnreadable(source: string, dbPath: string): void {
  fsyncFile(source);
  for (const suffix of ['-wal', '-shm']) rmSync(dbPath + suffix, { force: true });
  realFs.renameSync(source, dbPath);
  fsyncDir(realFs, dirname(dbPath));
}

function fsyncFile(path: string): void {
  const fd = realFs.openSync(path, 'r+');
  try {
    realFs.fsyncSync(fd);
  } finally {
    realFs.closeSync(fd);
  }
}

/**
 * The copy's commit is durable (its connection commits with synchronous=NORMAL) and the database
 * holds the restore's journal row; then the folder's point marker follows the restored database.
 */
function confirm(dbPath: string, dataDir: string, head: Head): void {
  if (existsSync(`${dbPath}-wal`)) fsyncFile(`${dbPath}-wal`);
  const store = openStore(dbPath);
  try {
    const row = store.sqlite.prepare('SELECT hash FROM journal WHERE id = ?').get(head.id) as { hash: string } | undefined;
    if (row?.hash !== head.hash) throw inUse();
    rememberPointOf(dataDir, store.sqlite);
  } finally {
    store.close();
  }
}

/**
 * Replaces the point's database with a backup. The backup is copied into the data folder and the copy
 * is checked (refused when empty, not a Điểm Thu database, damaged, from a newer version or another
 * point). Refused while another process has the database open, and refused when the backup is older
 * than the current (readable) database unless a supervisor forces it: then receipt numbers and
 * clearing batch numbers carry on from the current database (see carryOver), journaled. The current
 * database (with its WAL) is copied to <dataDir>/safety/<time>/ before anything is replaced.
 */
export async function restore(dataDir: string, file: string, options: RestoreOptions = {}): Promise<RestoreResult> {
  const clock = options.clock ?? systemClock;
  const dbPath = join(dataDir, DATABASE_FILE);
  let staged: Staged | undefined;
  let current: Current | undefined;
  try {
    mkdirSync(dataDir, { recursive: true });
    staged = stageBackup(file, dataDir);
    if (options.expect !== undefined && staged.head.hash !== options.expect) throw backupChanged(file);
    // Checked before the current database is looked at: checking the PIN writes to it (login, failed tries).
    const supervisor = options.force !== undefined && sqliteFileState(dbPath) === 'sqlite' ? verifiedSupervisor(dataDir, options.force, clock) : null;
    refuseIfOpenElsewhere(dbPath);
    current = openCurrent(dbPath);
    const at = clock();
    const taken = takeCurrent(current, dbPath, dataDir, staged, file, supervisor, at);
    const pageSize = current.kind === 'watched' ? (current.watcher.pragma('page_size', { simple: true }) as number) : null;
    const { forced, head } = finishStaged(staged, { file, taken, supervisor, at, pageSize });
    options.beforeReplace?.();
    await copyInto(staged.path, dbPath, current, taken.dataVersion);
    try {
      options.afterReplace?.();
      confirm(dbPath, dataDir, head);
    } catch (error) {
      // Past the replacement nothing is "untouched" any more: say what is in place and where the old data is.
      throw new AppError(
        'RESTORE_NOT_CONFIRMED',
        `Đã chép bản sao lưu ${file} vào thay dữ liệu hiện tại nhưng chưa xác nhận được (${error instanceof Error ? error.message : String(error)}): dữ liệu đang dùng có thể đã là bản sao lưu. Hãy chạy "diemthu verify" trước khi thu tiếp; dữ liệu cũ còn trong bản an toàn ${taken.safetyCopy ?? '(không có)'}.`,
        { safetyCopy: taken.safetyCopy },
      );
    }
    return { restored: file, safetyCopy: taken.safetyCopy, journalRows: staged.journalRows, forced };
  } catch (error) {
    throw diskFullAsNothingDone(error, dataDir);
  } finally {
    if (current?.kind === 'watched') current.watcher.close();
    if (staged !== undefined) removeStaged(staged.path);
  }
}

export const backupChanged = (file: string) =>
  new AppError('RESTORE_BACKUP_CHANGED', `Tệp sao lưu ${file} đã thay đổi từ lúc xem trước (không còn là bản đã xem): không khôi phục gì. Hãy chọn lại tệp và xem trước lần nữa.`);

function verifiedSupervisor(dataDir: string, force: { supervisorCode: string; pin: string }, clock: Clock): User {
  const ctx = openContext(dataDir, { clock });
  try {
    return requireSupervisor(ctx, force.supervisorCode, force.pin);
  } finally {
    ctx.close();
  }
}

function diskFullAsNothingDone(error: unknown, dataDir: string): unknown {
  if (isAppError(error) || !isDiskFull(error)) return error;
  return diskFullError(
    error,
    `Ổ đĩa chứa dữ liệu (${dataDir}) đã đầy: chưa khôi phục gì, dữ liệu hiện tại vẫn nguyên vẹn. Hãy giải phóng chỗ trống trên ổ đĩa (cần chừng hai lần kích thước tệp sao lưu) rồi khôi phục lại.`,
  );
}

/** What a supervisor sees before confirming a restore in the app (or `diemthu restore --check`). */
export interface RestorePreview extends Omit<BackupFacts, 'head'> {
  file: string;
  /** What was read: the backup's journal head hash, given back as `expect` so that the restore is of this backup and no other. */
  journalHead: string;
  /** The current database's journal rows (its head), null when there is none or it cannot be read. */
  currentJournalRows: number | null;
  /** Journal rows (other than backups and logins) the current database has after the backup: the work a restore would undo. Null: the backup is not from this database's history (or there is no current one). */
  behindBy: number | null;
  /** The backup is older than the current database: restoring it needs a supervisor's force. */
  older: boolean;
}

/**
 * The checks `restore` makes before it replaces anything, and what the backup holds, without touching
 * the current database (read through a read-only connection while the app keeps it open): refused
 * with the same codes as `restore` (damaged, not Điểm Thu's, too new, another point's). The backup is
 * copied into the data folder and checked there, as `restore` does, then the copy is removed.
 */
export function previewRestore(dataDir: string, file: string): RestorePreview {
  const dbPath = join(dataDir, DATABASE_FILE);
  let staged: Staged | undefined;
  try {
    mkdirSync(dataDir, { recursive: true });
    staged = stageBackup(file, dataDir);
    const state = readCurrent(dbPath, staged.head);
    refuseOtherPoint(staged, state, dataDir, file);
    const { path: _path, head, ...facts } = staged;
    return { file, journalHead: head.hash, ...facts, currentJournalRows: state?.head.id ?? null, behindBy: state?.backupBehindBy ?? null, older: isOlder(staged, state) };
  } catch (error) {
    throw diskFullAsNothingDone(error, dataDir);
  } finally {
    if (staged !== undefined) removeStaged(staged.path);
  }
}

function readCurrent(dbPath: string, backupHead: Head): CurrentState | null {
  if (sqliteFileState(dbPath) !== 'sqlite') return null;
  let db: Database.Database;
  try {
    db = new Database(dbPath, { readonly: true, fileMustExist: true });
  } catch {
    return null;
  }
  try {
    return readState(db, backupHead);
  } finally {
    db.close();
  }
}
