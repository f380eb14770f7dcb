import { test } from 'node:test';
import { existsSync, readFileSync, statSync } from 'node:fs';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { count } from '../helpers/collect-fixture.ts';
import { setSettings } from '../../electron/store/settings.ts';
import { GOOD_SNAPSHOT as GOOD, ipcWorld as world } from '../helpers/ipc-world.ts';

const BROKEN = join(import.meta.dirname, '..', 'e2e', 'fixtures', 'morning-broken.csv');

test('nothing but session and login works before logging in', async () => {
  const w = world();
  assert.deepEqual(await w.call('session'), { ok: true, value: null });
  for (const [channel, payload] of [['lookupCode', { code: 'PC12AA0000001' }], ['todayReceipts', {}], ['collect', { customerId: 1, idempotencyKey: 'k-1234567890' }]] as const) {
    assert.equal((await w.call(channel, payload)).error?.code, 'NOT_LOGGED_IN', channel);
  }
  assert.equal((await w.call('login', { code: 'TN01', pin: '0000' })).error?.code, 'LOGIN_FAILED');
  const session = await w.call('login', { code: 'TN01', pin: '123456' });
  assert.equal(session.ok, true);
  assert.equal((session.value as { shift: { openingFloat: number } }).shift.openingFloat, 500_000);
});

test('a collect retried with the same key is one payment; the printer is kicked; answers match the contract', async () => {
  const w = world();
  await w.call('login', { code: 'TN01', pin: '123456' });
  const customer = (await w.call('lookupCode', { code: 'pc12aa0000001' })).value as { id: number; total: number; bills: Array<{ idHdon: string }> };
  assert.equal(customer.total, 573_750);
  assert.deepEqual(customer.bills.map((b) => b.idHdon), ['HD0000000011', 'HD0000000012']);
  const request = { customerId: customer.id, billIds: customer.bills.map((b) => b.idHdon), idempotencyKey: 'attempt-0001', tendered: 600_000 };
  const first = await w.call('collect', request);
  const retry = await w.call('collect', request);
  assert.equal(first.ok, true);
  assert.deepEqual(retry, first);
  assert.equal((first.value as { change: number }).change, 26_250);
  assert.equal(count(w.ctx, 'payments'), 1);
  assert.equal(w.kicks(), 1, 'kicked once: the replay printed nothing new');
  assert.ok(w.events.includes('statusChanged'));
  const again = await w.call('collect', { ...request, idempotencyKey: 'attempt-0002' });
  assert.equal(again.ok, false, 'the bills are paid: a second attempt is refused');
  assert.equal(count(w.ctx, 'payments'), 1);

  // Blind count: while the cashier's shift is open, counts and no money.
  const hourly = (await w.call('hourlyCollections')).value as { count: number; total: number | null; hours: Array<{ hour: number; total: number | null }> };
  assert.deepEqual({ count: hourly.count, total: hourly.total, hour: hourly.hours[0]?.hour, hourTotal: hourly.hours[0]?.total }, { count: 1, total: null, hour: 9, hourTotal: null });
  const status = (await w.call('status')).value as { unexported: { count: number; total: number | null }; printJobsWaiting: number; snapshot: { ageDays: number } };
  assert.deepEqual(status.unexported, { count: 1, total: null });
  assert.equal(status.printJobsWaiting, 1, 'nothing drained the outbox here');
  assert.equal(status.snapshot.ageDays, 0);
  w.ctx.sqlite.prepare("UPDATE print_jobs SET status = 'failed', last_error = 'VOIDED'").run();
  const settled = (await w.call('status')).value as { printJobsWaiting: number };
  assert.equal(settled.printJobsWaiting, 0, 'a failed job is settled (copy queued or payment voided), not waiting');

  // Once counted, the money shows.
  assert.equal((await w.call('closeShift', { countedCash: 573_750 })).ok, true);
  const counted = (await w.call('status')).value as { unexported: { count: number; total: number | null } };
  assert.deepEqual(counted.unexported, { count: 1, total: 573_750 });
  const hourlyAfter = (await w.call('hourlyCollections')).value as { total: number | null };
  assert.equal(hourlyAfter.total, 573_750);
});

