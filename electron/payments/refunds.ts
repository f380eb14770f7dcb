/**
 * A refund (contract section 5): a supervisor decides that the customer gets back the money of lines
 * CMIS rejected, or of a "trùng thu" conflict; another person, the cashier of an open shift, hands the
 * cash out of that shift's drawer (its expected cash is lower by it). One transaction writes the
 * refund, its lines, the slip to print and the journal row; the payment itself is never touched.
 */
import type { Ctx } from '../store/context.ts';
import type { Sqlite } from '../store/open.ts';
import { AppError } from '../core/errors.ts';
import type { RefundLine, RefundSlipDocument } from '../core/documents.ts';
import { appendJournal } from '../store/journal.ts';
import { enqueuePrintJob, printHeader } from '../printing/print-jobs.ts';
import { userById, type User } from '../users/users.ts';
import { linkPath } from '../users/approvals.ts';
import { refundableLines } from '../cmis/line-decisions.ts';
import { currentShift } from '../shifts/shifts.ts';
import { findPayment, originalReceipt } from './voids.ts';

export interface RefundRequest {
  receiptNo: string;
  /** ID_HDON of each bill, or PHI for the reconnection fee charged here. */
  bills: string[];
  reason: string;
  supervisorId: number;
  /** Whose open shift pays it out. */
  cashierId: number;
}

export interface RefundResult {
  refundId: number;
  receiptNo: string;
  shiftId: number;
  refundedAt: string;
  lines: RefundLine[];
  total: number;
  printJobId: number;
}

/** The supervisor and the cashier must be two people: not one identity, not linked by approvals. */
function assertTwoPeople(sqlite: Sqlite, supervisor: User, cashier: User): void {
  if (supervisor.id === cashier.id) {
    throw new AppError('REFUND_SAME_PERSON', `Người giám sát quyết định hoàn tiền (${supervisor.code}) không được tự chi tiền: một thu ngân khác chi từ ca của mình.`);
  }
  const path = linkPath(sqlite, supervisor.id, cashier.id);
  if (path !== null) {
    throw new AppError(
      'REFUND_LINKED_USERS',
      `Không hoàn tiền được: người giám sát ${supervisor.code} và thu ngân ${cashier.code} có liên hệ phê duyệt (chuỗi duyệt ${path.join(' → ')}), nên có thể là cùng một người. Một giám sát viên không liên quan phải quyết định.`,
      { path },
    );
  }
}

export function refundLines(ctx: Ctx, args: RefundRequest): RefundResult {
  const reason = args.reason.trim().normalize('NFC');
  if (reason === '') throw new AppError('REFUND_REASON_REQUIRED', 'Cần ghi lý do hoàn tiền.');
  const supervisor = userById(ctx, args.supervisorId);
  if (supervisor?.role !== 'supervisor') throw new AppError('SUPERVISOR_REQUIRED', 'Chỉ người giám sát được quyết định hoàn tiền.');
  const cashier = userById(ctx, args.cashierId);
  if (cashier === undefined) throw new AppError('USER_NOT_FOUND', 'Không có thu ngân này.');
  assertTwoPeople(ctx.sqlite, supervisor, cashier);
  return ctx.sqlite
    .transaction((): RefundResult => {
      const { sqlite } = ctx;
      const shift = currentShift(ctx, cashier.id);
      if (shift === undefined) throw new AppError('SHIFT_NOT_OPEN', `Thu ngân ${cashier.code} không có ca đang mở: tiền hoàn được chi từ két của một ca đang mở.`);
      const payment = findPayment(sqlite, args.receiptNo);
      const picked = refundableLines(sqlite, payment, args.bills);
      const at = ctx.clock();
      const refundedAt = at.toISOString();
      const refundId = Number(
        sqlite
          .prepare('INSERT INTO refunds (payment_id, shift_id, cashier_id, supervisor_id, reason, refunded_at) VALUES (?, ?, ?, ?, ?, ?)')
          .run(payment.id, shift.id, cashier.id, supervisor.id, reason, refundedAt).lastInsertRowid,
      );
      const insertLine = sqlite.prepare('INSERT INTO refund_lines (refund_id, payment_line_id, amount) VALUES (?, ?, ?)');
      for (const p of picked) insertLine.run(refundId, p.lineId, p.line.amount);
      const lines = picked.map((p) => p.line);
      const total = lines.reduce((sum, l) => sum + l.amount, 0);
      const receipt = originalReceipt(sqlite, payment.id);
      const slip: RefundSlipDocument = {
        kind: 'refund',
        header: printHeader(sqlite),
        refundId,
        receiptNo: payment.receipt_no,
        paidAt: payment.paid_at,
        refundedAt,
        shiftId: shift.id,
        cashier: { code: cashier.code, name: cashier.name },
        supervisor: { code: supervisor.code, name: supervisor.name },
        reason,
        customer: { maKhang: receipt.customer.maKhang, tenKhang: receipt.customer.tenKhang },
        lines,
        total,
      };
      const printJobId = enqueuePrintJob(sqlite, { kind: 'refund', paymentId: payment.id, copyNo: 0, document: slip, at });
      appendJournal(sqlite, {
        kind: 'refund',
        actorId: supervisor.id,
        payload: { ...refundFacts(sqlite, refundId)!, total, printJobId },
        at,
      });
      return { refundId, receiptNo: payment.receipt_no, shiftId: shift.id, refundedAt, lines, total, printJobId };
    })
    .immediate();
}

/** A refund as its rows hold it, in the journal's shape: what verify and the slip's check compare. */
export interface RefundFacts {
  refundId: number;
  paymentId: number;
  receiptNo: string;
  shiftId: number;
  cashierId: number;
  cashierCode: string;
  supervisorId: number;
  supervisorCode: string;
  reason: string;
  refundedAt: string;
  /** [payment line id, ID_HDON or null, amount], in line order */
  lines: [number, string | null, number][];
}

const FACTS = `
  SELECT r.id AS refundId, r.payment_id AS paymentId, p.receipt_no AS receiptNo, r.shift_id AS shiftId, r.cashier_id AS cashierId, c.code AS cashierCode,
         r.supervisor_id AS supervisorId, s.code AS supervisorCode, r.reason, r.refunded_at AS refundedAt,
         (SELECT json_group_array(json_array(x.payment_line_id, l.id_hdon, x.amount))
            FROM (SELECT * FROM refund_lines WHERE refund_id = r.id ORDER BY payment_line_id) x JOIN payment_lines l ON l.id = x.payment_line_id) AS lines
    FROM refunds r LEFT JOIN payments p ON p.id = r.payment_id LEFT JOIN users c ON c.id = r.cashier_id LEFT JOIN users s ON s.id = r.supervisor_id`;

type FactsRow = Omit<RefundFacts, 'lines'> & { lines: string };
const toFacts = (row: FactsRow): RefundFacts => ({ ...row, lines: JSON.parse(row.lines) as RefundFacts['lines'] });

export function refundFacts(sqlite: Sqlite, refundId: number): RefundFacts | undefined {
  const row = sqlite.prepare(`${FACTS} WHERE r.id = ?`).get(refundId) as FactsRow | undefined;
  return row === undefined ? undefined : toFacts(row);
}

/** Every refund's facts, in id order. */
export function allRefundFacts(sqlite: Sqlite): RefundFacts[] {
  return (sqlite.prepare(`${FACTS} ORDER BY r.id`).all() as FactsRow[]).map(toFacts);
}
