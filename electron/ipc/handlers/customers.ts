import { AppError } from '../../core/errors.ts';
import { customerDetail, lookupCode, searchCustomers, type CustomerDetail } from '../../customers/find.ts';
import { quoteCustomer } from '../../payments/quote.ts';
import { currentSnapshot } from '../../cmis/snapshots.ts';
import { customerHitView, customerView } from '../views.ts';
import type { DomainHandlers, Till } from './deps.ts';

export function customerHandlers(t: Till): DomainHandlers<'lookupCode' | 'scanSubmit' | 'findCustomers' | 'customerDetail'> {
  const { ctx, session } = t;
  /** The card asks the one quote for every outstanding bill: what Enter collects. */
  const cardOf = (c: CustomerDetail | null) => (c === null ? null : customerView(c, quoteCustomer(ctx.sqlite, c)));
  /** A code not found, or no debt data at all: "not found" would send the cashier looking for a wrong card. */
  const found = (c: CustomerDetail | null) => {
    if (c === null && currentSnapshot(ctx.sqlite) === null) throw new AppError('NO_SNAPSHOT', 'Chưa có dữ liệu nợ: hãy nhập dữ liệu nợ buổi sáng (F4) rồi quét lại.');
    return cardOf(c);
  };
  return {
    lookupCode: ({ code }) => {
      session.requireUser();
      return found(lookupCode(ctx, code));
    },

    scanSubmit: ({ code }) => {
      session.requireUser();
      const outcome = t.scanner.stream.submit(code, 'wedge');
      if (!outcome.ok) throw new AppError(`SCAN_${outcome.rejection.reason}`, outcome.rejection.message);
      return found(lookupCode(ctx, outcome.scan.code));
    },

    findCustomers: ({ query, limit }) => {
      session.requireUser();
      return searchCustomers(ctx, query, limit).map(customerHitView);
    },

    customerDetail: ({ customerId }) => {
      session.requireUser();
      return cardOf(customerDetail(ctx, customerId))!;
    },
  };
}
