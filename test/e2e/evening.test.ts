import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { SUPERVISOR, count, loginAndOpenShift, scanAndCollect, scannerKeys, sendKeys, startApp, stopSharedEnvironment, waitForValue } from './harness.ts';

after(stopSharedEnvironment);


test('Today: reprint a receipt (copy 1), then void another with supervisor PIN and reason', async () => {
  const app = await startApp({ scenario: 'void-reprint', imported: true });
  try {
    const { page, ctx } = app;
    await loginAndOpenShift(app);
    const first = await scanAndCollect(app, 'PC12AA0000006', 'Phạm Thị Mai');
    const second = await scanAndCollect(app, 'PC12AA0000005', 'Lê Văn Bình');
    await page.keyboard.press('F3');
    const rows = page.locator('table.receipts tbody tr');
    await rows.nth(1).waitFor();
    assert.match(await rows.nth(0).innerText(), new RegExp(second)); // newest first
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('r');
    await page.getByTestId('reprint-confirm').waitFor();
    await page.keyboard.press('Enter');
    await page.getByText(`Đã gửi in lại ${first} (bản sao lần 1).`).waitFor();
    await app.shot('reprinted');

    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('v');
    await page.getByLabel('Lý do hủy').fill('Khách đưa nhầm thẻ');
    await page.getByLabel('Mã giám sát viên').fill(SUPERVISOR.code);
    await page.getByLabel('PIN giám sát viên').fill('0000');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').getByText(/Sai mã người dùng hoặc mã PIN\. \(LOGIN_FAILED\)/).waitFor();
    assert.equal(count(ctx, 'SELECT COUNT(*) AS n FROM payments WHERE voided_at IS NOT NULL'), 0, 'a wrong PIN voids nothing');
    await app.shot('void-wrong-pin');
    await page.getByLabel('PIN giám sát viên').fill(SUPERVISOR.pin);
    await page.keyboard.press('Enter');
    await page.getByText(`Đã hủy biên nhận ${second} và in phiếu hủy.`).waitFor();
    assert.match(await rows.nth(0).innerText(), /Đã hủy: Khách đưa nhầm thẻ/);
    await app.shot('voided');

    await app.printing.idle();
    const files = app.printing.files();
    for (const kind of ['receipt', 'reprint', 'void_slip']) assert.ok(files.some((f) => f.endsWith(`-${kind}.bin`)), `${kind} printed: ${files.join(', ')}`);
    const reprint = ctx.sqlite.prepare("SELECT copy_no AS copyNo FROM print_jobs WHERE kind = 'reprint'").get() as { copyNo: number };
    assert.equal(reprint.copyNo, 1);
  } finally {
    await app.close();
  }
});

test('evening: blind count, Z report with the variance, export to the chosen folder and where the files went', async () => {
  const app = await startApp({ scenario: 'close-export', imported: true });
  try {
    const { page, ctx } = app;
    await loginAndOpenShift(app, '500.000');
    await scanAndCollect(app, 'PC12AA0000001', 'Nguyễn Văn An');
    await page.keyboard.press('F6');
    const form = page.locator('form').filter({ hasText: 'Kết ca (Enter)' });
    assert.doesNotMatch(await form.innerText(), /1\.073\.750|dự kiến: /, 'blind: the expected cash is not shown before the count');
    await page.getByLabel('Tiền mặt đếm được trong két (đồng)').fill('1.073.000');
    await page.keyboard.press('Enter');
    const z = page.getByTestId('z-report');
    await z.waitFor();
    const report = await z.innerText();
    assert.match(report, /Tổng thu\s+573\.750 ₫/);
    assert.match(report, /Tiền mặt dự kiến\s+1\.073\.750 ₫/);
    assert.match(report, /Chênh lệch\s+-750 ₫/);
    await app.shot('z-report');
    await app.printing.idle();
    assert.ok(app.printing.files().some((f) => f.endsWith('-z_report.bin')), 'Z report printed at close');

    await page.getByRole('button', { name: 'Chọn thư mục…' }).click();
    await waitForValue(page.getByLabel('Thư mục đích (ví dụ ổ USB)'), app.exportDir);
    await page.keyboard.press('Control+e');
    const exported = page.getByTestId('exported');
    await exported.getByText('Đã xuất 2 dòng, tổng 573.750 ₫. Các tệp nằm ở:').waitFor();
    await exported.getByText(/Đã sao lưu dữ liệu vào .*\.sqlite\./).waitFor();
    const listed = await exported.locator('code').allInnerTexts();
    assert.ok(listed.some((f) => /GACHNO_DT01_\d{8}_01\.csv$/.test(f)));
    assert.ok(listed.some((f) => /GACHNO_DT01_\d{8}_01\.json$/.test(f)));
    for (const f of listed) assert.ok(existsSync(f), `${f} exists`);
    const csv = readFileSync(listed.find((f) => f.endsWith('.csv')) ?? '', 'utf8');
    assert.match(csv, /HD0000000011/);
    assert.equal(count(ctx, 'SELECT COUNT(*) AS n FROM payments WHERE batch_id IS NULL'), 0);
    await page.getByTestId('status-unexported').getByText('Chưa xuất: 0 · 0 ₫').waitFor();
    await app.shot('exported');

    // Exporting again with nothing new writes nothing and says so.
    await page.keyboard.press('Control+e');
    await page.getByText('Không có gì mới để xuất.').waitFor();
    await page.keyboard.press('Control+l');
    await page.getByLabel('Mã thu ngân').waitFor();
  } finally {
    await app.close();
  }
});

test("a cut customer: the reconnection fee is added, collected with the bills, and the order is made and printed", async () => {
  const app = await startApp({ scenario: 'reconnection', imported: true, reconnectionFee: 330000 });
  try {
    const { page, ctx } = app;
    await loginAndOpenShift(app);
    await sendKeys(app, scannerKeys('PC12AA0000004'));
    const card = page.getByTestId('customer');
    await card.getByText('ĐANG BỊ CẮT ĐIỆN', { exact: false }).waitFor();
    assert.equal(await card.getByTestId('reconnection-fee').innerText(), '330.000 ₫');
    assert.equal(await card.getByTestId('grand-total').innerText(), '535.200 ₫');
    await app.shot('cut-customer');
    await page.keyboard.press('Enter');
    await page.getByText('Đã lập lệnh đóng điện lại.').waitFor();
    await app.shot('reconnection-order');
    const payment = ctx.sqlite.prepare('SELECT id, total FROM payments').get() as { id: number; total: number };
    assert.equal(payment.total, 535200);
    assert.equal(count(ctx, 'SELECT COUNT(*) AS n FROM reconnection_orders WHERE payment_id = ? AND cancelled_at IS NULL', payment.id), 1);
    assert.equal(count(ctx, 'SELECT COUNT(*) AS n FROM payment_lines WHERE payment_id = ? AND bill_id IS NULL AND tong_tien = 330000', payment.id), 1);
    await app.printing.idle();
    assert.ok(app.printing.files().some((f) => f.endsWith('-reconnection_order.bin')), 'order printed');
    await page.keyboard.press('F3');
    const row = page.locator('table.receipts tbody tr').first();
    await row.getByText('535.200 ₫').waitFor();
    await row.getByText('Lệnh đóng điện').waitFor();
  } finally {
    await app.close();
  }
});
