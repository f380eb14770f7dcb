/**
 * Change rounded down (setting change_rounding) at the usual point PC's screen (1366×768): what the
 * card shows is what the payment records, and the Z report and the expected cash hold the rounding.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { COUNTER_VIEWPORT, SUPERVISOR, loginAndOpenShift, scannerKeys, sendKeys, startApp, stopSharedEnvironment } from './harness.ts';

after(stopSharedEnvironment);

test('[#10] change rounded down to 500 ₫: 200.000 for 172.800 shows 27.000 back and 200 kept, stored on the payment, on the Z report and in the expected cash', async () => {
  const app = await startApp({ scenario: 'change-rounding', imported: true, viewport: COUNTER_VIEWPORT });
  try {
    const { page, ctx } = app;
    await loginAndOpenShift(app, '500.000');

    // The supervisor sets the rounding on the settings screen (F9).
    await page.keyboard.press('F9');
    await page.getByLabel('Mã giám sát viên').fill(SUPERVISOR.code);
    await page.getByLabel('PIN giám sát viên').fill(SUPERVISOR.pin);
    await page.keyboard.press('Enter');
    await page.getByLabel('Làm tròn tiền trả lại').selectOption({ label: 'Làm tròn tiền trả lại xuống 500 ₫' });
    await page.getByRole('button', { name: 'Lưu (Ctrl+S)' }).click();
    await page.getByText('Đã lưu cài đặt.').waitFor({ timeout: 10_000 });
    await page.keyboard.press('Escape');

    const card = page.getByTestId('customer');
    await sendKeys(app, scannerKeys('PC12AA0000002'));
    await card.getByTestId('grand-total').getByText('172.800 ₫').waitFor();
    await page.getByLabel('Khách đưa (không bắt buộc)').fill('200.000');
    await card.getByTestId('change').getByText('27.000 ₫').waitFor({ timeout: 10_000 });
    assert.equal(await card.getByTestId('change-rounding').innerText(), 'làm tròn 200 ₫ (không trả lại)');
    await page.keyboard.press('Enter');
    const collected = page.getByTestId('collected');
    await collected.getByText(/Đã thu 172\.800 ₫/).waitFor({ timeout: 10_000 });
    assert.equal(await collected.getByTestId('change-given').innerText(), '27.000 ₫');
    assert.equal(await collected.getByTestId('change-rounding-given').innerText(), 'làm tròn 200 ₫ (không trả lại)');
    const stored = ctx.sqlite.prepare("SELECT p.total, p.tendered, p.change_step, p.change_rounding FROM payments p JOIN customers c ON c.id = p.customer_id WHERE c.ma_khang = 'PC12AA0000002'").get();
    assert.deepEqual(stored, { total: 172_800, tendered: 200_000, change_step: 500, change_rounding: 200 });

    // The drawer holds 500.000 + 172.800 + the 200 kept.
    await page.keyboard.press('F6');
    await page.getByLabel('Tiền mặt đếm được trong két (đồng)').fill('673.000');
    await page.keyboard.press('Enter');
    const z = page.getByTestId('z-report');
    await z.waitFor({ timeout: 10_000 });
    const report = await z.innerText();
    assert.match(report, /Làm tròn tiền trả lại\s+1 · 200 ₫/);
    assert.match(report, /Tiền mặt dự kiến\s+673\.000 ₫/);
    assert.match(report, /Chênh lệch\s+0 ₫/);
  } finally {
    await app.close();
  }
});
