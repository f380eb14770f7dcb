import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setSettings } from '../../electron/store/settings.ts';
import { COUNTER_VIEWPORT, ROOT, loginAndOpenShift, startApp, stopSharedEnvironment } from './harness.ts';

after(stopSharedEnvironment);

test('[#11] F1 opens the About box on the login screen and during a shift: the version, folders, point, snapshot and support line; Esc closes it', async () => {
  const app = await startApp({ scenario: 'about', imported: true, viewport: COUNTER_VIEWPORT });
  try {
    const { page, ctx } = app;
    setSettings(ctx.sqlite, { company_hotline: '1900 6868' }, null, ctx.clock());
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    await page.getByLabel('Mã thu ngân').waitFor();
    await page.keyboard.press('F1');
    const dialog = page.getByRole('dialog', { name: 'Giới thiệu' });
    const row = (term: string) => dialog.locator('dl div').filter({ has: page.locator('dt', { hasText: term }) }).locator('dd');
    assert.equal(await row('Phiên bản').textContent(), version);
    assert.equal(await row('Thư mục dữ liệu').textContent(), app.dataDir);
    assert.equal(await row('Thư mục nhật ký chương trình (log)').textContent(), join(app.dataDir, 'logs'));
    assert.equal(await row('Điểm thu').textContent(), 'DT01 – Điểm thu Tân Lợi');
    assert.equal(await row('Đơn vị (MA_DVIQLY)').textContent(), 'PC12AA');
    assert.match((await row('Dữ liệu nợ đang dùng').textContent()) ?? '', /^morning-good\.csv \(nhập lúc /);
    assert.match((await row('Dung lượng cơ sở dữ liệu').textContent()) ?? '', /^\d+,\d MB$/);
    await dialog.getByText('Hỗ trợ: gọi 1900 6868', { exact: false }).waitFor();
    await app.shot('about');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    await loginAndOpenShift(app);
    await page.keyboard.press('F1');
    await dialog.waitFor();
    assert.equal(await row('Phiên bản').textContent(), version);
    await page.keyboard.press('F1');
    await dialog.waitFor({ state: 'detached' });
  } finally {
    await app.close();
  }
});