test('the same wedge scan twice in a row is refused as a duplicate; a void needs a supervisor', async () => {
  const w = world();
  await w.call('login', { code: 'TN01', pin: '123456' });
  assert.equal(((await w.call('scanSubmit', { code: 'PC12AA0000005' })).value as { maKhang: string }).maKhang, 'PC12AA0000005');
  assert.equal((await w.call('scanSubmit', { code: 'PC12AA0000005' })).error?.code, 'SCAN_DUPLICATE');
  const customer = (await w.call('lookupCode', { code: 'THE0005' })).value as { id: number };
  const paid = (await w.call('collect', { customerId: customer.id, idempotencyKey: 'attempt-0003' })).value as { receiptNo: string };
  const asCashier = await w.call('voidPayment', { receiptNo: paid.receiptNo, reason: 'Thu nhầm', supervisor: { code: 'TN01', pin: '123456' } });
  assert.equal(asCashier.error?.code, 'SUPERVISOR_REQUIRED');
  const voided = await w.call('voidPayment', { receiptNo: paid.receiptNo, reason: 'Thu nhầm', supervisor: { code: 'GS01', pin: '987654' } });
  assert.equal(voided.ok, true);
  const rows = (await w.call('todayReceipts')).value as Array<{ voided: boolean; voidReason: string }>;
  assert.deepEqual(rows.map((r) => [r.voided, r.voidReason]), [[true, 'Thu nhầm']]);
});

test('[#3] IPC: a supervisor adds a cashier alter ego and voids its payment: refused; a new supervisor needs a second supervisor', async () => {
  const w = world();
  const gs01 = { code: 'GS01', pin: '987654' };
  const alone = await w.call('userAdd', { supervisor: gs01, user: { code: 'GS09', name: 'Bản sao', role: 'supervisor', pin: '909090' } });
  assert.equal(alone.error?.code, 'SECOND_SUPERVISOR_REQUIRED');
  const twice = await w.call('userAdd', { supervisor: gs01, secondSupervisor: gs01, user: { code: 'GS09', name: 'Bản sao', role: 'supervisor', pin: '909090' } });
  assert.equal(twice.error?.code, 'SECOND_SUPERVISOR_REQUIRED');
  assert.equal(count(w.ctx, 'users', "code = 'GS09'"), 0);

  const added = await w.call('userAdd', { supervisor: gs01, user: { code: 'TN09', name: 'Bản sao', role: 'cashier', pin: '909090' } });
  assert.equal(added.ok, true);
  const journal = w.ctx.sqlite.prepare("SELECT actor_id FROM journal WHERE kind = 'user_added' ORDER BY id DESC LIMIT 1").get() as { actor_id: number };
  assert.equal(journal.actor_id, w.supervisor.id);
  await w.call('login', { code: 'TN09', pin: '909090' });
  await w.call('openShift', { openingFloat: 0 });
  const customer = (await w.call('lookupCode', { code: 'THE0005' })).value as { id: number };
  const paid = (await w.call('collect', { customerId: customer.id, idempotencyKey: 'attempt-0009' })).value as { receiptNo: string };
  const voided = await w.call('voidPayment', { receiptNo: paid.receiptNo, reason: 'Thu nhầm', supervisor: gs01 });
  assert.equal(voided.error?.code, 'VOID_LINKED_USERS');
  assert.equal(count(w.ctx, 'payments', 'voided_at IS NOT NULL'), 0);

  const second = await w.call('userAdd', {
    supervisor: gs01,
    secondSupervisor: { code: 'GS00', pin: '246800' },
    user: { code: 'GS09', name: 'Giám sát mới', role: 'supervisor', pin: '909091' },
  });
  assert.equal(second.ok, true);
  assert.deepEqual(w.ctx.sqlite.prepare("SELECT approved_by, co_approved_by FROM users WHERE code = 'GS09'").get(), { approved_by: w.supervisor.id, co_approved_by: w.head.id });
});

