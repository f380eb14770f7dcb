import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { AppError } from '../../electron/core/errors.ts';
import { dayRange } from '../../electron/core/local-time.ts';
import { CLEARING_COLUMNS } from '../../protocol/clearing-file.ts';
import { UNIT_CODE } from '../../protocol/payment.ts';
import type { ServerDb } from '../db/connect.ts';
import type { ServerTables } from '../db/tables.ts';
import type { Trx } from '../sync/retry.ts';
import { writeFileAtomically } from './atomic.ts';
import { clearingCsvBytes } from './csv.ts';

export interface ConsolidatedManifest {
  formatVersion: 1;
  unit: string;
  date: string; // yyyy-mm-dd, Việt Nam time
  csvFile: string;
  rowCount: number;
  receiptCount: number;
  totalTongTien: number;
  csvSha256: string;
  /** The points' batches holding this file's payments, with their own rows and total. */
  pointBatches: { pointCode: string; csvFile: string; rowCount: number; totalTongTien: number; rowsInFile: number; totalInFile: number }[];
  /** Payments of the day pushed but not yet in any point batch. */
  unbatched: { pointCode: string; receipts: number; totalInFile: number }[];
  /** Gaps in a point's batch numbers (NN) on the days of the batches above. */
  missingBatches: { pointCode: string; batchDay: string; missing: number[] }[];
  /** Lines of this file a point resent in a later batch of its own after CMIS rejected them (contract section 5): each is still one row above, never a second payment. */
  resent: { pointCode: string; csvFile: string; receiptNo: string; idHdon: string; tongTien: number; firstCsvFile: string }[];
  /** Bills of this unit and day paid twice: the later receipt is not in the file (a refund case). */
  conflicts: { idHdon: string; heldBy: string; heldByPoint: string; receiptNo: string; pointCode: string }[];
}

/** A clearing line with its receipt's fields, as the tables hold them; NGAY_NOP already formatted by PostgreSQL. */
type Line = Omit<ServerTables['payment_lines'], 'line_no' | 'live'> &
  Pick<ServerTables['payments'], 'unit' | 'point_code' | 'ma_khang' | 'ten_khang' | 'cashier_code'> & { ngay_nop: string; batch_day: string | null; batch_seq: number | null };

const pointOf = (receipt: string) => receipt.slice(0, receipt.indexOf('-'));
const nn = (seq: number) => String(seq).padStart(2, '0');

/** Everything the file and its manifest say, read in one snapshot (REPEATABLE READ) so they agree. */
async function read(trx: Trx, unit: string, date: string) {
  const { start, end } = dayRange(date);
  const lines = (
    await sql<Line>`
      SELECT p.unit, p.point_code, p.receipt_no, p.ma_khang, p.ten_khang, l.id_hdon, l.loai_hdon, l.ky, l.thang, l.nam,
             l.so_tien, l.tien_gtgt, l.tong_tien, p.cashier_code, b.batch_day, b.batch_seq,
             to_char(p.paid_at AT TIME ZONE INTERVAL '+07:00', 'DD/MM/YYYY HH24:MI:SS') AS ngay_nop
        FROM payments p JOIN payment_lines l ON l.receipt_no = p.receipt_no LEFT JOIN batch_receipts b ON b.receipt_no = p.receipt_no
       WHERE p.unit = ${unit} AND p.paid_at >= ${start} AND p.paid_at < ${end} AND p.voided_at IS NULL AND l.live
       ORDER BY p.receipt_no COLLATE "C", l.line_no`.execute(trx)
  ).rows;
  const batches = (
    await sql<{ point_code: string; batch_day: string; batch_seq: number; row_count: number; total: number }>`
      SELECT point_code, batch_day, batch_seq, row_count, total FROM point_batches
       WHERE (point_code, batch_day, batch_seq) IN (
         SELECT DISTINCT b.point_code, b.batch_day, b.batch_seq FROM payments p JOIN batch_receipts b ON b.receipt_no = p.receipt_no
          WHERE p.unit = ${unit} AND p.paid_at >= ${start} AND p.paid_at < ${end} AND p.voided_at IS NULL)
       ORDER BY point_code COLLATE "C", batch_day, batch_seq`.execute(trx)
  ).rows;
  const days = (
    await sql<{ point_code: string; batch_day: string; seqs: number[] }>`
      SELECT point_code, batch_day, array_agg(batch_seq ORDER BY batch_seq) AS seqs FROM point_batches
       WHERE (point_code, batch_day) IN (SELECT point_code, batch_day FROM point_batches
                                          WHERE (point_code, batch_day, batch_seq) IN (SELECT DISTINCT b.point_code, b.batch_day, b.batch_seq
                                                 FROM payments p JOIN batch_receipts b ON b.receipt_no = p.receipt_no
                                                 WHERE p.unit = ${unit} AND p.paid_at >= ${start} AND p.paid_at < ${end}))
       GROUP BY point_code, batch_day ORDER BY point_code COLLATE "C", batch_day`.execute(trx)
  ).rows;
  const conflicts = (
    await sql<{ id_hdon: string; held_by: string; receipt_no: string }>`
      SELECT c.id_hdon, c.held_by, c.receipt_no FROM conflicts c
        JOIN payments later ON later.receipt_no = c.receipt_no
        JOIN payments holder ON holder.receipt_no = c.held_by
       WHERE c.status = 'open'
         AND ((later.unit = ${unit} AND later.paid_at >= ${start} AND later.paid_at < ${end})
           OR (holder.unit = ${unit} AND holder.paid_at >= ${start} AND holder.paid_at < ${end}))
       ORDER BY c.id_hdon COLLATE "C", c.receipt_no COLLATE "C"`.execute(trx)
  ).rows;
  const resent = (
    await sql<{ point_code: string; batch_day: string; batch_seq: number; receipt_no: string; id_hdon: string; tong_tien: string; first_csv_file: string }>`
      SELECT r.point_code, r.batch_day, r.batch_seq, r.receipt_no, r.id_hdon, r.tong_tien, r.first_csv_file FROM resent_lines r JOIN payments p ON p.receipt_no = r.receipt_no
       WHERE p.unit = ${unit} AND p.paid_at >= ${start} AND p.paid_at < ${end} AND p.voided_at IS NULL
       ORDER BY r.receipt_no COLLATE "C", r.id_hdon COLLATE "C"`.execute(trx)
  ).rows;
  return { lines, batches, days, conflicts, resent };
}

