import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { openContext, type Ctx } from '../../electron/store/context.ts';
import { steppingClock, sequentialIds } from '../../electron/core/clock.ts';
import { initPoint } from '../../electron/store/point.ts';
import { setSettings } from '../../electron/store/settings.ts';
import { addUser } from '../../electron/users/users.ts';
import { dispatch } from '../../electron/ipc/register.ts';
import { APP_ENTRY_URL } from '../../electron/app/security.ts';
import { createScanStream } from '../../electron/devices/scanner/stream.ts';
import type { HidScannerOptions } from '../../electron/devices/scanner/hid.ts';
import type { SerialScannerOptions } from '../../electron/devices/scanner/serial.ts';
import { drainAndClose } from '../../electron/ipc/shutdown.ts';
import { startRuntime, startScanners } from '../../electron/app/runtime.ts';
import { settingsPrinterPort } from '../../electron/printing/settings-printer.ts';
import type { PrinterPort } from '../../electron/printing/printing.ts';
import { seedSnapshot } from '../helpers/seed.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { backupNow } from '../../electron/backups/backups.ts';
import { previewRestore } from '../../electron/backups/restore.ts';
import { takeRestoreOutcome } from '../../electron/backups/restore-outcome.ts';

const tick = () => new Promise((r) => setTimeout(r, 5));
async function until(done: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000 && !done(); i++) await tick();
  assert.ok(done(), what);
}

function context(): Ctx {
  return openContext(tempDir(), { clock: steppingClock(new Date('2026-11-27T02:00:00Z')), newId: sequentialIds('k') });
}

test('startScanners: wedge needs nothing in main; hid and serial start with the stream and report their state', async () => {
  const stream = createScanStream({ clock: () => new Date() });
  const started: string[] = [];
  let hidOptions: HidScannerOptions | undefined;
  let serialOptions: SerialScannerOptions | undefined;
  const devices = {
    startHid: (o: HidScannerOptions) => ((hidOptions = o), started.push('hid'), { close: () => void started.push('hid closed') }),
    startSerial: (o: SerialScannerOptions) => ((serialOptions = o), started.push('serial'), { close: async () => void started.push('serial closed') }),
  };
  let changes = 0;
  const wedge = startScanners({ mode: 'wedge' }, stream, () => changes++, devices);
  assert.deepEqual(wedge.status(), { mode: 'wedge', state: 'ready' });
  assert.deepEqual(startScanners(undefined, stream, () => changes++, devices).status(), { mode: 'wedge', state: 'ready' });

  const hid = startScanners({ mode: 'hid' }, stream, () => changes++, devices);
  assert.equal(hidOptions?.stream, stream);
  assert.deepEqual(hid.status(), { mode: 'hid', state: 'unknown' });
  hidOptions?.onStatus?.({ state: 'waiting', error: 'unplugged' });
  assert.deepEqual(hid.status(), { mode: 'hid', state: 'offline' });
  hidOptions?.onStatus?.({ state: 'open', device: { vendorId: 1, productId: 2 } });
  assert.deepEqual(hid.status(), { mode: 'hid', state: 'ready' });
  assert.equal(changes, 2);

  const serial = startScanners({ mode: 'serial', path: 'COM3', baudRate: 115200 }, stream, () => changes++, devices);
  assert.equal(serialOptions?.path, 'COM3');
  assert.equal(serialOptions?.baudRate, 115200);
  assert.deepEqual(startScanners({ mode: 'serial' }, stream, () => {}, devices).status(), { mode: 'serial', state: 'offline' });
  await Promise.all([hid.close(), serial.close(), wedge.close()]);
  assert.deepEqual(started, ['hid', 'serial', 'hid closed', 'serial closed']);
});

test('settingsPrinterPort reopens the printer only when its setting changed, and a bad setting is a refusal per pass', async () => {
  const ctx = context();
  const log: string[] = [];
  let opens = 0;
  const open = (): PrinterPort => {
    opens += 1;
    if (opens === 2) throw new Error('bad setting');
    const n = opens;
    return { drain: async () => void log.push(`drain ${n}`), close: async () => void log.push(`close ${n}`) };
  };
  const port = settingsPrinterPort(ctx, open);
  await port.drain();
  await port.drain();
  setSettings(ctx.sqlite, { printer: { transport: 'tcp', port: '10.0.0.9', width: 576, mode: 'raster' } }, null, ctx.clock());
  await assert.rejects(port.drain(), /bad setting/);
  await port.drain();
  await port.close();
  assert.deepEqual(log, ['drain 1', 'drain 1', 'close 1', 'drain 3', 'close 3']);
  ctx.close();
});

