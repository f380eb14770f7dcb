import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { count } from '../helpers/collect-fixture.ts';
import { ipcWorld } from '../helpers/ipc-world.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { captureIo } from '../helpers/capture-io.ts';
import { exportAgain, exportClearing } from '../../electron/cmis/write-clearing.ts';
import { backupNow } from '../../electron/backups/backups.ts';
import { collectPayment } from '../../electron/payments/collect.ts';
import { lookupCode } from '../../electron/customers/find.ts';
import { transportFor } from '../../electron/printing/open-printer.ts';
import { isAbsolutePath } from '../../electron/core/paths.ts';
import { main } from '../../electron/cli/diemthu.ts';


/**
 * A point with one payment to export, its handlers, and the process working in an empty temp folder
 * until the test ends (set after the import: the reader worker must start from the checkout).
 */
function world(t: TestContext) {
  const w = ipcWorld();
  const customer = lookupCode(w.ctx, 'PC12AA0000001')!;
  collectPayment(w.ctx, { customer: customer.id, cashierId: w.cashier.id, idempotencyKey: 'key-paths-0001' });
  const cwd = tempDir();
  const home = process.cwd();
  process.chdir(cwd);
  t.after(() => process.chdir(home));
  return Object.assign(w, { cwd });
}

// On this (POSIX) host a Windows path is relative too: "C:\out" would land in ./C:\out.
const RELATIVE = ['relative-out', './out', '../out', 'out/../x', 'C:\\out', 'C:out', '~/out', ' /out'];

test('[#23] a relative export folder from the IPC is refused with BAD_REQUEST and writes nothing anywhere', async (t) => {
  const w = world(t);
  assert.equal((await w.call('login', { code: 'TN01', pin: '123456' })).ok, true);
  const journal = count(w.ctx, 'journal');
  for (const outDir of RELATIVE) {
    const answer = await w.call('exportClearing', { outDir });
    assert.equal(answer.error?.code, 'BAD_REQUEST', outDir);
  }
  assert.deepEqual(readdirSync(w.cwd), [], 'nothing written under the working folder');
  assert.equal(count(w.ctx, 'clearing_batches'), 0, 'no batch recorded');
  assert.equal(count(w.ctx, 'journal'), journal, 'nothing journaled');

  // Every other path the window can send is held to the same rule.
  const supervisor = { code: 'GS01', pin: '987654' };
  assert.equal((await w.call('settingsSet', { supervisor, values: { backupDir: 'backups' } })).error?.code, 'BAD_REQUEST');
  assert.equal(
    (await w.call('settingsSet', { supervisor, values: { printer: { transport: 'file', port: 'receipts', width: 576, mode: 'raster' } } })).error?.code,
    'BAD_REQUEST',
  );
  assert.equal((await w.call('importPreview', { path: 'morning.csv' })).error?.code, 'BAD_REQUEST');
  assert.equal((await w.call('importConfirm', { path: 'morning.csv' })).error?.code, 'BAD_REQUEST');
  assert.equal(count(w.ctx, 'journal'), journal);

  // An absolute folder works, and the answer names files that exist.
  const usb = join(tempDir(), 'usb');
  const done = await w.call('exportClearing', { outDir: usb });
  assert.ok(done.ok, JSON.stringify(done));
  const value = done.value as { outDir: string; files: string[] };
  assert.equal(value.outDir, usb);
  assert.equal(value.files.length, 4);
  for (const file of value.files) assert.ok(isAbsolute(file) && existsSync(file), file);
  const printerFolder = join(tempDir(), 'paper');
  const saved = await w.call('settingsSet', { supervisor, values: { backupDir: usb, printer: { transport: 'file', port: printerFolder, width: 576, mode: 'raster' } } });
  assert.ok(saved.ok, JSON.stringify(saved));
  assert.equal(
    (await w.call('settingsSet', { supervisor, values: { printer: { transport: 'tcp', port: '192.168.1.50:9100', width: 576, mode: 'raster' } } })).ok,
    true,
    'a network printer address is not a folder',
  );
  assert.deepEqual(readdirSync(w.cwd), []);
  w.ctx.close();
});

