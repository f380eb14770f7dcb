import type { Ctx } from '../store/context.ts';
import type { Sqlite } from '../store/open.ts';
import { query, selectFirst } from '../store/typed-query.ts';
import { AppError } from '../core/errors.ts';
import type { ReceiptDocument, VoidSlipDocument } from '../core/documents.ts';
import { appendJournal } from '../store/journal.ts';
import { enqueuePrintJob, lastCopyNo, printHeader } from '../printing/print-jobs.ts';
import { userById } from '../users/users.ts';
import { assertVoidSeparation } from '../users/approvals.ts';

export interface VoidResult {
  paymentId: number;
  receiptNo: string;
  voidedAt: string;
  total: number;
  reconnectionOrderCancelled: boolean;
  printJobId: number;
}

export interface ReprintResult {
  paymentId: number;
  receiptNo: string;
  copyNo: number;
  printJobId: number;
}

export interface PaymentRow {
  id: number;
  receipt_no: string;
  paid_at: string;
  total: number;
  voided_at: string | null;
  batch_id: number | null;
  cashier_id: number;
  shift_closed_at: string | null;
}

/** The payment of a receipt number as typed (trimmed, upper-cased), or RECEIPT_NOT_FOUND. */
export function findPayment(sqlite: Sqlite, receiptNo: string): PaymentRow {
  const no = receiptNo.trim().toUpperCase();
  const row = sqlite
    .prepare(
      `SELECT p.id, p.receipt_no, p.paid_at, p.total, p.voided_at, p.batch_id, p.cashier_id, s.closed_at AS shift_closed_at
         FROM payments p JOIN shifts s ON s.id = p.shift_id WHERE p.receipt_no = ?`,
    )
    .get(no) as
    | PaymentRow
    | undefined;
  if (row === undefined) throw new AppError('RECEIPT_NOT_FOUND', `Không có biên nhận ${no}.`);
  return row;
}

/** The receipt as first printed: reprints and void slips repeat it, never today's customer data. */
export function originalReceipt(sqlite: Sqlite, paymentId: number): ReceiptDocument {
  const row = selectFirst(sqlite, query.selectFrom('print_jobs').where('payment_id', '=', paymentId).where('kind', '=', 'receipt').select('document').orderBy('id').limit(1));
  if (row === undefined) throw new AppError('RECEIPT_DOCUMENT_MISSING', 'Không tìm thấy nội dung biên nhận gốc.', { paymentId });
  return JSON.parse(row.document) as ReceiptDocument;
}

/**
 * A supervisor voids a payment not yet exported, of a shift still open, that they did not collect
 * themselves and whose collector they are not linked to by approvals, with a reason. Its bills become collectable again
 * (lines marked voided, so the partial unique index lets them go), its reconnection order is
 * cancelled, a void slip is queued. The receipt number stays, marked voided.
 */