test('the runtime end to end without Electron: collect prints on the file printer, a HID scan reaches the window, quitting refuses new payments and closes the store', async () => {
  const ctx = context();
  initPoint(ctx, { pointCode: 'DT01', unitCode: 'PC12AA', pointName: 'Điểm thu Chợ Mới' });
  const { ids } = seedSnapshot(ctx, [
    { maKhang: 'PC12AA0012345', tenKhang: 'Nguyễn Văn An', dchiKhang: '12 Lê Lợi', bills: [{ idHdon: 'HD1', thang: 10, nam: 2026, soTien: 200_000, tienGtgt: 16_000 }] },
  ]);
  const head = addUser(ctx, { code: 'GS01', name: 'Giám Sát', role: 'supervisor', pin: '246800', approvedBy: [] });
  addUser(ctx, { code: 'TN01', name: 'Thu Ngân', role: 'cashier', pin: '481516', approvedBy: [head.id] });

  const sent: Array<[string, unknown]> = [];
  let hid: HidScannerOptions | undefined;
  setSettings(ctx.sqlite, { scanner: { mode: 'hid' } }, null, ctx.clock());
  const runtime = startRuntime(ctx, {
    dialogs: { chooseSnapshotFile: async () => '/tmp/x.csv', chooseResultFile: async () => null, chooseFolder: async () => null, chooseBackupFile: async () => null },
    send: (channel, payload) => sent.push([channel, payload]),
    log: () => {},
    devices: { startHid: (o) => ((hid = o), { close: () => {} }) },
  });
  const call = (channel: string, payload: unknown) =>
    dispatch(runtime.handlers, channel, payload, { url: APP_ENTRY_URL, isMainFrame: true }, { trustedOrigins: [APP_ENTRY_URL], validateResponses: true });

  assert.deepEqual(await call('chooseSnapshotFile', {}), { ok: true, value: { path: '/tmp/x.csv' } });
  assert.equal((await call('login', { code: 'TN01', pin: '481516' })).ok, true);
  assert.equal((await call('openShift', { openingFloat: 500_000 })).ok, true);
  const paid = await call('collect', { customerId: ids.get('PC12AA0012345'), idempotencyKey: 'attempt-0001' });
  assert.ok(paid.ok, JSON.stringify(paid));
  assert.equal((paid.value as { total: number }).total, 216_000);

  const receipts = join(ctx.dataDir, 'receipts');
  await until(() => existsSync(receipts) && readdirSync(receipts).some((f) => f.endsWith('-receipt.bin')), 'the receipt reaches the file printer');
  await until(() => sent.some(([c, p]) => c === 'event:printerStatus' && (p as { state: string }).state === 'ready'), 'printer shown ready');

  hid?.stream.submit('pc12aa0012345', 'hid');
  runtime.stream.submit('PC12AA0099999', 'wedge');
  assert.deepEqual(
    sent.filter(([c]) => c === 'event:scan'),
    [['event:scan', { code: 'PC12AA0012345', source: 'hid' }]],
    'device scans are pushed; wedge scans came from the window',
  );

  await drainAndClose({ gate: runtime.gate, ctx, stopDevices: runtime.stop });
  const refused = await call('collect', { customerId: ids.get('PC12AA0012345'), idempotencyKey: 'attempt-0002' });
  assert.deepEqual(refused.ok ? null : refused.error.code, 'APP_QUITTING');
  assert.equal(ctx.sqlite.open, false);
  const after = openContext(ctx.dataDir, { readonly: true });
  assert.equal(after.sqlite.prepare('SELECT COUNT(*) FROM payments').pluck().get(), 1, 'exactly the one payment');
  after.close();
});

