import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BROKEN_SNAPSHOT, GOOD_SNAPSHOT, SUPERVISOR, count, loginAndOpenShift, startApp, stopSharedEnvironment, waitForValue } from './harness.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { steppingClock } from '../../electron/core/clock.ts';

after(stopSharedEnvironment);

test('morning import: a broken file is refused with every error and its line, then the good one goes in', async () => {
  // The good file is named as CMIS names it, for the day of the services' clock: its age is then 0 at any
  // hour (a fixture's own time, its mtime, is a day old once midnight has passed in Việt Nam).
  const usb = join(tempDir(), 'USB');
  mkdirSync(usb);
  const good = join(usb, 'NO_PC12AA_20261127.csv');
  copyFileSync(GOOD_SNAPSHOT, good);
  const app = await startApp({ scenario: 'morning-import', chosenFile: BROKEN_SNAPSHOT, clock: steppingClock(new Date('2026-11-27T02:05:00Z'), 1000) });
  try {
    const { page, ctx } = app;
    await loginAndOpenShift(app);
    await page.getByTestId('status-snapshot').getByText('Chưa nhập dữ liệu').waitFor();
    await page.keyboard.press('F4');
    await page.getByRole('button', { name: 'Chọn tệp…' }).click();
    const errors = page.getByTestId('import-errors');
    await errors.waitFor();
    await waitForValue(page.getByLabel('Đường dẫn tệp dữ liệu CMIS'), BROKEN_SNAPSHOT);
    await page.getByText('4 lỗi – tệp chưa được nhập.').waitFor();
    const rows = await errors.locator('tbody tr').allInnerTexts();
    assert.equal(rows.length, 4);
    assert.deepEqual(
      rows.map((r) => r.split('\t').slice(0, 2)),
      [
        ['3', 'SO_TIEN'],
        ['4', 'THANG'],
        ['5', 'TEN_KHANG'],
        ['5', 'TONG_TIEN'],
      ],
    );
    assert.match(rows[0] ?? '', /160\.000,5/);
    await app.shot('broken-file-preview');
    await page.keyboard.press('Escape');
    await page.getByTestId('import-preview').waitFor({ state: 'detached' });
    assert.equal(count(ctx, 'SELECT COUNT(*) AS n FROM snapshots'), 0, 'the broken file changed nothing');
    assert.equal(count(ctx, 'SELECT COUNT(*) AS n FROM customers'), 0);

    await page.getByLabel('Đường dẫn tệp dữ liệu CMIS').fill(good);
    await page.keyboard.press('Enter');
    const preview = page.getByTestId('import-preview');
    await preview.getByText('Không có lỗi.').waitFor();
    const summary = await preview.locator('dl').innerText();
    assert.match(summary, /Số hóa đơn\s+8/);
    assert.match(summary, /Tổng tiền nợ\s+1\.426\.950 ₫/);
    assert.match(await preview.innerText(), /Còn nợ\s+8/);
    assert.equal(count(ctx, 'SELECT COUNT(*) AS n FROM snapshots'), 0, 'a preview writes nothing');
    await app.shot('good-file-preview');
    await page.keyboard.press('Control+Enter');
    await page.getByText('Đã nhập 8 hóa đơn, tổng 1.426.950 ₫.').waitFor();
    assert.equal(count(ctx, 'SELECT COUNT(*) AS n FROM snapshots'), 1);
    assert.equal(count(ctx, 'SELECT COUNT(*) AS n FROM bills'), 8);
    await page.getByTestId('status-snapshot').getByText(/Dữ liệu nợ: \d\d\/\d\d\/\d{4}$/).waitFor();
    await app.shot('imported');

    // The same file again is a no-op that says so.
    await page.keyboard.press('Enter');
    await page.getByTestId('import-preview').getByText('Tệp này đã được nhập trước đó: không có gì thay đổi.').waitFor();
    assert.equal(count(ctx, 'SELECT COUNT(*) AS n FROM snapshots'), 1);
  } finally {
    await app.close();
  }
});

test('[#12] an older snapshot after a newer one: the preview says why and asks a supervisor; without one nothing changes, with one it goes in, journaled', async () => {
  const usb = join(tempDir(), 'USB');
  mkdirSync(usb);
  const newer = join(usb, 'NO_PC12AA_20261127.csv');
  const older = join(usb, 'NO_PC12AA_20261126.csv');
  copyFileSync(GOOD_SNAPSHOT, newer);
  writeFileSync(older, readFileSync(GOOD_SNAPSHOT, 'utf8').replace('Hoàng Minh Tâm', 'Hoàng Minh Tân'));
  const app = await startApp({ scenario: 'older-snapshot', chosenFile: newer });
  try {
    const { page, ctx } = app;
    await loginAndOpenShift(app);
    await page.keyboard.press('F4');
    await page.getByRole('button', { name: 'Chọn tệp…' }).click();
    await page.getByTestId('import-preview').getByText('Không có lỗi.').waitFor();
    await page.keyboard.press('Control+Enter');
    await page.getByText(/Đã nhập 8 hóa đơn/).waitFor();

    await page.getByLabel('Đường dẫn tệp dữ liệu CMIS').fill(older);
    await page.keyboard.press('Enter');
    const guards = page.getByTestId('import-guards');
    await guards.getByText(/cũ hơn bảng đang dùng.*\(SNAPSHOT_OLDER\)/).waitFor();
    await app.shot('older-snapshot-guard');
    await page.keyboard.press('Control+Enter');
    await page.getByText(/\(SNAPSHOT_(OLDER|CONFIRMATION_REQUIRED)\)/).waitFor();
    assert.equal(count(ctx, 'SELECT COUNT(*) AS n FROM snapshots'), 1, 'refused without a supervisor: nothing changed');

    await page.getByLabel('Mã giám sát viên').fill(SUPERVISOR.code);
    await page.getByLabel('PIN giám sát viên').fill(SUPERVISOR.pin);
    await page.keyboard.press('Control+Enter');
    await page.getByText(/Đã nhập 8 hóa đơn/).waitFor();
    assert.equal(count(ctx, 'SELECT COUNT(*) AS n FROM snapshots'), 2);
    const confirmed = ctx.sqlite.prepare("SELECT payload FROM journal WHERE kind = 'import_confirmed'").pluck().get() as string;
    assert.match(confirmed, new RegExp(`"supervisor":"${SUPERVISOR.code}"`));
    assert.match(confirmed, /"forced":true/);
  } finally {
    await app.close();
  }
});
