import { isoDay } from '../../core/local-time.ts';
import { collectPayment, quoteSelection } from '../../payments/collect.ts';
import { customerDetail } from '../../customers/find.ts';
import { reprintReceipt, voidPayment } from '../../payments/voids.ts';
import { hourlyCollections, shiftReceipts } from '../../payments/listings.ts';
import type { DomainHandlers, Till } from './deps.ts';

export function paymentHandlers(t: Till): DomainHandlers<'quote' | 'collect' | 'voidPayment' | 'reprint' | 'todayReceipts' | 'hourlyCollections'> {
  const { ctx, session } = t;
  return {
    quote: ({ customerId, billIds }) => {
      session.requireUser();
      const q = quoteSelection(ctx.sqlite, customerDetail(ctx, customerId), billIds);
      return { billIds: q.bills.map((b) => b.id_hdon), billsTotal: q.billsTotal, fee: q.fee, total: q.total, reconnectionOrder: q.reconnection !== null, changeStep: q.changeStep };
    },

    collect: async ({ customerId, billIds, idempotencyKey, tendered, changeStep }) => {
      const user = session.requireUser();
      // During an import's swap the collect waits here, not in SQLite's busy handler: the thread keeps answering scans.
      await t.imports.idle();
      const result = await t.admit(() =>
        collectPayment(ctx, {
          customer: customerId,
          cashierId: user.id,
          idempotencyKey,
          ...(billIds === undefined ? {} : { billIds }),
          ...(tendered === undefined ? {} : { tendered }),
          ...(changeStep === undefined ? {} : { changeStep }),
        }),
      );
      if (!result.replayed) t.printed(); // a replay wrote nothing new
      return {
        paymentId: result.paymentId,
        receiptNo: result.receiptNo,
        paidAt: result.paidAt,
        total: result.total,
        tendered: result.tendered,
        change: result.change,
        changeRounding: result.changeRounding,
        reconnectionOrder: result.reconnectionOrderId !== null,
      };
    },

    voidPayment: ({ receiptNo, reason, supervisor: credentials }) => {
      session.requireUser();
      const done = voidPayment(ctx, { receiptNo, reason, supervisorId: t.supervisor(credentials).id });
      t.printed();
      return { receiptNo: done.receiptNo };
    },

    reprint: ({ receiptNo }) => {
      const user = session.requireUser();
      const done = reprintReceipt(ctx, { receiptNo, actorId: user.id });
      t.printed();
      return { receiptNo: done.receiptNo, copyNo: done.copyNo };
    },

    todayReceipts: () => {
      const shiftId = t.shiftInView(session.requireUser());
      return shiftId === null ? [] : shiftReceipts(ctx, shiftId);
    },

    hourlyCollections: () => {
      session.requireUser();
      const hourly = hourlyCollections(ctx, isoDay(ctx.clock()));
      return t.blind() ? { ...hourly, hours: hourly.hours.map((h) => ({ ...h, total: null })), total: null } : hourly;
    },
  };
}
