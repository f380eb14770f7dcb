/**
 * The counter's states at 1366×768: what fits on screen, what a cashier may see during the blind count,
 * what stops when the shift closes or the screen is locked, and states that must not mislead.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { BILLS_SNAPSHOT, CASHIER, COUNTER_VIEWPORT, count, login, loginAndOpenShift, morningClock, scannerKeys, sendKeys, startApp, stopSharedEnvironment, type AppUnderTest } from './harness.ts';
import { exportClearing } from '../../electron/cmis/write-clearing.ts';
import { setSettings } from '../../electron/store/settings.ts';

after(stopSharedEnvironment);

const px = (locator: Locator): Promise<number> => locator.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));

/** On screen and not covered or clipped: the element itself is what the screen shows at its centre, without scrolling. */
async function onScreen(page: Page, locator: Locator): Promise<boolean> {
  const box = await locator.boundingBox();
  const size = page.viewportSize();
  if (box === null || size === null) return false;
  const inside = box.x >= 0 && box.y >= 0 && box.x + box.width <= size.width && box.y + box.height <= size.height;
  return inside && (await locator.evaluate((el, [x, y]) => el.contains(document.elementFromPoint(x!, y!)), [box.x + box.width / 2, box.y + box.height / 2]));
}

async function scanAndCollect(app: AppUnderTest, code: string, name: string): Promise<void> {
  await sendKeys(app, scannerKeys(code));
  await app.page.getByTestId('customer').getByText(name).waitFor();
  await app.page.getByTestId('grand-total').waitFor();
  await app.page.keyboard.press('Enter');
  await app.page.getByTestId('collected').waitFor();
}

test('[#10] at 1366×768 and 1280×720 the pay panel stays on screen with 5 and 12 bills; the total is larger than the name; the change after collecting is large', async () => {
  const app = await startApp({ scenario: 'pay-panel', imported: true, snapshot: BILLS_SNAPSHOT, viewport: COUNTER_VIEWPORT });
  try {
    const { page } = app;
    await loginAndOpenShift(app);
    const card = page.getByTestId('customer');
    const button = card.getByRole('button', { name: /THU TIỀN/ });
    for (const [code, name, bills] of [
      ['PC12AA0000008', 'Đặng Thị Năm', 5],
      ['PC12AA0000009', 'Vũ Văn Mười Hai', 12],
    ] as const) {
      await sendKeys(app, scannerKeys(code));
      await card.getByText(name).waitFor();
      await card.getByTestId('grand-total').getByText('648.000 ₫').waitFor();
      assert.equal(await card.locator('table.bills tbody tr').count(), bills);
      for (const size of [COUNTER_VIEWPORT, { width: 1280, height: 720 }]) {
        await page.setViewportSize(size);
        assert.ok(await onScreen(page, button), `${bills} bills at ${size.width}×${size.height}: the Enter button is on screen`);
        assert.ok(await onScreen(page, card.getByTestId('grand-total')), 'the total is on screen');
        assert.ok(await onScreen(page, page.getByLabel('Khách đưa (không bắt buộc)')), 'the tendered field is on screen');
      }
      await page.setViewportSize(COUNTER_VIEWPORT);
      await app.shot(`${bills}-bills`);
    }
    const total = await px(card.getByTestId('grand-total'));
    assert.ok(total >= 48, `total ${total}px`);
    assert.ok(total > (await px(card.getByRole('heading', { name: 'Vũ Văn Mười Hai' }))), 'the total is larger than the name');

    await page.getByLabel('Khách đưa (không bắt buộc)').fill('700.000');
    await page.keyboard.press('Enter');
    const change = page.getByTestId('collected').getByTestId('change-given');
    await change.getByText('52.000 ₫').waitFor();
    assert.ok((await px(change)) >= 40, 'the change is large');
    assert.ok(await onScreen(page, change), 'the change is on screen');
    await app.printing.idle();
    await app.shot('change-after-collect');
    assert.ok(await onScreen(page, change), 'still there once printed, until the next scan');
  } finally {
    await app.close();
  }
});

