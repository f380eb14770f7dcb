import type { Ctx } from '../store/context.ts';
import type { Sqlite } from '../store/open.ts';
import { query, selectAll, selectFirst, selectOne } from '../store/typed-query.ts';
import { AppError } from '../core/errors.ts';
import { dayRange, isoDay } from '../core/local-time.ts';
import type { ReceiptListDocument, ZReportDocument } from '../core/documents.ts';
import { sql } from 'kysely';
import { appendJournal, journalHead } from '../store/journal.ts';
import { documentSha256, enqueuePrintJob, printHeader } from '../printing/print-jobs.ts';

export type ZScope = { shiftId: number } | { day: string };

/** The payments a report covers (those of the shift, or those paid in the local day), and the refunds (paid out of the shift's drawer, or in the local day). */
/** A local day's bounds as stored times (ISO UTC), or REPORT_DAY_INVALID. */
export function dayBounds(day: string): { start: string; end: string } {
  let range;
  try {
    range = dayRange(day);
  } catch {
    throw new AppError('REPORT_DAY_INVALID', `Ngày "${day}" không hợp lệ (cần yyyy-mm-dd).`);
  }
  return { start: range.start.toISOString(), end: range.end.toISOString() };
}

export function scopeFilter(scope: ZScope) {
  if ('shiftId' in scope) {
    return {
      payments: query.selectFrom('payments').select('id').where('shift_id', '=', scope.shiftId),
      refunds: query.selectFrom('refunds').select('id').where('shift_id', '=', scope.shiftId),
    };
  }
  const { start, end } = dayBounds(scope.day);
  return {
    payments: query.selectFrom('payments').select('id').where('paid_at', '>=', start).where('paid_at', '<', end),
    refunds: query.selectFrom('refunds').select('id').where('refunded_at', '>=', start).where('refunded_at', '<', end),
  };
}

/**
 * The Z report of a shift or a day, as the document the printer prints. First/last receipt span
 * every number issued (voided ones keep theirs); amounts count valid payments only.
 */
/** The shift a scope names (SHIFT_NOT_FOUND when there is none), undefined for a day. */
export function scopeShift(sqlite: Sqlite, scope: ZScope) {
  if (!('shiftId' in scope)) return undefined;
  const shift = selectFirst(
    sqlite,
    query
      .selectFrom('shifts as s')
      .innerJoin('users as u', 'u.id', 's.cashier_id')
      .select(['s.id', 's.opened_at', 's.closed_at', 's.opening_float', 's.expected_cash', 's.counted_cash', 's.variance', 'u.code as cashier_code', 'u.name as cashier_name'])
      .where('s.id', '=', scope.shiftId),
  );
  if (shift === undefined) throw new AppError('SHIFT_NOT_FOUND', `Không có ca số ${scope.shiftId}.`);
  return shift;
}

/** What a shift's or a day's document says it covers: the day (a shift's: the day it opened), the shift and its cashier. */
export function scopeHeading(scope: ZScope, shift: ReturnType<typeof scopeShift>) {
  return {
    scope: shift === undefined ? ('day' as const) : ('shift' as const),
    day: 'day' in scope ? scope.day : isoDay(new Date(shift!.opened_at)),
    shiftId: shift?.id ?? null,
    cashier: shift === undefined ? null : { code: shift.cashier_code, name: shift.cashier_name },
  };
}

