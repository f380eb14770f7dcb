import { EventEmitter } from 'node:events';
import { StatusReader, type EscposStatus } from '../../../electron/devices/printer/status.ts';
import type { Transport, TransportEvents } from '../../../electron/devices/printer/printer.ts';

/**
 * The device side of a two-way ESC/POS link for transport tests: records what it is sent and answers
 * DLE EOT queries with status bytes written out from the Epson ESC/POS reference (not computed by our
 * parser), so the tests check our reading against the protocol rather than against itself.
 */
export interface PaperState {
  offline: boolean;
  coverOpen: boolean;
  paperOut: boolean;
}

// Epson "DLE EOT n" reply bytes. Bits 1 and 4 are fixed to 1 in every reply (0x12).
export const EPSON_REPLIES = {
  printer: { ready: 0x12, offline: 0x1a }, // n=1, bit 3 = offline
  offlineCause: { none: 0x12, coverOpen: 0x16, paperEndStop: 0x32 }, // n=2, bit 2 cover, bit 5 paper end
  paper: { present: 0x12, nearEnd: 0x1e, end: 0x72 }, // n=4, bits 2-3 near end, bits 5-6 end
} as const;

export class FakePrinter {
  state: PaperState = { offline: false, coverOpen: false, paperOut: false };
  /** Each job's bytes: everything received between two status queries (the outbox asks after each job). */
  readonly jobs: Buffer[] = [];
  /** Called with each chunk of job data as it arrives; a test can cut the link there. */
  onJob: (bytes: Buffer) => void = () => {};
  private pending: Buffer[] = [];

  /**
   * Bytes the device answers to what it received. A stream link (TCP) may deliver a query glued to the
   * end of job data, so a trailing DLE EOT n is split off wherever it comes.
   */
  receive(bytes: Buffer): Buffer {
    const n = bytes.length;
    const query = n >= 3 && bytes[n - 3] === 0x10 && bytes[n - 2] === 0x04 ? bytes[n - 1]! : null;
    const data = query === null ? bytes : bytes.subarray(0, n - 3);
    if (data.length > 0) {
      this.pending.push(Buffer.from(data));
      this.onJob(data);
    }
    if (query === null) return Buffer.alloc(0);
    if (this.pending.length > 0) this.jobs.push(Buffer.concat(this.pending));
    this.pending = [];
    return Buffer.of(this.reply(query));
  }

  private reply(n: number): number {
    const s = this.state;
    const offline = s.offline || s.coverOpen || s.paperOut;
    if (n === 1) return offline ? EPSON_REPLIES.printer.offline : EPSON_REPLIES.printer.ready;
    if (n === 2) return s.coverOpen ? EPSON_REPLIES.offlineCause.coverOpen : s.paperOut ? EPSON_REPLIES.offlineCause.paperEndStop : EPSON_REPLIES.offlineCause.none;
    if (n === 4) return s.paperOut ? EPSON_REPLIES.paper.end : EPSON_REPLIES.paper.present;
    throw new Error(`unexpected DLE EOT ${n}`);
  }
}

/** A two-way transport straight onto a FakePrinter: the outbox's rules without sockets. */
export class FakeTransport extends EventEmitter<TransportEvents> implements Transport {
  readonly name = 'fake';
  private readonly reader = new StatusReader();
  unplugged = false;
  constructor(readonly device: FakePrinter) {
    super();
  }
  async write(bytes: Uint8Array): Promise<void> {
    if (this.unplugged) throw new Error('LIBUSB_ERROR_NO_DEVICE');
    this.reader.feed(this.device.receive(Buffer.from(bytes)));
  }
  readStatus(): Promise<EscposStatus> {
    return this.reader.read((q) => this.write(q), 200);
  }
  async close(): Promise<void> {}
}

