import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openContext, type Ctx } from '../../electron/store/context.ts';
import { steppingClock, sequentialIds } from '../../electron/core/clock.ts';
import { enqueuePrintJob, type PrintJobKind } from '../../electron/printing/print-jobs.ts';
import { verifyJournal } from '../../electron/store/journal.ts';
import { drainOutbox, type Printer } from '../../electron/printing/outbox.ts';
import { initPoint } from '../../electron/store/point.ts';
import { main } from '../../electron/cli/diemthu.ts';
import { exportClearing } from '../../electron/cmis/write-clearing.ts';
import { collectPayment } from '../../electron/payments/collect.ts';
import { lookupCode } from '../../electron/customers/find.ts';
import { decode } from '../escpos/decoder.ts';
import { captureIo } from '../helpers/capture-io.ts';
import { ipcWorld } from '../helpers/ipc-world.ts';
import { enqueueBacked } from '../helpers/backed-jobs.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { receipt, zReport } from '../../fixtures/receipts/documents.ts';
import { FakePrinter, FakeTransport } from '../devices/printer/fake-printer.ts';

function context(dir = tempDir()): Ctx {
  return openContext(dir, { clock: steppingClock(new Date('2026-11-27T03:00:00Z')), newId: sequentialIds() });
}

const enqueue = enqueueBacked;

/** A job whose stored document was damaged (a disk error, a hand edit): the raw text replaces it. */
function damaged(ctx: Ctx, text: string, kind: PrintJobKind = 'receipt'): number {
  const id = enqueue(ctx, receipt, kind);
  ctx.sqlite.prepare('UPDATE print_jobs SET document = ? WHERE id = ?').run(text, id);
  return id;
}

const { lines: _lines, ...receiptWithoutLines } = receipt;

/** Every way a stored document can be unreadable: each must be set aside, none may block the rest. */
function badJobs(ctx: Ctx): Record<string, [number, RegExp]> {
  const missingPayment = (() => {
    // payment 999 does not exist: only a database edited by hand (foreign keys off) can hold this
    ctx.sqlite.pragma('foreign_keys = OFF');
    const id = enqueuePrintJob(ctx.sqlite, { kind: 'receipt', paymentId: 999, copyNo: 0, document: receipt, at: ctx.clock() });
    ctx.sqlite.pragma('foreign_keys = ON');
    return id;
  })();
  return {
    'bad JSON': [damaged(ctx, '{"kind":"receipt","receiptNo":'), /không phải JSON/],
    'unknown kind': [damaged(ctx, JSON.stringify({ ...receipt, kind: 'coupon' })), /"kind"/],
    'no lines': [damaged(ctx, JSON.stringify(receiptWithoutLines)), /"lines"/],
    'money as text': [damaged(ctx, JSON.stringify({ ...receipt, total: '1332500' })), /"total"/],
    'a time that is no time': [damaged(ctx, JSON.stringify({ ...receipt, paidAt: 'hôm qua' })), /"paidAt"/],
    'another kind than the job': [damaged(ctx, JSON.stringify(zReport), 'void_slip'), /void_slip lại chứa z_report/],
    'missing payment': [missingPayment, /không có khoản thu số 999/],
    'JSON null': [damaged(ctx, 'null'), /\(gốc\)/],
  };
}

interface JobState {
  id: number;
  status: string;
  attempts: number;
  last_error: string | null;
  set_aside_at: string | null;
}
const job = (ctx: Ctx, id: number) => ctx.sqlite.prepare('SELECT id, status, attempts, last_error, set_aside_at FROM print_jobs WHERE id = ?').get(id) as JobState;

test('[#18] one unreadable print job does not block the outbox: each bad job is set aside with its error, the receipts behind it print', async () => {
  const ctx = context();
  const first = enqueue(ctx, receipt);
  const bad = badJobs(ctx);
  const slip = enqueue(ctx, receipt, 'reprint');
  const last = enqueue(ctx, zReport, 'z_report');
  const device = new FakePrinter();
  const printer: Printer = { transport: new FakeTransport(device), config: { width: 576, mode: 'tcvn3-epson' } };

  const result = await drainOutbox(ctx, printer);
  assert.deepEqual(result.printed, [first, slip, last], 'the good jobs print, in order');
  assert.deepEqual(result.replaced, []);
  const badIds = Object.values(bad).map(([id]) => id).sort((a, b) => a - b);
  assert.deepEqual(
    result.setAside.map((s) => [s.jobId, s.code]),
    badIds.map((id) => [id, 'PRINT_JOB_UNREADABLE']),
  );
  assert.equal(device.jobs.length, 3, 'nothing of a bad job reached the printer');
  assert.equal(decode(device.jobs[0]!).barcodes[0]!.value, receipt.receiptNo);
  for (const [what, [id, why]] of Object.entries(bad)) {
    const row = job(ctx, id);
    assert.equal(row.status, 'failed', what);
    assert.notEqual(row.set_aside_at, null, what);
    assert.match(row.last_error ?? '', /^PRINT_JOB_UNREADABLE: /, what);
    assert.match(row.last_error ?? '', why, what);
    assert.equal(row.attempts, 0, `${what}: never sent`);
  }
  const journal = ctx.sqlite.prepare("SELECT payload FROM journal WHERE kind = 'print_failed' ORDER BY id").all() as Array<{ payload: string }>;
  assert.deepEqual(
    journal.map((r) => (JSON.parse(r.payload) as { jobId: number; setAside: boolean }).jobId),
    badIds,
    'each set-aside is journaled',
  );
  assert.ok(journal.every((r) => (JSON.parse(r.payload) as { setAside?: boolean }).setAside === true));
  assert.equal(verifyJournal(ctx.sqlite).ok, true);

  // A later pass leaves them aside: they are never retried, never block, never print.
  const after = enqueue(ctx, receipt);
  const again = await drainOutbox(ctx, printer);
  assert.deepEqual(again, { printed: [after], replaced: [], setAside: [] });
  assert.equal(job(ctx, bad['bad JSON']![0]).attempts, 0);
  ctx.close();
});

