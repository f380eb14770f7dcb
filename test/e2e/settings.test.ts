import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { getSetting } from '../../electron/store/settings.ts';
import { findUser, verifyPin } from '../../electron/users/users.ts';
import { resetPin } from '../../electron/users/user-admin.ts';
import { SerialPortMock } from 'serialport';
import { CASHIER, HEAD, SUPERVISOR, count, loginAndOpenShift, startApp, stopSharedEnvironment, unlockAsSupervisor, waitForValue } from './harness.ts';
import type { UsbDeviceLike } from '../../electron/devices/device-list.ts';

after(stopSharedEnvironment);

/** The settings screen's lock: someone's code and PIN. */
test('settings need a supervisor: a cashier PIN is refused; the supervisor saves, prints a test page and adds users (a supervisor with a second supervisor)', async (t) => {
  const app = await startApp({ scenario: 'settings', imported: true });
  try {
    const { page, ctx } = app;
    await loginAndOpenShift(app);
    await unlockAsSupervisor(app, 'F9');
    await page.getByLabel('Tên điểm thu').waitFor();
    await waitForValue(page.getByLabel('Phí đóng điện lại (đồng)'), '330.000');
    await app.shot('settings');

    // Backups on the database's own disk (the default folder): warned until a folder on another disk is saved.
    const sameDisk = page.getByText('Bản sao lưu đang nằm cùng ổ đĩa với dữ liệu', { exact: false });
    await sameDisk.waitFor();
    const otherDisk = mkdtempSync('/dev/shm/diemthu-backups-'); // tmpfs: another device than the data folder's
    t.after(() => rmSync(otherDisk, { recursive: true, force: true }));
    await page.getByLabel('Thư mục sao lưu', { exact: true }).fill(otherDisk);
    await page.getByLabel('Tên điểm thu').fill('Điểm thu Tân Lợi 2');
    await page.getByLabel('Phí đóng điện lại (đồng)').fill('350.000');
    await waitForValue(page.getByLabel('Thuế GTGT trong phí đóng điện lại (%, 0-10)'), '8');
    await page.getByLabel('Thuế GTGT trong phí đóng điện lại (%, 0-10)').fill('10');
    await page.getByLabel('Tự khóa quầy sau số phút không dùng (0: không tự khóa)').fill('15');
    await page.getByLabel('Khổ giấy').selectOption('384');
    await page.getByLabel('Tự động thu khi quét thẻ', { exact: false }).check();
    // [#11] Every option in Vietnamese, none of the stored values (file/usb/serial/tcp/spooler, wedge/hid, raster) shown.
    const optionTexts = await page.locator('.settings-form select option').allTextContents();
    assert.ok(optionTexts.includes('Lưu ra tệp (chưa có máy in)') && optionTexts.includes('Máy in Windows (spooler)'), optionTexts.join(' | '));
    const raw = ['file', 'usb', 'serial', 'tcp', 'spooler', 'wedge', 'hid', 'raster', 'ascii', 'utf8', 'tcvn3-epson'];
    assert.deepEqual(optionTexts.filter((o) => raw.includes(o.trim())), []);
    // The serial scanner: port, rate from the list, the prefix it adds.
    await page.getByLabel('Kiểu máy quét').selectOption({ label: 'Máy quét cổng COM (serial)' });
    await page.getByLabel('Cổng COM của máy quét', { exact: false }).fill('/dev/ttyACM0');
    await page.getByLabel('Tốc độ cổng (baud)').selectOption({ label: '115.200' });
    await page.getByLabel('Ký tự máy quét thêm vào đầu mã (nếu có)').fill(']C0');
    await page.keyboard.press('Control+s');
    await page.getByText('Đã lưu cài đặt.').waitFor();
    assert.equal(getSetting(ctx.sqlite, 'point_name'), 'Điểm thu Tân Lợi 2');
    assert.equal(getSetting(ctx.sqlite, 'reconnection_fee'), 350000);
    assert.equal(getSetting(ctx.sqlite, 'reconnection_fee_vat_percent'), 10);
    assert.equal(getSetting(ctx.sqlite, 'auto_collect'), true);
    assert.equal(getSetting(ctx.sqlite, 'idle_lock_minutes'), 15);
    assert.equal(getSetting(ctx.sqlite, 'backup_dir'), otherDisk);
    await sameDisk.waitFor({ state: 'detached' });
    assert.equal(getSetting(ctx.sqlite, 'printer')?.width, 384);
    assert.deepEqual(getSetting(ctx.sqlite, 'scanner'), { mode: 'serial', path: '/dev/ttyACM0', baudRate: 115200, prefix: ']C0', suffix: '' });
    assert.equal(count(ctx, "SELECT COUNT(*) AS n FROM journal WHERE kind = 'settings' AND actor_id = (SELECT id FROM users WHERE code = ?)", SUPERVISOR.code), 1);

    await page.getByRole('button', { name: 'In trang thử' }).click();
    await page.getByText('Đã gửi trang in thử.').waitFor();
    await app.printing.idle();
    assert.ok(app.printing.files().some((f) => f.endsWith('-test_page.bin')));

    await page.getByLabel('Mã', { exact: true }).fill('TN02');
    await page.getByLabel('Họ tên').fill('Lê Thị Hồng');
    await page.getByLabel('PIN (6-8 chữ số)').fill('246813');
    await page.getByRole('button', { name: 'Thêm', exact: true }).click();
    await page.getByText('Đã thêm Lê Thị Hồng.').waitFor();
    assert.equal(count(ctx, "SELECT COUNT(*) AS n FROM users WHERE code = 'TN02' AND role = 'cashier' AND approved_by = (SELECT id FROM users WHERE code = ?)", SUPERVISOR.code), 1);

    // The point has two supervisors: a third needs a second one's code and PIN as well.
    await page.getByLabel('Mã', { exact: true }).fill('GS02');
    await page.getByLabel('Họ tên').fill('Phan Văn Phó');
    await page.getByLabel('Vai trò').selectOption('supervisor');
    await page.getByLabel('PIN (6-8 chữ số)').fill('135792');
    await page.getByRole('button', { name: 'Thêm', exact: true }).click();
    await page.getByRole('alert').getByText(/\(SECOND_SUPERVISOR_REQUIRED\)$/).waitFor();
    await page.getByLabel('Mã giám sát viên thứ hai').fill(HEAD.code);
    await page.getByLabel('PIN giám sát viên thứ hai').fill(HEAD.pin);
    await page.getByRole('button', { name: 'Thêm', exact: true }).click();
    await page.getByText('Đã thêm Phan Văn Phó.').waitFor();
    assert.equal(count(ctx, "SELECT COUNT(*) AS n FROM users WHERE code = 'GS02' AND role = 'supervisor' AND co_approved_by = (SELECT id FROM users WHERE code = ?)", HEAD.code), 1);
    await page.keyboard.press('Escape');
    await page.getByText('Tự động thu khi quét thẻ: BẬT').waitFor();
  } finally {
    await app.close();
  }
});

