import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { backupNow } from '../../electron/backups/backups.ts';
import { openContext } from '../../electron/store/context.ts';
import { initPoint } from '../../electron/store/point.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { CASHIER, COUNTER_VIEWPORT, SUPERVISOR, count, login, loginAndOpenShift, scanAndCollect, startApp, stopSharedEnvironment, unlockAsSupervisor, type AppUnderTest } from './harness.ts';

after(stopSharedEnvironment);

const receipts = (app: AppUnderTest) => (app.ctx.sqlite.prepare('SELECT receipt_no FROM payments ORDER BY receipt_seq').pluck().all() as string[]);

/** Settings (F9) opened by the supervisor, a backup picked and its preview shown. */
async function pickBackup(app: AppUnderTest, file: string): Promise<void> {
  app.chooseBackupFile(file);
  await unlockAsSupervisor(app, 'F9');
  await app.page.getByRole('button', { name: 'Chọn tệp sao lưu…' }).click();
}

async function confirmAs(app: AppUnderTest, user: { code: string; pin: string }): Promise<void> {
  await app.page.getByLabel('Mã giám sát viên xác nhận').fill(user.code);
  await app.page.getByLabel('PIN giám sát viên xác nhận').fill(user.pin);
  await app.page.getByRole('button', { name: 'Khôi phục và mở lại chương trình' }).click();
}

test('restore from the settings: preview, force and PIN, the app relaunches to the login with the message; the later payment is gone and its receipt number is not reissued', async () => {
  const app = await startApp({ scenario: 'restore', imported: true, viewport: COUNTER_VIEWPORT });
  try {
    const { page } = app;
    await loginAndOpenShift(app);
    const first = await scanAndCollect(app, 'PC12AA0000001', 'Nguyễn Văn An');
    const { file } = await backupNow(app.ctx, { outDir: join(tempDir(), 'usb') });
    const second = await scanAndCollect(app, 'PC12AA0000002', 'Trần Thị Hoa');
    assert.deepEqual(receipts(app), [first, second]);

    await pickBackup(app, file);
    const preview = page.getByTestId('restore-preview');
    await preview.waitFor();
    const shown = await preview.innerText();
    assert.match(shown, /DT01/);
    assert.ok(shown.includes(file), shown);
    assert.match(shown, new RegExp(`1 \\(biên nhận cuối ${first}\\)`));
    await page.getByText('Bản sao lưu này CŨ HƠN dữ liệu hiện tại', { exact: false }).waitFor();
    const confirm = page.getByRole('button', { name: 'Khôi phục và mở lại chương trình' });
    assert.equal(await confirm.isDisabled(), true, 'an older backup needs force first');
    await page.getByLabel('Tôi hiểu: khôi phục bản cũ hơn (bắt buộc)').check();
    await page.getByRole('form', { name: 'Khôi phục từ bản sao lưu' }).scrollIntoViewIfNeeded();
    await app.shot('restore-preview');

    // A cashier's PIN cannot confirm; nothing closes.
    await confirmAs(app, CASHIER);
    await page.getByRole('alert').getByText(/\(SUPERVISOR_REQUIRED\)$/).waitFor();
    assert.equal(app.relaunches(), 0);
    assert.deepEqual(receipts(app), [first, second]);

    await confirmAs(app, SUPERVISOR);
    const notice = page.getByTestId('restore-notice');
    await notice.waitFor({ timeout: 30_000 });
    assert.equal(app.relaunches(), 1);
    const text = await notice.innerText();
    assert.ok(text.includes(`Đã khôi phục dữ liệu từ ${file}`), text);
    assert.match(text, /khôi phục bắt buộc/);
    assert.ok(text.includes(`1 biên nhận bị bỏ`) && text.includes(`${second} (PC12AA0000002, `), `the dropped receipt is named: ${text}`);
    const safety = /Bản an toàn của dữ liệu trước khi khôi phục: (\S+)/.exec(text)?.[1] ?? '';
    assert.ok(safety.startsWith(join(app.dataDir, 'safety')) && existsSync(safety), text);
    await app.shot('restored-login');

    await login(app);
    await page.getByText('Sẵn sàng quét thẻ').waitFor(); // the shift of the backup is open again
    assert.deepEqual(receipts(app), [first], 'the payment made after the backup is gone');
    const third = await scanAndCollect(app, 'PC12AA0000002', 'Trần Thị Hoa');
    assert.equal(third.slice(-6), '000003', `receipt ${second} is never issued again: ${third}`);
    const journal = app.ctx.sqlite.prepare("SELECT payload FROM journal WHERE kind = 'restore'").pluck().get() as string;
    assert.equal((JSON.parse(journal) as { forcedBy: string }).forcedBy, SUPERVISOR.code);
    assert.equal(existsSync(join(app.dataDir, 'restore-outcome.json')), false, 'the message is shown once');
  } finally {
    await app.close();
  }
});

