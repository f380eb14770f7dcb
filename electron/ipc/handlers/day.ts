import { isoDay } from '../../core/local-time.ts';
import { supervisorDay } from '../../shifts/day.ts';
import { reprintZReport } from '../../shifts/z-report.ts';
import { printReceiptList } from '../../shifts/receipt-list.ts';
import { dayView } from '../views.ts';
import type { DomainHandlers, Till } from './deps.ts';

/** F7, the supervisor's day: the day's figures, Z report copies and receipt lists, each by a supervisor's code + PIN. */
export function dayHandlers(t: Till): DomainHandlers<'supervisorDay' | 'zReprint' | 'receiptListPrint'> {
  const { ctx } = t;
  return {
    supervisorDay: ({ supervisor, day }) => {
      t.supervisor(supervisor);
      return dayView(supervisorDay(ctx, day ?? isoDay(ctx.clock())));
    },

    zReprint: ({ supervisor, scope }) => {
      const who = t.supervisor(supervisor);
      const { copyNo } = reprintZReport(ctx, scope, who.id);
      t.printed();
      return { copyNo };
    },

    receiptListPrint: ({ supervisor, scope }) => {
      const who = t.supervisor(supervisor);
      const { list } = printReceiptList(ctx, scope, who.id);
      t.printed();
      return { receipts: list.receipts.length, validTotal: list.validTotal };
    },
  };
}
