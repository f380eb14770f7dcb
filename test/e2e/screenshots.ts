/**
 * Regenerates the screenshots of the operator guide (docs/huong-dan-thu-ngan.md) by driving the real
 * app in Chromium through a cashier's day:  npx tsx test/e2e/screenshots.ts
 */
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { steppingClock } from '../../electron/core/clock.ts';
import { backupNow } from '../../electron/backups/backups.ts';
import { BROKEN_SNAPSHOT, COUNTER_VIEWPORT, GOOD_SNAPSHOT, ROOT, SUPERVISOR, login, scannerKeys, sendKeys, startApp, stopSharedEnvironment, type AppUnderTest } from './harness.ts';

const OUT = join(ROOT, 'docs', 'screenshots');

/** The whole page, or only `part` of it (a section at the bottom of a long screen). */
async function save(app: AppUnderTest, name: string, part?: Locator): Promise<void> {
  await app.page.waitForTimeout(150); // let the status bar's poll and the chart settle
  await (part ?? app.page).screenshot({ path: join(OUT, `${name}.png`), ...(part === undefined ? { fullPage: true } : {}) });
  console.log(`docs/screenshots/${name}.png`);
}

async function collect(app: AppUnderTest, code: string, name: string): Promise<void> {
  await sendKeys(app, scannerKeys(code));
  await app.page.getByTestId('customer').getByText(name).waitFor();
  await app.page.keyboard.press('Enter');
  await app.page.getByTestId('collected').waitFor();
}

/**
 * The data folder and the USB stick as a point's PC has them, so no developer's temp path shows in the
 * guides. Made fresh each run; a folder this script did not make is never touched.
 */