/** The notice of the first save stays on screen: wait on what the save stored, bounded. */
async function waitForStored(done: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !done(); i++) await new Promise((r) => setTimeout(r, 100));
  assert.ok(done(), 'saved');
}

/** A USB printer as libusb lists it (the hardware edge): printer-class interface, names readable. */
function usbPrinter(idVendor: number, idProduct: number, names: Record<number, string>): UsbDeviceLike {
  return {
    deviceDescriptor: { idVendor, idProduct, bDeviceClass: 0, iManufacturer: 1, iProduct: 2 },
    configDescriptor: { interfaces: [[{ bInterfaceClass: 7 }]] },
    interfaces: undefined,
    open() {},
    close() {},
    getStringDescriptor: (index, callback) => callback(undefined, names[index]),
  };
}

test('[#11] the settings list what is plugged in: a USB printer and a serial port chosen from the list, a failed listing says why and leaves manual entry', async (t) => {
  SerialPortMock.binding.createPort('/dev/ttyACM0', { manufacturer: 'Honeywell', vendorId: '0c2e', productId: '0b61' });
  t.after(() => SerialPortMock.binding.reset());
  let usbBroken = false;
  const app = await startApp({
    scenario: 'settings-devices',
    viewport: { width: 1366, height: 768 },
    deviceSources: {
      listSerial: () => SerialPortMock.list(),
      usb: () => {
        if (usbBroken) throw new Error('LIBUSB_ERROR_ACCESS');
        return { getDeviceList: () => [usbPrinter(0x0416, 0x5011, { 1: 'Xprinter', 2: 'XP-80C' })] };
      },
    },
  });
  try {
    const { page, ctx } = app;
    await loginAndOpenShift(app);
    await unlockAsSupervisor(app, 'F9');
    await page.getByLabel('Kết nối').selectOption({ label: 'Máy in USB' });
    await page.getByLabel('Máy in USB tìm thấy').selectOption({ label: 'Xprinter XP-80C (0416:5011)' });
    await waitForValue(page.getByLabel('Cổng / địa chỉ / tệp'), '0416:5011');
    await page.getByLabel('Kiểu máy quét').selectOption({ label: 'Máy quét cổng COM (serial)' });
    await page.getByLabel('Cổng COM tìm thấy').selectOption({ label: '/dev/ttyACM0 – Honeywell (0C2E:0B61)' });
    await waitForValue(page.getByLabel('Cổng COM của máy quét', { exact: false }), '/dev/ttyACM0');
    await app.shot('settings-devices');
    await page.getByLabel('Cổng COM của máy quét', { exact: false }).press('Control+s');
    await page.getByText('Đã lưu cài đặt.').waitFor();
    assert.equal(getSetting(ctx.sqlite, 'printer')?.port, '0416:5011');
    assert.equal(getSetting(ctx.sqlite, 'scanner')?.path, '/dev/ttyACM0');

    // No permission on the USB bus: a sentence, and the port typed by hand is what is saved.
    usbBroken = true;
    await page.getByRole('button', { name: 'Tìm lại' }).first().click();
    await page.getByText('Không liệt kê được máy in USB (LIBUSB_ERROR_ACCESS); hãy nhập tay', { exact: false }).waitFor();
    await page.getByLabel('Cổng / địa chỉ / tệp').fill('1fc9:2016');
    await page.getByLabel('Cổng / địa chỉ / tệp').press('Control+s');
    await waitForStored(() => getSetting(ctx.sqlite, 'printer')?.port === '1fc9:2016');
  } finally {
    await app.close();
  }
});