test('[#10] blind count: while the shift is open the home chart and the status bar show receipts, not the money taken; after the count they show it', async () => {
  const app = await startApp({ scenario: 'blind-count', imported: true, viewport: COUNTER_VIEWPORT, clock: morningClock() });
  try {
    const { page } = app;
    await loginAndOpenShift(app);
    await scanAndCollect(app, 'PC12AA0000001', 'Nguyễn Văn An');
    await page.keyboard.press('Escape');
    await page.locator('figure.chart figcaption').getByText(/1 biên nhận/).waitFor();
    await page.getByTestId('status-unexported').getByText(/Chưa xuất: 1/).waitFor();
    await app.shot('home-during-shift');
    assert.doesNotMatch(await page.content(), /573\.750/, 'no amount anywhere on the page (bars and their titles included)');

    await page.keyboard.press('F6');
    await page.getByLabel('Tiền mặt đếm được trong két (đồng)').fill('1.073.750');
    await page.keyboard.press('Enter');
    assert.match(await page.getByTestId('z-report').innerText(), /Tiền mặt dự kiến\s+1\.073\.750 ₫/, 'expected cash once counted');
    await page.getByTestId('status-unexported').getByText('Chưa xuất: 1 · 573.750 ₫').waitFor();
  } finally {
    await app.close();
  }
});

test('[#10] after the shift closes the counter stops: F-keys do nothing, a scan looks nobody up and says why; Esc leads to opening a shift', async () => {
  const app = await startApp({ scenario: 'after-close', imported: true, viewport: COUNTER_VIEWPORT });
  try {
    const { page } = app;
    await loginAndOpenShift(app);
    await page.keyboard.press('F6');
    await page.getByLabel('Tiền mặt đếm được trong két (đồng)').fill('500.000');
    await page.keyboard.press('Enter');
    await page.getByTestId('z-report').waitFor();
    const looked = app.calls.filter((c) => c === 'scanSubmit' || c === 'lookupCode').length;
    await page.keyboard.press('F2');
    await sendKeys(app, scannerKeys('PC12AA0000001'));
    await page.getByText('Ca đã kết thúc: quầy ngừng thu. Hãy mở ca mới để thu tiền.').waitFor();
    await app.shot('scan-after-close');
    assert.equal(await page.getByLabel('Gõ mã, tên hoặc địa chỉ (không cần dấu)').count(), 0, 'F2 opened no search');
    assert.equal(await page.getByTestId('customer').count(), 0, 'no customer, nothing to collect');
    assert.equal(app.calls.filter((c) => c === 'scanSubmit' || c === 'lookupCode').length, looked, 'nobody looked up');
    await page.getByTestId('z-report').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('heading', { name: 'Mở ca thu' }).waitFor();
  } finally {
    await app.close();
  }
});

test('[#10] Ctrl+L locks the counter during a shift: the customer goes, nothing can be collected; the cashier logs back into the same shift', async () => {
  const app = await startApp({ scenario: 'lock', imported: true, viewport: COUNTER_VIEWPORT });
  try {
    const { page, ctx } = app;
    await loginAndOpenShift(app);
    await sendKeys(app, scannerKeys('PC12AA0000002'));
    await page.getByTestId('customer').getByText('Trần Thị Hoa').waitFor();
    await page.keyboard.press('Control+l');
    await page.getByText('Màn hình đã khóa. Đăng nhập lại để tiếp tục ca đang mở.').waitFor();
    assert.equal(await page.getByTestId('customer').count(), 0);
    const refused = await Promise.resolve()
      .then(() => app.handlers.collect({ customerId: 2, idempotencyKey: 'after-lock-0001' }))
      .then(
      () => 'collected',
      (e: { code?: string }) => e.code,
    );
    assert.equal(refused, 'NOT_LOGGED_IN', 'main holds nobody at the till');
    await login(app, CASHIER);
    await page.getByText('Sẵn sàng quét thẻ').waitFor();
    assert.equal(count(ctx, 'SELECT COUNT(*) AS n FROM shifts'), 1, 'the same shift goes on');
    assert.equal(count(ctx, 'SELECT COUNT(*) AS n FROM payments'), 0);
  } finally {
    await app.close();
  }
});

