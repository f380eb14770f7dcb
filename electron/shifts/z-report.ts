import type { Ctx } from '../store/context.ts';
import type { Sqlite } from '../store/open.ts';
import { AppError } from '../core/errors.ts';
import { dayRange, isoDay } from '../core/local-time.ts';
import type { ZReportDocument } from '../core/documents.ts';
import { appendJournal, journalHead } from '../store/journal.ts';
import { documentSha256, enqueuePrintJob, printHeader } from '../printing/print-jobs.ts';

export type ZScope = { shiftId: number } | { day: string };

interface ShiftRow {
  id: number;
  opened_at: string;
  closed_at: string | null;
  opening_float: number;
  expected_cash: number | null;
  counted_cash: number | null;
  variance: number | null;
  cashier_code: string;
  cashier_name: string;
}

/** The payments a report covers: those of the shift, or those paid in the local day. */
/** `refundWhere`: the refunds it covers, paid out of the shift's drawer or in the local day (on `r`). */
function scopeFilter(scope: ZScope): { where: string; refundWhere: string; params: Record<string, string | number> } {
  if ('shiftId' in scope) return { where: 'p.shift_id = @shiftId', refundWhere: 'r.shift_id = @shiftId', params: { shiftId: scope.shiftId } };
  let range;
  try {
    range = dayRange(scope.day);
  } catch {
    throw new AppError('REPORT_DAY_INVALID', `Ngày "${scope.day}" không hợp lệ (cần yyyy-mm-dd).`);
  }
  return {
    where: 'p.paid_at >= @start AND p.paid_at < @end',
    refundWhere: 'r.refunded_at >= @start AND r.refunded_at < @end',
    params: { start: range.start.toISOString(), end: range.end.toISOString() } };
}

/**
 * The Z report of a shift or a day, as the document the printer prints. First/last receipt span
 * every number issued (voided ones keep theirs); amounts count valid payments only.
 */
