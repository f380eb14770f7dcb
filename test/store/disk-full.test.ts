import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectWorld, count } from '../helpers/collect-fixture.ts';
import { seedSnapshot } from '../helpers/seed.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { collectPayment } from '../../electron/payments/collect.ts';
import { exportClearing } from '../../electron/cmis/write-clearing.ts';
import { realFs, type AtomicFs } from '../../electron/store/atomic-write.ts';
import { toErrorShape } from '../../electron/core/errors.ts';
import { createHandlers } from '../../electron/ipc/handlers.ts';
import { createSession } from '../../electron/ipc/session.ts';
import { dispatch } from '../../electron/ipc/register.ts';
import { createScanStream } from '../../electron/devices/scanner/stream.ts';

const WORKER = fileURLToPath(new URL('../workers/full-disk.ts', import.meta.url));
const CUSTOMERS = ['PC12AA0000001', 'PC12AA0000002'];

/** A DISK_FULL refusal: says the disk is full and what to do, and is never "corrupt" or internal. */
function assertDiskFull(shape: { code?: string; message?: string } | undefined, what: string): void {
  assert.equal(shape?.code, 'DISK_FULL', `${what}: ${JSON.stringify(shape)}`);
  assert.match(shape.message ?? '', /đầy/, what);
  assert.match(shape.message ?? '', /giải phóng|ổ USB khác/, `${what} says what to do`);
  assert.doesNotMatch(shape.message ?? '', /hỏng|nội bộ/, what);
}

/** A point with `customers` customers PC12AA0000001.., one bill each. */
function world(customers = 2) {
  const w = collectWorld();
  const codes = Array.from({ length: customers }, (_, i) => `PC12AA${String(i + 1).padStart(7, '0')}`);
  seedSnapshot(w.ctx, codes.map((maKhang, i) => ({ maKhang, tenKhang: `Khách ${i}`, dchiKhang: 'Số 1', bills: [{ idHdon: `HD${i}`, thang: 10, nam: 2026, soTien: 10_000 }] })));
  return w;
}

test('[#12] a payment refused by a full database (SQLITE_FULL) is DISK_FULL at the IPC boundary, and nothing is half-written', async () => {
  const w = world(200);
  const handlers = createHandlers({
    ctx: w.ctx,
    session: createSession(),
    dialogs: { chooseSnapshotFile: async () => null, chooseResultFile: async () => null, chooseFolder: async () => null, chooseBackupFile: async () => null },
    printing: { kick: () => undefined, status: () => ({ state: 'ready', message: null }) },
    scanner: { stream: createScanStream({ clock: w.ctx.clock }), status: () => ({ mode: 'wedge', state: 'ready' }) },
    emit: () => undefined,
  });
  const call = (channel: string, payload: unknown) =>
    dispatch(handlers, channel, payload, { url: 'app://diemthu/index.html', isMainFrame: true }, { trustedOrigins: ['app://diemthu'] }) as Promise<{ ok: boolean; error?: { code: string; message: string } }>;
  assert.equal((await call('login', { code: 'TN01', pin: '123456' })).ok, true);
  // The database file may not grow: once its pages are full SQLite itself answers SQLITE_FULL.
  w.ctx.sqlite.pragma(`max_page_count = ${w.ctx.sqlite.pragma('page_count', { simple: true }) as number}`);
  const ids = w.ctx.sqlite.prepare('SELECT id FROM customers ORDER BY id').pluck().all() as number[];
  let paid = 0;
  let refused: { code: string; message: string } | undefined;
  for (const customerId of ids) {
    const answer = await call('collect', { customerId, idempotencyKey: `attempt-${String(customerId).padStart(8, '0')}` });
    if (!answer.ok) {
      refused = answer.error;
      break;
    }
    paid += 1;
  }
  assert.ok(paid < ids.length, 'the database filled up before every customer paid');
  assertDiskFull(refused, 'IPC collect');
  const next = ids[paid]!;
  const customer = (w.ctx.sqlite.prepare('SELECT ma_khang FROM customers WHERE id = ?').pluck().get(next)) as string;
  assert.throws(() => collectPayment(w.ctx, { customer, cashierId: w.cashier.id, idempotencyKey: 'k-service' }), (e) => (assertDiskFull(toErrorShape(e), 'service'), true));
  assert.equal(count(w.ctx, 'payments'), paid, 'the refused payment left nothing behind');
  w.ctx.sqlite.pragma('max_page_count = 1073741823');
  const receipt = collectPayment(w.ctx, { customer, cashierId: w.cashier.id, idempotencyKey: 'k-after' }).receiptNo;
  assert.equal(receipt, `DT0001-26-${String(paid + 1).padStart(6, '0')}`, 'the refused attempts used no receipt number');
  w.ctx.close();
});

