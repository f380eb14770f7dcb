/**
 * The lines that wait for a supervisor's decision (contract section 5), for the results screen: each
 * line CMIS rejected in the last batch that carried it and not yet refunded (a line resent and not yet
 * exported again is decided), and each open "trùng thu" conflict. The rules of what may be decided are
 * line-decisions.ts's and the database's; this only lists.
 */
import type { Sqlite } from '../store/open.ts';
import { openConflicts } from './snapshots.ts';

export interface WaitingLine {
  receiptNo: string;
  /** '' for the reconnection fee charged here (named PHI in a decision) */
  idHdon: string;
  maKhang: string;
  tenKhang: string;
  tongTien: number;
  why: 'rejected' | 'conflict';
  /** CMIS's answer and note (rejected lines) */
  ketQua: string | null;
  ghiChu: string | null;
  /** The batch that answered it (rejected lines) */
  csvFile: string | null;
  /** A line is resent once, and only when its own batch rejected it. */
  canResend: boolean;
}

const REJECTED = `
  SELECT p.receipt_no AS receiptNo, COALESCE(l.id_hdon, '') AS idHdon, c.ma_khang AS maKhang, c.ten_khang AS tenKhang, l.tong_tien AS tongTien,
         r.ket_qua AS ketQua, r.ghi_chu AS ghiChu, b.csv_name AS csvFile, (x.payment_line_id IS NULL) AS canResend
    FROM payment_lines l JOIN payments p ON p.id = l.payment_id JOIN customers c ON c.id = p.customer_id
    LEFT JOIN resend_lines x ON x.payment_line_id = l.id LEFT JOIN resends s ON s.id = x.resend_id
    JOIN clearing_result_lines r ON r.payment_line_id = l.id AND r.batch_id = CASE WHEN x.payment_line_id IS NULL THEN p.batch_id ELSE s.batch_id END
    JOIN clearing_batches b ON b.id = r.batch_id
   WHERE r.ket_qua <> 'OK' AND NOT EXISTS (SELECT 1 FROM refund_lines WHERE payment_line_id = l.id)
   ORDER BY p.receipt_year, p.receipt_seq, l.id`;

export function waitingDecisions(sqlite: Sqlite): WaitingLine[] {
  const rejected = (sqlite.prepare(REJECTED).all() as (Omit<WaitingLine, 'why' | 'canResend'> & { canResend: number })[]).map(
    (r): WaitingLine => ({ ...r, why: 'rejected', canResend: r.canResend === 1 }),
  );
  const conflicts = openConflicts(sqlite).map(
    (c): WaitingLine => ({
      receiptNo: c.receiptNo ?? '', idHdon: c.idHdon, maKhang: c.maKhang, tenKhang: c.tenKhang, tongTien: c.tongTien,
      why: 'conflict', ketQua: null, ghiChu: null, csvFile: null, canResend: false,
    }),
  );
  return [...rejected, ...conflicts];
}
