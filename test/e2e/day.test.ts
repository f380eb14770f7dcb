import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { addUser, findUser } from '../../electron/users/users.ts';
import { closeShift, openShift } from '../../electron/shifts/shifts.ts';
import { collectPayment } from '../../electron/payments/collect.ts';
import { printZReport } from '../../electron/shifts/z-report.ts';
import { importSnapshot } from '../../electron/cmis/import-snapshot.ts';
import { formatDate, isoDay } from '../../electron/core/local-time.ts';
import { formatDong } from '../../electron/core/money.ts';
import type { Locator } from 'playwright-core';
import { nextDayFile } from '../helpers/next-day-file.ts';
import { CASHIER, COUNTER_VIEWPORT, SUPERVISOR, count, login, morningClock, startApp, stopSharedEnvironment, unlockAsSupervisor, type AppUnderTest } from './harness.ts';

after(stopSharedEnvironment);

const SECOND = { code: 'TN02', name: 'Lê Thị Hồng', pin: '246813' };

/** Two cashiers' shifts closed today (each Z report printed at the close, as F6 does), then the next file drops a bill TN02 took: "trùng thu". */
function twoClosedShifts(app: AppUnderTest) {
  const { ctx } = app;
  const head = findUser(ctx, 'GS00')!;
  const second = addUser(ctx, { ...SECOND, role: 'cashier', approvedBy: [head.id] });
  const first = findUser(ctx, CASHIER.code)!;
  const shifts = [];
  for (const [cashier, customer] of [[first, 'PC12AA0000001'], [second, 'PC12AA0000002']] as const) {
    openShift(ctx, { cashierId: cashier.id, openingFloat: 100_000 });
    const paid = collectPayment(ctx, { customer, cashierId: cashier.id, idempotencyKey: `e2e-${customer}` });
    const closed = closeShift(ctx, { cashierId: cashier.id, countedCash: 100_000 + paid.total });
    printZReport(ctx, { shiftId: closed.shiftId });
    shifts.push({ ...closed, paid });
  }
  importSnapshot(ctx, { file: nextDayFile(0, true) });
  return shifts;
}

test("F7 the supervisor's day without a shift: two cashiers' closed shifts, a past Z report reprinted as a copy, a shift's receipt list printed, the 'trùng thu' list; another day", async () => {
  const app = await startApp({ scenario: 'day', imported: true, viewport: COUNTER_VIEWPORT, clock: morningClock() });
  try {
    const { page, ctx } = app;
    const [first, second] = twoClosedShifts(app);
    await login(app, SUPERVISOR);
    await page.getByLabel('Tiền lẻ đầu ca (đồng)').waitFor();
    await unlockAsSupervisor(app, 'F7');

    const today = formatDate(ctx.clock());
    await page.getByRole('heading', { name: `Số liệu ngày ${today}` }).waitFor();
    const byCashier = page.getByTestId('day-by-cashier');
    await byCashier.locator('tbody tr').nth(1).waitFor();
    const cells = async (rows: Locator) => (await rows.allInnerTexts()).map((r) => r.split('\t').map((c) => c.trim()));
    assert.deepEqual(await cells(byCashier.locator('tbody tr')), [
      ['Nguyễn Thị Thu TN01', '1', formatDong(first!.paid.total), '0', '0', '0'],
      [`${SECOND.name} TN02`, '1', formatDong(second!.paid.total), '0', '0', '0'],
    ]);
    const total = first!.paid.total + second!.paid.total;
    assert.deepEqual((await cells(page.getByTestId('day-by-type').locator('tbody tr'))).slice(0, 5), [
      ['Tiền điện (TD)', '3', formatDong(total)],
      ['Tiền công suất phản kháng (VC)', '0', formatDong(0)],
      ['Phí đóng cắt điện (DC)', '0', formatDong(0)],
      ['Phí đóng điện lại tại quầy', '0', formatDong(0)],
      ['TỔNG THU', '2', formatDong(total)],
    ]);
    const closings = page.getByTestId('day-closings').locator('tbody tr');
    assert.deepEqual(await closings.locator('td:first-child').allInnerTexts(), [String(second!.shiftId), String(first!.shiftId)], 'the last closed first');
    const conflicts = page.getByTestId('day-conflicts');
    await conflicts.getByRole('row', { name: /Trần Thị Hoa PC12AA0000002 .*HD0000000021.*172\.800 ₫/ }).waitFor();
    await app.shot('day');

    // TN01's shift closed earlier: its Z report again, as copy 1 of the stored report, journaled with the supervisor.
    await page.locator(`tr[data-shift="${first!.shiftId}"]`).getByRole('button', { name: 'In lại báo cáo Z' }).click();
    await page.getByText('Đã gửi báo cáo Z ra máy in (bản sao lần 1).').waitFor();
    await app.printing.idle();
    const supervisorId = findUser(ctx, SUPERVISOR.code)!.id;
    assert.equal(count(ctx, "SELECT COUNT(*) AS n FROM print_jobs WHERE kind = 'z_report' AND copy_no = 1 AND status = 'done' AND json_extract(document, '$.shiftId') = ?", first!.shiftId), 1);
    assert.equal(count(ctx, "SELECT COUNT(*) AS n FROM journal WHERE kind = 'reprint' AND actor_id = ? AND json_extract(payload, '$.document') = 'z_report'", supervisorId), 1);

    await page.locator(`tr[data-shift="${second!.shiftId}"]`).getByRole('button', { name: 'In bảng kê' }).click();
    await page.getByText('Đã gửi bảng kê 1 biên nhận ra máy in.').waitFor();
    await app.printing.idle();
    const list = ctx.sqlite.prepare("SELECT id, status, document FROM print_jobs WHERE kind = 'receipt_list'").get() as { id: number; status: string; document: string };
    assert.equal(list.status, 'done');
    assert.deepEqual((JSON.parse(list.document) as { receipts: Array<{ receiptNo: string }> }).receipts.map((r) => r.receiptNo), [second!.paid.receiptNo]);
    assert.ok(app.printing.files().includes(`${list.id}-receipt_list.bin`));

    // Another day: nothing collected nor closed, the conflict still waits for its refund.
    const yesterday = new Date(ctx.clock().getTime() - 24 * 3600 * 1000);
    await page.getByLabel('Ngày (dd/mm/yyyy)').fill(formatDate(yesterday));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: `Số liệu ngày ${formatDate(yesterday)}` }).waitFor();
    await page.getByText('Không có ca nào đóng trong ngày này.').waitFor();
    await conflicts.getByText('HD0000000021', { exact: false }).waitFor();
    await page.getByLabel('Ngày (dd/mm/yyyy)').fill('31/02/2026');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').getByText(/\(DATE_INVALID\)$/).waitFor();
    assert.notEqual(isoDay(yesterday), isoDay(ctx.clock()));
  } finally {
    await app.close();
  }
});
