/**
 * A print job's stored document against the money it prints. A receipt (and its copies), a void slip
 * and a reconnection order must say what their payment's rows say, a refund slip what its refund's do; a Z report must be the document
 * journaled when it was made. The printer prints nothing else, and verify reports any job that differs.
 * Names and addresses are not checked: they are printed as they were at payment time.
 */
import type { Sqlite } from '../store/open.ts';
import { query, selectFirst } from '../store/typed-query.ts';
import { readJobDocument, type StoredJob } from './job-document.ts';
import { AppError } from '../core/errors.ts';
import { diffPaths } from '../core/diff.ts';
import { receiptLines } from '../core/payment-facts.ts';
import type { DepositSlipDocument, PrintDocument, RefundSlipDocument } from '../core/documents.ts';
import { paymentState, type PaymentState } from '../payments/payment-state.ts';
import { refundFacts } from '../payments/refunds.ts';
import { depositSlip } from '../shifts/deposit.ts';
import { documentSha256 } from './print-jobs.ts';

/**
 * The job's document, parsed, when it says what the money says; otherwise AppError
 * PRINT_DOCUMENT_MISMATCH naming the job, its receipt and the fields that differ. `states`: payments
 * already read (verify reads them a page of jobs at a time); the job's payment is read otherwise.
 */
export function checkedDocument(sqlite: Sqlite, job: StoredJob, states?: Map<number, PaymentState>): PrintDocument {
  const refuse = (what: string, receiptNo?: string): never => {
    const of = receiptNo === undefined ? '' : ` của biên nhận ${receiptNo}`;
    throw new AppError('PRINT_DOCUMENT_MISMATCH', `Bản in ${job.id} (${job.kind})${of} không được in: ${what}.`, { jobId: job.id });
  };
  const doc = readJobDocument(sqlite, job);
  if (doc.kind === 'test_page' || doc.kind === 'z_report' || doc.kind === 'receipt_list' || doc.kind === 'deposit_slip') {
    if (job.payment_id !== null) return refuse('bản in gắn với một khoản thu');
    if (doc.kind === 'z_report' || doc.kind === 'receipt_list') checkJournaled(sqlite, job, doc.kind, refuse);
    if (doc.kind === 'deposit_slip') {
      const differs = depositDiffers(sqlite, doc);
      if (differs.length > 0) refuse(`nội dung khác với bảng kê nộp tiền số ${doc.depositId} (${differs.join(', ')})`);
    }
    return doc;
  }
  const p = job.payment_id === null ? undefined : states === undefined ? paymentState(sqlite, job.payment_id) : states.get(job.payment_id);
  if (p === undefined) return refuse('không có khoản thu nào tương ứng');
  const differs = doc.kind === 'refund' ? refundDiffers(sqlite, doc, p) : diffPaths(printedFacts(doc), expectedFacts(doc.kind, p));
  if (differs.length > 0) refuse(`nội dung khác với khoản thu (${differs.join(', ')})`, p.facts.receiptNo);
  return doc;
}

/** A refund slip against its refund's rows (and its payment: the job's own). */
function refundDiffers(sqlite: Sqlite, doc: RefundSlipDocument, p: PaymentState): string[] {
  const f = refundFacts(sqlite, doc.refundId);
  const printed = {
    paymentId: p.facts.paymentId, receiptNo: doc.receiptNo, paidAt: doc.paidAt, maKhang: doc.customer?.maKhang, refundedAt: doc.refundedAt, shiftId: doc.shiftId,
    cashier: doc.cashier?.code, supervisor: doc.supervisor?.code, reason: doc.reason, lines: doc.lines?.map((l) => [l.idHdon, l.amount]), total: doc.total,
  };
  if (f === undefined) return ['refundId'];
  return diffPaths(printed, {
    paymentId: f.paymentId, receiptNo: p.facts.receiptNo, paidAt: p.facts.paidAt, maKhang: p.facts.maKhang, refundedAt: f.refundedAt, shiftId: f.shiftId,
    cashier: f.cashierCode, supervisor: f.supervisorCode, reason: f.reason, lines: f.lines.map(([, idHdon, amount]) => [idHdon, amount]),
    total: f.lines.reduce((sum, [, , amount]) => sum + amount, 0),
  });
}

