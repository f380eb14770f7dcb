import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { SerialPortMock } from 'serialport';
import { TcpTransport } from '../../../electron/devices/printer/transports/tcp.ts';
import { SerialTransport } from '../../../electron/devices/printer/transports/serial.ts';
import { openContext } from '../../../electron/store/context.ts';
import { steppingClock } from '../../../electron/core/clock.ts';
import { enqueueBacked } from '../../helpers/backed-jobs.ts';
import { drainOutbox } from '../../../electron/printing/outbox.ts';
import { decode } from '../../escpos/decoder.ts';
import { transportFor } from '../../../electron/printing/open-printer.ts';
import { tempDir } from '../../helpers/temp-dir.ts';
import { receipt } from '../../../fixtures/receipts/documents.ts';
import { FakePrinter } from './fake-printer.ts';

/** A network printer on 127.0.0.1: answers DLE EOT, records the rest. */
async function networkPrinter(device: FakePrinter): Promise<{ server: Server; port: number; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('data', (data) => {
      const reply = device.receive(data);
      if (reply.length > 0) socket.write(reply);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { server, port: address.port, sockets };
}

test('TCP 9100: status is read with DLE EOT and a job arrives byte for byte', async () => {
  const device = new FakePrinter();
  const { server, port } = await networkPrinter(device);
  const transport = new TcpTransport({ host: '127.0.0.1', port, timeoutMs: 500 });
  assert.deepEqual(await transport.readStatus(), { online: true, coverOpen: false, paperOut: false, paperNearEnd: false, error: false });
  device.state.paperOut = true;
  assert.equal((await transport.readStatus()).paperOut, true);
  const bytes = Uint8Array.of(0x1b, 0x40, 0x41, 0x0a);
  await transport.write(bytes);
  await transport.readStatus(); // a round trip: the job has reached the device
  assert.deepEqual(device.jobs.map((b) => [...b]), [[...bytes]]);
  await transport.close();
  server.close();
});

test('TCP: the printer drops the connection mid-job; the outbox keeps a marked copy and the transport reconnects by itself', async () => {
  const ctx = openContext(tempDir(), { clock: steppingClock(new Date('2026-11-27T03:00:00Z')) });
  enqueueBacked(ctx, receipt);
  const device = new FakePrinter();
  const { server, port, sockets } = await networkPrinter(device);
  const transport = new TcpTransport({ host: '127.0.0.1', port, timeoutMs: 300 });
  const printer = { transport, config: { width: 576 as const, mode: 'tcvn3-epson' as const } };
  const events: string[] = [];
  transport.on('connect', () => events.push('connect'));
  transport.on('disconnect', () => events.push('disconnect'));
  device.onJob = () => {
    for (const socket of sockets) socket.destroy(); // printer switched off mid-receipt
  };
  await assert.rejects(drainOutbox(ctx, printer), (error: { code: string }) => ['PRINTER_DISCONNECTED', 'PRINTER_NO_REPLY', 'PRINTER_UNREACHABLE'].includes(error.code));
  const rows = ctx.sqlite.prepare('SELECT status, copy_no FROM print_jobs ORDER BY id').all();
  assert.deepEqual(rows, [{ status: 'failed', copy_no: 0 }, { status: 'pending', copy_no: 1 }]);

  device.onJob = () => {};
  const { printed } = await drainOutbox(ctx, printer);
  assert.deepEqual(printed, [2]);
  assert.deepEqual(events, ['connect', 'disconnect', 'connect']);
  const last = decode(device.jobs.at(-1)!);
  assert.ok(last.lines.some((l) => l.trim() === 'BẢN SAO lần 1'));
  assert.equal(last.barcodes[0]!.value, receipt.receiptNo);
  await transport.close();
  server.close();
  ctx.close();
});

test('TCP: nobody listening is refused before anything is sent', async () => {
  const { server, port } = await networkPrinter(new FakePrinter());
  server.close();
  await once(server, 'close');
  const transport = new TcpTransport({ host: '127.0.0.1', port, timeoutMs: 300 });
  await assert.rejects(transport.write(Uint8Array.of(0x1b, 0x40)), { code: 'PRINTER_UNREACHABLE' });
});

/** A SerialPortMock whose far end is a FakePrinter. */
function serialPrinter(path: string, device: FakePrinter) {
  SerialPortMock.binding.createPort(path, { record: true });
  return (p: string, baudRate: number) => {
    const port = new SerialPortMock({ path: p, baudRate, autoOpen: false });
    port.on('open', () => {
      const binding = port.port!;
      const write = binding.write.bind(binding);
      binding.write = async (buffer: Buffer) => {
        await write(buffer);
        const reply = device.receive(buffer);
        if (reply.length > 0) setImmediate(() => binding.emitData(reply));
      };
    });
    return port;
  };
}

test('serial (mock binding): paper out is refused before sending; after the cable comes back the transport reopens by itself', async () => {
  SerialPortMock.binding.reset();
  const device = new FakePrinter();
  const transport = new SerialTransport({ path: '/dev/ttyPRN0', makePort: serialPrinter('/dev/ttyPRN0', device), timeoutMs: 300, backoffMs: [10] });
  const ctx = openContext(tempDir(), { clock: steppingClock(new Date('2026-11-27T03:00:00Z')) });
  enqueueBacked(ctx, receipt);
  const printer = { transport, config: { width: 384 as const, mode: 'raster' as const } };

  device.state.paperOut = true;
  await assert.rejects(drainOutbox(ctx, printer), { code: 'PRINTER_PAPER_OUT' });
  assert.equal(device.jobs.length, 0);

  // Unplug: the port closes under the transport, which reports it and reopens on its own.
  const reconnected = once(transport, 'connect');
  const disconnected = once(transport, 'disconnect');
  const port = (transport as unknown as { port: SerialPortMock }).port;
  port.close();
  await disconnected;
  await reconnected;

  device.state.paperOut = false;
  assert.deepEqual((await drainOutbox(ctx, printer)).printed, [1]);
  assert.equal(device.jobs.length, 1);
  const decoded = decode(device.jobs[0]!);
  assert.ok(decoded.rasters.length > 0);
  assert.equal(decoded.cuts, 1);
  await transport.close();
  ctx.close();
});

test('TCP with status: false (a printer that never answers DLE EOT): jobs go out without asking', async () => {
  const received: Buffer[] = [];
  const server = createServer((socket) => socket.on('data', (data) => received.push(data)));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  const ctx = openContext(tempDir(), { clock: steppingClock(new Date('2026-11-27T03:00:00Z')) });
  enqueueBacked(ctx, receipt);
  const transport = transportFor('tcp', `127.0.0.1:${port}`, ctx.dataDir, { statusQueries: false });
  assert.deepEqual((await drainOutbox(ctx, { transport, config: { width: 576, mode: 'raster' } })).printed, [1]);
  await transport.close();
  await new Promise((resolve) => server.close(resolve));
  assert.ok(!Buffer.concat(received).subarray(0, 3).equals(Buffer.of(0x10, 0x04, 0x01)), 'no status query first');
  assert.equal(decode(Buffer.concat(received)).cuts, 1);
  ctx.close();
});
