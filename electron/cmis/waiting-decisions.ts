/**
 * The lines that wait for a supervisor's decision (contract section 5), for the results screen: each
 * line CMIS rejected in the last batch that carried it and not yet refunded (a line resent and not yet
 * exported again is decided), and each open "trùng thu" conflict. The rules of what may be decided are
 * line-decisions.ts's and the database's; this only lists.
 */
import { sql } from 'kysely';
import type { Sqlite } from '../store/open.ts';
import { query, selectAll } from '../store/typed-query.ts';
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

export function waitingDecisions(sqlite: Sqlite): WaitingLine[] {
  const rejected = selectAll(
    sqlite,
    query
      .selectFrom('payment_lines as l')
      .innerJoin('payments as p', 'p.id', 'l.payment_id')
      .innerJoin('customers as c', 'c.id', 'p.customer_id')
      .leftJoin('resend_lines as x', 'x.payment_line_id', 'l.id')
      .leftJoin('resends as s', 's.id', 'x.resend_id')
      // the answer of the last batch that carried the line: its own, or the one it was resent in
      .innerJoin('clearing_result_lines as r', (j) =>
        j.onRef('r.payment_line_id', '=', 'l.id').on(sql<boolean>`r.batch_id = CASE WHEN x.payment_line_id IS NULL THEN p.batch_id ELSE s.batch_id END`),
      )
      .innerJoin('clearing_batches as b', 'b.id', 'r.batch_id')
      .where('r.ket_qua', '<>', 'OK')
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('refund_lines as f').whereRef('f.payment_line_id', '=', 'l.id').select('f.refund_id'))))
      .select((eb) => [
        'p.receipt_no as receiptNo',
        eb.fn.coalesce('l.id_hdon', sql.lit('')).as('idHdon'),
        'c.ma_khang as maKhang',
        'c.ten_khang as tenKhang',
        'l.tong_tien as tongTien',
        'r.ket_qua as ketQua',
        'r.ghi_chu as ghiChu',
        'b.csv_name as csvFile',
        eb('x.payment_line_id', 'is', null).as('canResend'),
      ])
      .orderBy('p.receipt_year')
      .orderBy('p.receipt_seq')
      .orderBy('l.id'),
  ).map((r): WaitingLine => ({ ...r, why: 'rejected', canResend: Number(r.canResend) === 1 }));
  const conflicts = openConflicts(sqlite).map(
    (c): WaitingLine => ({
      receiptNo: c.receiptNo ?? '', idHdon: c.idHdon, maKhang: c.maKhang, tenKhang: c.tenKhang, tongTien: c.tongTien,
      why: 'conflict', ketQua: null, ghiChu: null, csvFile: null, canResend: false,
    }),
  );
  return [...rejected, ...conflicts];
}
