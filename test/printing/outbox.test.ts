import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { openContext, type Ctx } from '../../electron/store/context.ts';
import { steppingClock, sequentialIds } from '../../electron/core/clock.ts';
import type { PrintJobKind } from '../../electron/printing/print-jobs.ts';
import { verifyJournal } from '../../electron/store/journal.ts';
import { drainOutbox, type Printer } from '../../electron/printing/outbox.ts';
import { encodeDocument } from '../../electron/devices/printer/encode-escpos.ts';
import { FileTransport, receiptsDir } from '../../electron/devices/printer/transports/file.ts';
import type { Transport } from '../../electron/devices/printer/printer.ts';
import type { PrintDocument } from '../../electron/core/documents.ts';
import { decode } from '../escpos/decoder.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { enqueueBacked } from '../helpers/backed-jobs.ts';
import { receipt, zReport } from '../../fixtures/receipts/documents.ts';
import { FakePrinter, FakeTransport } from '../devices/printer/fake-printer.ts';

function context(): Ctx {
  const ctx = openContext(tempDir(), { clock: steppingClock(new Date('2026-11-27T03:00:00Z')), newId: sequentialIds() });
  return ctx;
}

function enqueue(ctx: Ctx, document: PrintDocument, kind: PrintJobKind = 'receipt'): number {
  return enqueueBacked(ctx, document, kind);
}

interface JobState {
  id: number;
  kind: string;
  status: string;
  copy_no: number;
  attempts: number;
  last_error: string | null;
}
const jobs = (ctx: Ctx) => ctx.sqlite.prepare('SELECT id, kind, status, copy_no, attempts, last_error FROM print_jobs ORDER BY id').all() as JobState[];
const journalKinds = (ctx: Ctx) => (ctx.sqlite.prepare('SELECT kind FROM journal ORDER BY id').all() as Array<{ kind: string }>).map((r) => r.kind);

const copyMarks = (bytes: Buffer) => decode(bytes).lines.filter((l) => l.includes('BẢN SAO')).map((l) => l.trim());
const textPrinter = (transport: Transport): Printer => ({ transport, config: { width: 576, mode: 'tcvn3-epson' } });

test('the file printer writes each job as .bin plus a PNG preview, and journals the print', async () => {
  const ctx = context();
  const first = enqueue(ctx, receipt);
  const second = enqueue(ctx, zReport, 'z_report');
  const transport = new FileTransport(receiptsDir(ctx.dataDir));
  const result = await drainOutbox(ctx, { transport, config: { width: 384, mode: 'raster' } });
  assert.deepEqual(result, { printed: [first, second], replaced: [], setAside: [] });
  assert.deepEqual(readdirSync(receiptsDir(ctx.dataDir)).sort(), [`${first}-receipt.bin`, `${first}-receipt.png`, `${second}-z_report.bin`, `${second}-z_report.png`]);
  const stored = readFileSync(`${receiptsDir(ctx.dataDir)}/${first}-receipt.bin`);
  assert.ok(stored.equals(encodeDocument(receipt, 0, { width: 384, mode: 'raster' })), 'the exact bytes of the job');
  const decoded = decode(stored);
  assert.equal(decoded.barcodes.length + decoded.commands.filter((c) => c.type === 'qrcode').length, 1);
  assert.equal(decoded.cuts, 1);
  assert.deepEqual(jobs(ctx).map((j) => j.status), ['done', 'done']);
  assert.deepEqual(journalKinds(ctx), ['z_report', 'print', 'print']);
  assert.equal(verifyJournal(ctx.sqlite).ok, true);
  assert.deepEqual(await drainOutbox(ctx, { transport, config: { width: 384, mode: 'raster' } }), { printed: [], replaced: [], setAside: [] });
  ctx.close();
});

test('paper out before sending: nothing is sent, the job waits and later prints as the original', async () => {
  const ctx = context();
  const id = enqueue(ctx, receipt);
  const device = new FakePrinter();
  device.state.paperOut = true;
  const printer = textPrinter(new FakeTransport(device));
  await assert.rejects(drainOutbox(ctx, printer), { code: 'PRINTER_PAPER_OUT' });
  assert.equal(device.jobs.length, 0);
  assert.deepEqual(jobs(ctx), [{ id, kind: 'receipt', status: 'pending', copy_no: 0, attempts: 1, last_error: 'PRINTER_PAPER_OUT: Máy in hết giấy. Hãy thay cuộn giấy rồi in lại.' }]);
  assert.deepEqual(journalKinds(ctx), ['print_failed']);

  device.state.paperOut = false;
  assert.deepEqual((await drainOutbox(ctx, printer)).printed, [id]);
  assert.equal(device.jobs.length, 1);
  assert.deepEqual(copyMarks(device.jobs[0]!), []);
  assert.deepEqual(journalKinds(ctx), ['print_failed', 'print']);
  ctx.close();
});