test('[#10] with no debt data a scan says so and names F4, not "customer not found"', async () => {
  const app = await startApp({ scenario: 'no-snapshot', viewport: COUNTER_VIEWPORT });
  try {
    const { page } = app;
    await loginAndOpenShift(app);
    await sendKeys(app, scannerKeys('PC12AA0000001'));
    await page.getByRole('alert').getByText(/Chưa có dữ liệu nợ.*F4.*\(NO_SNAPSHOT\)/).waitFor();
    assert.equal(await page.getByText('Không tìm thấy khách hàng').count(), 0);
  } finally {
    await app.close();
  }
});

test('[#10] a printer that cannot print: no "Đang in.", the receipt says "Chưa in được" and a loud banner says what to do', async () => {
  const app = await startApp({ scenario: 'printer-jammed', imported: true, viewport: COUNTER_VIEWPORT, jammed: true });
  try {
    const { page } = app;
    await loginAndOpenShift(app);
    await scanAndCollect(app, 'PC12AA0000006', 'Phạm Thị Mai');
    const banner = page.getByTestId('collected');
    await banner.getByText(/Chưa in được/).waitFor();
    assert.doesNotMatch(await banner.innerText(), /Đang in/);
    await page.getByTestId('printer-alert').getByText(/hết giấy.*1 bản in đang chờ/i).waitFor();
    await app.shot('printer-jammed');
  } finally {
    await app.close();
  }
});

test('[#10] F3: R asks before printing a copy; V on an exported receipt says why it cannot be voided before any PIN', async () => {
  const app = await startApp({ scenario: 'reprint-void-guards', imported: true, viewport: COUNTER_VIEWPORT });
  try {
    const { page, ctx } = app;
    await loginAndOpenShift(app);
    await scanAndCollect(app, 'PC12AA0000006', 'Phạm Thị Mai');
    const receipt = ctx.sqlite.prepare('SELECT receipt_no FROM payments').pluck().get() as string;
    await page.keyboard.press('F3');
    await page.locator('table.receipts tbody tr').first().waitFor();
    await page.keyboard.press('r');
    const confirm = page.getByTestId('reprint-confirm');
    await confirm.getByText(`In lại biên nhận ${receipt}?`, { exact: false }).waitFor();
    assert.equal(app.calls.includes('reprint'), false, 'nothing printed before the confirmation');
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'detached' });
    assert.equal(app.calls.includes('reprint'), false, 'Esc: no copy');
    await page.keyboard.press('r');
    await confirm.waitFor();
    await page.keyboard.press('Enter');
    await page.getByText(`Đã gửi in lại ${receipt} (bản sao lần 1).`).waitFor();

    exportClearing(ctx, { outDir: app.exportDir });
    await page.keyboard.press('Escape');
    await page.keyboard.press('F3');
    await page.locator('table.receipts tbody tr').first().getByText('Đã xuất').waitFor();
    await page.keyboard.press('v');
    await page.getByRole('alert').getByText(new RegExp(`${receipt} đã được xuất.*không hủy được`)).waitFor();
    assert.equal(await page.getByLabel('PIN giám sát viên').count(), 0, 'no PIN asked for a void that cannot succeed');
  } finally {
    await app.close();
  }
});