export function zReport(ctx: Ctx, scope: ZScope): ZReportDocument {
  const { sqlite } = ctx;
  let shift: ShiftRow | undefined;
  if ('shiftId' in scope) {
    shift = sqlite
      .prepare(
        `SELECT s.id, s.opened_at, s.closed_at, s.opening_float, s.expected_cash, s.counted_cash, s.variance,
                u.code AS cashier_code, u.name AS cashier_name
           FROM shifts s JOIN users u ON u.id = s.cashier_id WHERE s.id = ?`,
      )
      .get(scope.shiftId) as ShiftRow | undefined;
    if (shift === undefined) throw new AppError('SHIFT_NOT_FOUND', `Không có ca số ${scope.shiftId}.`);
  }
  const { where, refundWhere, params } = scopeFilter(scope);
  const receipts = sqlite
    .prepare(
      `SELECT COUNT(*) FILTER (WHERE p.voided_at IS NULL) AS valid,
              COALESCE(SUM(p.total) FILTER (WHERE p.voided_at IS NULL), 0) AS total,
              COUNT(*) FILTER (WHERE p.voided_at IS NOT NULL) AS voided,
              COALESCE(SUM(p.total) FILTER (WHERE p.voided_at IS NOT NULL), 0) AS voided_total,
              (SELECT receipt_no FROM payments p WHERE ${where} ORDER BY receipt_year, receipt_seq LIMIT 1) AS first,
              (SELECT receipt_no FROM payments p WHERE ${where} ORDER BY receipt_year DESC, receipt_seq DESC LIMIT 1) AS last
         FROM payments p WHERE ${where}`,
    )
    .get(params) as { valid: number; total: number; voided: number; voided_total: number; first: string | null; last: string | null };
  const byType = sqlite
    .prepare(
      `SELECT l.loai_hdon AS type, SUM(l.tong_tien) FILTER (WHERE l.bill_id IS NOT NULL) AS total, SUM(l.tong_tien) FILTER (WHERE l.bill_id IS NULL) AS fees,
              COUNT(*) FILTER (WHERE l.bill_id IS NOT NULL) AS bills, COUNT(*) FILTER (WHERE l.bill_id IS NULL) AS fee_lines
         FROM payment_lines l JOIN payments p ON p.id = l.payment_id
        WHERE ${where} AND p.voided_at IS NULL GROUP BY l.loai_hdon`,
    )
    .all(params) as { type: 'TD' | 'VC' | 'DC'; total: number | null; fees: number | null; bills: number; fee_lines: number }[];
  const voidedReceipts = (
    sqlite.prepare(`SELECT receipt_no FROM payments p WHERE ${where} AND p.voided_at IS NOT NULL ORDER BY receipt_year, receipt_seq`).all(params) as {
      receipt_no: string;
    }[]
  ).map((r) => r.receipt_no);
  const { reprints } = sqlite
    .prepare(`SELECT COUNT(*) AS reprints FROM print_jobs j JOIN payments p ON p.id = j.payment_id WHERE j.kind = 'reprint' AND ${where}`)
    .get(params) as { reprints: number };

  const refunds = sqlite
    .prepare(
      `SELECT COUNT(*) AS count, COALESCE(SUM((SELECT SUM(amount) FROM refund_lines x WHERE x.refund_id = r.id)), 0) AS total
         FROM refunds r WHERE ${refundWhere}`,
    )
    .get(params) as { count: number; total: number };

  const totalsByType = { TD: 0, VC: 0, DC: 0 };
  // bills by type; a fee charged here (a line without a bill) only in feesCollected, so the lines add up to the total
  const counts = { TD: 0, VC: 0, DC: 0, fees: 0 };
  for (const t of byType) {
    totalsByType[t.type] = t.total ?? 0;
    counts[t.type] = t.bills;
    counts.fees += t.fee_lines;
  }
  const now = ctx.clock();
  const head = journalHead(sqlite);
  const openFloat = shift?.opening_float ?? null;
  // An open shift has no stored expectation yet: show what the drawer should hold now.
  const expectedCash = shift === undefined ? null : (shift.expected_cash ?? shift.opening_float + receipts.total - refunds.total);
  return {
    kind: 'z_report',
    header: printHeader(sqlite),
    scope: shift === undefined ? 'day' : 'shift',
    day: 'day' in scope ? scope.day : isoDay(new Date(shift!.opened_at)),
    shiftId: shift?.id ?? null,
    cashier: shift === undefined ? null : { code: shift.cashier_code, name: shift.cashier_name },
    openedAt: shift?.opened_at ?? null,
    closedAt: shift?.closed_at ?? null,
    generatedAt: now.toISOString(),
    receiptCount: receipts.valid,
    firstReceipt: receipts.first,
    lastReceipt: receipts.last,
    totalsByType,
    feesCollected: byType.reduce((sum, t) => sum + (t.fees ?? 0), 0),
    counts,
    grandTotal: receipts.total,
    voids: { count: receipts.voided, total: receipts.voided_total, receipts: voidedReceipts },
    reprints,
    refunds,
    openingFloat: openFloat,
    expectedCash,
    countedCash: shift?.counted_cash ?? null,
    variance: shift?.variance ?? null,
    chainHeadId: head.id,
    chainHead: head.hash,
  };
}

/** Builds the Z report and puts it in the print outbox; returns the document and the job id. */
export function printZReport(ctx: Ctx, scope: ZScope): { report: ZReportDocument; printJobId: number } {
  return ctx.sqlite
    .transaction(() => {
      const report = zReport(ctx, scope);
      return { report, printJobId: queueZReport(ctx.sqlite, report) };
    })
    .immediate();
}

/**
 * Inside the transaction that read the journal head the report names: queues it and journals it
 * right after that head (row chainHeadId + 1) with the SHA-256 of the stored document. The printer
 * prints a Z report only while its document is the one journaled (electron/document-check.ts).
 */
export function queueZReport(sqlite: Sqlite, report: ZReportDocument): number {
  const at = new Date(report.generatedAt);
  const printJobId = enqueuePrintJob(sqlite, { kind: 'z_report', paymentId: null, copyNo: 0, document: report, at });
  appendJournal(sqlite, {
    kind: 'z_report',
    actorId: null,
    payload: { jobId: printJobId, scope: report.scope, day: report.day, shiftId: report.shiftId, grandTotal: report.grandTotal, documentSha256: documentSha256(report) },
    at,
  });
  return printJobId;
}
