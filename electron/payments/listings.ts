/** Read models of the payments table for the screens: a shift's receipts and the day's hourly chart. */
import type { Ctx } from '../store/context.ts';
import { query, selectAll } from '../store/typed-query.ts';
import { dayRange, localParts } from '../core/local-time.ts';

export interface ShiftReceipt {
  receiptNo: string;
  paidAt: string;
  maKhang: string;
  tenKhang: string;
  total: number;
  voided: boolean;
  voidReason: string | null;
  exported: boolean;
  reconnectionOrder: boolean;
}

/** The shift's receipts, newest first, with what became of each (voided, exported, reconnection order). */
export function shiftReceipts(ctx: Ctx, shiftId: number): ShiftReceipt[] {
  const rows = selectAll(
    ctx.sqlite,
    query
      .selectFrom('payments as p')
      .innerJoin('customers as c', 'c.id', 'p.customer_id')
      .select(['p.receipt_no', 'p.paid_at', 'c.ma_khang', 'c.ten_khang', 'p.total', 'p.voided_at', 'p.void_reason', 'p.batch_id'])
      .select((eb) =>
        eb
          .exists(eb.selectFrom('reconnection_orders as o').select('o.id').whereRef('o.payment_id', '=', 'p.id').where('o.cancelled_at', 'is', null))
          .as('reconnection_order'),
      )
      .where('p.shift_id', '=', shiftId)
      .orderBy('p.receipt_seq', 'desc'),
  );
  return rows.map((r) => ({
    receiptNo: r.receipt_no,
    paidAt: r.paid_at,
    maKhang: r.ma_khang,
    tenKhang: r.ten_khang,
    total: r.total,
    voided: r.voided_at !== null,
    voidReason: r.void_reason,
    exported: r.batch_id !== null,
    reconnectionOrder: Number(r.reconnection_order) === 1,
  }));
}

export interface HourlyCollections {
  hours: Array<{ hour: number; count: number; total: number }>;
  count: number;
  total: number;
}

/** Valid payments of a local day (yyyy-mm-dd) by local hour. */
export function hourlyCollections(ctx: Ctx, day: string): HourlyCollections {
  const { start, end } = dayRange(day);
  const rows = selectAll(
    ctx.sqlite,
    query
      .selectFrom('payments')
      .select(['paid_at', 'total'])
      .where('paid_at', '>=', start.toISOString())
      .where('paid_at', '<', end.toISOString())
      .where('voided_at', 'is', null),
  );
  const byHour = new Map<number, { hour: number; count: number; total: number }>();
  for (const r of rows) {
    const hour = localParts(new Date(r.paid_at)).hour;
    const slot = byHour.get(hour) ?? { hour, count: 0, total: 0 };
    slot.count += 1;
    slot.total += r.total;
    byHour.set(hour, slot);
  }
  return { hours: [...byHour.values()].sort((a, b) => a.hour - b.hour), count: rows.length, total: rows.reduce((sum, r) => sum + r.total, 0) };
}
