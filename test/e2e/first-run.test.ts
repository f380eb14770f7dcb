/**
 * A new install, as the power company's IT staff sets it up: from an empty data folder to a printed
 * receipt through the app's screens only (no CLI), keyboard first.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { COUNTER_VIEWPORT, GOOD_SNAPSHOT, count, scannerKeys, sendKeys, startApp, stopSharedEnvironment } from './harness.ts';
import { getSetting } from '../../electron/store/settings.ts';

after(stopSharedEnvironment);

test('[#11] first run: an empty data folder, the setup screens only, then the morning import and a printed receipt', async () => {
  const app = await startApp({ scenario: 'first-run', empty: true, viewport: COUNTER_VIEWPORT, chosenFile: GOOD_SNAPSHOT });
  try {
    const { page, ctx } = app;
    await page.getByText('Điểm thu và giám sát viên đầu tiên').waitFor();
    await app.shot('setup-point');
    const create = page.getByRole('button', { name: 'Tạo điểm thu (Enter)' });
    const box = await create.boundingBox();
    assert.ok(box !== null && box.y + box.height <= 768, 'the whole first step fits the screen: its button is visible without scrolling');
    // Keyboard only: the first field has the focus, Tab goes on, Enter creates.
    const typed = ['dt01', 'PC12AA', 'Điểm thu Tân Lợi', 'Thôn 3, xã Hòa Thắng', 'CÔNG TY ĐIỆN LỰC ĐẮK LẮK', '6000123456', '19001006', 'Tra cứu hóa đơn tại https://hoadon.evn.vn bằng mã khách hàng', 'GS00', 'Hoàng Văn Trưởng', '246800', '246801'];
    for (const [i, text] of typed.entries()) {
      if (i > 0) await page.keyboard.press('Tab');
      await page.keyboard.type(text);
    }
    await page.keyboard.press('Enter');
    await page.getByText('Hai lần nhập PIN không giống nhau.').waitFor();
    assert.equal(getSetting(ctx.sqlite, 'point_code'), undefined, 'nothing written');
    await page.getByLabel('Nhập lại PIN').fill('246800');
    await page.keyboard.press('Enter');

    await page.getByText('Cài đặt lần đầu – bước 2/4').waitFor();
    assert.equal(getSetting(ctx.sqlite, 'point_code'), 'DT01');
    assert.equal(getSetting(ctx.sqlite, 'company_tax_code'), '6000123456');
    assert.equal(count(ctx, "SELECT COUNT(*) AS n FROM users WHERE code = 'GS00' AND role = 'supervisor'"), 1);
    await page.keyboard.press('F3'); // nothing else opens before the setup is done
    assert.equal(await page.getByText('Cài đặt lần đầu – bước 2/4').count(), 1);
    // A fresh install writes receipts to files: the status bar says so, never "sẵn sàng".
    await page.getByTestId('status-printer').getByText('Máy in: chưa cài máy in (đang lưu ra tệp)').waitFor();
    await app.shot('setup-printer');
    await page.getByRole('button', { name: 'In trang thử' }).click();
    await page.getByText('Đã gửi trang thử tới máy in.').waitFor();
    await page.getByLabel('Chế độ in').focus();
    await page.keyboard.press('Enter');

    await page.getByText('Cài đặt lần đầu – bước 3/4').waitFor();
    await sendKeys(app, scannerKeys('PC12AA0000002'));
    await page.getByText('Đã đọc được: PC12AA0000002').waitFor();
    await app.shot('setup-scanner');
    await page.keyboard.press('Enter');

    await page.getByText('Cài đặt lần đầu – bước 4/4').waitFor();
    await page.getByLabel('Phí đóng điện lại (đồng)').fill('330.000');
    const vat = page.getByLabel('Thuế GTGT trong phí đóng điện lại (%, 0-10)');
    await vat.fill('11');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').getByText(/Thuế suất không hợp lệ/).waitFor();
    await vat.fill('10');
    await page.keyboard.press('Enter');

    // The supervisor opens the first shift, imports the morning snapshot and collects.
    await page.getByLabel('Tiền lẻ đầu ca (đồng)').fill('500.000');
    await page.keyboard.press('Enter');
    await page.getByText('Sẵn sàng quét thẻ').waitFor();
    assert.equal(getSetting(ctx.sqlite, 'setup_pending'), false);
    assert.equal(getSetting(ctx.sqlite, 'reconnection_fee'), 330000);
    assert.equal(getSetting(ctx.sqlite, 'reconnection_fee_vat_percent'), 10, 'the fee and its VAT rate set on the first run');
    await page.keyboard.press('F4');
    await page.getByRole('button', { name: 'Chọn tệp…' }).click();
    await page.getByTestId('import-preview').getByText('Không có lỗi.').waitFor();
    await page.keyboard.press('Control+Enter');
    await page.getByText(/Đã nhập 8 hóa đơn/).waitFor();
    await page.keyboard.press('Escape');
    await sendKeys(app, scannerKeys('PC12AA0000002'));
    await page.getByTestId('customer').getByText('Trần Thị Hoa').waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('collected').getByText(/biên nhận DT01-\d\d-000001/).waitFor();
    await app.shot('first-receipt');
    const printed = async () => app.printing.files().filter((f) => f.endsWith('-receipt.bin'));
    for (let i = 0; i < 100 && (await printed()).length === 0; i += 1) await page.waitForTimeout(50);
    assert.equal((await printed()).length, 1, 'the first receipt printed');
    assert.ok(app.printing.files().some((f) => f.endsWith('-test_page.bin')), 'the test page printed');
  } finally {
    await app.close();
  }
});