test('[#10] the counter locks itself after the idle minutes: the sign-in says why, the shift stays open; typing on the card keeps it open', async () => {
  // The services' clock moves only when the test moves it: the idle minutes then never depend on how long
  // the browser took on a loaded machine (a real-time part made "50 s since the typing" 50 s plus that).
  const start = Date.now();
  let skipped = 0; // how far the services' clock has been moved ahead
  const app = await startApp({ scenario: 'idle-lock', imported: true, viewport: COUNTER_VIEWPORT, clock: () => new Date(start + skipped) });
  try {
    const { page, ctx } = app;
    setSettings(ctx.sqlite, { idle_lock_minutes: 1 }, null, ctx.clock());
    await loginAndOpenShift(app);
    const card = page.getByTestId('customer');
    await sendKeys(app, scannerKeys('PC12AA0000002'));
    await card.getByText('Trần Thị Hoa').waitFor();

    // 50 s later the cashier types the amount handed over (no call of its own): that is use of the counter.
    // The window tells main at most every 5 s (App.tsx ACTIVITY_PING_MS): let that much real time pass since the scan's keys.
    await page.waitForTimeout(5_500);
    skipped += 50_000;
    const pings = () => app.calls.filter((c) => c === 'activity').length;
    const before = pings();
    // At a person's pace (keys 90 ms apart): six keys 30 ms apart would be a scan to the wedge detector.
    await page.getByLabel('Khách đưa (không bắt buộc)').pressSequentially('200000', { delay: 90 });
    for (let i = 0; i < 250 && pings() === before; i += 1) await page.waitForTimeout(20);
    assert.ok(pings() > before, 'typing on the card was reported as use');
    skipped += 50_000;
    app.emit('statusChanged', {});
    await page.waitForTimeout(500);
    assert.equal(await card.getByText('Trần Thị Hoa').count(), 1, '100 s on the clock, 50 s since the typing: still open');

    skipped += 70_000; // nobody at the counter
    app.emit('statusChanged', {});
    await page.getByText('Quầy đã tự khóa vì lâu không dùng').waitFor();
    assert.equal(await page.getByText('Trần Thị Hoa').count(), 0, "the customer's data is gone from the screen");
    await app.shot('idle-locked');
    await login(app);
    await page.getByText('Sẵn sàng quét thẻ').waitFor();
    assert.equal(count(ctx, 'SELECT COUNT(*) AS n FROM shifts WHERE closed_at IS NULL'), 1, 'the same shift, still open');
  } finally {
    await app.close();
  }
});

test('[#10] the UI font is the bundled Be Vietnam Pro: "ĐẮK LẮK" in a field keeps its marks inside the line box', async () => {
  const app = await startApp({ scenario: 'ui-font', viewport: COUNTER_VIEWPORT });
  try {
    const { page } = app;
    await page.getByLabel('Mã thu ngân').fill('ĐẮK LẮK Ễ');
    const seen = await page.evaluate(async () => {
      await document.fonts.ready;
      const input = document.querySelector('input') as HTMLInputElement;
      const style = getComputedStyle(input);
      const pen = document.createElement('canvas').getContext('2d') as CanvasRenderingContext2D;
      pen.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      const text = pen.measureText(input.value);
      return {
        family: style.fontFamily,
        loaded: document.fonts.check(`${style.fontSize} "Be Vietnam Pro"`, input.value) && [...document.fonts].some((f) => f.family.replace(/"/g, '') === 'Be Vietnam Pro' && f.status === 'loaded'),
        glyphs: text.actualBoundingBoxAscent + text.actualBoundingBoxDescent,
        line: input.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom),
      };
    });
    assert.match(seen.family, /^"?Be Vietnam Pro"?,/);
    assert.equal(seen.loaded, true, 'the bundled font is loaded, not a fallback');
    assert.ok(seen.glyphs <= seen.line, `marks fit: glyphs ${seen.glyphs.toFixed(1)} px in a ${seen.line.toFixed(1)} px line`);
    await app.shot('font-marks');
  } finally {
    await app.close();
  }
});
