import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { Ctx } from '../context.ts';
import type { Sqlite } from '../db/open.ts';
import { AppError } from '../core/errors.ts';
import { compactDate, formatDateTime } from '../core/local-time.ts';
import { appendJournal } from '../journal.ts';
import { requireSetting } from '../settings.ts';
import { realFs, sweepPartials, writeFilesAtomically, type AtomicFs } from '../atomic-write.ts';

/** Contract section 3. The column order is the file format: never reorder. */
export const CLEARING_COLUMNS = [
  'MA_DVIQLY', 'MA_DIEMTHU', 'SO_BIENNHAN', 'MA_KHANG', 'TEN_KHANG', 'ID_HDON', 'LOAI_HDON', 'KY', 'THANG', 'NAM',
  'SO_TIEN', 'TIEN_GTGT', 'TONG_TIEN', 'NGAY_NOP', 'MA_TNGAN',
] as const;
export const RECONNECTION_COLUMNS = [
  'MA_DVIQLY', 'MA_KHANG', 'TEN_KHANG', 'DCHI_KHANG', 'DTHOAI_SMS', 'SO_BIENNHAN', 'NGAY_YEU_CAU', 'MA_TNGAN',
] as const;
export const MANIFEST_FORMAT_VERSION = 1;

export interface ClearingManifest {
  formatVersion: number;
  pointCode: string;
  batchId: number;
  batchDay: string; // yyyyMMdd local
  batchSeq: number; // NN
  createdAt: string; // ISO UTC
  csvFile: string;
  reconnectionFile: string;
  firstReceipt: string;
  lastReceipt: string;
  rowCount: number;
  totalTongTien: number;
  receiptCount: number;
  reconnectionOrderCount: number;
  voidedReceipts: string[]; // voided since the last export, never exported
  csvSha256: string;
}

export type ExportResult =
  | { code: 'EXPORT_NOTHING_NEW'; message: string }
  | { code: 'EXPORTED'; batchId: number; outDir: string; files: string[]; manifest: ClearingManifest };

export interface ExportOptions {
  outDir: string;
  /** File-system calls (tests inject failures). */
  fs?: AtomicFs;
  /** Called after the files are complete and before they are marked exported (crash harness). */
  beforeMark?: () => void;
}

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
// rename the customer, and a batch written again must be the same bytes as the first time.
const CUSTOMER_AS_RECEIPTED = `
  LEFT JOIN print_jobs pj ON pj.payment_id = p.id AND pj.kind = 'receipt' AND pj.copy_no = 0
  JOIN customers c ON c.id = p.customer_id`;
const TEN_KHANG = `COALESCE(json_extract(pj.document, '$.customer.tenKhang'), c.ten_khang)`;
const DCHI_KHANG = `COALESCE(json_extract(pj.document, '$.customer.dchiKhang'), c.dchi_khang)`;

function batchFilter(sel: Selection): string {
  return sel.batchId === null ? 'p.batch_id IS NULL AND p.voided_at IS NULL' : 'p.batch_id = @batchId';
}

function selectLines(sqlite: Sqlite, sel: Selection): LineRow[] {
  return sqlite
    .prepare(
      `SELECT p.id AS payment_id, c.ma_dviqly, p.receipt_no, c.ma_khang, ${TEN_KHANG} AS ten_khang,
              l.id_hdon, l.loai_hdon, l.ky, l.thang, l.nam, l.so_tien, l.tien_gtgt, l.tong_tien,
              p.paid_at, u.code AS cashier_code
         FROM payments p
         JOIN payment_lines l ON l.payment_id = p.id
         JOIN users u ON u.id = p.cashier_id
         ${CUSTOMER_AS_RECEIPTED}
        WHERE ${batchFilter(sel)}
        ORDER BY p.receipt_year, p.receipt_seq, l.id`,
    )
    .all({ batchId: sel.batchId }) as LineRow[];
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
  const where = batchId === null ? 'voided_at IS NOT NULL AND void_batch_id IS NULL' : 'void_batch_id = ?';
  return sqlite
    .prepare(`SELECT id, receipt_no FROM payments WHERE ${where} ORDER BY receipt_year, receipt_seq`)
    .all(...(batchId === null ? [] : [batchId])) as { id: number; receipt_no: string }[];
}