test('[#18] diemthu print: a bad job is set aside and named, the rest print, and the exit code says so (2, not 0 or 1)', async () => {
  const dir = tempDir();
  const ctx = context(dir);
  initPoint(ctx, { pointCode: 'DT0001', unitCode: 'PC12AA', pointName: 'Điểm thu số 1' });
  const first = enqueue(ctx, zReport, 'z_report');
  const broken = damaged(ctx, '{"kind":"receipt",');
  const last = enqueue(ctx, receipt);
  ctx.close();

  const io = captureIo();
  assert.equal(await main(['print', '--json', '--data-dir', dir], io), 2, io.err());
  assert.match(io.err(), new RegExp(`^\\[PRINT_JOB_UNREADABLE\\] .*bản in số ${broken}`));
  const answer = JSON.parse(io.out()) as { ok: boolean; error: { code: string; details: { printed: number[]; setAside: Array<{ jobId: number }> } } };
  assert.equal(answer.ok, false);
  assert.equal(answer.error.code, 'PRINT_JOB_UNREADABLE');
  assert.deepEqual(answer.error.details.printed, [first, last]);
  assert.deepEqual(answer.error.details.setAside.map((s) => s.jobId), [broken]);
  assert.deepEqual(
    readdirSync(join(dir, 'receipts')).filter((f) => f.endsWith('.bin')).sort(),
    [`${first}-z_report.bin`, `${last}-receipt.bin`].sort(),
  );
  // Nothing left to do: the next run prints nothing and succeeds.
  const next = captureIo();
  assert.equal(await main(['print', '--json', '--data-dir', dir], next), 0, next.err());
  assert.deepEqual((JSON.parse(next.out()) as { value: { printed: number[] } }).value.printed, []);
  // Its preview is refused with the same code, not an internal error.
  const preview = captureIo();
  assert.equal(await main(['print', '--preview', String(broken), '--out', join(dir, 'p.png'), '--data-dir', dir], preview), 2, preview.err());
  assert.match(preview.err(), /^\[PRINT_JOB_UNREADABLE\]/);
});

test('[#18] the status bar counts jobs set aside until that document prints again', async () => {
  const w = ipcWorld();
  const call = async (channel: string, payload: unknown = {}) => {
    const answer = await w.call(channel, payload);
    assert.ok(answer.ok, JSON.stringify(answer));
    return answer.value as Record<string, unknown>;
  };
  await call('login', { code: 'TN01', pin: '123456' });
  const printer: Printer = { transport: new FakeTransport(new FakePrinter()), config: { width: 576, mode: 'ascii' } };
  await call('zReport', { scope: 'shift', print: true });
  w.ctx.sqlite.prepare("UPDATE print_jobs SET document = '{' WHERE kind = 'z_report'").run();
  assert.equal((await drainOutbox(w.ctx, printer)).setAside.length, 1);
  const status = await call('status');
  assert.equal(status.printJobsSetAside, 1);
  assert.equal(status.printJobsWaiting, 0);

  // The supervisor prints the report again: that document is on paper now, the warning goes.
  await call('zReport', { scope: 'shift', print: true });
  assert.equal((await drainOutbox(w.ctx, printer)).printed.length, 1);
  assert.equal((await call('status')).printJobsSetAside, 0);
  w.ctx.close();
});

test('[#18] an unreadable receipt document does not block the evening export either (names come from the customer row)', async () => {
  const w = ipcWorld();
  const customer = lookupCode(w.ctx, 'PC12AA0000001')!;
  const paid = collectPayment(w.ctx, { customer: customer.id, cashierId: w.cashier.id, idempotencyKey: 'key-unreadable-01' });
  w.ctx.sqlite.prepare("UPDATE print_jobs SET document = '{\"customer\": {' WHERE payment_id = ?").run(paid.paymentId);
  const result = exportClearing(w.ctx, { outDir: join(tempDir(), 'usb') });
  assert.equal(result.code, 'EXPORTED');
  const csv = readFileSync(result.code === 'EXPORTED' ? result.files.find((f) => f.endsWith('.csv') && !f.includes('LENH'))! : '', 'utf8');
  assert.match(csv, new RegExp(customer.tenKhang));
  w.ctx.close();
});