test('[#23] the services refuse a relative folder themselves (defence in depth): export, export again, backup, file printer', async (t) => {
  const w = world(t);
  const refused = (error: unknown) => (error as { code?: string }).code === 'PATH_NOT_ABSOLUTE';
  assert.throws(() => exportClearing(w.ctx, { outDir: 'relative-out' }), refused);
  assert.equal(count(w.ctx, 'clearing_batches'), 0);
  const usb = join(tempDir(), 'usb');
  exportClearing(w.ctx, { outDir: usb });
  assert.throws(() => exportAgain(w.ctx, { outDir: 'relative-out', batch: '1' }), refused);
  await assert.rejects(backupNow(w.ctx, { outDir: 'relative-backups' }), refused);
  // A backup folder stored before this rule (or by hand) is refused too, not resolved against the working folder.
  w.ctx.sqlite.prepare("INSERT INTO settings (key, value) VALUES ('backup_dir', '\"relative-backups\"') ON CONFLICT(key) DO UPDATE SET value = excluded.value").run();
  await assert.rejects(backupNow(w.ctx), refused);
  assert.throws(() => transportFor('file', 'receipts', w.ctx.dataDir), { code: 'PRINTER_SETTING_INVALID' });
  assert.deepEqual(readdirSync(w.cwd), [], 'nothing written under the working folder');
  w.ctx.close();
});

test('[#23] the CLI resolves a relative --out against the current folder explicitly and names real absolute paths', async (t) => {
  const w = world(t);
  const dataDir = w.ctx.dataDir;
  w.ctx.close();
  const io = captureIo();
  assert.equal(await main(['export', '--out', 'relative-out', '--data-dir', dataDir, '--json'], io), 0, io.err());
  const exported = JSON.parse(io.out()).value as { outDir: string; files: string[]; backup: { ok: boolean } };
  assert.equal(exported.outDir, join(w.cwd, 'relative-out'));
  assert.equal(exported.files.length, 4);
  for (const file of exported.files) assert.ok(isAbsolute(file) && existsSync(file), file);

  const backupIo = captureIo();
  assert.equal(await main(['backup', '--out', 'saved', '--data-dir', dataDir, '--json'], backupIo), 0, backupIo.err());
  const backup = JSON.parse(backupIo.out()).value as { file: string };
  assert.ok(isAbsolute(backup.file) && existsSync(backup.file) && backup.file.startsWith(join(w.cwd, 'saved')), backup.file);

  // A relative --data-dir is resolved once, so the default folders under it are absolute too.
  const relIo = captureIo();
  assert.equal(await main(['backup', '--data-dir', 'rel-data', '--json'], relIo), 0, relIo.err());
  const relBackup = JSON.parse(relIo.out()).value as { file: string };
  assert.ok(isAbsolute(relBackup.file) && existsSync(relBackup.file) && relBackup.file.startsWith(join(w.cwd, 'rel-data')), relBackup.file);
});

test('[#23] absolute paths by platform: a Windows drive or UNC share, a POSIX root; nothing relative, nothing drive-relative', () => {
  for (const p of ['C:\\GachNo', 'd:/usb', '\\\\server\\share\\gachno', '//server/share']) assert.equal(isAbsolutePath(p, 'win32'), true, p);
  for (const p of ['GachNo', 'C:GachNo', '\\GachNo', '.\\out', '\\\\server', '', 'C:', '/usb']) assert.equal(isAbsolutePath(p, 'win32'), false, p);
  for (const p of ['/media/usb', '/']) assert.equal(isAbsolutePath(p, 'posix'), true, p);
  for (const p of ['usb', './usb', 'C:\\usb', '~/usb', '', ' /usb']) assert.equal(isAbsolutePath(p, 'posix'), false, p);
  assert.equal(isAbsolutePath('/media/usb\0/x', 'posix'), false, 'a NUL byte is no path');
});
