import { sql } from 'kysely';
import type { Trx } from './retry.ts';
import type { Source } from './apply.ts';

/** A row a point's clearing file carries again (its manifest's `resent`), in the batch (day, NN) that carries it now. */
export interface ResentRow {
  batchDay: string;
  batchSeq: number;
  receiptNo: string;
  /** '' for the fee charged at the point */
  idHdon: string;
  tongTien: number;
  firstCsvFile: string;
}

export type ResentOutcome = 'accepted' | 'duplicate' | { code: 'RESEND_LINE_UNKNOWN' | 'RESEND_LINE_CHANGED'; message: string };

const bill = (r: ResentRow) => (r.idHdon === '' ? 'phí đóng điện' : `hóa đơn ${r.idHdon}`);

/**
 * Records a resent row once: the line must be one the server holds (its payment valid, the line live,
 * the same TONG_TIEN) in the point's batch the manifest names as its first; the same row again is a
 * duplicate, the line resent in another batch or from another first batch is refused.
 */
export async function applyResent(trx: Trx, point: { code: string }, r: ResentRow, source: Source): Promise<ResentOutcome> {
  const known = (
    await sql<{ batch_day: string; batch_seq: number; tong_tien: string; first_csv_file: string }>`
      SELECT batch_day, batch_seq, tong_tien, first_csv_file FROM resent_lines WHERE receipt_no = ${r.receiptNo} AND id_hdon = ${r.idHdon}`.execute(trx)
  ).rows[0];
  if (known !== undefined) {
    const same = known.batch_day === r.batchDay && known.batch_seq === r.batchSeq && Number(known.tong_tien) === r.tongTien && known.first_csv_file === r.firstCsvFile;
    if (same) return 'duplicate';
    return { code: 'RESEND_LINE_CHANGED', message: `Biên nhận ${r.receiptNo}, ${bill(r)} đã được ghi là gửi lại trong lần xuất ${known.batch_day}_${String(known.batch_seq).padStart(2, '0')}; không ghi lần gửi lại khác.` };
  }
  const held = await sql`
    SELECT 1 FROM payment_lines l JOIN payments p ON p.receipt_no = l.receipt_no JOIN batch_receipts b ON b.receipt_no = p.receipt_no
     WHERE l.receipt_no = ${r.receiptNo} AND COALESCE(l.id_hdon, '') = ${r.idHdon} AND l.tong_tien = ${r.tongTien} AND l.live AND p.voided_at IS NULL
       AND p.point_code = ${point.code} AND 'GACHNO_' || b.point_code || '_' || b.batch_day || '_' || lpad(b.batch_seq::text, 2, '0') || '.csv' = ${r.firstCsvFile}`.execute(trx);
  if (held.rows.length === 0) {
    return {
      code: 'RESEND_LINE_UNKNOWN',
      message: `Dòng gửi lại của biên nhận ${r.receiptNo}, ${bill(r)} (${r.tongTien} đồng) không có trên máy chủ trong lần xuất đầu ${r.firstCsvFile}: hãy nhập tệp ${r.firstCsvFile} trước.`,
    };
  }
  await sql`
    INSERT INTO resent_lines (point_code, batch_day, batch_seq, receipt_no, id_hdon, tong_tien, first_csv_file, source)
    VALUES (${point.code}, ${r.batchDay}, ${r.batchSeq}, ${r.receiptNo}, ${r.idHdon}, ${r.tongTien}, ${r.firstCsvFile}, ${source})`.execute(trx);
  return 'accepted';
}
