/**
 * Which lines of a receipt wait for a supervisor's decision (contract section 5): a line CMIS
 * rejected in the last batch that carried it, or a "trùng thu" conflict (paid here, not exported,
 * no longer in the current snapshot). A line is refunded once, resent once, never resent once
 * refunded, and refunded after a resend only when that second batch rejected it too. The database
 * holds the same rules (migration 8's triggers); this gives the sentence a person reads.
 */
import type { Sqlite } from '../store/open.ts';
import { query, selectFirst } from '../store/typed-query.ts';
import { AppError } from '../core/errors.ts';
import type { RefundLine } from '../core/documents.ts';

/** How `--bills` names the reconnection fee charged here, which has no ID_HDON. */
export const FEE_BILL = 'PHI';

export interface DecisionLine {
  lineId: number;
  idHdon: string | null;
  loaiHdon: 'TD' | 'VC' | 'DC';
  ky: number | null;
  thang: number | null;
  nam: number | null;
  tongTien: number;
}

interface LineRow extends DecisionLine {
  voided: number;
  batchId: number | null;
  refunded: number;
  resent: number;
  resendBatchId: number | null;
  conflict: number;
}

const LINES = `
  SELECT l.id AS lineId, l.id_hdon AS idHdon, l.loai_hdon AS loaiHdon, l.ky, l.thang, l.nam, l.tong_tien AS tongTien, l.voided, p.batch_id AS batchId,
         EXISTS (SELECT 1 FROM refund_lines WHERE payment_line_id = l.id) AS refunded,
         EXISTS (SELECT 1 FROM resend_lines WHERE payment_line_id = l.id) AS resent,
         (SELECT s.batch_id FROM resend_lines x JOIN resends s ON s.id = x.resend_id WHERE x.payment_line_id = l.id) AS resendBatchId,
         (b.id IS NOT NULL AND p.batch_id IS NULL AND l.voided = 0 AND b.last_snapshot_id < (SELECT MAX(id) FROM snapshots)) AS conflict
    FROM payment_lines l JOIN payments p ON p.id = l.payment_id LEFT JOIN bills b ON b.id = l.bill_id
   WHERE l.payment_id = ? ORDER BY l.id`;

const billName = (idHdon: string | null) => (idHdon === null ? 'phí đóng điện lại' : `hóa đơn ${idHdon}`);

/** The payment's lines `bills` names (ID_HDON, or PHI for the fee), each once; DECISION_BILL_UNKNOWN otherwise. */
function namedLines(sqlite: Sqlite, payment: { id: number; receipt_no: string }, bills: string[]): LineRow[] {
  const lines = sqlite.prepare(LINES).all(payment.id) as LineRow[];
  if (bills.length === 0) throw new AppError('DECISION_BILL_UNKNOWN', `Cần nêu ít nhất một hóa đơn của biên nhận ${payment.receipt_no}.`);
  const picked: LineRow[] = [];
  for (const bill of bills) {
    const name = bill.trim();
    const line = lines.find((l) => l.idHdon === name) ?? (name.toUpperCase() === FEE_BILL ? lines.find((l) => l.idHdon === null) : undefined);
    if (line === undefined || picked.includes(line)) {
      const why = line === undefined ? 'không có trong biên nhận này' : 'được nêu hai lần';
      throw new AppError('DECISION_BILL_UNKNOWN', `Hóa đơn "${name}" ${why} (biên nhận ${payment.receipt_no}; phí đóng điện lại ghi là ${FEE_BILL}): không làm gì.`);
    }
    picked.push(line);
  }
  return picked;
}

function answerIn(sqlite: Sqlite, batchId: number | null, lineId: number): { ketQua: string; ghiChu: string } | undefined {
  if (batchId === null) return undefined;
  return selectFirst(
    sqlite,
    query.selectFrom('clearing_result_lines').where('batch_id', '=', batchId).where('payment_line_id', '=', lineId).select(['ket_qua as ketQua', 'ghi_chu as ghiChu']),
  );
}

const rejection = (a: { ketQua: string; ghiChu: string }) => `CMIS trả lời ${a.ketQua}${a.ghiChu === '' ? '' : `: ${a.ghiChu}`}`;
const notRejected = (receiptNo: string, l: DecisionLine, what: string) =>
  new AppError('LINE_NOT_REJECTED', `Không hoàn tiền hay gửi lại được ${billName(l.idHdon)} của biên nhận ${receiptNo}: ${what}. Chỉ dòng CMIS từ chối hoặc dòng trùng thu mới cần quyết định.`);
const decided = (receiptNo: string, l: DecisionLine, what: string) =>
  new AppError('LINE_ALREADY_DECIDED', `${billName(l.idHdon)[0]!.toUpperCase()}${billName(l.idHdon).slice(1)} của biên nhận ${receiptNo} ${what}: quyết định đã ghi không đổi.`);

/** The lines a refund may pay back, each with why (CMIS's answer or "trùng thu"); refuses the first line that may not. */
export function refundableLines(sqlite: Sqlite, payment: { id: number; receipt_no: string }, bills: string[]): { lineId: number; line: RefundLine }[] {
  const picked = namedLines(sqlite, payment, bills);
  const out: { lineId: number; line: RefundLine }[] = [];
  for (const l of picked) {
    if (l.refunded === 1) throw decided(payment.receipt_no, l, 'đã được hoàn tiền');
    let why: string;
    if (l.resent === 1) {
      if (l.resendBatchId === null) throw decided(payment.receipt_no, l, 'đã được quyết định gửi lại, chờ lần xuất sau');
      const again = answerIn(sqlite, l.resendBatchId, l.lineId);
      if (again === undefined) throw decided(payment.receipt_no, l, 'đã được gửi lại sang CMIS, chưa có kết quả');
      if (again.ketQua === 'OK') throw notRejected(payment.receipt_no, l, 'CMIS đã gạch nợ khi gửi lại (OK)');
      why = rejection(again);
    } else {
      const answer = answerIn(sqlite, l.batchId, l.lineId);
      if (answer !== undefined && answer.ketQua !== 'OK') why = rejection(answer);
      else if (l.conflict === 1) why = 'trùng thu: đã gạch nợ nơi khác';
      else throw notRejected(payment.receipt_no, l, answer === undefined ? 'chưa có kết quả từ CMIS và không trùng thu' : 'CMIS đã gạch nợ (OK)');
    }
    out.push({ lineId: l.lineId, line: { idHdon: l.idHdon, loaiHdon: l.loaiHdon, ky: l.ky, thang: l.thang, nam: l.nam, amount: l.tongTien, why } });
  }
  return out;
}

/** The lines a resend may send again: rejected by their own batch, never refunded nor resent. */
export function resendableLines(sqlite: Sqlite, payment: { id: number; receipt_no: string }, bills: string[]): DecisionLine[] {
  const picked = namedLines(sqlite, payment, bills);
  for (const l of picked) {
    if (l.refunded === 1) throw decided(payment.receipt_no, l, 'đã được hoàn tiền');
    if (l.resent === 1) throw decided(payment.receipt_no, l, 'đã được gửi lại một lần');
    const answer = answerIn(sqlite, l.batchId, l.lineId);
    if (answer === undefined || answer.ketQua === 'OK') throw notRejected(payment.receipt_no, l, answer === undefined ? 'chưa có kết quả từ CMIS' : 'CMIS đã gạch nợ (OK)');
  }
  return picked.map(({ lineId, idHdon, loaiHdon, ky, thang, nam, tongTien }) => ({ lineId, idHdon, loaiHdon, ky, thang, nam, tongTien }));
}
