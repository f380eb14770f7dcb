import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, readdirSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { SerialPortMock } from 'serialport';
import { openContext, type Ctx } from '../../electron/store/context.ts';
import { steppingClock, sequentialIds } from '../../electron/core/clock.ts';
import { drainOutbox, type Printer } from '../../electron/printing/outbox.ts';
import type { Transport, TransportEvents } from '../../electron/devices/printer/printer.ts';
import type { EscposStatus } from '../../electron/devices/printer/status.ts';
import { TcpTransport } from '../../electron/devices/printer/transports/tcp.ts';
import { SerialTransport } from '../../electron/devices/printer/transports/serial.ts';
import { SpoolerTransport } from '../../electron/devices/printer/transports/spooler.ts';
import { FileTransport } from '../../electron/devices/printer/transports/file.ts';
import { initPoint } from '../../electron/store/point.ts';
import { setSettings } from '../../electron/store/settings.ts';
import { addUser } from '../../electron/users/users.ts';
import { startRuntime } from '../../electron/app/runtime.ts';
import { dispatch } from '../../electron/ipc/register.ts';
import { APP_ENTRY_URL } from '../../electron/app/security.ts';
import type { ReceiptDocument } from '../../electron/core/documents.ts';
import { decode } from '../escpos/decoder.ts';
import { seedSnapshot } from '../helpers/seed.ts';
import { enqueueBacked } from '../helpers/backed-jobs.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { receipt } from '../../fixtures/receipts/documents.ts';

function context(): Ctx {
  return openContext(tempDir(), { clock: steppingClock(new Date('2026-11-27T03:00:00Z')), newId: sequentialIds() });
}

/** A long receipt: ~800 KB of raster at 80 mm. Twenty of them are more than every socket buffer on the way. */
const longReceipt: ReceiptDocument = {
  ...receipt,
  lines: Array.from({ length: 60 }, (_, i) => ({ ...receipt.lines[0]!, idHdon: String(90_000_000 + i) })),
};
const LONG_JOBS = 20;

/** Fails instead of hanging: today's bug is a promise that never settles. */
async function within<T>(ms: number, work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const stuck = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: still waiting after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, stuck]);
  } finally {
    clearTimeout(timer);
  }
}

const tick = () => new Promise((r) => setTimeout(r, 10));
async function until(done: () => boolean, what: string, ms = 20_000): Promise<void> {
  for (const start = Date.now(); !done(); await tick()) if (Date.now() - start > ms) assert.fail(`${what}: not within ${ms} ms`);
}

/**
 * A network printer on 127.0.0.1 that accepts connections but, while `reading` is off, reads nothing:
 * its receive buffer and our send buffer fill and a write can no longer finish (a jammed or hung printer).
 */
