import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { setSettings } from '../../electron/store/settings.ts';
import { customerDetail } from '../../electron/customers/find.ts';
import { voidPayment } from '../../electron/payments/voids.ts';
import { quoteCustomer } from '../../electron/payments/quote.ts';
import type { CollectView, CustomerHitView, CustomerView } from '../../electron/ipc/contract.ts';
import { seedSnapshot, type SeedBill } from '../helpers/seed.ts';
import { collectWorld } from '../helpers/collect-fixture.ts';
import { withHandlers, type Answer } from '../helpers/ipc-world.ts';

const MA_KHANG = 'PC12AA0000042';

/** A bill of a few periods (same-period TD/VC pairs and DC bills happen often). */
const bill = fc.record({
  loaiHdon: fc.constantFrom('TD', 'TD', 'VC', 'DC'),
  nam: fc.constantFrom(2026, 2027),
  thang: fc.integer({ min: 1, max: 3 }),
  ky: fc.integer({ min: 1, max: 2 }),
  soTien: fc.integer({ min: 1, max: 900_000 }),
  tienGtgt: fc.integer({ min: 0, max: 90_000 }),
});

/** What the cashier does next: collect everything the card shows, collect some bills, or a supervisor voids the last receipt. */
const attempt = fc.oneof(
  fc.constant({ kind: 'all' as const }),
  fc.record({ kind: fc.constant('some' as const), picks: fc.array(fc.nat(), { maxLength: 4 }) }),
  fc.constant({ kind: 'void' as const }),
);

/** A morning: CMIS lists the customer cut off or not, keeps some earlier bills, brings new ones; then the day's attempts. */
const day = fc.record({
  cut: fc.boolean(),
  keep: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
  newBills: fc.array(bill, { maxLength: 4 }),
  attempts: fc.array(attempt, { minLength: 1, maxLength: 4 }),
});

const scenario = fc.record({ settingsFee: fc.constantFrom(0, 150_000, 330_000), days: fc.array(day, { minLength: 1, maxLength: 3 }) });

function value<T>(answer: Answer): T {
  assert.equal(answer.ok, true, JSON.stringify(answer.error));
  return answer.value as T;
}

test('for any snapshot and selection, the card, the search result and the quote ask what collectPayment charges', async () => {
  let run = 0;
  await fc.assert(
    fc.asyncProperty(scenario, async ({ settingsFee, days }) => {
      run += 1;
      const w = withHandlers(collectWorld());
      try {
        setSettings(w.ctx.sqlite, { reconnection_fee: settingsFee }, w.supervisor.id, w.ctx.clock());
        value(await w.call('login', { code: 'TN01', pin: '123456' }));
        let listed: SeedBill[] = [];
        let billNo = 0;
        const receipts: string[] = [];
        for (const [d, morning] of days.entries()) {
          listed = [
            ...listed.filter((_, i) => morning.keep[i % morning.keep.length]),
            ...morning.newBills.map((b) => ({ ...b, idHdon: `R${run}-B${(billNo += 1)}` })),
          ];
          const { ids } = seedSnapshot(w.ctx, [{ maKhang: MA_KHANG, tenKhang: 'Lê Thị Quý', dchiKhang: '1 Lê Lợi', tthaiCat: morning.cut, bills: listed }], `2026-12-0${d + 1}T00:30:00.000Z`);
          const customerId = ids.get(MA_KHANG)!;
          for (const [n, step] of morning.attempts.entries()) {
            if (step.kind === 'void') {
              const last = receipts.pop();
              if (last !== undefined) voidPayment(w.ctx, { receiptNo: last, reason: 'thu nhầm', supervisorId: w.supervisor.id });
              continue;
            }
            const card = value<CustomerView>(await w.call('customerDetail', { customerId }));
            const hit = value<CustomerHitView[]>(await w.call('findCustomers', { query: MA_KHANG })).find((h) => h.id === customerId);
            assert.equal(hit?.total, card.total, 'the search result asks what the card asks');
            assert.ok(card.reconnectionFee === 0 || card.reconnectionFee === settingsFee);
            assert.equal(card.total, card.billsTotal + card.reconnectionFee);
            const outstanding = card.bills.map((b) => b.idHdon);
            const billIds = step.kind === 'all' ? outstanding : [...new Set(step.picks.map((p) => outstanding[p % Math.max(1, outstanding.length)]!))].filter(Boolean);
            const quoted = quoteCustomer(w.ctx.sqlite, customerDetail(w.ctx, customerId), billIds);
            if (step.kind === 'all') assert.equal(quoted.ok ? quoted.total : 0, card.total, 'the card is the quote of every outstanding bill');
            const answer = await w.call('collect', { customerId, billIds, idempotencyKey: `key-${run}-${d}-${n}` });
            if (!quoted.ok) {
              assert.equal(answer.error?.code, quoted.problem.code, 'a refused quote is a refused payment');
              continue;
            }
            const paid = value<CollectView>(answer);
            receipts.push(paid.receiptNo);
            assert.equal(paid.total, quoted.total, 'shown total = charged total');
            assert.equal(paid.reconnectionOrder, quoted.reconnection !== null);
          }
        }
      } finally {
        w.ctx.close();
      }
    }),
    { numRuns: 40 },
  );
});