/** A deposit slip against its slip's rows: everything but the header and the names printed. */
function depositDiffers(sqlite: Sqlite, doc: DepositSlipDocument): string[] {
  const slip = depositSlip(sqlite, doc.depositId);
  if (slip === undefined) return ['depositId'];
  const facts = (d: DepositSlipDocument) => ({ ...d, header: null, supervisor: d.supervisor.code, cashiers: d.cashiers.map((c) => ({ ...c, cashier: c.cashier.code })) });
  return diffPaths(facts(doc), facts(slip));
}

/** The money facts a document prints, by kind. */
function printedFacts(doc: Exclude<PrintDocument, { kind: 'test_page' | 'z_report' | 'receipt_list' | 'refund' | 'deposit_slip' }>): Record<string, unknown> {
  switch (doc.kind) {
    case 'receipt':
      return {
        receiptNo: doc.receiptNo, paidAt: doc.paidAt, total: doc.total, tendered: doc.tendered, changeRounding: doc.changeRounding ?? 0, cashier: doc.cashier?.code,
        maKhang: doc.customer?.maKhang, reconnectionOrder: doc.reconnectionOrder, lines: doc.lines,
      };
    case 'void_slip':
      return {
        receiptNo: doc.receiptNo, paidAt: doc.paidAt, total: doc.total, maKhang: doc.customer?.maKhang,
        voidedAt: doc.voidedAt, supervisor: doc.supervisor?.code, reason: doc.reason,
      };
    case 'reconnection_order':
      return { receiptNo: doc.receiptNo, orderId: doc.orderId, orderNo: doc.orderNo ?? null, requestedAt: doc.requestedAt, maKhang: doc.customer?.maKhang };
  }
}

/** The same facts from the payment's rows. */
function expectedFacts(kind: 'receipt' | 'void_slip' | 'reconnection_order', p: PaymentState): Record<string, unknown> {
  const f = p.facts;
  switch (kind) {
    case 'receipt':
      return {
        receiptNo: f.receiptNo, paidAt: f.paidAt, total: f.total, tendered: f.tendered, changeRounding: f.changeRounding, cashier: p.cashierCode,
        maKhang: f.maKhang, reconnectionOrder: p.order !== null, lines: receiptLines(f.lines),
      };
    case 'void_slip':
      return {
        receiptNo: f.receiptNo, paidAt: f.paidAt, total: f.total, maKhang: f.maKhang,
        voidedAt: p.void?.voidedAt ?? null, supervisor: p.void?.supervisorCode ?? null, reason: p.void?.reason ?? null,
      };
    case 'reconnection_order':
      return { receiptNo: f.receiptNo, orderId: p.order?.id ?? null, orderNo: p.order?.no ?? null, requestedAt: p.order?.requestedAt ?? null, maKhang: f.maKhang };
  }
}

/** A Z report or a receipt list is journaled right after the head it names (shifts/), with its document's SHA-256. */
function checkJournaled(sqlite: Sqlite, job: StoredJob, kind: 'z_report' | 'receipt_list', refuse: (what: string) => never): void {
  const doc = JSON.parse(job.document) as { chainHeadId?: unknown };
  const row = Number.isSafeInteger(doc.chainHeadId)
    ? selectFirst(sqlite, query.selectFrom('journal').where('id', '=', (doc.chainHeadId as number) + 1).select(['kind', 'payload']))
    : undefined;
  if (row?.kind !== kind) refuse('không có dòng nhật ký của bản in này');
  const journaled = (JSON.parse(row!.payload) as { documentSha256?: unknown }).documentSha256;
  if (journaled !== documentSha256(job.document)) refuse('nội dung khác với bản đã ghi vào nhật ký');
}
