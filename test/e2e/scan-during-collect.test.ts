import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { CASHIER, count, loginAndOpenShift, scannerKeys, sendKeys, startApp, stopSharedEnvironment } from './harness.ts';
import { collectPayment } from '../../electron/payments/collect.ts';
import { lookupCode } from '../../electron/customers/find.ts';

after(stopSharedEnvironment);

/** A gate the test opens: the collect handler waits on it. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  let reached!: () => void;
  const arrived = new Promise<void>((r) => (reached = r));
  return { open, opened, reached, arrived };
}

const paymentsOf = (ctx: Parameters<typeof count>[0], maKhang: string) =>
  count(ctx, 'SELECT COUNT(*) AS n FROM payments p JOIN customers c ON c.id = p.customer_id WHERE c.ma_khang = ?', maKhang);

test('[#21] a scan while a payment commits is not lost: the later customer stays on screen, the earlier payment is announced by its receipt, a failed one by its customer', async () => {
  // Phase 1 holds the answer after the commit (the window has not heard yet); phase 2 holds the call
  // before it runs while another process takes the same bills, so that collect is refused.
  let mode: 'after-commit' | 'before-commit' = 'after-commit';
  let held = gate();
  const app = await startApp({
    scenario: 'scan-during-collect',
    imported: true,
    viewport: { width: 1366, height: 768 },
    around: async (channel, run) => {
      if (channel !== 'collect') return run();
      if (mode === 'after-commit') {
        const answer = await run();
        held.reached();
        await held.opened;
        return answer;
      }
      held.reached();
      await held.opened;
      return run();
    },
  });
  try {
    const { page, ctx } = app;
    await loginAndOpenShift(app);
    const card = page.getByTestId('customer');

    // Customer A: scanned, Enter collects; the commit is done but its answer is slow to come back.
    await sendKeys(app, scannerKeys('PC12AA0000001'));
    await card.getByText('Nguyễn Văn An').waitFor();
    await page.keyboard.press('Enter');
    await held.arrived;
    assert.equal(paymentsOf(ctx, 'PC12AA0000001'), 1, 'A is committed');
    await page.getByRole('button', { name: 'Đang thu…' }).waitFor();

    // Customer B is scanned meanwhile, then A's answer arrives.
    await sendKeys(app, scannerKeys('PC12AA0000002'));
    await card.getByTestId('ma-khang').getByText('PC12AA0000002').waitFor();
    held.open();
    const receiptA = (ctx.sqlite.prepare('SELECT receipt_no AS r FROM payments').get() as { r: string }).r;
    const banner = page.getByTestId('collected');
    await banner.getByText(`Đã thu 573.750 ₫, biên nhận ${receiptA}.`).waitFor();
    assert.equal(await card.getByTestId('ma-khang').innerText(), 'PC12AA0000002', 'B is still the customer on screen');
    await banner.getByText(/Nguyễn Văn An \(PC12AA0000001\)/).waitFor();
    await app.shot('b-on-screen-a-announced');
    await card.getByText('Trần Thị Hoa').waitFor();
    assert.equal(await card.getByTestId('grand-total').innerText(), '172.800 ₫', "B's bills, still to collect");
    assert.equal(await card.getByRole('button', { name: /THU TIỀN/ }).isEnabled(), true, 'B can be collected');
    assert.equal(paymentsOf(ctx, 'PC12AA0000002'), 0, 'no payment for B');
    assert.equal(count(ctx, 'SELECT COUNT(*) AS n FROM payments'), 1);

    // Phase 2: B's collect waits; another process takes B's bill; customer C is scanned; B's collect is refused.
    mode = 'before-commit';
    held = gate();
    await page.keyboard.press('Enter');
    await held.arrived;
    const cashier = ctx.sqlite.prepare('SELECT id FROM users WHERE code = ?').get(CASHIER.code) as { id: number };
    collectPayment(ctx, { customer: lookupCode(ctx, 'PC12AA0000002')!.id, cashierId: cashier.id, idempotencyKey: 'other-process-0001' });
    await sendKeys(app, scannerKeys('PC12AA0000003'));
    await card.getByTestId('ma-khang').getByText('PC12AA0000003').waitFor();
    held.open();
    const alert = page.getByRole('alert');
    await alert.getByText(/Trần Thị Hoa \(PC12AA0000002\)/).waitFor();
    await alert.getByText(/BILL_ALREADY_PAID/).waitFor();
    await app.shot('c-on-screen-b-refused');
    assert.equal(await card.getByTestId('ma-khang').innerText(), 'PC12AA0000003', 'C is still the customer on screen');
    assert.equal(await card.getByTestId('grand-total').innerText(), '280.800 ₫');
    assert.equal(paymentsOf(ctx, 'PC12AA0000002'), 1, "only the other process's payment of B");
    assert.equal(paymentsOf(ctx, 'PC12AA0000003'), 0, 'no payment for C');
  } finally {
    await app.close();
  }
});
