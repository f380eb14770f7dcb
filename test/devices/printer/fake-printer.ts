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
  /** Every write that was not a status query, in order. */
  readonly jobs: Buffer[] = [];
  /** Called with each job write; a test can cut the link there. */
  onJob: (bytes: Buffer) => void = () => {};

  /** Bytes the device answers to what it received (a status query is written on its own). */
  receive(bytes: Buffer): Buffer {
    if (bytes.length === 3 && bytes[0] === 0x10 && bytes[1] === 0x04) return Buffer.of(this.reply(bytes[2]!));
    this.jobs.push(Buffer.from(bytes));
    this.onJob(bytes);
    return Buffer.alloc(0);
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