test('import preview of a broken file lists every problem and writes nothing; close is blind and answers the Z report', async () => {
  const w = world();
  await w.call('login', { code: 'TN01', pin: '123456' });
  const snapshots = count(w.ctx, 'snapshots');
  const preview = (await w.call('importPreview', { path: BROKEN })).value as { errorCount: number; errors: Array<{ line: number; column: string }>; billCount: number | null };
  assert.equal(preview.errorCount, 4);
  assert.deepEqual(preview.errors.map((e) => [e.line, e.column]), [[3, 'SO_TIEN'], [4, 'THANG'], [5, 'TEN_KHANG'], [5, 'TONG_TIEN']]);
  assert.equal(preview.billCount, null);
  assert.equal(count(w.ctx, 'snapshots'), snapshots);
  const same = (await w.call('importPreview', { path: GOOD })).value as { alreadyImported: boolean };
  assert.equal(same.alreadyImported, true);

  const z = (await w.call('closeShift', { countedCash: 499_000 })).value as { expectedCash: number; variance: number; scope: string; backup: { ok: boolean; file: string } };
  assert.deepEqual({ expected: z.expectedCash, variance: z.variance, scope: z.scope }, { expected: 500_000, variance: -1000, scope: 'shift' });
  assert.equal(z.backup.ok, true, 'a shift close is followed by a backup');
  assert.ok(existsSync(z.backup.file), z.backup.file);
  const reprintZ = await w.call('zReport', { scope: 'shift', print: true });
  assert.equal(reprintZ.ok, true, 'the closed shift stays in view for its Z report');
  assert.equal(count(w.ctx, 'print_jobs', "kind = 'z_report'"), 2);
});

test('settings: read with defaults, written only with a supervisor, unknown printer fields kept', async () => {
  const w = world();
  await w.call('login', { code: 'TN01', pin: '123456' });
  const before = (await w.call('settingsGet')).value as { printer: { width: number; mode: string }; scanner: { mode: string } };
  assert.deepEqual([before.printer.width, before.printer.mode, before.scanner], [576, 'raster', { mode: 'wedge', path: '', baudRate: 9600, prefix: '', suffix: '' }]);
  const refused = await w.call('settingsSet', { supervisor: { code: 'TN01', pin: '123456' }, values: { reconnectionFee: 1 } });
  assert.equal(refused.error?.code, 'SUPERVISOR_REQUIRED');
  const saved = await w.call('settingsSet', {
    supervisor: { code: 'GS01', pin: '987654' },
    values: { reconnectionFee: 350_000, printer: { transport: 'tcp', port: '192.168.1.50:9100', width: 384, mode: 'ascii' } },
  });
  assert.equal(saved.ok, true);
  assert.equal((saved.value as { reconnectionFee: number }).reconnectionFee, 350_000);
  const stored = JSON.parse((w.ctx.sqlite.prepare("SELECT value FROM settings WHERE key = 'printer'").get() as { value: string }).value) as Record<string, unknown>;
  assert.deepEqual(stored, { transport: 'tcp', width: 384, mode: 'ascii', port: '192.168.1.50:9100' });
});