export function voidPayment(ctx: Ctx, args: { receiptNo: string; reason: string; supervisorId: number }): VoidResult {
  const reason = args.reason.trim().normalize('NFC');
  if (reason === '') throw new AppError('VOID_REASON_REQUIRED', 'Cần ghi lý do hủy biên nhận.');
  const supervisor = userById(ctx, args.supervisorId);
  if (supervisor?.role !== 'supervisor') throw new AppError('SUPERVISOR_REQUIRED', 'Chỉ người giám sát được hủy biên nhận.');
  return ctx.sqlite
    .transaction((): VoidResult => {
      const { sqlite } = ctx;
      const payment = findPayment(sqlite, args.receiptNo);
      if (payment.voided_at !== null) throw new AppError('PAYMENT_ALREADY_VOIDED', `Biên nhận ${payment.receipt_no} đã bị hủy trước đó.`);
      if (payment.batch_id !== null) {
        throw new AppError('PAYMENT_ALREADY_EXPORTED', `Biên nhận ${payment.receipt_no} đã được xuất sang CMIS (gạch nợ); không hủy được nữa.`);
      }
      if (payment.shift_closed_at !== null) {
        throw new AppError(
          'VOID_SHIFT_CLOSED',
          `Ca thu của biên nhận ${payment.receipt_no} đã đóng (tiền đã được đếm và chốt); không hủy được nữa. Việc hoàn tiền phải làm theo thủ tục hoàn tiền của công ty.`,
        );
      }
      if (payment.cashier_id === supervisor.id) {
        throw new AppError('VOID_OWN_PAYMENT', `Biên nhận ${payment.receipt_no} do chính anh/chị thu; một người giám sát khác phải hủy.`);
      }
      assertVoidSeparation(sqlite, { id: payment.id, receiptNo: payment.receipt_no, cashierId: payment.cashier_id }, supervisor);
      const at = ctx.clock();
      const voidedAt = at.toISOString();
      // The trigger payments_void_lines marks the lines voided with the payment.
      sqlite.prepare('UPDATE payments SET voided_at = ?, voided_by = ?, void_reason = ? WHERE id = ?').run(voidedAt, supervisor.id, reason, payment.id);
      const cancelled = sqlite.prepare('UPDATE reconnection_orders SET cancelled_at = ? WHERE payment_id = ? AND cancelled_at IS NULL').run(voidedAt, payment.id);
      const receipt = originalReceipt(sqlite, payment.id);
      const slip: VoidSlipDocument = {
        kind: 'void_slip',
        header: printHeader(sqlite),
        receiptNo: payment.receipt_no,
        paidAt: payment.paid_at,
        voidedAt,
        supervisor: { code: supervisor.code, name: supervisor.name },
        reason,
        customer: { maKhang: receipt.customer.maKhang, tenKhang: receipt.customer.tenKhang },
        total: payment.total,
      };
      const printJobId = enqueuePrintJob(sqlite, { kind: 'void_slip', paymentId: payment.id, copyNo: 0, document: slip, at });
      appendJournal(sqlite, {
        kind: 'void',
        actorId: supervisor.id,
        payload: { paymentId: payment.id, receiptNo: payment.receipt_no, total: payment.total, reason, reconnectionOrderCancelled: cancelled.changes > 0 },
        at,
      });
      return { paymentId: payment.id, receiptNo: payment.receipt_no, voidedAt, total: payment.total, reconnectionOrderCancelled: cancelled.changes > 0, printJobId };
    })
    .immediate();
}

/**
 * Queues a copy of a receipt: the same document as the original job, copy number one more than the
 * last copy. A voided receipt is not reprinted (a copy would look like a valid receipt).
 */
export function reprintReceipt(ctx: Ctx, args: { receiptNo: string; actorId: number | null }): ReprintResult {
  if (args.actorId !== null && userById(ctx, args.actorId) === undefined) throw new AppError('USER_NOT_FOUND', 'Không có người dùng này.');
  return ctx.sqlite
    .transaction((): ReprintResult => {
      const { sqlite } = ctx;
      const payment = findPayment(sqlite, args.receiptNo);
      if (payment.voided_at !== null) throw new AppError('PAYMENT_VOIDED', `Biên nhận ${payment.receipt_no} đã bị hủy; không in lại.`);
      const document = originalReceipt(sqlite, payment.id);
      const copyNo = lastCopyNo(sqlite, payment.id, ['receipt', 'reprint']) + 1;
      const at = ctx.clock();
      const printJobId = enqueuePrintJob(sqlite, { kind: 'reprint', paymentId: payment.id, copyNo, document, at });
      appendJournal(sqlite, { kind: 'reprint', actorId: args.actorId, payload: { paymentId: payment.id, receiptNo: payment.receipt_no, copyNo }, at });
      return { paymentId: payment.id, receiptNo: payment.receipt_no, copyNo, printJobId };
    })
    .immediate();
}