function pointFolders(): { data: string; export: string } {
  const [data, stick] = ['/opt/DiemThu', '/media/USB'];
  for (const folder of [data, stick]) {
    const marker = join(folder, '.diemthu-screenshots');
    if (existsSync(folder) && !existsSync(marker)) throw new Error(`${folder} exists and was not made by this script: not touched.`);
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder, { recursive: true });
    writeFileSync(marker, '');
  }
  return { data: join(data, 'data'), export: stick };
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  // A morning at the point (09:05 in Việt Nam), time moving a few seconds per service call.
  const clock = steppingClock(new Date('2026-11-27T02:05:00Z'), 4000);
  // The files as a point gets them (a USB stick's CMIS folder), never the checkout's paths.
  const folders = pointFolders();
  const usb = join(folders.export, 'CMIS');
  mkdirSync(usb, { recursive: true });
  const [broken, good] = [join(usb, 'NO_PC12AA_20261126.csv'), join(usb, 'NO_PC12AA_20261127.csv')];
  copyFileSync(BROKEN_SNAPSHOT, broken);
  copyFileSync(GOOD_SNAPSHOT, good);
  // CMIS's answer to the evening's clearing file, brought back on the stick (written once the batch exists).
  const answer = join(usb, 'KQGACHNO_DT01_20261127_01.csv');
  const app = await startApp({ scenario: 'screenshots', chosenFile: broken, chosenResultFile: answer, viewport: COUNTER_VIEWPORT, clock, folders });
  try {
    const { page } = app;
    await page.getByLabel('Mã thu ngân').waitFor();
    await save(app, '01-dang-nhap');
    await login(app);
    await page.getByLabel('Tiền lẻ đầu ca (đồng)').fill('500.000');
    await save(app, '02-mo-ca');
    await page.keyboard.press('Enter');
    await page.getByText('Sẵn sàng quét thẻ').waitFor();

    await page.keyboard.press('F4');
    await page.getByRole('button', { name: 'Chọn tệp…' }).click();
    await page.getByTestId('import-errors').waitFor();
    await save(app, '03-nhap-du-lieu-loi');
    await page.keyboard.press('Escape');
    await page.getByLabel('Đường dẫn tệp dữ liệu CMIS').fill(good);
    await page.keyboard.press('Enter');
    await page.getByTestId('import-preview').getByText('Không có lỗi.').waitFor();
    await save(app, '04-nhap-du-lieu-xem-truoc');
    await page.keyboard.press('Control+Enter');
    await page.getByText(/Đã nhập 8 hóa đơn/).waitFor();

    await page.keyboard.press('Escape');
    await collect(app, 'PC12AA0000006', 'Phạm Thị Mai');
    await page.keyboard.press('Escape');
    await page.getByText('Sẵn sàng quét thẻ').waitFor();
    await save(app, '05-man-hinh-chinh');

    await sendKeys(app, scannerKeys('PC12AA0000001'));
    await page.getByTestId('customer').getByText('Nguyễn Văn An').waitFor();
    await page.getByLabel('Khách đưa (không bắt buộc)').fill('600.000');
    await save(app, '06-khach-hang-va-hoa-don');
    await page.keyboard.press('Enter');
    await page.getByTestId('collected').waitFor();
    await save(app, '07-da-thu');
    // A backup on the stick in the morning: restored (forced, it is older by then) at the end of the day.
    const morningBackup = await backupNow(app.ctx, { outDir: join(folders.export, 'SaoLuu') });

    await page.keyboard.press('F2');
    await page.getByLabel('Gõ mã, tên hoặc địa chỉ (không cần dấu)').fill('tran thi hoa');
    await page.getByRole('option').nth(1).waitFor();
    await save(app, '08-tim-kiem');

    await sendKeys(app, scannerKeys('PC12AA0000004'));
    await page.getByTestId('reconnection-fee').waitFor();
    await save(app, '09-khach-bi-cat-dien');
    await page.keyboard.press('Enter');
    await page.getByText('Đã lập lệnh đóng điện lại.').waitFor();

    await page.keyboard.press('F3');
    await page.locator('table.receipts tbody tr').nth(2).waitFor();
    await page.keyboard.press('v');
    await page.getByLabel('Lý do hủy').fill('Thu nhầm khách hàng');
    await page.getByLabel('Mã giám sát viên').fill(SUPERVISOR.code);
    await save(app, '10-huy-bien-nhan');
    await page.keyboard.press('Escape');

    await page.keyboard.press('F9');
    await page.getByLabel('Mã giám sát viên').fill(SUPERVISOR.code);
    await page.getByLabel('PIN giám sát viên').fill(SUPERVISOR.pin);
    await page.keyboard.press('Enter');
    await page.getByLabel('Tên điểm thu').waitFor();
    await save(app, '11-cai-dat');
    await page.keyboard.press('Escape');

    await page.keyboard.press('F6');
    await page.getByLabel('Tiền mặt đếm được trong két (đồng)').fill('1.695.000');
    await page.keyboard.press('Enter');
    await page.getByTestId('z-report').waitFor();
    await page.getByRole('button', { name: 'Chọn thư mục…' }).click();
    // The folder arrives from the (stubbed) dialog asynchronously: export once the field shows it.
    await page.waitForFunction(() => (document.querySelector('input[name="out-dir"]') as HTMLInputElement | null)?.value !== '');
    await page.keyboard.press('Control+e');
    await page.getByTestId('exported').waitFor();
    await save(app, '12-ket-ca-bao-cao-z-xuat-tep');

    // The supervisor's day, from the open-shift screen (no shift needed).
    await page.keyboard.press('Escape');
    await page.getByLabel('Tiền lẻ đầu ca (đồng)').waitFor();
    await page.keyboard.press('F7');
    await page.getByLabel('Mã giám sát viên').fill(SUPERVISOR.code);
    await page.getByLabel('PIN giám sát viên').fill(SUPERVISOR.pin);
    await page.keyboard.press('Enter');
    await page.getByTestId('day-closings').locator('tbody tr').first().waitFor();
    await save(app, '13-trong-ngay');

    // Next shift: CMIS answered the batch (one bill already paid at the bank, one amount differs).
    const lines = app.ctx.sqlite
      .prepare("SELECT p.receipt_no AS receiptNo, COALESCE(l.id_hdon, '') AS idHdon FROM payment_lines l JOIN payments p ON p.id = l.payment_id WHERE p.batch_id = 1 ORDER BY p.receipt_no, l.id")
      .all() as { receiptNo: string; idHdon: string }[];
    const answers = lines.map((l, i) => `${l.receiptNo},${l.idHdon},${i === 0 ? 'DA_GACH,Đã thu qua ngân hàng' : i === 1 ? 'SAI_SO_TIEN,CMIS 86.401' : 'OK,'}`);
    writeFileSync(answer, ['SO_BIENNHAN,ID_HDON,KET_QUA,GHI_CHU', ...answers].join('\r\n') + '\r\n');
    await page.keyboard.press('Escape');
    await page.getByLabel('Tiền lẻ đầu ca (đồng)').fill('500.000');
    await page.keyboard.press('Enter');
    await page.getByText('Sẵn sàng quét thẻ').waitFor();
    await page.keyboard.press('F8');
    await page.getByRole('button', { name: 'Chọn tệp…' }).click();
    await page.getByTestId('result-lines').waitFor();
    await page.getByRole('button', { name: /^Chọn DT01-/ }).first().click();
    await page.getByTestId('decision-form').getByLabel('Mã giám sát viên').fill(SUPERVISOR.code);
    await page.getByTestId('decision-form').getByLabel('Lý do hoàn tiền').fill('Khách đã trả ở ngân hàng');
    await save(app, '14-ket-qua-cmis');

    // The end of the day: the supervisor counts the notes for the bank.
    await page.keyboard.press('F6');
    await page.getByLabel('Tiền mặt đếm được trong két (đồng)').fill('500.000');
    await page.keyboard.press('Enter');
    const deposit = page.getByTestId('deposit');
    await deposit.getByTestId('deposit-expected').waitFor();
    for (const [value, n] of [['500.000', '2'], ['100.000', '1'], ['50.000', '1'], ['20.000', '2'], ['5.000', '1']] as const) await deposit.getByLabel(`Số tờ ${value} ₫`).fill(n);
    await deposit.getByLabel('Mã giám sát viên').fill(SUPERVISOR.code);
    await deposit.getByLabel('PIN giám sát viên').fill(SUPERVISOR.pin);
    await deposit.getByRole('button', { name: 'Lập và in bảng kê' }).click();
    await page.getByRole('alert').waitFor();
    await deposit.getByLabel('Lý do chênh lệch (nếu có)').fill('Tiền lẻ để lại két');
    await deposit.getByRole('button', { name: 'Lập và in bảng kê' }).click();
    await page.getByTestId('deposit-slip').waitFor();
    await deposit.scrollIntoViewIfNeeded();
    await save(app, '15-bang-ke-nop-tien');

    // IT's guide: restore from the settings (the morning's backup, older by now: forced by the supervisor).
    await page.keyboard.press('Escape');
    app.chooseBackupFile(morningBackup.file);
    await page.getByLabel('Tiền lẻ đầu ca (đồng)').waitFor(); // the day is closed to new shifts: the settings open without one
    await page.keyboard.press('F9');
    await page.getByLabel('Mã giám sát viên').fill(SUPERVISOR.code);
    await page.getByLabel('PIN giám sát viên').fill(SUPERVISOR.pin);
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Chọn tệp sao lưu…' }).click();
    await page.getByTestId('restore-preview').waitFor();
    await page.getByLabel('Tôi hiểu: khôi phục bản cũ hơn (bắt buộc)').check();
    await page.getByLabel('Mã giám sát viên xác nhận').fill(SUPERVISOR.code);
    await save(app, '16-khoi-phuc-xem-truoc', page.getByRole('form', { name: 'Khôi phục từ bản sao lưu' }));
    await page.getByLabel('PIN giám sát viên xác nhận').fill(SUPERVISOR.pin);
    await page.getByRole('button', { name: 'Khôi phục và mở lại chương trình' }).click();
    await page.getByTestId('restore-notice').waitFor({ timeout: 30_000 });
    await save(app, '17-khoi-phuc-xong');
  } finally {
    await app.close();
    await stopSharedEnvironment();
  }
}

await main();