/** UTF-8 with BOM, CRLF, comma, header row; empty cells for nulls; integers as plain digits. */
function csvBytes(columns: readonly string[], rows: (string | number | null)[][]): Buffer {
  const text = stringify(rows, { bom: true, header: true, columns: [...columns], record_delimiter: '\r\n', cast: { number: String } });
  return Buffer.from(text, 'utf8');
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

function manifestBytes(manifest: ClearingManifest): Buffer {
  return Buffer.from(JSON.stringify(manifest, null, 2) + '\n', 'utf8');
}

interface BatchFiles {
  files: { path: string; bytes: Buffer }[];
  manifest: ClearingManifest;
  manifestText: string;
}

/** Everything a batch writes, from rows read from the database: the same rows give the same bytes. */
function buildBatch(
  pointCode: string,
  id: { batchId: number; day: string; seq: number; createdAt: string },
  lines: LineRow[],
  orders: OrderRow[],
  voided: string[],
  outDir: string,
): BatchFiles {
  const csv = clearingCsv(pointCode, lines);
  const csvFile = `${fileStem('GACHNO', pointCode, id.day, id.seq)}.csv`;
  const reconnectionFile = `${fileStem('LENHDONGDIEN', pointCode, id.day, id.seq)}.csv`;
  const manifest: ClearingManifest = {
    formatVersion: MANIFEST_FORMAT_VERSION,
    pointCode,
    batchId: id.batchId,
    batchDay: id.day,
    batchSeq: id.seq,
    createdAt: id.createdAt,
    csvFile,
    reconnectionFile,
    firstReceipt: lines[0]!.receipt_no,
    lastReceipt: lines[lines.length - 1]!.receipt_no,
    rowCount: lines.length,
    totalTongTien: lines.reduce((sum, l) => sum + l.tong_tien, 0),
    receiptCount: new Set(lines.map((l) => l.payment_id)).size,
    reconnectionOrderCount: orders.length,
    voidedReceipts: voided,
    csvSha256: createHash('sha256').update(csv).digest('hex'),
  };
  const manifestBuf = manifestBytes(manifest);
  return {
    manifest,
    manifestText: manifestBuf.toString('utf8'),
    files: [
      { path: join(outDir, csvFile), bytes: csv },
      { path: join(outDir, reconnectionFile), bytes: reconnectionCsv(orders) },
      // The manifest last: its presence says the batch is complete.
      { path: join(outDir, csvFile.replace(/\.csv$/, '.json')), bytes: manifestBuf },
    ],
  };
}

/**
 * Writes the clearing batch of every valid payment not exported before (contract section 3), then,
 * only when all its files are complete on disk, marks those payments (and the voids it lists)
 * exported in one transaction with the clearing_batches row and the journal entry.
 * Nothing new: nothing is written, and the result says so.
 */
export function exportClearing(ctx: Ctx, options: ExportOptions): ExportResult {
  const fs = options.fs ?? realFs;
  const pointCode = requireSetting(ctx.sqlite, 'point_code');
  // One write transaction from the read to the mark: the rows written are exactly the rows marked,
  // and a second export (another process) waits instead of writing the same batch number. A crash
  // before the commit rolls the mark back; the complete files left behind are rewritten next time.
  return ctx.sqlite
    .transaction((): ExportResult => {
      // Only the holder of the write lock sweeps, so it never removes another export's temporaries.
      sweepPartials(options.outDir, fs);
      const lines = selectLines(ctx.sqlite, { batchId: null });
      if (lines.length === 0) {
        return { code: 'EXPORT_NOTHING_NEW', message: 'Không có khoản thu mới nào kể từ lần xuất trước: không ghi tệp nào.' };
      }
      const voided = selectVoided(ctx.sqlite, null);
      const now = ctx.clock();
      const day = compactDate(now);
      const next = ctx.sqlite
        .prepare('SELECT COALESCE(MAX(seq), 0) + 1 AS seq, (SELECT COALESCE(MAX(id), 0) + 1 FROM clearing_batches) AS id FROM clearing_batches WHERE batch_day = ?')
        .get(day) as { seq: number; id: number };
      const batch = buildBatch(
        pointCode,
        { batchId: next.id, day, seq: next.seq, createdAt: now.toISOString() },
        lines,
        selectOrders(ctx.sqlite, { batchId: null }),
        voided.map((v) => v.receipt_no),
        options.outDir,
      );
      writeFilesAtomically(batch.files, fs);
      options.beforeMark?.();
      markExported(ctx, batch, options.outDir, [...new Set(lines.map((l) => l.payment_id))], voided.map((v) => v.id), now);
      return { code: 'EXPORTED', batchId: next.id, outDir: options.outDir, files: batch.files.map((f) => f.path), manifest: batch.manifest };
    })
    .immediate();
}

/** Inside the export's transaction, after the files are complete: the batch row, the marks and the journal row. */
function markExported(ctx: Ctx, batch: BatchFiles, outDir: string, paymentIds: number[], voidIds: number[], at: Date): void {
  const m = batch.manifest;
  const sqlite = ctx.sqlite;
  sqlite
    .prepare(
      `INSERT INTO clearing_batches (id, batch_day, seq, created_at, csv_name, csv_sha256, row_count, total, first_receipt, last_receipt, manifest, out_dir)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(m.batchId, m.batchDay, m.batchSeq, m.createdAt, m.csvFile, m.csvSha256, m.rowCount, m.totalTongTien, m.firstReceipt, m.lastReceipt, batch.manifestText, outDir);
  const markPayment = sqlite.prepare('UPDATE payments SET batch_id = ? WHERE id = ?');
  for (const id of paymentIds) markPayment.run(m.batchId, id);
  const markVoid = sqlite.prepare('UPDATE payments SET void_batch_id = ? WHERE id = ?');
  for (const id of voidIds) markVoid.run(m.batchId, id);
  appendJournal(sqlite, {
    kind: 'export',
    actorId: null,
    payload: { batchId: m.batchId, csvFile: m.csvFile, csvSha256: m.csvSha256, rows: m.rowCount, total: m.totalTongTien, voided: m.voidedReceipts, outDir },
    at,
  });
}

/** A batch given as its id or its file name (`GACHNO_PT01_20261127_01` with or without `.csv`). */
function findBatch(sqlite: Sqlite, batch: string): { id: number; batch_day: string; seq: number; created_at: string; csv_sha256: string; manifest: string } {
  const byId = /^\d+$/.test(batch) ? Number(batch) : null;
  const name = batch.endsWith('.csv') ? batch : `${batch}.csv`;
  const row = sqlite
    .prepare('SELECT id, batch_day, seq, created_at, csv_sha256, manifest FROM clearing_batches WHERE id = ? OR csv_name = ?')
    .get(byId, name) as { id: number; batch_day: string; seq: number; created_at: string; csv_sha256: string; manifest: string } | undefined;
  if (row === undefined) throw new AppError('EXPORT_BATCH_UNKNOWN', `Không có lần xuất "${batch}".`);
  return row;
}

/**
 * Writes a past batch again from the database (a lost USB stick): the same bytes as the first
 * time, checked against the SHA-256 and manifest stored when it was exported. Marks nothing.
 */
export function exportAgain(ctx: Ctx, options: ExportOptions & { batch: string }): ExportResult {
  const fs = options.fs ?? realFs;
  const pointCode = requireSetting(ctx.sqlite, 'point_code');
  const stored = findBatch(ctx.sqlite, options.batch);
  const sel = { batchId: stored.id };
  const batch = buildBatch(
    pointCode,
    { batchId: stored.id, day: stored.batch_day, seq: stored.seq, createdAt: stored.created_at },
    selectLines(ctx.sqlite, sel),
    selectOrders(ctx.sqlite, sel),
    selectVoided(ctx.sqlite, stored.id).map((v) => v.receipt_no),
    options.outDir,
  );
  if (batch.manifest.csvSha256 !== stored.csv_sha256 || batch.manifestText !== stored.manifest) {
    throw new AppError('EXPORT_AGAIN_MISMATCH', 'Dữ liệu trong máy không còn khớp với lần xuất này (mã SHA-256 khác): không ghi tệp nào. Hãy báo bộ phận kỹ thuật.', {
      batchId: stored.id,
      stored: stored.csv_sha256,
      rebuilt: batch.manifest.csvSha256,
    });
  }
  const payload = { batchId: stored.id, csvFile: batch.manifest.csvFile, outDir: options.outDir };
  ctx.sqlite
    .transaction(() => {
      sweepPartials(options.outDir, fs);
      writeFilesAtomically(batch.files, fs);
      appendJournal(ctx.sqlite, { kind: 'export_again', actorId: null, payload, at: ctx.clock() });
    })
    .immediate();
  return { code: 'EXPORTED', batchId: stored.id, outDir: options.outDir, files: batch.files.map((f) => f.path), manifest: batch.manifest };
}
