import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { COUNTER_VIEWPORT, count, loginAndOpenShift, scannerKeys, sendKeys, startApp, stopSharedEnvironment } from './harness.ts';
import { nextDayFile } from '../helpers/next-day-file.ts';

after(stopSharedEnvironment);

const MB = /^([\d,]+) \/ ([\d,]+) MB · ([\d.]+) dòng$/;
const number = (text: string) => Number(text.replaceAll('.', '').replace(',', '.'));

test('[#10.7] the counter scans and collects while the morning file is read: the progress moves by bytes and rows, and the new snapshot counts the payment', async () => {
  const file = nextDayFile(120_000, true);
  const app = await startApp({ scenario: 'import-while-collecting', imported: true, viewport: COUNTER_VIEWPORT });
  try {
    const { page, ctx } = app;
    await loginAndOpenShift(app);
    await page.keyboard.press('F4');
    await page.getByLabel('Đường dẫn tệp dữ liệu CMIS').fill(file);
    await page.keyboard.press('Enter');

    // Intermediate progress: part of the file read, rows counted.
    const bytes = page.getByTestId('import-bytes');
    let seen: RegExpExecArray | null = null;
    await page.waitForFunction(
      (pattern) => {
        const text = document.querySelector('[data-testid="import-bytes"]')?.textContent ?? '';
        const m = new RegExp(pattern).exec(text);
        return m !== null && m[1] !== '0' && m[1] !== m[2] && m[3] !== '0';
      },
      MB.source,
      { polling: 20, timeout: 60_000 },
    );
    seen = MB.exec(await bytes.innerText());
    assert.ok(seen !== null);
    assert.ok(number(seen[1] ?? '0') > 0 && number(seen[1] ?? '0') < number(seen[2] ?? '0'), `part of the file: ${seen[0]}`);
    await app.shot('import-progress');

    // A scan while the file is read: the customer from the current snapshot, collected with Enter.
    await sendKeys(app, scannerKeys('PC12AA0000002'));
    const card = page.getByTestId('customer');
    await card.getByText('Trần Thị Hoa').waitFor();
    assert.equal(await card.getByTestId('grand-total').innerText(), '172.800 ₫');
    await page.keyboard.press('Enter');
    await page.getByTestId('collected').getByText(/Đã thu 172\.800 ₫, biên nhận/).waitFor();
    assert.equal(count(ctx, 'SELECT COUNT(*) AS n FROM snapshots'), 1, 'the collect went through before the new snapshot');

    // Back to the import: still running or done, never restarted; the preview counts the payment just made.
    await page.keyboard.press('F4');
    const preview = page.getByTestId('import-preview');
    await preview.getByText('Không có lỗi.').waitFor({ timeout: 120_000 });
    assert.match(await preview.innerText(), /XUNG ĐỘT: có thể thu hai lần/);
    await page.keyboard.press('Control+Enter');
    await page.getByText(/Đã nhập \d[\d.]* hóa đơn/).waitFor({ timeout: 120_000 });
    const state = ctx.sqlite
      .prepare("SELECT s.state FROM snapshot_bill_states s JOIN bills b ON b.id = s.bill_id WHERE b.id_hdon = 'HD0000000021' AND s.snapshot_id = 2")
      .pluck()
      .get();
    assert.equal(state, 'conflict', 'paid here while CMIS dropped it: flagged, not "cleared elsewhere"');
  } finally {
    await app.close();
  }
});
