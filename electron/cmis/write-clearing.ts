import { sql } from 'kysely';
import { join } from 'node:path';
import { CLEARING_COLUMNS } from '../../protocol/clearing-file.ts';
import type { Ctx } from '../store/context.ts';
import type { Sqlite } from '../store/open.ts';
import { CONTROL, startsLikeFormula } from '../core/cell-text.ts';
import { csvBytes as csvFileBytes } from '../core/csv.ts';
import { AppError, diskFullError, isDiskFull } from '../core/errors.ts';
import { requireAbsolute } from '../core/paths.ts';
import { compactDate, formatDateTime } from '../core/local-time.ts';
import { appendJournal, journalHead } from '../store/journal.ts';
import { exportCheck } from '../verify/verify.ts';
import { requireSetting } from '../store/settings.ts';
import { batchRows, sha256, storedBatch, type BatchRow, type ClearingManifest } from './stored-batch.ts';
import { query, selectAll, selectFirst, selectOne } from '../store/typed-query.ts';
import { batchMessages, type BatchMessages } from '../sms/batch-file.ts';
import { smsSettings } from './sms-settings.ts';
import { realFs, sweepPartials, writeFilesAtomically, type AtomicFs, type FileToWrite } from '../store/atomic-write.ts';

// Contract section 3. One owner for the clearing file's columns (the protocol, which the server's
// consolidation writes too); the column order is the file format: never reorder.
export { CLEARING_COLUMNS };
export const RECONNECTION_COLUMNS = [
  'MA_DVIQLY', 'MA_KHANG', 'TEN_KHANG', 'DCHI_KHANG', 'DTHOAI_SMS', 'SO_BIENNHAN', 'NGAY_YEU_CAU', 'MA_TNGAN',
] as const;
export const MANIFEST_FORMAT_VERSION = 1;

interface LineRow {
  payment_id: number;
  ma_dviqly: string;
  receipt_no: string;
  ma_khang: string;
  ten_khang: string;
  id_hdon: string | null;
  loai_hdon: string;
  ky: number | null;
  thang: number | null;
  nam: number | null;
  so_tien: number;
  tien_gtgt: number;
  tong_tien: number;
  paid_at: string;
  cashier_code: string;
  dthoai_sms: string | null;
}

interface OrderRow {
  ma_dviqly: string;
  ma_khang: string;
  ten_khang: string;
  dchi_khang: string;
  dthoai_sms: string | null;
  receipt_no: string;
  requested_at: string;
  cashier_code: string;
}

/** Selects payments either not yet exported (`batch IS NULL`) or of one past batch. */
type Selection = { batchId: number | null };

// Name and address come from the original receipt document when there is one: a later snapshot may
// rename the customer, and a batch written again must be the same bytes as the first time. A document
// that is unreadable there (damaged on disk, edited by hand) gives way to the customer row: one bad
// print job must not stop the evening export.
export const CUSTOMER_AS_RECEIPTED = `
  LEFT JOIN print_jobs pj ON pj.payment_id = p.id AND pj.kind = 'receipt' AND pj.copy_no = 0
  JOIN customers c ON c.id = p.customer_id`;
const receipted = (field: string, fallback: string) =>
  `COALESCE(CASE WHEN json_valid(pj.document) AND json_type(pj.document, '$.customer.${field}') = 'text' THEN json_extract(pj.document, '$.customer.${field}') END, ${fallback})`;
export const TEN_KHANG = receipted('tenKhang', 'c.ten_khang');
const DCHI_KHANG = receipted('dchiKhang', 'c.dchi_khang');

function batchFilter(sel: Selection): string {
  return sel.batchId === null ? 'p.batch_id IS NULL AND p.voided_at IS NULL' : 'p.batch_id = @batchId';
}