/**
 * The company's clearing file for one unit and one day (contract section 7): every bill of the unit
 * cleared by that day's payments exactly once, from the receipt that holds it (a later conflicting
 * receipt is not there), fee lines included, whatever way and however often the payments arrived.
 * The manifest names the point batches, the gaps in their numbers and the conflicts. No time of
 * writing or of arrival goes into either file, so the same payments write the same bytes. CSV first, manifest last,
 * each atomically.
 */
export async function consolidate(db: ServerDb, args: { unit: string; date: string; outDir: string }): Promise<{ files: string[]; manifest: ConsolidatedManifest }> {
  const unit = args.unit.trim().toUpperCase();
  if (!UNIT_CODE.test(unit)) throw new AppError('UNIT_CODE_INVALID', `Mã đơn vị "${args.unit}" không hợp lệ (4-10 ký tự A-Z, 0-9).`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(args.date) || Number.isNaN(Date.parse(`${args.date}T00:00:00Z`))) {
    throw new AppError('DATE_INVALID', `Ngày "${args.date}" phải có dạng yyyy-mm-dd.`);
  }
  const data = await db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute((trx) => read(trx, unit, args.date));
  if (data.lines.length === 0) {
    throw new AppError('CONSOLIDATE_NOTHING', `Máy chủ không có khoản thu nào của đơn vị ${unit} ngày ${args.date}: không ghi tệp nào.`);
  }
  const csv = clearingCsvBytes(
    CLEARING_COLUMNS,
    data.lines.map((l) => [
      l.unit, l.point_code, l.receipt_no, l.ma_khang, l.ten_khang, l.id_hdon ?? '', l.loai_hdon, l.ky, l.thang, l.nam,
      l.so_tien, l.tien_gtgt, l.tong_tien, l.ngay_nop, l.cashier_code,
    ]),
  );
  const stem = `GACHNO_${unit}_${args.date.replaceAll('-', '')}_TH`;
  const sum = (ls: Line[]) => ls.reduce((s, l) => s + l.tong_tien, 0);
  const byBatch = new Map<string, Line[]>();
  for (const l of data.lines) {
    const key = `${l.point_code}/${l.batch_day}/${l.batch_seq}`;
    const group = byBatch.get(key);
    if (group === undefined) byBatch.set(key, [l]);
    else group.push(l);
  }
  const inBatch = (b: { point_code: string; batch_day: string; batch_seq: number }) => byBatch.get(`${b.point_code}/${b.batch_day}/${b.batch_seq}`) ?? [];
  const unbatched = data.lines.filter((l) => l.batch_day === null);
  const unbatchedPoints = [...new Set(unbatched.map((l) => l.point_code))];
  const manifest: ConsolidatedManifest = {
    formatVersion: 1,
    unit,
    date: args.date,
    csvFile: `${stem}.csv`,
    rowCount: data.lines.length,
    receiptCount: new Set(data.lines.map((l) => l.receipt_no)).size,
    totalTongTien: sum(data.lines),
    csvSha256: createHash('sha256').update(csv).digest('hex'),
    pointBatches: data.batches.map((b) => ({
      pointCode: b.point_code,
      csvFile: `GACHNO_${b.point_code}_${b.batch_day}_${nn(b.batch_seq)}.csv`,
      rowCount: b.row_count,
      totalTongTien: b.total,
      rowsInFile: inBatch(b).length,
      totalInFile: sum(inBatch(b)),
    })),
    unbatched: unbatchedPoints.map((p) => {
      const mine = unbatched.filter((l) => l.point_code === p);
      return { pointCode: p, receipts: new Set(mine.map((l) => l.receipt_no)).size, totalInFile: sum(mine) };
    }),
    missingBatches: data.days
      .map((d) => ({ pointCode: d.point_code, batchDay: d.batch_day, missing: Array.from({ length: Math.max(...d.seqs) }, (_, i) => i + 1).filter((n) => !d.seqs.includes(n)) }))
      .filter((d) => d.missing.length > 0),
    resent: data.resent.map((r) => ({
      pointCode: r.point_code, csvFile: `GACHNO_${r.point_code}_${r.batch_day}_${nn(r.batch_seq)}.csv`, receiptNo: r.receipt_no, idHdon: r.id_hdon, tongTien: Number(r.tong_tien), firstCsvFile: r.first_csv_file,
    })),
    conflicts: data.conflicts.map((c) => ({ idHdon: c.id_hdon, heldBy: c.held_by, heldByPoint: pointOf(c.held_by), receiptNo: c.receipt_no, pointCode: pointOf(c.receipt_no) })),
  };
  mkdirSync(args.outDir, { recursive: true });
  const files = [join(args.outDir, `${stem}.csv`), join(args.outDir, `${stem}.json`)];
  writeFileAtomically(files[0]!, csv);
  writeFileAtomically(files[1]!, Buffer.from(JSON.stringify(manifest, null, 2) + '\n', 'utf8'));
  return { files, manifest };
}