test('[#11] a PIN reset by a supervisor: the login turns into the change of PIN, and the new PIN signs in; anyone may change their own', async () => {
  const app = await startApp({ scenario: 'change-pin' });
  try {
    const { page, ctx } = app;
    const head = findUser(ctx, HEAD.code);
    assert.ok(head);
    resetPin(ctx, { code: CASHIER.code, supervisor: head, temporaryPin: '555111' });
    await page.getByLabel('Mã thu ngân').fill(CASHIER.code);
    await page.getByLabel('Mã PIN', { exact: true }).fill('555111');
    await page.keyboard.press('Enter');
    await page.getByText('(PIN_CHANGE_REQUIRED)').waitFor();
    await page.getByRole('heading', { name: 'Đổi mã PIN' }).waitFor();
    await page.getByLabel('Mã PIN', { exact: true }).fill('555111');
    await page.getByLabel('Mã PIN mới (6-8 chữ số)').fill('246813');
    await page.getByLabel('Nhập lại mã PIN mới').fill('246813');
    await app.shot('change-pin');
    await page.keyboard.press('Enter');
    await page.getByLabel('Tiền lẻ đầu ca (đồng)').waitFor();
    assert.equal(verifyPin(ctx, CASHIER.code, '246813').code, CASHIER.code);
    assert.throws(() => verifyPin(ctx, CASHIER.code, '555111'), /LOGIN_FAILED|Sai/);
  } finally {
    await app.close();
  }
});