const LINE_COLUMNS = `p.id AS payment_id, c.ma_dviqly, p.receipt_no, c.ma_khang, ${TEN_KHANG} AS ten_khang,
              l.id_hdon, l.loai_hdon, l.ky, l.thang, l.nam, l.so_tien, l.tien_gtgt, l.tong_tien,
              p.paid_at, u.code AS cashier_code, c.dthoai_sms`;
/** The cashier and the customer of a line's payment `p`. */
const PAYER = `JOIN users u ON u.id = p.cashier_id ${CUSTOMER_AS_RECEIPTED}`;

function selectLines(sqlite: Sqlite, sel: Selection): LineRow[] {
  return sqlite
    .prepare(`SELECT ${LINE_COLUMNS} FROM payments p JOIN payment_lines l ON l.payment_id = p.id ${PAYER} WHERE ${batchFilter(sel)} ORDER BY p.receipt_year, p.receipt_seq, l.id`)
    .all({ batchId: sel.batchId }) as LineRow[];
}

/** A line a supervisor decided to send again (contract section 5), with the batch that carried it first. */
interface ResentRow extends LineRow {
  resend_id: number;
  first_csv: string;
}

/**
 * The lines resent and not yet in a batch, as their row was first written (the payment's own
 * facts, so the row is the same bytes), in receipt order. They go before the new payments' lines:
 * their receipts are older.
 */
function selectResent(sqlite: Sqlite): ResentRow[] {
  return sqlite
    .prepare(
      `SELECT ${LINE_COLUMNS}, s.id AS resend_id, b.csv_name AS first_csv
         FROM resends s JOIN resend_lines x ON x.resend_id = s.id
         JOIN payment_lines l ON l.id = x.payment_line_id JOIN payments p ON p.id = l.payment_id ${PAYER}
         JOIN clearing_batches b ON b.id = p.batch_id
        WHERE s.batch_id IS NULL
        ORDER BY p.receipt_year, p.receipt_seq, l.id`,
    )
    .all() as ResentRow[];
}

function selectOrders(sqlite: Sqlite, sel: Selection): OrderRow[] {
  return sqlite
    .prepare(
      `SELECT c.ma_dviqly, c.ma_khang, ${TEN_KHANG} AS ten_khang, ${DCHI_KHANG} AS dchi_khang, c.dthoai_sms,
              p.receipt_no, o.requested_at, u.code AS cashier_code
         FROM reconnection_orders o
         JOIN payments p ON p.id = o.payment_id
         JOIN users u ON u.id = p.cashier_id
         ${CUSTOMER_AS_RECEIPTED}
        WHERE ${batchFilter(sel)} AND o.cancelled_at IS NULL
        ORDER BY p.receipt_year, p.receipt_seq`,
    )
    .all({ batchId: sel.batchId }) as OrderRow[];
}

function selectVoided(sqlite: Sqlite, batchId: number | null): { id: number; receipt_no: string }[] {
  const payments = query.selectFrom('payments').select(['id', 'receipt_no']).orderBy('receipt_year').orderBy('receipt_seq');
  return selectAll(
    sqlite,
    batchId === null ? payments.where('voided_at', 'is not', null).where('void_batch_id', 'is', null) : payments.where('void_batch_id', '=', batchId),
  );
}

/**
 * A text cell that CMIS staff's spreadsheet would run as a formula, or that holds a control
 * character (a line break makes two records). The import refuses such fields; this is the last line
 * for data that came in another way (an old or hand-edited database).
 */
const unsafeCell = (cell: string | number | null): boolean => typeof cell === 'string' && (CONTROL.test(cell) || startsLikeFormula(cell));

