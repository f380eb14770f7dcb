import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { afterEach, describe, it } from 'node:test';
import { steppingClock } from '../../../electron/core/clock.ts';
import {
  HID_POS_LAYOUT,
  NEWLAND_LAYOUT,
  createHidPosAssembler,
  hidPosScanners,
  parseHidPosReport,
  startHidScanner,
  type HidDevice,
  type HidDeviceInfo,
  type HidScanner,
  type HidScannerStatus,
} from '../../../electron/devices/scanner/hid.ts';
import { createScanStream, type Scan } from '../../../electron/devices/scanner/stream.ts';

interface ReportFixture { name: string; description: string; layout: 'standard' | 'newland'; reports: string[]; expected: string[] }
const fixtures = JSON.parse(readFileSync(new URL('../../../fixtures/scanner/hid/reports.json', import.meta.url), 'utf8')) as ReportFixture[];
const fixture = (name: string): ReportFixture => {
  const found = fixtures.find((f) => f.name === name);
  assert.ok(found, name);
  return found;
};
const bytes = (hexReport: string): Buffer => Buffer.from(hexReport, 'hex');

/** Test double at the hardware edge, shaped like node-hid's HID: 'data'/'error' events and close(). */
class FakeHid extends EventEmitter implements HidDevice {
  closed = false;
  close(): void {
    this.closed = true;
  }
}

const SCANNER: HidDeviceInfo = { path: '\\\\?\\hid#vid_0c2e&pid_0b87&mi_00', vendorId: 0x0c2e, productId: 0x0b87, usagePage: 0x8c, usage: 0x02 };
const KEYBOARD_SCANNER: HidDeviceInfo = { path: '\\\\?\\hid#vid_05e0&pid_1200', vendorId: 0x05e0, productId: 0x1200, usagePage: 0x01, usage: 0x06 };

describe('HID POS report parsing', () => {
  for (const f of fixtures) {
    it(`${f.name}: ${f.description}`, () => {
      const assembler = createHidPosAssembler(f.layout === 'newland' ? NEWLAND_LAYOUT : HID_POS_LAYOUT);
      const codes = f.reports.map((r) => assembler.push(bytes(r))).filter((c) => c !== undefined);
      assert.deepEqual(codes, f.expected);
    });
  }

  it('reads the AIM symbology identifier and the continued bit', () => {
    const [first, last] = fixture('multi-report').reports.map((r) => parseHidPosReport(bytes(r)));
    assert.equal(first?.aim, ']Q1');
    assert.equal(first?.continued, true);
    assert.equal(first?.data.length, 56);
    assert.equal(last?.continued, false);
    assert.equal(last?.data.length, 9);
  });

  it('ignores reports that are too short or claim more data than they hold', () => {
    assert.equal(parseHidPosReport(Uint8Array.from([0x02, 0x05])), undefined);
    const overclaiming = Uint8Array.from([0x02, 200, 0x5d, 0x43, 0x30, ...Buffer.from('PC12')]);
    assert.equal(parseHidPosReport(overclaiming)?.data, 'PC12');
  });

  it('finds HID POS scanners only, not scanners in keyboard mode', () => {
    assert.deepEqual(hidPosScanners([KEYBOARD_SCANNER, SCANNER, { vendorId: 1, productId: 2, usagePage: 0x8c }]), [SCANNER]);
    const cradle = { ...SCANNER, path: 'cradle', usage: 0x05 };
    assert.deepEqual(hidPosScanners([cradle, SCANNER]), [SCANNER, cradle]);
  });
});

describe('HID scanner device', () => {
  let scanner: HidScanner | undefined;
  afterEach(() => scanner?.close());

  function setup(failOpen = false) {
    const stream = createScanStream({ clock: steppingClock(new Date('2026-11-27T01:00:00Z'), 5000) });
    const scans: Scan[] = [];
    stream.onScan((s) => scans.push(s));
    const devices: { list: HidDeviceInfo[]; opened: FakeHid[]; failOpen: boolean } = { list: [KEYBOARD_SCANNER, SCANNER], opened: [], failOpen };
    const statuses: HidScannerStatus[] = [];
    scanner = startHidScanner({
      stream,
      pollMs: 5,
      listDevices: () => devices.list,
      openDevice: (path) => {
        assert.equal(path, SCANNER.path);
        if (devices.failOpen) throw new Error('cannot open device with path');
        const device = new FakeHid();
        devices.opened.push(device);
        return device;
      },
      onStatus: (s) => statuses.push(s),
    });
    return { scanner, scans, devices, statuses };
  }

  const until = async (condition: () => boolean): Promise<void> => {
    for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
    assert.ok(condition(), 'condition not reached in time');
  };

  it('feeds scans to the stream as source hid', () => {
    const s = setup();
    assert.equal(s.scanner.isOpen(), true);
    for (const r of fixture('two-scans').reports) s.devices.opened[0]?.emit('data', bytes(r));
    s.devices.opened[0]?.emit('data', bytes(fixture('suffix-cr').reports[0] ?? ''));
    assert.deepEqual(s.scans.map((x) => `${x.source}:${x.code}`), ['hid:PC12AA0012345', 'hid:8934567890123', 'hid:PC12DD0000001']);
  });

  it('after an unplug drops the half-received code, waits, and reopens when the scanner is back', async () => {
    const s = setup();
    const first = s.devices.opened[0];
    first?.emit('data', bytes(fixture('multi-report').reports[0] ?? ''));
    s.devices.list = [KEYBOARD_SCANNER];
    first?.emit('error', new Error('could not read from HID device'));
    assert.equal(first?.closed, true);
    assert.equal(s.scanner.isOpen(), false);
    await until(() => s.statuses.filter((x) => x.state === 'waiting').length >= 3);
    assert.equal(s.devices.opened.length, 1);

    s.devices.list = [KEYBOARD_SCANNER, SCANNER];
    await until(() => s.scanner.isOpen());
    s.devices.opened[1]?.emit('data', bytes(fixture('code128-single').reports[0] ?? ''));
    assert.deepEqual(s.scans.map((x) => x.code), ['PC12AA0012345']);
    assert.ok(s.statuses.some((x) => x.state === 'waiting' && x.error === 'could not read from HID device'));
  });

  it('keeps retrying when the device cannot be opened (held by another program)', async () => {
    const retrying = setup(true);
    assert.equal(retrying.scanner.isOpen(), false);
    await until(() => retrying.statuses.filter((x) => x.state === 'waiting').length >= 2);
    retrying.devices.failOpen = false;
    await until(() => retrying.scanner.isOpen());
    assert.ok(retrying.statuses.some((x) => x.state === 'waiting' && /cannot open/.test(x.error)));
  });

  it('stops looking when closed', async () => {
    const s = setup();
    s.devices.list = [];
    s.devices.opened[0]?.emit('error', new Error('unplugged'));
    s.scanner.close();
    const seen = s.statuses.length;
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(s.statuses.length, seen);
  });
});
