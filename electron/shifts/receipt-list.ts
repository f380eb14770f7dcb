import type { Ctx } from '../store/context.ts';
import { query, selectAll } from '../store/typed-query.ts';
import type { ReceiptListDocument } from '../core/documents.ts';
import { journalHead } from '../store/journal.ts';
import { printHeader } from '../printing/print-jobs.ts';
import { queueJournaled, scopeFilter, scopeHeading, scopeShift, type ZScope } from './z-report.ts';

/** The receipts of a shift or a day in number order, voided ones included and marked, as the list the printer prints. */
export function receiptList(ctx: Ctx, scope: ZScope): ReceiptListDocument {
  const { sqlite } = ctx;
  const shift = scopeShift(sqlite, scope);
  const rows = selectAll(
    sqlite,
    query
      .selectFrom('payments as p')
      .innerJoin('customers as c', 'c.id', 'p.customer_id')
      .innerJoin('users as u', 'u.id', 'p.cashier_id')
      .select(['p.receipt_no', 'p.paid_at', 'u.code', 'c.ma_khang', 'c.ten_khang', 'p.total', 'p.voided_at'])
      .where('p.id', 'in', scopeFilter(scope).payments)
      .orderBy('p.receipt_year')
      .orderBy('p.receipt_seq'),
  );
  const receipts = rows.map((r) => ({
    receiptNo: r.receipt_no,
    paidAt: r.paid_at,
    cashierCode: r.code,
    maKhang: r.ma_khang,
    tenKhang: r.ten_khang,
    total: r.total,
    voided: r.voided_at !== null,
  }));
  const valid = receipts.filter((r) => !r.voided);
  const head = journalHead(sqlite);
  return {
    kind: 'receipt_list',
    header: printHeader(sqlite),
    ...scopeHeading(scope, shift),
    generatedAt: ctx.clock().toISOString(),
    receipts,
    validCount: valid.length,
    validTotal: valid.reduce((sum, r) => sum + r.total, 0),
    voidedCount: receipts.length - valid.length,
    chainHeadId: head.id,
    chainHead: head.hash,
  };
}

/** Builds the list and queues it for the printer, journaled with the supervisor who asked for it. */
export function printReceiptList(ctx: Ctx, scope: ZScope, actorId: number | null): { list: ReceiptListDocument; printJobId: number } {
  return ctx.sqlite
    .transaction(() => {
      const list = receiptList(ctx, scope);
      return { list, printJobId: queueJournaled(ctx.sqlite, list, actorId, { receipts: list.receipts.length, validTotal: list.validTotal }) };
    })
    .immediate();
}
