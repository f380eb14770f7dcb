// Scan to receipt on the province database: from a scan event (serial scanner into the scan stream) to
// the last byte of the receipt handed to the printer transport: lookup, collectPayment (committed with
// its print job), outbox drain (raster render with the bundled font + ESC/POS encoding). The transport
// only captures the bytes, so the figure is the software's share. Budget: p99 <= 30 ms (an 8 cm receipt
// takes ~320 ms to print at 250 mm/s).
import { EventEmitter } from 'node:events';
import { rmSync } from 'node:fs';
import { openContext } from '../electron/store/context.ts';
import { addUser } from '../electron/users/users.ts';
import { openShift } from '../electron/shifts/shifts.ts';
import { collectPayment } from '../electron/payments/collect.ts';
import { lookupCode } from '../electron/customers/find.ts';
import { createScanStream } from '../electron/devices/scanner/stream.ts';
import { drainOutbox } from '../electron/printing/outbox.ts';
import type { PaperWidth, Transport, TransportEvents } from '../electron/devices/printer/printer.ts';
import { provinceDataDir } from './province.ts';

const WARM_UP = 50;
const TIMED_SCANS = 1_000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** The hardware edge: keeps the time the last byte was handed over. */
class CapturingTransport extends EventEmitter<TransportEvents> implements Transport {
  readonly name = 'capture';
  lastByteAt = 0n;
  bytes = 0;
  async write(bytes: Uint8Array): Promise<void> {
    this.bytes += bytes.length;
    this.lastByteAt = process.hrtime.bigint();
  }
  async close(): Promise<void> {}
}

async function measure(width: PaperWidth): Promise<void> {
  const dataDir = await provinceDataDir();
  const ctx = openContext(dataDir);
  const cheap = { N: 2 ** 10, r: 8, p: 1 };
  const head = addUser(ctx, { code: 'BENCH0', name: 'Giám sát đo', role: 'supervisor', pin: '246800', approvedBy: [] }, cheap);
  const cashier = addUser(ctx, { code: 'BENCH', name: 'Thu ngân đo', role: 'cashier', pin: '123456', approvedBy: [head.id] }, cheap);
  openShift(ctx, { cashierId: cashier.id, openingFloat: 0 });
  const codes = (
    ctx.sqlite
      .prepare(
        `SELECT DISTINCT c.ma_khang FROM customers c JOIN bills b ON b.customer_id = c.id
          WHERE b.last_snapshot_id = (SELECT MAX(id) FROM snapshots) ORDER BY c.id LIMIT ?`,
      )
      .all(WARM_UP + TIMED_SCANS) as { ma_khang: string }[]
  ).map((r) => r.ma_khang);
  const transport = new CapturingTransport();
  const printer = { transport, config: { width, mode: 'raster' as const } };
  const stream = createScanStream({ clock: ctx.clock });
  let pending: Promise<void> = Promise.resolve();
  let n = 0;
  let committedAt = 0n;
  stream.onScan((scan) => {
    pending = (async () => {
      const customer = lookupCode(ctx, scan.code);
      if (customer === null) throw new Error(`bench customer ${scan.code} not found`);
      collectPayment(ctx, { customer: customer.id, cashierId: cashier.id, idempotencyKey: `scan-bench-${n++}` });
      committedAt = process.hrtime.bigint();
      await drainOutbox(ctx, printer);
    })();
  });
  const times: number[] = [];
  const printing: number[] = []; // payment committed -> last byte handed over (render, encode, outbox marks)
  for (const [i, code] of codes.entries()) {
    const t0 = process.hrtime.bigint();
    const outcome = stream.submit(code.toLowerCase(), 'serial');
    if (!outcome.ok) throw new Error(`scan refused: ${outcome.rejection.reason}`);
    await pending;
    if (i < WARM_UP) continue;
    times.push(Number(transport.lastByteAt - t0) / 1e6);
    printing.push(Number(transport.lastByteAt - committedAt) / 1e6);
  }
  times.sort((a, b) => a - b);
  printing.sort((a, b) => a - b);
  const sync = ctx.sqlite.pragma('synchronous', { simple: true });
  console.log(`scan-to-receipt ${width === 576 ? '80' : '58'} mm raster: ${times.length} scans (synchronous=${sync === 2 ? 'FULL' : sync}), ${Math.round(transport.bytes / codes.length)} bytes a receipt`);
  console.log(`  p50 ${percentile(times, 50).toFixed(2)} ms, p99 ${percentile(times, 99).toFixed(2)} ms, max ${times.at(-1)!.toFixed(2)} ms (budget p99 <= 30 ms)`);
  console.log(`  of which printing (outbox, render, encode): p50 ${percentile(printing, 50).toFixed(2)} ms, p99 ${percentile(printing, 99).toFixed(2)} ms`);
  ctx.close();
  rmSync(dataDir, { recursive: true, force: true });
}

export async function run(): Promise<void> {
  await measure(576);
  await measure(384);
}
