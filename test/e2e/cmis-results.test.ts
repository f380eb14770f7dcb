import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportClearing } from '../../electron/cmis/write-clearing.ts';
import { COUNTER_VIEWPORT, SUPERVISOR, count, loginAndOpenShift, morningClock, scanAndCollect, startApp, stopSharedEnvironment, waitForValue } from './harness.ts';
import { tempDir } from '../helpers/temp-dir.ts';

after(stopSharedEnvironment);


const answerFile = (dir: string, lines: string[]) => {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'KQGACHNO_DT01_20261127_01.csv');
  writeFileSync(path, ['SO_BIENNHAN,ID_HDON,KET_QUA,GHI_CHU', ...lines].join('\r\n') + '\r\n');
  return path;
};

test('F8 Kết quả CMIS: a result file with rejected lines read from the picker, one refunded (slip printed) and one resent by a supervisor; the Z report, the next clearing file and the deposit slip made at the close of the day say so', async () => {
  // 27/11/2026 in Việt Nam all along: the result file's name is known before the export.
  const clock = morningClock();
  const answers = tempDir('kq-');
  const kq = join(answers, 'usb', 'KQGACHNO_DT01_20261127_01.csv');
  const app = await startApp({ scenario: 'cmis-results', imported: true, viewport: COUNTER_VIEWPORT, clock, chosenResultFile: kq });
  try {
    const { page, ctx } = app;
    await loginAndOpenShift(app, '500.000');
    const an = await scanAndCollect(app, 'PC12AA0000001', 'Nguyễn Văn An'); // HD0000000011 270.000 + HD0000000012 303.750
    const mai = await scanAndCollect(app, 'PC12AA0000006', 'Phạm Thị Mai'); // HD0000000061 86.400
    // The midday export went to CMIS; its answer comes back on the stick.
    const first = exportClearing(ctx, { outDir: join(app.exportDir, 'sang') });
    assert.equal(first.code, 'EXPORTED');
    const good = [`${an},HD0000000011,DA_GACH,Đã thu qua ngân hàng`, `${an},HD0000000012,OK,`, `${mai},HD0000000061,SAI_SO_TIEN,CMIS 86.401`];
    answerFile(join(answers, 'usb'), good);

    await page.keyboard.press('F8');
    await page.getByRole('button', { name: 'Chọn tệp…' }).click();
    await waitForValue(page.getByLabel('Đường dẫn tệp kết quả (KQGACHNO_…)'), kq);
    const lines = page.getByTestId('result-lines');
    await lines.getByText('Đã ghi nhận kết quả KQGACHNO_DT01_20261127_01.csv: 3 dòng mới.').waitFor();
    const text = await lines.innerText();
    assert.match(text, new RegExp(`${an}\\s+HD0000000011\\s+Bị từ chối: DA_GACH — CMIS đã gạch nợ từ nguồn khác`));
    assert.match(text, new RegExp(`${an}\\s+HD0000000012\\s+OK`));
    assert.match(text, new RegExp(`${mai}\\s+HD0000000061\\s+Bị từ chối: SAI_SO_TIEN`));
    await page.getByTestId('batches').getByText('Đã có kết quả, còn việc chờ xử lý').waitFor();
    const decisions = page.getByTestId('decisions');
    await decisions.getByText('CMIS trả lời DA_GACH: Đã thu qua ngân hàng').waitFor();
    await app.shot('results-read');

    // The same file again: already read, nothing new. Another answer to the same lines: refused, nothing taken.
    await page.getByRole('button', { name: 'Đọc kết quả (Enter)' }).click();
    await lines.getByText(/đã được ghi nhận trước đây: không làm gì thêm/).waitFor();
    const changed = answerFile(join(answers, 'khac'), [`${an},HD0000000011,OK,`, `${an},HD0000000012,OK,`, `${mai},HD0000000061,OK,`]);
    await page.getByLabel('Đường dẫn tệp kết quả (KQGACHNO_…)').fill(changed);
    await page.keyboard.press('Enter');
    await page.getByRole('alert').getByText(/\(RESULT_CHANGED\)/).waitFor();
    assert.equal(count(ctx, "SELECT COUNT(*) AS n FROM clearing_result_lines WHERE ket_qua = 'OK'"), 1, 'the changed answer took nothing');

    // Refund An's bill CMIS had paid at the bank: out of this cashier's drawer, decided by GS01.
    await page.getByRole('button', { name: `Chọn ${an} HD0000000011` }).click();
    const form = page.getByTestId('decision-form');
    await form.getByLabel('Mã giám sát viên').fill(SUPERVISOR.code);
    await form.getByLabel('PIN giám sát viên').fill(SUPERVISOR.pin);
    await form.getByLabel('Lý do hoàn tiền').fill('Khách đã trả ở ngân hàng');
    await form.getByRole('button', { name: 'Hoàn tiền' }).click();
    await decisions.getByText(`Đã hoàn 270.000 ₫ cho biên nhận ${an}; phiếu hoàn tiền đã gửi ra máy in.`).waitFor();
    // Resend Mai's line.
    await page.getByRole('button', { name: `Chọn ${mai} HD0000000061` }).click();
    await form.getByLabel('Mã giám sát viên').fill(SUPERVISOR.code);
    await form.getByLabel('PIN giám sát viên').fill(SUPERVISOR.pin);
    await form.getByRole('button', { name: 'Gửi lại trong lần xuất sau' }).click();
    await decisions.getByText(`Biên nhận ${mai}: dòng này sẽ được gửi lại trong lần xuất gạch nợ sau.`).waitFor();
    await decisions.getByText('Không có dòng nào chờ quyết định.').waitFor();
    await page.getByTestId('batches').getByText('Đã xong').waitFor();
    await app.shot('results-decided');
    await app.printing.idle();
    assert.ok(app.printing.files().some((f) => f.endsWith('-refund.bin')), `refund slip printed: ${app.printing.files().join(', ')}`);

    // The close: the drawer paid the refund (500.000 + 660.150 - 270.000).
    await page.keyboard.press('F6');
    await page.getByLabel('Tiền mặt đếm được trong két (đồng)').fill('890.150');
    await page.keyboard.press('Enter');
    const z = page.getByTestId('z-report');
    await z.waitFor();
    const report = await z.innerText();
    assert.match(report, /Tổng thu\s+660\.150 ₫/);
    assert.match(report, /Hoàn tiền \(phiếu · số tiền\)\s+1 · 270\.000 ₫/);
    assert.match(report, /Tiền mặt dự kiến\s+890\.150 ₫/);
    assert.match(report, /Chênh lệch\s+0 ₫/);

    // The next clearing file carries the resent line again.
    await page.getByRole('button', { name: 'Chọn thư mục…' }).click();
    await waitForValue(page.getByLabel('Thư mục đích (ví dụ ổ USB)'), app.exportDir);
    await page.keyboard.press('Control+e');
    const exported = page.getByTestId('exported');
    await exported.getByText('Đã xuất 1 dòng, tổng 86.400 ₫. Các tệp nằm ở:').waitFor();
    const csv = readFileSync(join(app.exportDir, 'GACHNO_DT01_20261127_02.csv'), 'utf8');
    assert.match(csv, new RegExp(`PC12AA,DT01,${mai},PC12AA0000006,Phạm Thị Mai,HD0000000061,TD,1,10,2026,80000,6400,86400,`));
    const manifest = JSON.parse(readFileSync(join(app.exportDir, 'GACHNO_DT01_20261127_02.json'), 'utf8')) as { resent: { receiptNo: string; idHdon: string }[] };
    assert.deepEqual(manifest.resent.map((r) => [r.receiptNo, r.idHdon]), [[mai, 'HD0000000061']]);

    // The deposit slip: 390.150 to hand over. The notes alone are 150 đồng short, a difference that needs a reason;
    // the 150 đồng typed as loose change under 200 ₫ match to the đồng, and no reason is asked.
    const deposit = page.getByTestId('deposit');
    await deposit.getByTestId('deposit-expected').getByText('390.150 ₫').waitFor();
    for (const [value, n] of [['200.000', '1'], ['100.000', '1'], ['50.000', '1'], ['20.000', '2']] as const) await deposit.getByLabel(`Số tờ ${value} ₫`).fill(n);
    await deposit.getByLabel('Mã giám sát viên').fill(SUPERVISOR.code);
    await deposit.getByLabel('PIN giám sát viên').fill(SUPERVISOR.pin);
    await deposit.getByRole('button', { name: 'Lập và in bảng kê' }).click();
    await page.getByRole('alert').getByText(/chênh lệch -150 ₫\): cần ghi lý do chênh lệch\. \(DEPOSIT_REASON_REQUIRED\)/).waitFor();
    await deposit.getByLabel('Tiền lẻ dưới 200 ₫ (đồng)').fill('150');
    await deposit.getByRole('button', { name: 'Lập và in bảng kê' }).click();
    const slip = page.getByTestId('deposit-slip');
    await slip.getByText('Đã lập bảng kê nộp tiền số 1 và gửi ra máy in.').waitFor();
    assert.match(await slip.innerText(), /Tiền nộp ngân hàng\s+390\.150 ₫[\s\S]*Chênh lệch\s+0 ₫\n/);
    const bangke = join(app.exportDir, 'BANGKE_DT01_20261127.csv');
    await slip.getByText(`Tệp bảng kê: ${bangke}`).waitFor();
    assert.ok(existsSync(bangke));
    assert.match(readFileSync(bangke, 'utf8'), /,TIEN_LE,,,,,,,,,,,150,,,,\r\n[^\r]*,TONG,,,,2,660150,0,1,270000,,,390150,0,,GS01,\r\n$/);
    await app.shot('deposit-slip');
    await app.printing.idle();
    assert.ok(app.printing.files().some((f) => f.endsWith('-deposit_slip.bin')), 'deposit slip printed');
  } finally {
    await app.close();
  }
});