export function zReport(ctx: Ctx, scope: ZScope): ZReportDocument {
  const { sqlite } = ctx;
  const shift = scopeShift(sqlite, scope);
  const inScope = scopeFilter(scope);
  const payments = query.selectFrom('payments as p').where('p.id', 'in', inScope.payments);
  const receipts = selectOne(
    sqlite,
    payments.select((eb) => [
      eb.fn.countAll<number>().filterWhere('p.voided_at', 'is', null).as('valid'),
      eb.fn.coalesce(eb.fn.sum<number>('p.total').filterWhere('p.voided_at', 'is', null), eb.lit(0)).as('total'),
      eb.fn.countAll<number>().filterWhere('p.voided_at', 'is not', null).as('voided'),
      eb.fn.coalesce(eb.fn.sum<number>('p.total').filterWhere('p.voided_at', 'is not', null), eb.lit(0)).as('voided_total'),
      // change rounded down (setting change_rounding): what valid payments kept in the drawer
      eb.fn.countAll<number>().filterWhere('p.voided_at', 'is', null).filterWhere('p.change_rounding', '>', 0).as('rounded'),
      eb.fn.coalesce(eb.fn.sum<number>('p.change_rounding').filterWhere('p.voided_at', 'is', null), eb.lit(0)).as('rounded_total'),
    ]),
  );
  const numbers = payments.select('p.receipt_no');
  const first = selectFirst(sqlite, numbers.orderBy('p.receipt_year').orderBy('p.receipt_seq').limit(1))?.receipt_no ?? null;
  const last = selectFirst(sqlite, numbers.orderBy('p.receipt_year', 'desc').orderBy('p.receipt_seq', 'desc').limit(1))?.receipt_no ?? null;
  const byType = selectAll(
    sqlite,
    query
      .selectFrom('payment_lines as l')
      .innerJoin('payments as p', 'p.id', 'l.payment_id')
      .where('p.id', 'in', inScope.payments)
      .where('p.voided_at', 'is', null)
      .groupBy('l.loai_hdon')
      .select((eb) => [
        'l.loai_hdon as type',
        eb.fn.sum<number | null>('l.tong_tien').filterWhere('l.bill_id', 'is not', null).as('total'),
        eb.fn.sum<number | null>('l.tong_tien').filterWhere('l.bill_id', 'is', null).as('fees'),
        eb.fn.countAll<number>().filterWhere('l.bill_id', 'is not', null).as('bills'),
        eb.fn.countAll<number>().filterWhere('l.bill_id', 'is', null).as('fee_lines'),
      ]),
  );
  const voidedReceipts = selectAll(sqlite, numbers.where('p.voided_at', 'is not', null).orderBy('p.receipt_year').orderBy('p.receipt_seq')).map((r) => r.receipt_no);
  const { reprints } = selectOne(
    sqlite,
    query
      .selectFrom('print_jobs as j')
      .where('j.kind', '=', 'reprint')
      .where('j.payment_id', 'in', inScope.payments)
      .select((eb) => eb.fn.countAll<number>().as('reprints')),
  );
  const refunds = {
    count: selectOne(sqlite, query.selectFrom('refunds').where('id', 'in', inScope.refunds).select((eb) => eb.fn.countAll<number>().as('n'))).n,
    total: selectOne(
      sqlite,
      query
        .selectFrom('refund_lines')
        .where('refund_id', 'in', inScope.refunds)
        .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount'), eb.lit(0)).as('total')),
    ).total,
  };

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
  const expectedCash = shift === undefined ? null : (shift.expected_cash ?? shift.opening_float + receipts.total + receipts.rounded_total - refunds.total);
  return {
    kind: 'z_report',
    header: printHeader(sqlite),
    ...scopeHeading(scope, shift),
    openedAt: shift?.opened_at ?? null,
    closedAt: shift?.closed_at ?? null,
    generatedAt: now.toISOString(),
    receiptCount: receipts.valid,
    firstReceipt: first,
    lastReceipt: last,
    totalsByType,
    feesCollected: byType.reduce((sum, t) => sum + (t.fees ?? 0), 0),
    counts,
    grandTotal: receipts.total,
    voids: { count: receipts.voided, total: receipts.voided_total, receipts: voidedReceipts },
    reprints,
    refunds,
    changeRounding: { count: receipts.rounded, total: receipts.rounded_total },
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
  return queueJournaled(sqlite, report, null, { grandTotal: report.grandTotal });
}

/**
 * A document that names the journal head it was made at (a Z report, a receipt list): queued and
 * journaled right after that head with its SHA-256, in the transaction that read the head.
 */
export function queueJournaled(sqlite: Sqlite, document: ZReportDocument | ReceiptListDocument, actorId: number | null, facts: Record<string, unknown>): number {
  const at = new Date(document.generatedAt);
  const printJobId = enqueuePrintJob(sqlite, { kind: document.kind, paymentId: null, copyNo: 0, document, at });
  appendJournal(sqlite, {
    kind: document.kind,
    actorId,
    payload: { jobId: printJobId, scope: document.scope, day: document.day, shiftId: document.shiftId, ...facts, documentSha256: documentSha256(document) },
    at,
  });
  return printJobId;
}

export interface ZReprint {
  printJobId: number;
  /** 0 when no report of the scope was stored yet (or the day's was made before the day ended): a new report was made. */
  copyNo: number;
  report: ZReportDocument;
}

/**
 * A supervisor reprints a Z report: the last one stored for the shift once it was closed (the day's:
 * once the day was over), queued again with the next copy number ("BẢN SAO lần n"), journaled as a
 * reprint. Without such a stored report, a new one is made and printed (it is final by then).
 */
export function reprintZReport(ctx: Ctx, scope: ZScope, actorId: number): ZReprint {
  return ctx.sqlite
    .transaction((): ZReprint => {
      const { sqlite } = ctx;
      const shift = scopeShift(sqlite, scope);
      if (shift !== undefined && shift.closed_at === null) throw new AppError('SHIFT_STILL_OPEN', `Ca số ${shift.id} chưa đóng; báo cáo Z của ca chỉ in lại sau khi đóng ca.`);
      const original = storedFinalReport(sqlite, scope, shift?.closed_at ?? null);
      if (original === undefined) {
        const report = zReport(ctx, scope);
        return { report, printJobId: queueZReport(sqlite, report), copyNo: 0 };
      }
      const { last } = selectOne(
        sqlite,
        query.selectFrom('print_jobs').where('kind', '=', 'z_report').where('document', '=', original.document).select((eb) => eb.fn.max('copy_no').as('last')),
      );
      const copyNo = last + 1;
      const at = ctx.clock();
      const report = JSON.parse(original.document) as ZReportDocument;
      const printJobId = enqueuePrintJob(sqlite, { kind: 'z_report', paymentId: null, copyNo, document: report, at });
      appendJournal(sqlite, {
        kind: 'reprint',
        actorId,
        payload: { document: 'z_report', jobId: printJobId, originalJobId: original.id, copyNo, scope: report.scope, day: report.day, shiftId: report.shiftId },
        at,
      });
      return { report, printJobId, copyNo };
    })
    .immediate();
}

/** The newest original Z report of the scope made once its figures could no longer change. */
function storedFinalReport(sqlite: Sqlite, scope: ZScope, closedAt: string | null) {
  const reports = query
    .selectFrom('print_jobs')
    .select(['id', 'document'])
    .where('kind', '=', 'z_report')
    .where('copy_no', '=', 0)
    .orderBy('id', 'desc')
    .limit(1);
  return selectFirst(
    sqlite,
    'shiftId' in scope
      ? reports.where('created_at', '>=', closedAt!).where(sql`json_extract(document, '$.scope')`, '=', 'shift').where(sql`json_extract(document, '$.shiftId')`, '=', scope.shiftId)
      : reports.where('created_at', '>=', dayBounds(scope.day).end).where(sql`json_extract(document, '$.scope')`, '=', 'day').where(sql`json_extract(document, '$.day')`, '=', scope.day),
  );
}