test('[#11] the serial scanner\'s settings: port, baud rate from the list, prefix and suffix; fields stored by another version kept', async () => {
  const w = world();
  await w.call('login', { code: 'TN01', pin: '123456' });
  w.ctx.sqlite.prepare("INSERT INTO settings (key, value) VALUES ('scanner', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(JSON.stringify({ mode: 'hid', later: 'kept', baudRate: 4800 }));
  // A baud rate the list does not hold reads as the default: the screen never shows a value it cannot save.
  assert.deepEqual(((await w.call('settingsGet')).value as { scanner: unknown }).scanner, { mode: 'hid', path: '', baudRate: 9600, prefix: '', suffix: '' });
  const supervisor = { code: 'GS01', pin: '987654' };
  const scanner = { mode: 'serial', path: 'COM4', baudRate: 115200, prefix: ']C0', suffix: '' } as const;
  const saved = await w.call('settingsSet', { supervisor, values: { scanner } });
  assert.deepEqual((saved.value as { scanner: unknown }).scanner, scanner);
  const stored = JSON.parse((w.ctx.sqlite.prepare("SELECT value FROM settings WHERE key = 'scanner'").get() as { value: string }).value) as Record<string, unknown>;
  assert.deepEqual(stored, { ...scanner, later: 'kept' });
  for (const bad of [{ ...scanner, baudRate: 4800 }, { ...scanner, prefix: 'a\r' }, { ...scanner, suffix: '12345678901234567' }]) {
    const refused = await w.call('settingsSet', { supervisor, values: { scanner: bad } });
    assert.equal(refused.ok, false, JSON.stringify(bad));
  }
});

test('[#11] the About box: version, data and log folders, database size, point and units, the snapshot in force, the support line; asked before anyone signs in', async () => {
  const w = world();
  setSettings(w.ctx.sqlite, { company_hotline: '1900 1909' }, null, w.ctx.clock());
  const about = (await w.call('about')).value as Record<string, unknown>;
  const bytes = statSync(join(w.ctx.dataDir, 'diemthu.sqlite')).size + (existsSync(join(w.ctx.dataDir, 'diemthu.sqlite-wal')) ? statSync(join(w.ctx.dataDir, 'diemthu.sqlite-wal')).size : 0);
  assert.deepEqual(about, {
    version: JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')).version,
    dataDir: w.ctx.dataDir,
    logDir: join(w.ctx.dataDir, 'logs'),
    databaseBytes: bytes,
    point: { code: 'DT0001', name: 'Điểm thu số 1', unitCodes: ['PC12AA'] },
    snapshot: { fileName: 'morning-good.csv', importedAt: (about.snapshot as { importedAt: string } | null)?.importedAt },
    hotline: '1900 1909',
  });
  assert.ok(bytes > 0);
});

test('[#6] the import preview of a damaged UTF-8 file lists its lines like any other refusal', async () => {
  const w = world();
  await w.call('login', { code: 'TN01', pin: '123456' });
  const stray = join(import.meta.dirname, '..', '..', 'fixtures', 'snapshots', 'bad-stray-byte.csv');
  const preview = (await w.call('importPreview', { path: stray })).value as { errorCount: number; errors: Array<{ line: number; value: string }> };
  assert.equal(preview.errorCount, 1);
  assert.deepEqual(preview.errors.map((e) => [e.line, e.value]), [[7, '0x92']]);
});

test('[#10] quote answers what collect then writes; a gap is refused as collect would refuse it', async () => {
  const w = world();
  await w.call('login', { code: 'TN01', pin: '123456' });
  const customer = (await w.call('lookupCode', { code: 'PC12AA0000001' })).value as { id: number };
  const oldest = await w.call('quote', { customerId: customer.id, billIds: ['HD0000000011'] });
  assert.deepEqual(oldest.value, { billIds: ['HD0000000011'], billsTotal: 270_000, fee: 0, total: 270_000, reconnectionOrder: false, changeStep: 0 });
  assert.equal((await w.call('quote', { customerId: customer.id, billIds: ['HD0000000012'] })).error?.code, 'BILL_ORDER');
  const paid = await w.call('collect', { customerId: customer.id, billIds: ['HD0000000011'], idempotencyKey: 'quote-0001' });
  assert.equal((paid.value as { total: number }).total, 270_000);
  const rest = await w.call('quote', { customerId: customer.id });
  assert.deepEqual(rest.value, { billIds: ['HD0000000012'], billsTotal: 303_750, fee: 0, total: 303_750, reconnectionOrder: false, changeStep: 0 });
  assert.equal(count(w.ctx, 'payments'), 1, 'a quote writes nothing');
});

test('[#10] the quote carries the change step and the collect sends it back: a setting changed in between is refused (CHANGE_ROUNDING_CHANGED), nothing written', async () => {
  const w = world();
  await w.call('login', { code: 'TN01', pin: '123456' });
  const customer = (await w.call('lookupCode', { code: 'PC12AA0000001' })).value as { id: number };
  const quoted = (await w.call('quote', { customerId: customer.id, billIds: ['HD0000000011'] })).value as { total: number; changeStep: number };
  assert.deepEqual([quoted.total, quoted.changeStep], [270_000, 0]);
  setSettings(w.ctx.sqlite, { change_rounding: 1000 }, null, w.ctx.clock());
  const stale = await w.call('collect', { customerId: customer.id, billIds: ['HD0000000011'], idempotencyKey: 'rounding-0001', tendered: 300_300, changeStep: quoted.changeStep });
  assert.equal(stale.error?.code, 'CHANGE_ROUNDING_CHANGED');
  assert.equal(count(w.ctx, 'payments'), 0);
  const again = (await w.call('quote', { customerId: customer.id, billIds: ['HD0000000011'] })).value as { changeStep: number };
  const paid = await w.call('collect', { customerId: customer.id, billIds: ['HD0000000011'], idempotencyKey: 'rounding-0002', tendered: 300_300, changeStep: again.changeStep });
  const { tendered, change, changeRounding } = paid.value as { tendered: number; change: number; changeRounding: number };
  assert.deepEqual([tendered, change, changeRounding], [300_300, 30_000, 300]);
});