test('restore refused after the app closed (a payment committed as the restore started) reopens the current database untouched and says why; a file of another point is refused before anything closes', async () => {
  let collectedDuring: Promise<unknown> | undefined;
  let refusedDuring: Promise<unknown> | undefined;
  const app: AppUnderTest = await startApp({
    scenario: 'restore-refused',
    imported: true,
    viewport: COUNTER_VIEWPORT,
    around: async (channel, run) => {
      const value = await run();
      if (channel === 'restoreConfirm') {
        // The same moment: one payment is admitted before the gate closes (it commits, then the restore
        // sees a newer database); one arrives once closing started and is refused before anything is written.
        const customerId = (key: string) => app.ctx.sqlite.prepare('SELECT id FROM customers WHERE ma_khang = ?').pluck().get(key) as number;
        collectedDuring = Promise.resolve(app.handlers.collect({ customerId: customerId('PC12AA0000002'), idempotencyKey: 'during-restore-1' }));
        const late = customerId('PC12AA0000003');
        refusedDuring = new Promise((resolve) => setImmediate(() => resolve(Promise.resolve(app.handlers.collect({ customerId: late, idempotencyKey: 'during-restore-2' })).then(() => 'collected', (e: { code?: string }) => e.code))));
      }
      return value;
    },
  });
  try {
    const { page } = app;
    // The settings open without a shift (after the day's deposit no shift can open, and a restore may be needed then).
    await login(app);
    await page.getByLabel('Tiền lẻ đầu ca (đồng)').waitFor();
    await page.keyboard.press('F9');
    await page.getByLabel('PIN giám sát viên').waitFor();
    await page.keyboard.press('Escape');
    await page.getByLabel('Tiền lẻ đầu ca (đồng)').fill('500.000');
    await page.keyboard.press('Enter');
    await page.getByText('Sẵn sàng quét thẻ').waitFor();
    const first = await scanAndCollect(app, 'PC12AA0000001', 'Nguyễn Văn An');

    // Another point's backup: refused at the preview with the CLI's code, the app keeps running.
    const otherDir = tempDir();
    const other = openContext(otherDir);
    initPoint(other, { pointCode: 'PT02', unitCode: 'PC12AA', pointName: '' });
    const otherBackup = await backupNow(other, { outDir: join(otherDir, 'b') });
    other.close();
    await pickBackup(app, otherBackup.file);
    await page.getByRole('alert').getByText(/\(BACKUP_OTHER_POINT\)$/).waitFor();

    const { file } = await backupNow(app.ctx, { outDir: join(tempDir(), 'usb') });
    app.chooseBackupFile(file);
    await page.getByRole('button', { name: 'Chọn tệp sao lưu…' }).click();
    await page.getByText('không cũ hơn dữ liệu hiện tại', { exact: false }).waitFor();
    await confirmAs(app, SUPERVISOR);

    await page.getByRole('alert').getByText(/\(RESTORE_OLDER_THAN_CURRENT\)$/).waitFor({ timeout: 30_000 });
    assert.equal(app.relaunches(), 1);
    assert.match(await page.getByRole('alert').innerText(), /KHÔNG thành công, dữ liệu hiện tại vẫn nguyên vẹn/);
    const during = (await collectedDuring) as { receiptNo: string };
    assert.equal(await refusedDuring, 'APP_QUITTING');
    assert.deepEqual(receipts(app), [first, during.receiptNo], 'the payment that got in stands; the late one wrote nothing');
    assert.equal(existsSync(join(app.dataDir, 'safety')), false, 'nothing was replaced');
    assert.equal(count(app.ctx, "SELECT COUNT(*) AS n FROM journal WHERE kind = 'restore'"), 0);

    await login(app);
    await page.getByText('Sẵn sàng quét thẻ').waitFor(); // keys sent while the login is checked go to the login form
    const next = await scanAndCollect(app, 'PC12AA0000004', 'Y Bhin Niê');
    assert.equal(next.slice(-6), '000003', 'the reopened database takes payments');
  } finally {
    await app.close();
  }
});
