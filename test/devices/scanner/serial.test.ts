import assert from 'node:assert/strict';
import { once } from 'node:events';
import { afterEach, describe, it } from 'node:test';
import { SerialPortMock } from 'serialport';
import { steppingClock } from '../../../electron/core/clock.ts';
import { startSerialScanner, type SerialScanner, type SerialScannerStatus } from '../../../electron/devices/scanner/serial.ts';
import { createScanStream } from '../../../electron/devices/scanner/stream.ts';

const PATH = '/dev/ttyMOCK0';
const binding = SerialPortMock.binding;

/** A serial scanner on the mock binding, with every port it made and every status it reported. */
function setup(affixes: { prefix?: string; suffix?: string } = {}) {
  // Five seconds between scans: no repeat falls in the 2 s dedupe window.
  const stream = createScanStream({ clock: steppingClock(new Date('2026-11-27T01:00:00Z'), 5000) });
  const codes: string[] = [];
  stream.onScan((s) => codes.push(s.code));
  const ports: SerialPortMock[] = [];
  const statuses: SerialScannerStatus[] = [];
  const waiters: { state: string; resolve: () => void }[] = [];
  const scanner = startSerialScanner({
    path: PATH,
    stream,
    reopenMs: 5,
    ...affixes,
    createPort: (path, baudRate) => {
      const port = new SerialPortMock({ path, baudRate, autoOpen: false });
      ports.push(port);
      return port;
    },
    onStatus: (status) => {
      statuses.push(status);
      for (const w of waiters.filter((w) => w.state === status.state)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    },
  });
  const next = (state: SerialScannerStatus['state']) => new Promise<void>((resolve) => waiters.push({ state, resolve }));
  /** Data as the scanner sends it, then time for the stream to pass it through the parser. */
  const send = async (...chunks: string[]) => {
    const port = ports.at(-1);
    assert.ok(port?.port);
    for (const chunk of chunks) {
      port.port.emitData(chunk);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  return { scanner, codes, ports, statuses, next, send };
}

let scanner: SerialScanner | undefined;
afterEach(async () => {
  await scanner?.close();
  binding.reset();
});

describe('serial scanner', () => {
  it('reads CR, LF and CRLF terminated codes, including codes split across reads', async () => {
    binding.createPort(PATH, { echo: false, record: true });
    const s = setup();
    scanner = s.scanner;
    await s.next('open');
    assert.equal(s.scanner.isOpen(), true);
    await s.send('PC12AA0012345\r', 'pc12dd0000001\n', 'PC12EE0000002\r\n');
    await s.send('PC12AA00', '99999\r', '\nPC12DD0', '088888\r\nPC12EE0077777\r\n');
    assert.deepEqual(s.codes, ['PC12AA0012345', 'PC12DD0000001', 'PC12EE0000002', 'PC12AA0099999', 'PC12DD0088888', 'PC12EE0077777']);
  });

  it('[#11] strips the prefix and suffix the scanner is set to add, and reads a code sent without them as it is', async () => {
    binding.createPort(PATH, { echo: false, record: true });
    const s = setup({ prefix: ']C0', suffix: '#' });
    scanner = s.scanner;
    await s.next('open');
    await s.send(']C0PC12AA0012345#\r\n', ']C0pc12dd0000001#', '\r', 'PC12EE0000002\r\n', ']C0]C0PC12EE0000003##\r');
    // Only one prefix and one suffix are the scanner's: a doubled one is part of what was read (refused as garbage).
    assert.deepEqual(s.codes, ['PC12AA0012345', 'PC12DD0000001', 'PC12EE0000002']);
  });

  it('gives a garbage line to the stream as a rejection, and keeps reading', async () => {
    binding.createPort(PATH, { echo: false, record: true });
    const s = setup();
    scanner = s.scanner;
    await s.next('open');
    await s.send('\x02\xff\xfe\r\n', 'PC12AA0012345\r\n');
    assert.deepEqual(s.codes, ['PC12AA0012345']);
  });

  it('reopens by itself after an unplug, once the scanner is back', async () => {
    binding.createPort(PATH, { echo: false, record: true });
    const s = setup();
    scanner = s.scanner;
    await s.next('open');
    await s.send('PC12AA0012345\r');

    // Unplug: the pending read fails as the OS driver fails it, and the device is gone from the system.
    const waiting = s.next('waiting');
    const unplugged = s.ports[0];
    assert.ok(unplugged?.port);
    const closed = once(unplugged, 'close');
    (unplugged.port as unknown as { pendingRead: (error: Error) => void }).pendingRead(new Error('device not connected'));
    binding.reset();
    const [closeError] = (await closed) as [{ disconnected?: boolean } | null];
    assert.equal(closeError?.disconnected, true);
    await waiting;
    assert.equal(s.scanner.isOpen(), false);
    // Retries fail while it is unplugged.
    await s.next('waiting');

    binding.createPort(PATH, { echo: false, record: true });
    await s.next('open');
    assert.ok(s.ports.length >= 3);
    await s.send('PC12DD0000001\r');
    assert.deepEqual(s.codes, ['PC12AA0012345', 'PC12DD0000001']);
    assert.ok(s.statuses.some((st) => st.state === 'waiting' && /not connected/.test(st.error)));
  });

  it('waits for a scanner that is not plugged in at start', async () => {
    const s = setup();
    scanner = s.scanner;
    await s.next('waiting');
    binding.createPort(PATH, { echo: false, record: true });
    await s.next('open');
    await s.send('PC12AA0012345\n');
    assert.deepEqual(s.codes, ['PC12AA0012345']);
  });

  it('stops retrying when closed', async () => {
    const s = setup();
    await s.next('waiting');
    await s.scanner.close();
    const made = s.ports.length;
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(s.ports.length, made);
  });
});