test('unplugged mid-job: the job is never resent as an original; a copy marked BẢN SAO lần 1 prints instead', async () => {
  const ctx = context();
  const id = enqueue(ctx, receipt);
  const device = new FakePrinter();
  const transport = new FakeTransport(device);
  device.onJob = () => {
    transport.unplugged = true; // the bytes went out, then the cable came off before confirmation
  };
  const printer = textPrinter(transport);
  await assert.rejects(drainOutbox(ctx, printer), { code: 'PRINTER_ERROR' });
  const [original, copy] = jobs(ctx);
  assert.equal(original!.status, 'failed');
  assert.deepEqual([copy!.kind, copy!.status, copy!.copy_no], ['reprint', 'pending', 1]);

  transport.unplugged = false;
  device.onJob = () => {};
  assert.deepEqual((await drainOutbox(ctx, printer)).printed, [copy!.id]);
  assert.equal(device.jobs.length, 2);
  assert.deepEqual(copyMarks(device.jobs[0]!), []);
  assert.deepEqual(copyMarks(device.jobs[1]!), ['BẢN SAO lần 1']);
  assert.equal(jobs(ctx).find((j) => j.id === id)!.status, 'failed');
  assert.deepEqual(journalKinds(ctx), ['print_failed', 'print']);
  ctx.close();
});

test('offline right after the job (no confirmation): in doubt, so a marked copy is queued', async () => {
  const ctx = context();
  enqueue(ctx, receipt);
  const device = new FakePrinter();
  device.onJob = () => {
    device.state.offline = true;
  };
  await assert.rejects(drainOutbox(ctx, textPrinter(new FakeTransport(device))), { code: 'PRINTER_OFFLINE' });
  assert.deepEqual(jobs(ctx).map((j) => [j.status, j.copy_no]), [['failed', 0], ['pending', 1]]);
  ctx.close();
});

test('a job found "sending" when a pass starts (crash mid-job) prints only as a copy', async () => {
  const ctx = context();
  const id = enqueue(ctx, zReport, 'z_report');
  ctx.sqlite.prepare("UPDATE print_jobs SET status = 'sending', attempts = 1 WHERE id = ?").run(id);
  const device = new FakePrinter();
  const result = await drainOutbox(ctx, textPrinter(new FakeTransport(device)));
  assert.equal(result.replaced.length, 1);
  assert.deepEqual(result.printed, [result.replaced[0]![1]]);
  assert.equal(device.jobs.length, 1);
  assert.deepEqual(copyMarks(device.jobs[0]!), ['BẢN SAO lần 1']);
  assert.deepEqual(jobs(ctx).map((j) => [j.kind, j.status, j.copy_no]), [['z_report', 'failed', 0], ['z_report', 'done', 1]]);
  assert.equal(verifyJournal(ctx.sqlite).ok, true);
  ctx.close();
});

test('jobs print in id order and stop at the first refusal', async () => {
  const ctx = context();
  const ids = [enqueue(ctx, receipt), enqueue(ctx, zReport, 'z_report'), enqueue(ctx, receipt)];
  const device = new FakePrinter();
  let sent = 0;
  device.onJob = () => {
    if (++sent === 1) device.state.coverOpen = true;
  };
  await assert.rejects(drainOutbox(ctx, textPrinter(new FakeTransport(device))), { code: 'PRINTER_COVER_OPEN' });
  assert.equal(device.jobs.length, 1);
  assert.deepEqual(jobs(ctx).map((j) => j.status), ['failed', 'pending', 'pending', 'pending']);
  device.state.coverOpen = false;
  const { printed } = await drainOutbox(ctx, textPrinter(new FakeTransport(device)));
  assert.deepEqual(printed, [ids[1], ids[2], 4]);
  assert.deepEqual(copyMarks(device.jobs[3]!), ['BẢN SAO lần 1']);
  ctx.close();
});