/** UTF-8 with BOM, CRLF, comma, header row; empty cells for nulls; integers as plain digits. Refuses an unsafe text cell, naming its receipt. */
function csvBytes(columns: readonly string[], rows: (string | number | null)[][]): Buffer {
  const receipt = columns.indexOf('SO_BIENNHAN');
  for (const row of rows) {
    const at = row.findIndex(unsafeCell);
    if (at !== -1) {
      throw new AppError(
        'EXPORT_UNSAFE_FIELD',
        `Cột ${columns[at] ?? ''} của biên nhận ${String(row[receipt])} có ký tự điều khiển hoặc bắt đầu bằng = + - @ (bảng tính sẽ chạy như công thức): không ghi tệp nào. Hãy báo bộ phận kỹ thuật.`,
        { column: columns[at], receipt: row[receipt] },
      );
    }
  }
  // The same bytes csv-stringify wrote here (BOM, header, CRLF; no cell reaches it with a line break), at a third of its time.
  const bytes = csvFileBytes(columns, rows);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function clearingCsv(pointCode: string, lines: LineRow[]): Buffer {
  return csvBytes(
    CLEARING_COLUMNS,
    lines.map((l) => [
      l.ma_dviqly, pointCode, l.receipt_no, l.ma_khang, l.ten_khang, l.id_hdon ?? '', l.loai_hdon, l.ky, l.thang, l.nam,
      l.so_tien, l.tien_gtgt, l.tong_tien, formatDateTime(new Date(l.paid_at)), l.cashier_code,
    ]),
  );
}

function reconnectionCsv(orders: OrderRow[]): Buffer {
  return csvBytes(
    RECONNECTION_COLUMNS,
    orders.map((o) => [
      o.ma_dviqly, o.ma_khang, o.ten_khang, o.dchi_khang, o.dthoai_sms ?? '', o.receipt_no,
      formatDateTime(new Date(o.requested_at)), o.cashier_code,
    ]),
  );
}

function fileStem(kind: 'GACHNO' | 'LENHDONGDIEN', pointCode: string, day: string, seq: number): string {
  return `${kind}_${pointCode}_${day}_${String(seq).padStart(2, '0')}`;
}

/** The three files of a batch, by name; the manifest last, so its presence says the batch is complete. */
interface BatchContent {
  manifest: ClearingManifest;
  csv: Buffer;
  reconnection: Buffer;
  manifestText: string;
}

/** Everything a new batch writes, from rows read from the database. */
function buildBatch(
  pointCode: string,
  id: { batchId: number; day: string; seq: number; createdAt: string; journalHead: { id: number; hash: string } },
  lines: LineRow[],
  resent: ResentRow[],
  orders: OrderRow[],
  voided: string[],
  sms: BatchMessages & { sha256: string },
): BatchContent {
  const csv = clearingCsv(pointCode, lines);
  const manifest: ClearingManifest = {
    formatVersion: MANIFEST_FORMAT_VERSION,
    pointCode,
    batchId: id.batchId,
    batchDay: id.day,
    batchSeq: id.seq,
    createdAt: id.createdAt,
    csvFile: `${fileStem('GACHNO', pointCode, id.day, id.seq)}.csv`,
    reconnectionFile: `${fileStem('LENHDONGDIEN', pointCode, id.day, id.seq)}.csv`,
    firstReceipt: lines[0]!.receipt_no,
    lastReceipt: lines[lines.length - 1]!.receipt_no,
    rowCount: lines.length,
    totalTongTien: lines.reduce((sum, l) => sum + l.tong_tien, 0),
    receiptCount: new Set(lines.map((l) => l.payment_id)).size,
    reconnectionOrderCount: orders.length,
    voidedReceipts: voided,
    csvSha256: sha256(csv),
    smsFile: sms.name,
    smsSha256: sms.sha256,
    smsMessages: sms.summary.messages.XNTT,
    smsSkipped: sms.summary.skipped,
    journalHead: id.journalHead,
    ...(resent.length === 0 ? {} : { resent: resent.map((r) => ({ receiptNo: r.receipt_no, idHdon: r.id_hdon ?? '', tongTien: r.tong_tien, firstCsvFile: r.first_csv })) }),
  };
  return { manifest, csv, reconnection: reconnectionCsv(orders), manifestText: JSON.stringify(manifest, null, 2) + '\n' };
}

const EXPORT_FOLDER = 'Thư mục xuất tệp gạch nợ';

/**
 * The stored files of a batch, each checked against the SHA-256 recorded at export (and the CSV's
 * against the manifest too): a batch whose stored bytes changed is never written.
 */
function storedFiles(row: BatchRow, outDir: string): { manifest: ClearingManifest; files: FileToWrite[] } {
  const { manifest, files, bad } = storedBatch(row);
  if (manifest === null || bad.length > 0) {
    throw new AppError('EXPORT_BATCH_MISMATCH', `Dữ liệu lưu của lần xuất ${row.csv_name} không còn khớp mã SHA-256: không ghi tệp nào. Hãy báo bộ phận kỹ thuật.`, {
      batchId: row.id,
      files: bad,
    });
  }
  return { manifest, files: files.map((f) => ({ path: join(outDir, f.name), bytes: f.bytes })) };
}

/**
 * Before a new batch takes its payments: the payments since the last export, the schema and the
 * journal since then must agree (verify's check, on what this batch would write). A batch of money
 * changed behind the journal's back is never written.
 */
function refuseUnreconciled(sqlite: Sqlite): void {
  const { list, count } = exportCheck(sqlite);
  if (count === 0) return;
  throw new AppError(
    'EXPORT_VERIFY_FAILED',
    `Số liệu thu tiền không khớp với nhật ký (${list[0]!.message}${count > 1 ? ` và ${count - 1} điểm khác` : ''}): không ghi tệp gạch nợ nào. Hãy chạy "diemthu verify" và báo bộ phận kỹ thuật.`,
    { problems: list, problemCount: count },
  );
}

/** Inside a write transaction: records the batch of every valid payment not exported before, as pending, and takes its payments and voids. */
function recordNewBatch(ctx: Ctx, outDir: string): BatchRow | null {
  const sqlite = ctx.sqlite;
  const lines = selectLines(sqlite, { batchId: null });
  const resent = selectResent(sqlite);
  if (lines.length === 0 && resent.length === 0) return null;
  refuseUnreconciled(sqlite);
  const voided = selectVoided(sqlite, null);
  const now = ctx.clock();
  const day = compactDate(now);
  const batches = query.selectFrom('clearing_batches');
  const next = selectOne(
    sqlite,
    batches
      .where('batch_day', '=', day)
      .select([
        sql<number>`COALESCE(MAX(seq), 0) + 1`.as('seq'),
        batches.select(sql<number>`COALESCE(MAX(id), 0) + 1`.as('id')).$asScalar().$notNull().as('id'),
      ]),
  );
  const pointCode = requireSetting(sqlite, 'point_code');
  // Payment confirmations for the new payments only: a resent line's customer was told when it was paid.
  const made = batchMessages(smsSettings(sqlite), lines, { pointCode, day, seq: next.seq, madeAt: now });
  const sms = { ...made, bytes: Buffer.from(made.bytes.buffer, made.bytes.byteOffset, made.bytes.byteLength), sha256: sha256(made.bytes) };
  const { manifest: m, csv, reconnection, manifestText } = buildBatch(
    pointCode,
    { batchId: next.id, day, seq: next.seq, createdAt: now.toISOString(), journalHead: journalHead(sqlite) },
    [...resent, ...lines],
    resent,
    selectOrders(sqlite, { batchId: null }),
    voided.map((v) => v.receipt_no),
    sms,
  );
  const shas = { csvSha256: m.csvSha256, reconnectionSha256: sha256(reconnection), manifestSha256: sha256(Buffer.from(manifestText, 'utf8')), smsSha256: sms.sha256 };
  sqlite
    .prepare(
      `INSERT INTO clearing_batches (id, batch_day, seq, created_at, csv_name, csv_sha256, row_count, total, first_receipt, last_receipt, manifest, out_dir,
                                     csv_bytes, reconnection_bytes, reconnection_sha256, manifest_sha256, sms_bytes, sms_sha256, status)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending')`,
    )
    .run(m.batchId, m.batchDay, m.batchSeq, m.createdAt, m.csvFile, m.csvSha256, m.rowCount, m.totalTongTien, m.firstReceipt, m.lastReceipt, manifestText, outDir,
      csv, reconnection, shas.reconnectionSha256, shas.manifestSha256, sms.bytes, sms.sha256);
  const paymentIds = [...new Set(lines.map((l) => l.payment_id))];
  // One statement for the day's payments (the triggers still see each row), not one call per payment.
  sqlite.prepare('UPDATE payments SET batch_id = ? WHERE id IN (SELECT value FROM json_each(?))').run(m.batchId, JSON.stringify(paymentIds));
  const markVoid = sqlite.prepare('UPDATE payments SET void_batch_id = ? WHERE id = ?');
  for (const v of voided) markVoid.run(m.batchId, v.id);
  const resendIds = [...new Set(resent.map((r) => r.resend_id))];
  const markResend = sqlite.prepare('UPDATE resends SET batch_id = ? WHERE id = ?');
  for (const id of resendIds) markResend.run(m.batchId, id);
  appendJournal(sqlite, {
    kind: 'export',
    actorId: null,
    // The marks too, so verify holds every payment's batch against the journal.
    payload: {
      batchId: m.batchId, csvFile: m.csvFile, ...shas, rows: m.rowCount, total: m.totalTongTien, voided: m.voidedReceipts, outDir,
      paymentIds, voidIds: voided.map((v) => v.id), resendIds,
    },
    at: now,
  });
  // The row as just inserted, not read back: its 3-6 MB of file bytes are already in hand.
  return {
    id: m.batchId, csv_name: m.csvFile, csv_sha256: m.csvSha256, manifest: manifestText, manifest_sha256: shas.manifestSha256, csv_bytes: csv,
    reconnection_bytes: reconnection, reconnection_sha256: shas.reconnectionSha256, sms_bytes: sms.bytes, sms_sha256: sms.sha256, status: 'pending',
  };
}

export interface WrittenBatch {
  batchId: number;
  outDir: string;
  files: string[];
  manifest: ClearingManifest;
}

export type ExportResult =
  | { code: 'EXPORT_NOTHING_NEW'; message: string }
  /** The last batch written; `resumed`: batches left pending by an earlier export, finished first. */
  | ({ code: 'EXPORTED'; resumed: WrittenBatch[] } & WrittenBatch);

export interface ExportOptions {
  outDir: string;
  /** File-system calls (tests inject failures). */
  fs?: AtomicFs;
  /** Called after the files are complete and before the batch is marked complete (crash harness). */
  beforeMark?: () => void;
}

/** Writes a batch's stored files (no database lock held: a slow USB stick keeps no collection waiting). */
function writeStored(row: BatchRow, options: ExportOptions): WrittenBatch {
  const fs = options.fs ?? realFs;
  const { manifest, files } = storedFiles(row, options.outDir);
  try {
    writeFilesAtomically(files, fs);
  } catch (error) {
    if (isDiskFull(error)) {
      throw diskFullError(
        error,
        `Ổ đĩa ${options.outDir} đã đầy: chưa ghi xong tệp của lần xuất ${row.csv_name}. Các khoản thu đã thuộc lần xuất này; hãy giải phóng chỗ trống hoặc dùng ổ USB khác rồi xuất lại: lần xuất này sẽ được ghi lại đúng như cũ.`,
      );
    }
    throw new AppError(
      'EXPORT_WRITE_FAILED',
      `Chưa ghi xong tệp của lần xuất ${row.csv_name} vào ${options.outDir}. Các khoản thu đã thuộc lần xuất này; hãy kiểm tra ổ USB rồi xuất lại: lần xuất này sẽ được ghi lại đúng như cũ.`,
      { batchId: row.id, cause: String(error) },
    );
  }
  return { batchId: row.id, outDir: options.outDir, files: files.map((f) => f.path), manifest };
}

/**
 * The evening export (contract section 3), in three steps so that every set of files that can be on
 * disk is a batch the database knows: (1) one short transaction records the batch as pending with its
 * files' bytes and takes its payments (pending counts as exported: no void, no other batch);
 * (2) the files are written atomically, with no database lock held; (3) the batch is marked complete.
 * A batch left pending (crash, full or pulled USB stick) is first written again under its own name,
 * byte for byte, before any new batch is made. Nothing new and nothing pending: nothing is written.
 */
export function exportClearing(ctx: Ctx, options: ExportOptions): ExportResult {
  requireAbsolute(options.outDir, EXPORT_FOLDER);
  sweepPartials(options.outDir, options.fs);
  const written: WrittenBatch[] = [];
  for (;;) {
    const next = ctx.sqlite
      .transaction(() => {
        const pending = selectFirst(ctx.sqlite, batchRows.where('status', '=', 'pending'));
        if (pending !== undefined) return { row: pending, resumed: true };
        const row = recordNewBatch(ctx, options.outDir);
        return row === null ? null : { row, resumed: false };
      })
      .immediate();
    if (next === null) break;
    const batch = writeStored(next.row, options);
    options.beforeMark?.();
    markComplete(ctx, batch);
    written.push(batch);
    if (!next.resumed) break;
  }
  const last = written.pop();
  if (last === undefined) return { code: 'EXPORT_NOTHING_NEW', message: 'Không có khoản thu mới nào kể từ lần xuất trước: không ghi tệp nào.' };
  return { code: 'EXPORTED', ...last, resumed: written };
}

/** After the files are complete. Another process may have finished the same batch first: then nothing to do. */
function markComplete(ctx: Ctx, batch: WrittenBatch): void {
  const at = ctx.clock();
  ctx.sqlite
    .transaction(() => {
      const done = ctx.sqlite
        .prepare("UPDATE clearing_batches SET status = 'complete', completed_at = ?, out_dir = ? WHERE id = ? AND status = 'pending'")
        .run(at.toISOString(), batch.outDir, batch.batchId);
      if (done.changes === 1) {
        appendJournal(ctx.sqlite, { kind: 'export_complete', actorId: null, payload: { batchId: batch.batchId, csvFile: batch.manifest.csvFile, outDir: batch.outDir }, at });
      }
    })
    .immediate();
}

/** A batch given as its id or its file name (`GACHNO_PT01_20261127_01` with or without `.csv`). */
function findBatch(sqlite: Sqlite, batch: string): BatchRow {
  const byId = /^\d+$/.test(batch) ? Number(batch) : null;
  const name = batch.endsWith('.csv') ? batch : `${batch}.csv`;
  const row = selectFirst(sqlite, batchRows.where((eb) => eb.or([eb('id', '=', byId), eb('csv_name', '=', name)])));
  if (row === undefined) throw new AppError('EXPORT_BATCH_UNKNOWN', `Không có lần xuất "${batch}".`);
  return row;
}

/**
 * Writes a past batch again (a lost USB stick): its three files exactly as stored at export, each
 * checked against its SHA-256 first. Marks nothing; a pending batch stays for exportClearing to finish.
 */
export function exportAgain(ctx: Ctx, options: ExportOptions & { batch: string }): ExportResult {
  requireAbsolute(options.outDir, EXPORT_FOLDER);
  sweepPartials(options.outDir, options.fs);
  const batch = writeStored(findBatch(ctx.sqlite, options.batch), options);
  const payload = { batchId: batch.batchId, csvFile: batch.manifest.csvFile, outDir: options.outDir };
  ctx.sqlite.transaction(() => appendJournal(ctx.sqlite, { kind: 'export_again', actorId: null, payload, at: ctx.clock() })).immediate();
  return { code: 'EXPORTED', ...batch, resumed: [] };
}
