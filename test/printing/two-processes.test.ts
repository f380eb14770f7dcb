import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { openContext, type Ctx } from '../../electron/store/context.ts';
import { steppingClock, sequentialIds } from '../../electron/core/clock.ts';
import { drainOutbox, type Printer } from '../../electron/printing/outbox.ts';
import { decode } from '../escpos/decoder.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { enqueueBacked } from '../helpers/backed-jobs.ts';
import { receipt } from '../../fixtures/receipts/documents.ts';
import { FakePrinter, FakeTransport } from '../devices/printer/fake-printer.ts';

/**
 * The app and `diemthu print` each open their own Ctx on the same data folder. Both get the same id
 * source here on purpose: telling the two apart must not depend on ids happening to differ.
 */
function twoProcesses(): [Ctx, Ctx] {
  const dir = tempDir();
  const open = () => openContext(dir, { clock: steppingClock(new Date('2026-11-27T03:00:00Z')), newId: sequentialIds() });
  return [open(), open()];
}

const enqueue = (ctx: Ctx) => enqueueBacked(ctx, receipt);
const printerOn = (device: FakePrinter): Printer => ({ transport: new FakeTransport(device), config: { width: 576, mode: 'tcvn3-epson' } });
const copyMarks = (device: FakePrinter) => device.jobs.map((bytes) => decode(bytes).lines.filter((l) => l.includes('BẢN SAO')).length);
const jobs = (ctx: Ctx) => ctx.sqlite.prepare('SELECT id, kind, status, copy_no FROM print_jobs ORDER BY id').all();
const journalKinds = (ctx: Ctx) => (ctx.sqlite.prepare('SELECT kind FROM journal ORDER BY id').all() as Array<{ kind: string }>).map((r) => r.kind);

test('two drains from two processes on one data folder print each job exactly once, as the original', async () => {
  const [app, cli] = twoProcesses();
  const ids = [enqueue(app), enqueue(app), enqueue(app)];
  const device = new FakePrinter(); // one printer, a connection from each process
  const results = await Promise.allSettled([drainOutbox(app, printerOn(device)), drainOutbox(cli, printerOn(device))]);

  const printed = results.flatMap((r) => (r.status === 'fulfilled' ? r.value.printed : []));
  assert.deepEqual(printed.sort(), ids);
  for (const r of results) if (r.status === 'rejected') assert.equal((r.reason as { code?: string }).code, 'PRINTER_BUSY');
  assert.deepEqual(copyMarks(device), [0, 0, 0]);
  assert.deepEqual(jobs(cli), ids.map((id) => ({ id, kind: 'receipt', status: 'done', copy_no: 0 })));
  assert.deepEqual(journalKinds(cli), ['print', 'print', 'print']);

  // the lease was given back: the other process drains at once (nothing left to print)
  const next = enqueue(cli);
  assert.deepEqual(await drainOutbox(cli, printerOn(device)), { printed: [next], replaced: [], setAside: [] });
  assert.deepEqual(await drainOutbox(app, printerOn(device)), { printed: [], replaced: [], setAside: [] });
  app.close();
  cli.close();
});

test('a job one process is still printing is not "recovered" by the other', async () => {
  const [app, cli] = twoProcesses();
  const id = enqueue(app);
  const device = new FakePrinter();
  let other: Promise<unknown> | undefined;
  device.onJob = () => {
    // the app's bytes are on their way; the CLI starts a pass right now
    other = drainOutbox(cli, printerOn(device)).catch((error: unknown) => error);
    device.onJob = () => {};
  };
  assert.deepEqual(await drainOutbox(app, printerOn(device)), { printed: [id], replaced: [], setAside: [] });
  assert.equal(((await other) as { code?: string }).code, 'PRINTER_BUSY');
  assert.deepEqual(copyMarks(device), [0]);
  assert.deepEqual(jobs(app), [{ id, kind: 'receipt', status: 'done', copy_no: 0 }]);
  assert.deepEqual(journalKinds(app), ['print']);
  app.close();
  cli.close();
});

test('a lease left by a process that is gone is taken over; its "sending" job prints only as a copy', async () => {
  const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
  const leftovers = [
    { owner: 'expired', host: hostname(), pid: process.pid, until: '2026-11-27T02:59:00.000Z' },
    { owner: 'dead', host: hostname(), pid: deadPid, until: '2026-11-27T04:00:00.000Z' },
  ];
  for (const lease of leftovers) {
    const [app] = twoProcesses();
    const id = enqueue(app);
    app.sqlite.prepare("UPDATE print_jobs SET status = 'sending', attempts = 1 WHERE id = ?").run(id);
    app.sqlite.prepare("INSERT INTO settings (key, value) VALUES ('printer_lease', ?)").run(JSON.stringify(lease));
    const device = new FakePrinter();
    const result = await drainOutbox(app, printerOn(device));
    assert.deepEqual(result.replaced.map(([job]) => job), [id], lease.owner);
    assert.deepEqual(copyMarks(device), [1], lease.owner);
    app.close();
  }
});

test('a live lease of another process on this machine is respected: nothing is sent', async () => {
  const [app] = twoProcesses();
  enqueue(app);
  const lease = { owner: 'parent', host: hostname(), pid: process.ppid, until: '2026-11-27T04:00:00.000Z' };
  app.sqlite.prepare("INSERT INTO settings (key, value) VALUES ('printer_lease', ?)").run(JSON.stringify(lease));
  const device = new FakePrinter();
  await assert.rejects(drainOutbox(app, printerOn(device)), { code: 'PRINTER_BUSY' });
  assert.equal(device.jobs.length, 0);
  assert.deepEqual(jobs(app).map((j) => (j as { status: string }).status), ['pending']);
  app.close();
});
