/**
 * Two counters of one office (issue 13) at the usual point PC's screen: the counter under test (DT01,
 * the app in Chromium) and a second counter (DT02, its own SQLite, collecting through the services),
 * both syncing with the real server on PostgreSQL, as the background loop does (syncOnce over the
 * pinned client).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { COUNTER_VIEWPORT, GOOD_SNAPSHOT, count, loginAndOpenShift, scannerKeys, sendKeys, startApp, stopSharedEnvironment } from './harness.ts';
import type { Ctx } from '../../electron/store/context.ts';
import { importSnapshot } from '../../electron/cmis/import-snapshot.ts';
import { collectPayment } from '../../electron/payments/collect.ts';
import { voidPayment } from '../../electron/payments/voids.ts';
import { setSettings } from '../../electron/store/settings.ts';
import { syncOnce } from '../../electron/sync/run.ts';
import { storePulled } from '../../electron/sync/pulled.ts';
import { SyncClient } from '../../protocol/client.ts';
import { addPoint } from '../../server/points.ts';
import { collectWorld } from '../helpers/collect-fixture.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { serverDb, startServer } from '../server/helpers.ts';

after(stopSharedEnvironment);

const { db } = await serverDb();
const server = await startServer(db, tempDir());
const OFFICE = 'PGD Tân Lợi';

async function syncNow(ctx: Ctx, token: string): Promise<void> {
  const client = new SyncClient({ url: server.url, token, pin: server.pin });
  try {
    await syncOnce(ctx.sqlite, client, { clock: ctx.clock });
  } finally {
    client.close();
  }
}

test('[#13] counters of one office: the card says a bill was taken at the other counter and collecting it is refused; the status bar shows waiting items and the alarm; a void at the other counter releases the bill', async () => {
  const other = collectWorld(new Date(), 'DT02');
  after(() => other.ctx.close());
  importSnapshot(other.ctx, { file: GOOD_SNAPSHOT });
  const otherToken = (await addPoint(db, { point: 'DT02', unit: 'PC12AA', office: OFFICE })).token;

  const offset = { ms: 0 };
  const app = await startApp({ scenario: 'office-counters', imported: true, viewport: COUNTER_VIEWPORT, clock: () => new Date(Date.now() + offset.ms) });
  try {
    const { page, ctx } = app;
    const token = (await addPoint(db, { point: 'DT01', unit: 'PC12AA', office: OFFICE })).token;
    await loginAndOpenShift(app);
    const bar = page.getByTestId('status-bar');
    await bar.waitFor();
    assert.equal(await page.getByTestId('status-sync').count(), 0, 'a lone point shows nothing about sync');

    const tokenFile = join(tempDir(), 'token');
    writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
    // The clock jumps 31 minutes for the alarm below: the counter's idle lock is not what this test is about.
    setSettings(ctx.sqlite, { sync: { serverUrl: server.url, tokenFile, fingerprint: server.pin, intervalSeconds: 60, alarmMinutes: 30 }, idle_lock_minutes: 0 }, null, ctx.clock());
    app.emit('statusChanged', {});
    const sync = page.getByTestId('status-sync');
    await sync.getByText(/Đồng bộ: chưa đồng bộ lần nào · chờ gửi: 0/).waitFor();

    // The other counter takes customer 2's bill and customer 1's September bill, and syncs.
    const atOther = collectPayment(other.ctx, { customer: 'PC12AA0000002', cashierId: other.cashier.id, idempotencyKey: 'dt02-0001' });
    collectPayment(other.ctx, { customer: 'PC12AA0000001', billIds: ['HD0000000011'], cashierId: other.cashier.id, idempotencyKey: 'dt02-0002' });
    await syncNow(other.ctx, otherToken);

    // Customer 2 is on screen here before this counter pulls: the card still offers the bill.
    const card = page.getByTestId('customer');
    await sendKeys(app, scannerKeys('PC12AA0000002'));
    await card.getByTestId('grand-total').getByText('172.800 ₫').waitFor();
    await syncNow(ctx, token);
    await page.keyboard.press('Enter');
    await page.getByRole('alert').getByText(/Chưa thu được tiền của Trần Thị Hoa \(PC12AA0000002\): Hóa đơn HD0000000021 đã thu tại quầy DT02 lúc .*Không thu lại hóa đơn này ở quầy này.*\(BILL_PAID_AT_OTHER_COUNTER\)/).waitFor();
    assert.equal(count(ctx, 'SELECT COUNT(*) AS n FROM payments'), 0, 'nothing collected here');

    // Looked up again: the card says where and when, and offers nothing to collect.
    await page.getByLabel('Mã khách hàng').fill('PC12AA0000002');
    await page.keyboard.press('Enter');
    const notice = card.getByTestId('office-paid');
    await notice.getByText(new RegExp(`Kỳ 1 · 10/2026 · 172\\.800 ₫: Hóa đơn HD0000000021 đã thu tại quầy DT02 lúc \\d{2}/\\d{2}/\\d{4} \\d{2}:\\d{2}:\\d{2} \\(biên nhận ${atOther.receiptNo}, thu ngân TN01\\)`)).waitFor();
    await card.getByText('Khách hàng không còn nợ.').waitFor();
    assert.equal(await card.getByRole('button', { name: /THU TIỀN/ }).count(), 0, 'no collect button');
    await app.shot('card-paid-at-other-counter');

    // Customer 1: the September bill was taken there; October is still collected here.
    await page.getByLabel('Mã khách hàng').fill('PC12AA0000001');
    await page.keyboard.press('Enter');
    await notice.getByText(/Kỳ 1 · 09\/2026 · 270\.000 ₫: Hóa đơn HD0000000011 đã thu tại quầy DT02/).waitFor();
    await card.getByTestId('grand-total').getByText('303.750 ₫').waitFor();
    assert.deepEqual(await card.getByRole('checkbox').evaluateAll((boxes) => boxes.map((b) => b.getAttribute('aria-label'))), ['Kỳ 1 · 10/2026']);
    for (const box of [await notice.boundingBox(), await card.getByRole('button', { name: /THU TIỀN/ }).boundingBox()]) {
      assert.ok(box !== null && box.y >= 0 && box.y + box.height <= COUNTER_VIEWPORT.height, 'the notice and the collect button fit the 1366x768 screen');
    }
    await app.shot('card-one-bill-paid-elsewhere');
    await page.keyboard.press('Enter');
    await page.getByTestId('collected').getByText(/Đã thu 303\.750 ₫/).waitFor();
    assert.deepEqual(ctx.sqlite.prepare('SELECT id_hdon FROM payment_lines').pluck().all(), ['HD0000000012']);

    // The payment waits for the next sync; past the alarm setting the window says so loudly.
    await sync.getByTestId('sync-waiting').getByText('chờ gửi: 1').waitFor();
    await sync.getByText(/lần cuối \d{2}\/\d{2}\/\d{4}/).waitFor();
    assert.equal(await page.getByTestId('sync-alarm').count(), 0);
    offset.ms = 31 * 60_000;
    app.emit('statusChanged', {});
    await page.getByTestId('sync-alarm').getByText(/ĐỒNG BỘ QUÁ CHẬM: 1 mục chờ gửi lên máy chủ, mục cũ nhất từ .* \(quá 30 phút\)\. Vẫn thu tiền bình thường/).waitFor();
    assert.equal(await sync.getAttribute('class'), 'alarm');
    await app.shot('sync-alarm');
    await syncNow(ctx, token);
    app.emit('statusChanged', {});
    await sync.getByTestId('sync-waiting').getByText('chờ gửi: 0').waitFor();
    await page.getByTestId('sync-alarm').waitFor({ state: 'detached' });

    // The other counter voids its receipt: once pulled here, customer 2's bill is collectable again.
    voidPayment(other.ctx, { receiptNo: atOther.receiptNo, reason: 'thu nhầm khách', supervisorId: other.supervisor.id });
    await syncNow(other.ctx, otherToken);
    await syncNow(ctx, token);
    await page.getByLabel('Mã khách hàng').fill('PC12AA0000002');
    await page.keyboard.press('Enter');
    await card.getByTestId('grand-total').getByText('172.800 ₫').waitFor();
    assert.equal(await notice.count(), 0);
    await page.keyboard.press('Enter');
    await page.getByTestId('collected').getByText(/Đã thu 172\.800 ₫/).waitFor();
  } finally {
    await app.close();
  }
});

test('[#13] auto-collect with a pull landing between the scan and the collect: the bills on the card are collected or nothing, never fewer for another total', async () => {
  let pulled = false;
  const app = await startApp({
    scenario: 'office-counters-auto',
    imported: true,
    autoCollect: true,
    viewport: COUNTER_VIEWPORT,
    // The background sync stores a pull at the worst moment: the card is on screen, its collect not yet run.
    around: (channel, run) => {
      if (channel === 'collect' && !pulled) {
        pulled = true;
        const paidAt = app.ctx.clock().toISOString();
        storePulled(app.ctx.sqlite, [{ kind: 'payment', receiptNo: 'DT02-26-000001', pointCode: 'DT02', maKhang: 'PC12AA0000001', paidAt, cashierCode: 'TN02', total: 270_000, bills: ['HD0000000011'], voided: false }], '1:1', new Date(paidAt));
      }
      return run();
    },
  });
  try {
    const { page, ctx } = app;
    await loginAndOpenShift(app);
    const card = page.getByTestId('customer');
    await sendKeys(app, scannerKeys('PC12AA0000001')); // the card shows 573.750 ₫ for both bills
    await card.getByTestId('ma-khang').getByText('PC12AA0000001').waitFor();
    await page.getByTestId('collected').or(page.getByRole('alert')).first().waitFor();
    assert.equal(await page.getByTestId('collected').count(), 0, 'not collected');
    await page.getByRole('alert').getByText(/Chưa thu được tiền của Nguyễn Văn An .*Hóa đơn HD0000000011 đã thu tại quầy DT02 lúc .*\(BILL_PAID_AT_OTHER_COUNTER\)/).waitFor();
    assert.equal(count(ctx, 'SELECT COUNT(*) AS n FROM payments'), 0, 'not 303.750 ₫ collected under a card that said 573.750 ₫');
  } finally {
    await app.close();
  }
});