test('[#11] the scanner saved on the settings screen takes over at once: the old one closed first, the serial one opened with its port, rate, prefix and suffix; an unchanged save reopens nothing', async () => {
  const ctx = context();
  initPoint(ctx, { pointCode: 'DT01', unitCode: 'PC12AA', pointName: 'Điểm thu Chợ Mới' });
  addUser(ctx, { code: 'GS01', name: 'Giám Sát', role: 'supervisor', pin: '246800', approvedBy: [] });
  setSettings(ctx.sqlite, { scanner: { mode: 'hid' } }, null, ctx.clock());
  const log: string[] = [];
  let serial: SerialScannerOptions | undefined;
  const runtime = startRuntime(ctx, {
    dialogs: { chooseSnapshotFile: async () => null, chooseResultFile: async () => null, chooseFolder: async () => null, chooseBackupFile: async () => null },
    send: () => {},
    log: () => {},
    devices: {
      startHid: () => (log.push('hid'), { close: () => void log.push('hid closed') }),
      startSerial: (o) => ((serial = o), log.push(`serial ${o.path}`), { close: async () => void log.push('serial closed') }),
    },
  });
  const call = (channel: string, payload: unknown) =>
    dispatch(runtime.handlers, channel, payload, { url: APP_ENTRY_URL, isMainFrame: true }, { trustedOrigins: [APP_ENTRY_URL], validateResponses: true });
  assert.equal((await call('login', { code: 'GS01', pin: '246800' })).ok, true);
  const scanner = { mode: 'serial', path: '/dev/ttyACM0', baudRate: 38400, prefix: ']C0', suffix: '#' };
  const supervisor = { code: 'GS01', pin: '246800' };
  assert.equal((await call('settingsSet', { supervisor, values: { scanner } })).ok, true);
  await until(() => serial !== undefined, 'the serial scanner opened');
  assert.deepEqual({ path: serial?.path, baudRate: serial?.baudRate, prefix: serial?.prefix, suffix: serial?.suffix }, { path: '/dev/ttyACM0', baudRate: 38400, prefix: ']C0', suffix: '#' });
  assert.equal((await call('settingsSet', { supervisor, values: { scanner, reconnectionFee: 1000 } })).ok, true);
  await runtime.stop();
  assert.deepEqual(log, ['hid', 'hid closed', 'serial /dev/ttyACM0', 'serial closed']);
  ctx.close();
});

/** A point with a supervisor and a backup of it; `request` confirms that backup's restore, `call` answers as the IPC does. */
async function restoreWorld(t: { after(fn: () => void): void }) {
  const ctx = context();
  t.after(() => {
    if (ctx.sqlite.open) ctx.close();
  });
  initPoint(ctx, { pointCode: 'DT01', unitCode: 'PC12AA', pointName: 'Điểm thu Chợ Mới' });
  addUser(ctx, { code: 'GS01', name: 'Giám Sát', role: 'supervisor', pin: '246800', approvedBy: [] });
  const { file } = await backupNow(ctx, { outDir: join(tempDir(), 'usb') });
  const dialogs = { chooseSnapshotFile: async () => null, chooseResultFile: async () => null, chooseFolder: async () => null, chooseBackupFile: async () => file };
  const request = { supervisor: { code: 'GS01', pin: '246800' }, path: file, force: false, expect: previewRestore(ctx.dataDir, file).journalHead };
  const call = (runtime: { handlers: Parameters<typeof dispatch>[0] }, channel: string, payload: unknown) =>
    dispatch(runtime.handlers, channel, payload, { url: APP_ENTRY_URL, isMainFrame: true }, { trustedOrigins: [APP_ENTRY_URL], validateResponses: true });
  return { ctx, dialogs, request, call };
}

test('the runtime restores from the settings only with the shell\'s relaunch: it closes the database, restores, then relaunches once; without a relaunch the confirm is refused', async (t) => {
  const { ctx, dialogs, request, call } = await restoreWorld(t);
  const without = startRuntime(ctx, { dialogs, send: () => {}, log: () => {} });
  const refused = await call(without, 'restoreConfirm', request);
  assert.equal(refused.ok ? null : refused.error.code, 'RESTORE_UNAVAILABLE');
  await without.stop();

  let relaunched = 0;
  const runtime = startRuntime(ctx, { dialogs, send: () => {}, log: () => {}, relaunch: () => void (relaunched += 1) });
  t.after(() => runtime.stop());
  assert.deepEqual(await call(runtime, 'restoreConfirm', request), { ok: true, value: { restarting: true } });
  await until(() => relaunched === 1, 'relaunched');
  assert.equal(ctx.sqlite.open, false, 'closed as on quit');
  assert.equal(takeRestoreOutcome(ctx.dataDir)?.ok, true);
});

test('quitting while a restore from the settings runs waits for it: the database is closed once, the restore finishes and relaunches, its outcome is kept', async (t) => {
  const { ctx, dialogs, request, call } = await restoreWorld(t);
  const logged: string[] = [];
  let relaunched = 0;
  const runtime = startRuntime(ctx, { dialogs, send: () => {}, log: (message: string) => void logged.push(message), relaunch: () => void (relaunched += 1) });
  t.after(() => runtime.stop());
  assert.deepEqual(await call(runtime, 'restoreConfirm', request), { ok: true, value: { restarting: true } });
  // The window is closed at once, before the restore has even begun (the quit handler calls shutdown()).
  await runtime.shutdown();
  assert.equal(relaunched, 1, 'the quit waited for the restore, which relaunched');
  assert.equal(ctx.sqlite.open, false);
  assert.deepEqual(logged, [], 'nothing failed: no second close of the database');
  assert.equal(takeRestoreOutcome(ctx.dataDir)?.ok, true, 'the outcome is there for the next start');
});
