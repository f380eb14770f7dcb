/**
 * HID POS barcode scanner (USB HID usage page 0x8C, "Bar Code Scanner") in the main process, through node-hid.
 *
 * Many scanners ship as a HID *keyboard* (usage page 0x01, usage 0x06) instead: the OS owns keyboards (Windows
 * will not let node-hid open them), so those are read by the renderer's keyboard-wedge detector (src/scan/wedge.ts),
 * not here. Switching the scanner to HID POS (a configuration barcode in its manual) avoids the keyboard layout and
 * Telex problems altogether. On Linux hidapi only reports usage pages with the hidraw driver.
 *
 * Scanned data report (input report id 0x02, 64 bytes with the id, as Honeywell and Datalogic send it):
 *   [0] report id 0x02 · [1] number of data bytes in this report (1-56) · [2..4] AIM symbology identifier
 *   (e.g. `]C0` = Code 128) · [5..60] decoded data, zero padded · [61..62] vendor bytes · [63] bit 0: decode
 *   data continued (the code goes on in the next report).
 * Codes longer than 56 bytes come as several reports; all but the last have the continued bit set.
 * node-hid hands each report over with its report id first (hidapi does so for devices with numbered reports).
 */
import { HID, devices as hidDevices } from 'node-hid';
import type { ScanStream } from './stream.ts';

export const HID_POS_USAGE_PAGE = 0x8c;

/** Where the fields sit in a scanned data report (byte offsets, report id at 0). */
export interface HidPosLayout {
  reportId: number;
  lengthAt: number;
  /** The 3-byte AIM symbology identifier, when the scanner sends one. */
  aimAt: number | null;
  dataAt: number;
  dataCapacity: number;
  /** Byte whose bit 0 says "decode data continued", when the scanner splits long codes. */
  continuedAt: number | null;
}

/** Honeywell and Datalogic, after the HID POS usage tables' example descriptor (with a length byte). */
export const HID_POS_LAYOUT: HidPosLayout = { reportId: 0x02, lengthAt: 1, aimAt: 2, dataAt: 5, dataCapacity: 56, continuedAt: 63 };
/** Newland: no AIM identifier, data right after the length, its own symbology id at byte 62. */
export const NEWLAND_LAYOUT: HidPosLayout = { reportId: 0x02, lengthAt: 1, aimAt: null, dataAt: 2, dataCapacity: 56, continuedAt: null };

/** A scan longer than this is noise (a dozen continued reports), not a card. */
const MAX_CODE_BYTES = 1024;

export interface HidPosPart {
  aim: string;
  data: string;
  continued: boolean;
}

/** One scanned data report -> its part of the code, or undefined for other reports and empty ones. */
export function parseHidPosReport(report: Uint8Array, layout: HidPosLayout = HID_POS_LAYOUT): HidPosPart | undefined {
  if (report.length <= layout.dataAt || report[0] !== layout.reportId) return undefined;
  const length = Math.min(report[layout.lengthAt] ?? 0, layout.dataCapacity, report.length - layout.dataAt);
  if (length <= 0) return undefined;
  const text = (from: number, to: number): string => String.fromCharCode(...report.subarray(from, to));
  const { aimAt, continuedAt } = layout;
  return {
    aim: aimAt === null ? '' : text(aimAt, aimAt + 3).replace(/\0/g, ''),
    data: text(layout.dataAt, layout.dataAt + length),
    continued: continuedAt !== null && report.length > continuedAt && ((report[continuedAt] ?? 0) & 1) === 1,
  };
}

/** Joins the reports of one scan. `push` returns the whole code once its last report has arrived. */
export function createHidPosAssembler(layout: HidPosLayout = HID_POS_LAYOUT): { push(report: Uint8Array): string | undefined; reset(): void } {
  let pending = '';
  return {
    push(report) {
      const part = parseHidPosReport(report, layout);
      if (part === undefined) return undefined;
      pending += part.data;
      if (pending.length > MAX_CODE_BYTES) pending = '';
      if (part.continued) return undefined;
      const code = pending;
      pending = '';
      return code;
    },
    reset() {
      pending = '';
    },
  };
}