test('[#12] clearing files that hit a full USB stick (real ENOSPC from /dev/full) are DISK_FULL; after it is freed the same batch is written', () => {
  const w = world();
  collectPayment(w.ctx, { customer: CUSTOMERS[0]!, cashierId: w.cashier.id, idempotencyKey: 'k1' });
  const outDir = join(tempDir(), 'usb');
  // Every temporary file of the write is /dev/full: the kernel answers each write with ENOSPC.
  const full: AtomicFs = { ...realFs, openSync: ((path: string, flags: string) => realFs.openSync(path.includes('.partial-') ? '/dev/full' : path, flags)) as AtomicFs['openSync'] };
  assert.throws(() => exportClearing(w.ctx, { outDir, fs: full }), (e) => (assertDiskFull(toErrorShape(e), 'export'), true));
  assert.deepEqual(fs.readdirSync(outDir), [], 'no file, not even a temporary, is left on the stick');
  const again = exportClearing(w.ctx, { outDir });
  assert.equal(again.code === 'EXPORTED' && again.manifest.csvFile, 'GACHNO_DT0001_20261127_01.csv');
  w.ctx.close();
});

test('[#12] on a full disk (a real small tmpfs) opening, collecting, backing up, exporting and restoring say DISK_FULL with what to do, never DB_CORRUPT or INTERNAL; once freed nothing was lost', () => {
  const mnt = tempDir();
  // Root mounts directly; anyone else gets a user namespace in which mounting a tmpfs is allowed.
  const wrap = process.getuid?.() === 0 ? [] : ['unshare', '-Urm'];
  const child = spawnSync(wrap[0] ?? process.execPath, [...wrap.slice(1), ...(wrap.length > 0 ? [process.execPath] : []), '--import', 'tsx', WORKER, mnt], { encoding: 'utf8' });
  assert.equal(child.status, 0, `the full-disk worker needs to mount a tmpfs (root or user namespaces): ${child.stderr}`);
  const steps = JSON.parse(child.stdout) as { step: string; args: string[]; exit: number; code?: string; message?: string; value?: unknown }[];
  const refused = steps.filter((s) => s.step !== 'freed');
  assert.deepEqual(refused.map((s) => s.args[0]), ['status', 'collect', 'collect', 'backup', 'export', 'restore']);
  for (const s of refused) {
    assert.equal(s.exit, 2, `${s.step} ${s.args.join(' ')}: exit 2, no stack trace`);
    assertDiskFull(s, `${s.step} ${s.args.join(' ')}`);
  }
  const freed = steps.filter((s) => s.step === 'freed');
  assert.deepEqual(freed.map((s) => [s.args[0], s.exit, s.code]), [['collect', 0, undefined], ['export', 0, undefined], ['verify', 0, undefined]]);
  assert.match((freed[0]!.value as { receiptNo: string }).receiptNo, /^DT0001-\d\d-000002$/, 'the refused collects used no receipt number (the worker runs on the real clock: any year)');
  assert.equal((freed[1]!.value as { manifest: { receiptCount: number } }).manifest.receiptCount, 2, 'both payments are in the clearing file');
});
