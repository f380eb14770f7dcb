import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { AppError, type ErrorCode } from '../../electron/core/errors.ts';
import { dayRange, parseDate } from '../../electron/core/local-time.ts';
import { CLEARING_COLUMNS, POINT_BATCH_FILE, pointManifest, type PointManifest } from '../../protocol/clearing-file.ts';
import { paymentBody, type PaymentBody } from '../../protocol/payment.ts';
import type { SyncEvent } from '../../protocol/sync.ts';
import type { ServerDb } from '../db/connect.ts';
import { applyEvents } from '../sync/apply.ts';
import type { ResentRow } from '../sync/resends.ts';

export interface IngestResult {
  file: string;
  pointCode: string;
  batch: string;
  payments: number;
  accepted: number;
  duplicates: number;
  conflicts: { receiptNo: string; idHdon: string; heldBy: string }[];
  voids: number;
  /** Rows of lines resent in this batch (manifest `resent`) taken now: each is a line of a payment the server holds, never a new payment. */
  resent: number;
  /** The same file (same batch, same bytes) was ingested before: nothing changed. */
  alreadyIngested: boolean;
}

const refuse = (code: ErrorCode, message: string, details?: unknown) => new AppError(code, message, details);

function readBytes(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw refuse('INGEST_FILE_UNREADABLE', `Không đọc được ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
  }
}

/** NGAY_NOP `dd/MM/yyyy HH:mm:ss`, Việt Nam time, as the body's ISO UTC second; null when it is not a real time. */
export function ngayNopToUtc(text: string): string | null {
  const m = /^(\d{2}\/\d{2}\/\d{4}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  const date = m === null ? null : parseDate(m[1]!);
  if (m === null || date === null) return null;
  const [h, min, s] = [Number(m[2]), Number(m[3]), Number(m[4])];
  if (h > 23 || min > 59 || s > 59) return null;
  const p2 = (n: number) => String(n).padStart(2, '0');
  const start = dayRange(`${date.year}-${p2(date.month)}-${p2(date.day)}`).start.getTime();
  return new Date(start + ((h * 60 + min) * 60 + s) * 1000).toISOString().replace('.000Z', 'Z');
}

function manifestOf(csvPath: string, point: string, day: string, seq: number): PointManifest {
  const path = join(dirname(csvPath), basename(csvPath).replace(/\.csv$/, '.json'));
  let json: unknown;
  try {
    json = JSON.parse(readBytes(path, 'bản kê (manifest)').toString('utf8'));
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw refuse('INGEST_MANIFEST_INVALID', `Bản kê ${path} không phải JSON.`);
  }
  const parsed = pointManifest.safeParse(json);
  if (!parsed.success) throw refuse('INGEST_MANIFEST_INVALID', `Bản kê ${path} thiếu hoặc sai trường: ${parsed.error.issues.slice(0, 5).map((i) => i.path.join('.')).join(', ')}.`);
  const m = parsed.data;
  if (m.pointCode !== point || m.batchDay !== day || m.batchSeq !== seq || m.csvFile !== basename(csvPath)) {
    throw refuse('INGEST_BATCH_MISMATCH', `Bản kê ghi lần xuất ${m.csvFile} (điểm thu ${m.pointCode}, ngày ${m.batchDay}, số ${m.batchSeq}), không phải tệp ${basename(csvPath)}.`);
  }
  return m;
}

const INT = /^\d{1,15}$/;

/** One receipt's rows as its canonical payment body; a receipt whose rows disagree on the receipt's own fields is refused. */
function toPayment(point: string, rows: { line: number; r: Record<string, string> }[]): PaymentBody {
  const first = rows[0]!;
  for (const col of ['MA_DVIQLY', 'MA_KHANG', 'TEN_KHANG', 'NGAY_NOP', 'MA_TNGAN'] as const) {
    const odd = rows.find((x) => x.r[col] !== first.r[col]);
    if (odd !== undefined) throw refuse('INGEST_RECEIPT_INCONSISTENT', `Dòng ${odd.line}: ${col} khác các dòng khác của biên nhận ${first.r.SO_BIENNHAN}.`);
  }
  const num = (x: { line: number; r: Record<string, string> }, col: string, optional: boolean): number | null => {
    const v = x.r[col] ?? '';
    if (v === '' && optional) return null;
    if (!INT.test(v)) throw refuse('INGEST_ROW_INVALID', `Dòng ${x.line}, cột ${col}, giá trị "${v}": không phải số nguyên.`);
    return Number(v);
  };
  const paidAt = ngayNopToUtc(first.r.NGAY_NOP ?? '');
  if (paidAt === null) throw refuse('INGEST_ROW_INVALID', `Dòng ${first.line}, cột NGAY_NOP, giá trị "${first.r.NGAY_NOP}": không phải dd/MM/yyyy HH:mm:ss.`);
  const body = {
    receiptNo: first.r.SO_BIENNHAN,
    pointCode: point,
    unit: first.r.MA_DVIQLY,
    maKhang: first.r.MA_KHANG,
    tenKhang: first.r.TEN_KHANG,
    paidAt,
    cashierCode: first.r.MA_TNGAN,
    lines: rows.map((x) => ({
      idHdon: x.r.ID_HDON === '' ? null : x.r.ID_HDON,
      loaiHdon: x.r.LOAI_HDON,
      ky: num(x, 'KY', true),
      thang: num(x, 'THANG', true),
      nam: num(x, 'NAM', true),
      soTien: num(x, 'SO_TIEN', false),
      tienGtgt: num(x, 'TIEN_GTGT', false),
      tongTien: num(x, 'TONG_TIEN', false),
    })),
  };
  const parsed = paymentBody.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw refuse('INGEST_ROW_INVALID', `Biên nhận ${first.r.SO_BIENNHAN} (dòng ${first.line}): ${issue.path.join('.')} ${issue.message}.`);
  }
  return parsed.data;
}

/** The file's rows grouped by receipt, each receipt's rows together (as the point writes them). */
function receiptsOf(csv: Buffer, point: string): PaymentBody[] {
  let records: string[][];
  try {
    records = parse(csv, { bom: true, relax_column_count: false, skip_empty_lines: false });
  } catch (error) {
    throw refuse('INGEST_CSV_INVALID', `Tệp gạch nợ không đọc được như CSV: ${(error as Error).message}`);
  }
  const [header, ...data] = records;
  if (header === undefined || header.join(',') !== CLEARING_COLUMNS.join(',')) {
    throw refuse('INGEST_COLUMNS_INVALID', `Dòng tiêu đề phải là đúng các cột ${CLEARING_COLUMNS.join(', ')}.`);
  }
  const groups = new Map<string, { line: number; r: Record<string, string> }[]>();
  let previous: string | undefined;
  data.forEach((cells, i) => {
    const r = Object.fromEntries(CLEARING_COLUMNS.map((c, j) => [c, cells[j] ?? '']));
    const line = i + 2;
    if (r.MA_DIEMTHU !== point) throw refuse('INGEST_ROW_INVALID', `Dòng ${line}: MA_DIEMTHU "${r.MA_DIEMTHU}" không phải điểm thu ${point} của tệp.`);
    const receipt = r.SO_BIENNHAN!;
    if (receipt !== previous && groups.has(receipt)) throw refuse('INGEST_ROW_INVALID', `Dòng ${line}: các dòng của biên nhận ${receipt} không liền nhau.`);
    groups.set(receipt, [...(groups.get(receipt) ?? []), { line, r }]);
    previous = receipt;
  });
  return [...groups.values()].map((rows) => toPayment(point, rows));
}

/**
 * The rows the manifest lists as resent (contract section 5): each listed line is a row of the file
 * with the same TONG_TIEN, and a receipt is either resent whole (its rows are exactly its resent lines)
 * or not at all; anything else is INGEST_MANIFEST_MISMATCH.
 */
function resentRows(name: string, payments: PaymentBody[], manifest: PointManifest): Omit<ResentRow, 'batchDay' | 'batchSeq'>[] {
  const listed = manifest.resent ?? [];
  const mismatch = (what: string) => refuse('INGEST_MANIFEST_MISMATCH', `${name} không khớp bản kê: ${what}. Không nhập gì.`);
  const byReceipt = new Map(payments.map((p) => [p.receiptNo, p]));
  for (const r of listed) {
    const line = byReceipt.get(r.receiptNo)?.lines.find((l) => (l.idHdon ?? '') === r.idHdon);
    if (line === undefined || line.tongTien !== r.tongTien) throw mismatch(`dòng gửi lại ${r.receiptNo} ${r.idHdon === '' ? '(phí)' : r.idHdon} không có trong tệp với số tiền ${r.tongTien}`);
  }
  for (const receipt of new Set(listed.map((r) => r.receiptNo))) {
    const rows = byReceipt.get(receipt)!.lines.length;
    if (rows !== listed.filter((r) => r.receiptNo === receipt).length) throw mismatch(`biên nhận ${receipt} có dòng gửi lại lẫn dòng mới`);
  }
  return listed.map((r) => ({ receiptNo: r.receiptNo, idHdon: r.idHdon, tongTien: r.tongTien, firstCsvFile: r.firstCsvFile }));
}

/**
 * A point's clearing batch delivered as files (a point that never comes online): the manifest
 * beside the CSV is checked (batch name, SHA-256, rows, total, receipts, first and last), the rows
 * become the same payment bodies a push would carry, and they go through the same code as a push,
 * in one transaction: all of the file or nothing. The same file again changes nothing.
 */
export async function ingestFile(db: ServerDb, csvPath: string): Promise<IngestResult> {
  const name = basename(csvPath);
  const m = POINT_BATCH_FILE.exec(name);
  if (m === null) throw refuse('INGEST_NAME_INVALID', `Tên tệp "${name}" không phải GACHNO_<điểm thu>_<yyyyMMdd>_<NN>.csv.`);
  const [point, day, seq] = [m[1]!, m[2]!, Number(m[3])];
  const manifest = manifestOf(csvPath, point, day, seq);
  const csv = readBytes(csvPath, 'tệp gạch nợ');
  const sha = createHash('sha256').update(csv).digest('hex');
  if (sha !== manifest.csvSha256) throw refuse('INGEST_SHA_MISMATCH', `Mã SHA-256 của ${name} không khớp bản kê: tệp đã bị sửa hoặc chép hỏng. Không nhập gì.`, { expected: manifest.csvSha256, actual: sha });
  const all = receiptsOf(csv, point);
  const rows = all.reduce((n, p) => n + p.lines.length, 0);
  const total = all.reduce((s, p) => s + p.lines.reduce((t, l) => t + l.tongTien, 0), 0);
  const checks: [string, unknown, unknown][] = [
    ['số dòng', rows, manifest.rowCount],
    ['tổng TONG_TIEN', total, manifest.totalTongTien],
    ['số biên nhận', all.length, manifest.receiptCount],
    ['biên nhận đầu', all[0]?.receiptNo, manifest.firstReceipt],
    ['biên nhận cuối', all.at(-1)?.receiptNo, manifest.lastReceipt],
  ];
  const wrong = checks.filter(([, actual, expected]) => actual !== expected);
  if (wrong.length > 0) {
    throw refuse('INGEST_MANIFEST_MISMATCH', `${name} không khớp bản kê: ${wrong.map(([what, a, e]) => `${what} ${String(a)} (bản kê ghi ${String(e)})`).join('; ')}. Không nhập gì.`);
  }
  const resent = resentRows(name, all, manifest);
  const resentReceipts = new Set(resent.map((r) => r.receiptNo));
  const payments = all.filter((p) => !resentReceipts.has(p.receiptNo));
  let seqNo = 0;
  const events: SyncEvent[] = [
    ...payments.map((payment): SyncEvent => ({ kind: 'payment', seq: ++seqNo, payment })),
    ...manifest.voidedReceipts.map((receiptNo): SyncEvent => ({ kind: 'void', seq: ++seqNo, receiptNo })),
    {
      kind: 'export',
      seq: ++seqNo,
      // As the point pushes it (electron/sync/events.ts batchBody): the resent rows are the first batch's, not this one's.
      batch: {
        pointCode: point, batchDay: day, batchSeq: seq, csvSha256: sha, rowCount: rows - resent.length, totalTongTien: total - resent.reduce((s, r) => s + r.tongTien, 0),
        receipts: payments.map((p) => p.receiptNo), voidedReceipts: manifest.voidedReceipts,
      },
    },
  ];
  const result = await applyEvents(db, point, events, 'ingest', { recordSeq: false, allOrNothing: true, resent: resent.map((r) => ({ ...r, batchDay: day, batchSeq: seq })) });
  const acks = result.acks;
  const paymentAcks = acks.slice(0, payments.length);
  return {
    file: name,
    pointCode: point,
    batch: name.replace(/\.csv$/, ''),
    payments: payments.length,
    accepted: paymentAcks.filter((a) => a.status === 'accepted' || a.status === 'conflict').length,
    duplicates: paymentAcks.filter((a) => a.status === 'duplicate').length,
    conflicts: paymentAcks.flatMap((a, i) => (a.status === 'conflict' ? (a.conflicts ?? []).map((c) => ({ receiptNo: payments[i]!.receiptNo, ...c })) : [])),
    voids: acks.slice(payments.length, payments.length + manifest.voidedReceipts.length).filter((a) => a.status === 'accepted').length,
    resent: acks.slice(events.length).filter((a) => a.status === 'accepted').length,
    alreadyIngested: acks.every((a) => a.status === 'duplicate'),
  };
}