/** What this module uses of a node-hid device: the shape of node-hid's `HID` class. */
export interface HidDevice {
  on(event: 'data', listener: (data: Buffer) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  close(): void;
}

export interface HidDeviceInfo {
  path?: string | undefined;
  vendorId: number;
  productId: number;
  product?: string | undefined;
  usagePage?: number | undefined;
  usage?: number | undefined;
}

export type HidScannerStatus =
  | { state: 'open'; device: HidDeviceInfo }
  | { state: 'waiting'; error: string };

export interface HidScannerOptions {
  stream: ScanStream;
  /** Lists HID devices; defaults to node-hid's. */
  listDevices?: () => HidDeviceInfo[];
  /** Opens a device by path; defaults to `new HID(path)`. */
  openDevice?: (path: string) => HidDevice;
  /** How often to look for a scanner while none is open. */
  pollMs?: number;
  /** Report layout; Newland scanners need NEWLAND_LAYOUT. */
  layout?: HidPosLayout;
  onStatus?: (status: HidScannerStatus) => void;
}

export interface HidScanner {
  isOpen(): boolean;
  close(): void;
}

const BAR_CODE_SCANNER_USAGE = 0x02;

/**
 * HID POS scanners among the devices: usage page 0x8C (keyboard-mode scanners are not among them), the
 * "Bar Code Scanner" collection first when a device also lists its other collections (badge reader, cradle).
 */
export function hidPosScanners(devices: HidDeviceInfo[]): HidDeviceInfo[] {
  const onPage = devices.filter((d) => d.usagePage === HID_POS_USAGE_PAGE && d.path !== undefined);
  return [...onPage.filter((d) => d.usage === BAR_CODE_SCANNER_USAGE), ...onPage.filter((d) => d.usage !== BAR_CODE_SCANNER_USAGE)];
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Opens the first HID POS scanner, feeds its scans to the stream, and looks again after an unplug. */
export function startHidScanner(options: HidScannerOptions): HidScanner {
  const listDevices = options.listDevices ?? (() => hidDevices());
  const openDevice = options.openDevice ?? ((path: string) => new HID(path));
  const pollMs = options.pollMs ?? 2000;
  const assembler = createHidPosAssembler(options.layout);
  let device: HidDevice | undefined;
  let stopped = false;
  let poll: ReturnType<typeof setTimeout> | undefined;

  function waitAndRetry(error: string): void {
    if (stopped) return;
    options.onStatus?.({ state: 'waiting', error });
    clearTimeout(poll);
    poll = setTimeout(connect, pollMs);
  }

  function drop(open: HidDevice): void {
    device = undefined;
    assembler.reset();
    try {
      open.close();
    } catch {
      // Already gone with the unplug; nothing left to release.
    }
  }

  function connect(): void {
    poll = undefined;
    if (stopped) return;
    try {
      const info = hidPosScanners(listDevices())[0];
      if (info?.path === undefined) {
        waitAndRetry('Không thấy máy quét HID POS nào.');
        return;
      }
      const open = openDevice(info.path);
      device = open;
      open.on('data', (report) => {
        const code = assembler.push(report);
        if (code !== undefined) options.stream.submit(code, 'hid');
      });
      // node-hid reports an unplug as a read error.
      open.on('error', (error) => {
        if (device !== open) return;
        drop(open);
        waitAndRetry(message(error));
      });
      options.onStatus?.({ state: 'open', device: info });
    } catch (error) {
      waitAndRetry(message(error));
    }
  }

  connect();

  return {
    isOpen: () => device !== undefined,
    close: () => {
      stopped = true;
      clearTimeout(poll);
      if (device !== undefined) drop(device);
    },
  };
}
