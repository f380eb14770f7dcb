/**
 * The supervisor's day: the day's Z report (by bill type), each cashier's part of it, the shifts
 * closed that day, and the "trùng thu" conflicts still waiting for a refund. Reads only.
 */
import type { Ctx } from '../store/context.ts';
import { query, selectAll } from '../store/typed-query.ts';
import type { ZReportDocument } from '../core/documents.ts';
import { openConflicts } from '../cmis/snapshots.ts';
import { dayBounds, scopeFilter, zReport } from './z-report.ts';

export interface CashierDay {
  code: string;
  name: string;
  receipts: number; // valid
  total: number;
  voids: number;
  voidedTotal: number;
  reprints: number;
  refunds: number;
  refundedTotal: number;
}

export interface ClosedShift {
  shiftId: number;
  cashier: { code: string; name: string };
  openedAt: string;
  closedAt: string;
  receipts: number; // valid
  total: number;
  countedCash: number | null;
  variance: number | null;
}

/** One receipt whose bills CMIS no longer lists (paid twice): the money to give back. */
export interface ConflictReceipt {
  receiptNo: string;
  maKhang: string;
  tenKhang: string;
  bills: Array<{ idHdon: string; loaiHdon: string; ky: number; thang: number; nam: number; tongTien: number }>;
  amount: number;
}

export interface SupervisorDay {
  day: string;
  report: ZReportDocument;
  cashiers: CashierDay[];
  closings: ClosedShift[];
  conflicts: ConflictReceipt[];
}

export function supervisorDay(ctx: Ctx, day: string): SupervisorDay {
  const report = zReport(ctx, { day });
  return { day, report, cashiers: cashiersOfDay(ctx, day), closings: shiftsClosedOn(ctx, day), conflicts: conflictReceipts(ctx) };
}

/** Each cashier who collected, voided a receipt of, or refunded out of a drawer that day. */
function cashiersOfDay(ctx: Ctx, day: string): CashierDay[] {
  const inDay = scopeFilter({ day });
  const rows = selectAll(
    ctx.sqlite,
    query
      .selectFrom('users as u')
      .select((eb) => {
        const paid = eb.selectFrom('payments as p').whereRef('p.cashier_id', '=', 'u.id').where('p.id', 'in', inDay.payments);
        const refunded = eb.selectFrom('refunds as r').whereRef('r.cashier_id', '=', 'u.id').where('r.id', 'in', inDay.refunds);
        return [
          'u.code',
          'u.name',
          paid.where('p.voided_at', 'is', null).select((e) => e.fn.countAll<number>().as('n')).as('receipts'),
          paid.where('p.voided_at', 'is', null).select((e) => e.fn.coalesce(e.fn.sum<number>('p.total'), e.lit(0)).as('t')).as('total'),
          paid.where('p.voided_at', 'is not', null).select((e) => e.fn.countAll<number>().as('n')).as('voids'),
          paid.where('p.voided_at', 'is not', null).select((e) => e.fn.coalesce(e.fn.sum<number>('p.total'), e.lit(0)).as('t')).as('voided_total'),
          eb
            .selectFrom('print_jobs as j')
            .innerJoin('payments as p', 'p.id', 'j.payment_id')
            .whereRef('p.cashier_id', '=', 'u.id')
            .where('p.id', 'in', inDay.payments)
            .where('j.kind', '=', 'reprint')
            .select((e) => e.fn.countAll<number>().as('n'))
            .as('reprints'),
          refunded.select((e) => e.fn.countAll<number>().as('n')).as('refunds'),
          eb
            .selectFrom('refund_lines as f')
            .innerJoin('refunds as r', 'r.id', 'f.refund_id')
            .whereRef('r.cashier_id', '=', 'u.id')
            .where('r.id', 'in', inDay.refunds)
            .select((e) => e.fn.coalesce(e.fn.sum<number>('f.amount'), e.lit(0)).as('t'))
            .as('refunded_total'),
        ];
      })
      .orderBy('u.code'),
  );
  return rows
    .map((r) => ({
      code: r.code,
      name: r.name,
      receipts: r.receipts ?? 0,
      total: r.total ?? 0,
      voids: r.voids ?? 0,
      voidedTotal: r.voided_total ?? 0,
      reprints: r.reprints ?? 0,
      refunds: r.refunds ?? 0,
      refundedTotal: r.refunded_total ?? 0,
    }))
    .filter((c) => c.receipts + c.voids + c.refunds > 0);
}

/** The shifts closed that day (Việt Nam time), the last closed first. */
function shiftsClosedOn(ctx: Ctx, day: string): ClosedShift[] {
  const { start, end } = dayBounds(day);
  const rows = selectAll(
    ctx.sqlite,
    query
      .selectFrom('shifts as s')
      .innerJoin('users as u', 'u.id', 's.cashier_id')
      .select(['s.id', 'u.code', 'u.name', 's.opened_at', 's.closed_at', 's.counted_cash', 's.variance'])
      .select((eb) => {
        const valid = eb.selectFrom('payments as p').whereRef('p.shift_id', '=', 's.id').where('p.voided_at', 'is', null);
        return [
          valid.select((e) => e.fn.countAll<number>().as('n')).as('receipts'),
          valid.select((e) => e.fn.coalesce(e.fn.sum<number>('p.total'), e.lit(0)).as('t')).as('total'),
        ];
      })
      .where('s.closed_at', '>=', start)
      .where('s.closed_at', '<', end)
      .orderBy('s.closed_at', 'desc')
      .orderBy('s.id', 'desc'),
  );
  return rows.map((r) => ({
    shiftId: r.id,
    cashier: { code: r.code, name: r.name },
    openedAt: r.opened_at,
    closedAt: r.closed_at!,
    receipts: r.receipts ?? 0,
    total: r.total ?? 0,
    countedCash: r.counted_cash,
    variance: r.variance,
  }));
}

/**
 * The open "trùng thu" conflicts (snapshots.ts: paid here, not exported, not refunded, no longer
 * listed by CMIS) by receipt: they stay listed whatever day is shown until a refund decides them.
 */
export function conflictReceipts(ctx: Ctx): ConflictReceipt[] {
  const byReceipt = new Map<string, ConflictReceipt>();
  for (const row of openConflicts(ctx.sqlite)) {
    const receiptNo = row.receiptNo ?? '';
    let entry = byReceipt.get(receiptNo);
    if (entry === undefined) {
      entry = { receiptNo, maKhang: row.maKhang, tenKhang: row.tenKhang, bills: [], amount: 0 };
      byReceipt.set(receiptNo, entry);
    }
    entry.bills.push({ idHdon: row.idHdon, loaiHdon: row.loaiHdon, ky: row.ky, thang: row.thang, nam: row.nam, tongTien: row.tongTien });
    entry.amount += row.tongTien;
  }
  return [...byReceipt.values()];
}