async function jammedPrinter() {
  const state = { reading: false, connections: 0, closed: [] as boolean[], received: [] as Buffer[][] };
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    const n = state.connections++;
    const data: Buffer[] = [];
    state.received.push(data);
    state.closed.push(false);
    sockets.add(socket);
    if (!state.reading) socket.pause();
    socket.on('data', (chunk) => data.push(chunk));
    socket.on('error', () => {});
    socket.on('close', () => {
      state.closed[n] = true;
      sockets.delete(socket);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    port,
    state,
    /** The printer reads again (paper cleared). */
    resume() {
      state.reading = true;
      for (const socket of sockets) socket.resume();
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

const jobRows = (ctx: Ctx) =>
  ctx.sqlite.prepare('SELECT id, kind, status, copy_no, last_error FROM print_jobs ORDER BY id').all() as Array<{
    id: number;
    kind: string;
    status: string;
    copy_no: number;
    last_error: string | null;
  }>;

test('[#17] a network printer that stops reading stalls nothing: the write times out, that job is in doubt (failed + BẢN SAO copy), the pass ends, the rest print when it reads again', async (t) => {
  const ctx = context();
  t.after(() => ctx.close());
  const ids = Array.from({ length: LONG_JOBS }, () => enqueueBacked(ctx, longReceipt));
  const peer = await jammedPrinter();
  t.after(() => peer.close());
  // One-way (status: false), as many network printers are set up: nothing but the write itself can notice.
  const transport = new TcpTransport({ host: '127.0.0.1', port: peer.port, statusQueries: false, writeTimeoutMs: 400 });
  t.after(() => transport.close());
  const printer: Printer = { transport, config: { width: 576, mode: 'raster' } };
  const events: string[] = [];
  transport.on('connect', () => events.push('connect'));
  transport.on('disconnect', () => events.push('disconnect'));

  const started = Date.now();
  await assert.rejects(within(20_000, drainOutbox(ctx, printer), 'the outbox pass'), { code: 'PRINTER_TIMEOUT' });
  assert.ok(Date.now() - started < 15_000, 'bounded by the write timeout, not by the printer');

  const rows = jobRows(ctx);
  const failed = rows.filter((r) => r.status === 'failed');
  assert.equal(failed.length, 1, 'exactly the job whose write timed out is in doubt');
  assert.match(failed[0]!.last_error ?? '', /^PRINTER_TIMEOUT: /);
  const copy = rows.filter((r) => r.copy_no > 0);
  assert.deepEqual(copy.map((r) => [r.kind, r.status, r.copy_no]), [['reprint', 'pending', 1]], 'its marked copy is queued');
  assert.equal(rows.filter((r) => r.status === 'sending').length, 0);
  assert.equal(rows.length, LONG_JOBS + 1, 'no job lost');
  await until(() => events.length === 2, 'the stalled connection is torn down');
  assert.deepEqual(events, ['connect', 'disconnect']);

  // The printer reads again: the next pass reconnects and everything left prints, the in-doubt job only as its copy.
  peer.resume();
  const waiting = rows.filter((r) => r.status === 'pending').map((r) => r.id);
  const second = await within(60_000, drainOutbox(ctx, printer), 'the pass after the printer came back');
  assert.deepEqual(second.printed, waiting);
  assert.equal(peer.state.connections, 2, 'a new connection after the torn-down one');
  await transport.close();
  await until(() => peer.state.closed[1] === true, 'the second connection ends');
  assert.equal(decode(Buffer.concat(peer.state.received[1]!)).cuts, waiting.length, 'every waiting job reached the printer whole');
  assert.deepEqual(
    jobRows(ctx).filter((r) => r.status !== 'done').map((r) => r.id),
    [failed[0]!.id],
  );
  assert.ok(ids.includes(failed[0]!.id));
});

test('[#17] every transport bounds its own write and tears the link down: TCP, serial, Windows spooler, file', async (t) => {
  // TCP with status queries: a single write larger than the socket buffers to a printer that reads nothing.
  const peer = await jammedPrinter();
  t.after(() => peer.close());
  const tcp = new TcpTransport({ host: '127.0.0.1', port: peer.port, writeTimeoutMs: 300 });
  const disconnected = once(tcp, 'disconnect');
  await assert.rejects(within(10_000, tcp.write(new Uint8Array(16 * 1024 * 1024)), 'TCP write'), { code: 'PRINTER_TIMEOUT' });
  await disconnected;
  await within(5_000, tcp.close(), 'TCP close');

  // Serial: the port accepts the bytes and never drains (flow control held by a jammed printer).
  SerialPortMock.binding.reset();
  SerialPortMock.binding.createPort('/dev/ttyJAM0', { record: true });
  let hang = true;
  const opened: SerialPortMock[] = [];
  const serial = new SerialTransport({
    path: '/dev/ttyJAM0',
    statusQueries: false,
    writeTimeoutMs: 300,
    backoffMs: [10],
    makePort: (path, baudRate) => {
      const port = new SerialPortMock({ path, baudRate, autoOpen: false });
      port.on('open', () => {
        const binding = port.port!;
        const write = binding.write.bind(binding);
        binding.write = (buffer: Buffer) => (hang ? new Promise<void>(() => {}) : write(buffer));
      });
      opened.push(port);
      return port;
    },
  });
  const serialLost = once(serial, 'disconnect');
  await assert.rejects(within(10_000, serial.write(Uint8Array.of(0x1b, 0x40, 0x41)), 'serial write'), { code: 'PRINTER_TIMEOUT' });
  await serialLost;
  hang = false;
  await within(10_000, serial.write(Uint8Array.of(0x1b, 0x40, 0x42)), 'serial write after the port was reopened');
  assert.ok(opened.length >= 2, 'the stuck port was given up and a new one opened');
  await within(5_000, serial.close(), 'serial close');

  // Windows spooler: the PowerShell child never exits (a queue stuck on a driver dialog); it is killed.
  const killed: string[] = [];
  const spooler = new SpoolerTransport('XP-80C', () => {
    const child = new EventEmitter() as EventEmitter & { stderr: null; kill(signal?: string): boolean };
    child.stderr = null;
    child.kill = (signal = 'SIGTERM') => {
      killed.push(signal);
      setImmediate(() => child.emit('exit', null));
      return true;
    };
    return child;
  }, 300);
  await assert.rejects(within(10_000, spooler.write(Uint8Array.of(0x1b, 0x40)), 'spooler write'), { code: 'PRINTER_TIMEOUT' });
  assert.deepEqual(killed, ['SIGKILL']);

  // File: the folder is a share that stopped answering (a FIFO nobody reads blocks the open forever).
  const dir = tempDir();
  execFileSync('mkfifo', [join(dir, '.7-receipt.bin.tmp')]);
  const file = new FileTransport(dir, 300);
  await assert.rejects(within(10_000, file.write(Uint8Array.of(0x1b, 0x40), { id: 7, kind: 'receipt' }), 'file write'), { code: 'PRINTER_TIMEOUT' });
  // The share answers at last: the late write must not put a job the outbox gave up on in place.
  const drained = createReadStream(join(dir, '.7-receipt.bin.tmp'));
  drained.resume();
  await once(drained, 'close');
  await until(() => !existsSync(join(dir, '.7-receipt.bin.tmp')), 'the abandoned temporary is removed');
  assert.deepEqual(readdirSync(dir), [], 'no 7-receipt.bin appeared after the outbox gave up on it');
});

/** A transport that ignores every bound of its own: only the outbox can end the step. */
class HungTransport extends EventEmitter<TransportEvents> implements Transport {
  readonly name = 'hung';
  hangStatus = false;
  write(): Promise<void> {
    return new Promise(() => {});
  }
  readStatus(): Promise<EscposStatus> {
    if (this.hangStatus) return new Promise(() => {});
    return Promise.resolve({ online: true, coverOpen: false, paperOut: false, paperNearEnd: false, error: false });
  }
  async close(): Promise<void> {}
}

test('[#17] the outbox bounds every device step itself, so no transport can stall a pass', async (t) => {
  const ctx = context();
  t.after(() => ctx.close());
  const id = enqueueBacked(ctx, receipt);
  const transport = new HungTransport();
  const printer: Printer = { transport, config: { width: 576, mode: 'raster' }, stepTimeoutMs: 300 };

  await assert.rejects(within(10_000, drainOutbox(ctx, printer), 'a pass on a hung write'), { code: 'PRINTER_TIMEOUT' });
  assert.deepEqual(jobRows(ctx).map((r) => [r.id, r.status, r.copy_no]), [[id, 'failed', 0], [id + 1, 'pending', 1]]);

  // A status read that never answers before the job: nothing left, so the job waits as it is.
  transport.hangStatus = true;
  await assert.rejects(within(10_000, drainOutbox(ctx, printer), 'a pass on a hung status read'), { code: 'PRINTER_TIMEOUT' });
  assert.deepEqual(jobRows(ctx).map((r) => [r.id, r.status]), [[id, 'failed'], [id + 1, 'pending']]);
});

test('[#17] the cashier sees the printer error, and receipts taken meanwhile print once the printer reads again, without a restart', async (t) => {
  const ctx = openContext(tempDir(), { clock: steppingClock(new Date('2026-11-27T02:00:00Z')), newId: sequentialIds('k') });
  initPoint(ctx, { pointCode: 'DT01', unitCode: 'PC12AA', pointName: 'Điểm thu Chợ Mới' });
  const head = addUser(ctx, { code: 'GS00', name: 'Trưởng điểm', role: 'supervisor', pin: '481500', approvedBy: [] }, { N: 2 ** 10, r: 8, p: 1 });
  addUser(ctx, { code: 'TN09', name: 'Thu Ngân', role: 'cashier', pin: '481516', approvedBy: [head.id] }, { N: 2 ** 10, r: 8, p: 1 });
  for (let i = 0; i < LONG_JOBS; i++) enqueueBacked(ctx, longReceipt);
  // the snapshot after the sample receipts' own: the customer's bill is outstanding
  const { ids } = seedSnapshot(ctx, [
    { maKhang: 'PC12AA0012399', tenKhang: 'Nguyễn Văn An', dchiKhang: '12 Lê Lợi', bills: [{ idHdon: 'HD1', thang: 10, nam: 2026, soTien: 200_000, tienGtgt: 16_000 }] },
  ]);
  const peer = await jammedPrinter();
  t.after(() => peer.close());
  setSettings(ctx.sqlite, { printer: { transport: 'tcp', port: `127.0.0.1:${peer.port}`, width: 576, mode: 'raster', status: false, writeTimeoutMs: 400 } }, null, ctx.clock());

  const sent: Array<[string, { state?: string; message?: string | null }]> = [];
  const runtime = startRuntime(ctx, {
    dialogs: { chooseSnapshotFile: async () => null, chooseResultFile: async () => null, chooseFolder: async () => null, chooseBackupFile: async () => null },
    send: (channel, payload) => sent.push([channel, payload as { state?: string }]),
    log: () => {},
  });
  t.after(async () => {
    await runtime.stop();
    ctx.close();
  });
  const call = async (channel: string, payload: unknown = {}) => {
    const answer = await dispatch(runtime.handlers, channel, payload, { url: APP_ENTRY_URL, isMainFrame: true }, { trustedOrigins: [APP_ENTRY_URL], validateResponses: true });
    assert.ok(answer.ok, JSON.stringify(answer));
    return answer.value as Record<string, unknown>;
  };

  const isError = ([c, p]: [string, { state?: string }]) => c === 'event:printerStatus' && p.state === 'error';
  await until(() => sent.some(isError), 'the printer error reaches the window', 30_000);
  const shown = sent.find(isError)![1];
  assert.match(shown.message ?? '', /\(PRINTER_TIMEOUT\)$/);
  await call('login', { code: 'TN09', pin: '481516' });
  await call('openShift', { openingFloat: 0 });
  const status = (await call('status')) as { printer: { state: string; message: string }; printJobsWaiting: number };
  assert.equal(status.printer.state, 'error');
  assert.match(status.printer.message, /PRINTER_TIMEOUT/);
  assert.ok(status.printJobsWaiting > 0);

  // A payment taken while the printer is jammed: committed at once, its receipt waits.
  const paid = (await call('collect', { customerId: ids.get('PC12AA0012399'), idempotencyKey: 'attempt-jam-01' })) as { paymentId: number };
  peer.resume();
  await call('printerTestPage'); // any kick; the loop would also come back by itself at its interval
  await until(
    () => (ctx.sqlite.prepare("SELECT status FROM print_jobs WHERE payment_id = ? AND kind = 'receipt'").get(paid.paymentId) as { status: string }).status === 'done',
    'the receipt taken during the jam prints without a restart',
    60_000,
  );
  const jammedAt = sent.findIndex(isError);
  await until(() => sent.slice(jammedAt).some(([c, p]) => c === 'event:printerStatus' && p.state === 'ready'), 'the status bar shows the printer ready again', 30_000);
});
