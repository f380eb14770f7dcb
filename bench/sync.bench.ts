// The company's day on the sync server: 680 points x 300 payments (204,000) pushed over HTTPS by 8
// concurrent clients to `diemthu-server serve` on loopback, then one consolidated clearing file per
// unit. Goal: <= 120 s in all on the 2-core machine; consolidated total = sum of the point batches.
// Then a counter's payment seen by another counter of its office (goal: within 5 s).
import { join } from 'node:path';
import { formatReceiptNo } from '../electron/core/receipt-number.ts';
import { SyncClient } from '../protocol/client.ts';
import type { BatchBody, PaymentBody } from '../protocol/payment.ts';
import { PROTOCOL_VERSION, type SyncEvent } from '../protocol/sync.ts';
import { openDb } from '../server/db/connect.ts';
import { migrate } from '../server/db/migrate.ts';
import { consolidate } from '../server/files/consolidate.ts';
import { addPoint } from '../server/points.ts';
import { startServe } from '../test/server/cli-process.ts';
import { withBenchDatabase } from './pg.ts';

const POINTS = 680;
const PER_POINT = 300;
const CLIENTS = 8;
const UNITS = 20;
const COUNTERS_PER_OFFICE = 4;
const DAY = '2026-11-27';

export const pointCode = (i: number) => `P${String(i).padStart(4, '0')}`;
const unitOf = (i: number) => `PC01${String(i % UNITS).padStart(2, '0')}`;

/** A point's day: 300 payments of 1-3 bills (every tenth with a reconnection fee), its clearing batch last. */
export function pointDay(i: number, seqFrom = 1): { events: SyncEvent[]; total: number } {
  const point = pointCode(i);
  const unit = unitOf(i);
  const payments: PaymentBody[] = [];
  for (let n = 0; n < PER_POINT; n++) {
    const seq = seqFrom + n;
    const bills = 1 + ((i + n) % 3);
    const lines: PaymentBody['lines'] = Array.from({ length: bills }, (_, b) => {
      const soTien = 50_000 + ((i * 7919 + n * 104_729 + b * 1299) % 900_000);
      const tienGtgt = Math.round(soTien * 0.08);
      return { idHdon: `${point}H${seq}B${b}`, loaiHdon: 'TD', ky: 1, thang: 1 + b, nam: 2026, soTien, tienGtgt, tongTien: soTien + tienGtgt };
    });
    if (n % 10 === 0) lines.push({ idHdon: null, loaiHdon: 'DC', ky: null, thang: null, nam: null, soTien: 150_000, tienGtgt: 0, tongTien: 150_000 });
    const second = (n * 97) % 36_000; // spread over 10 hours from 07:00 local
    payments.push({
      receiptNo: formatReceiptNo({ pointCode: point, year: 2026, seq }),
      pointCode: point,
      unit,
      maKhang: `${unit}${String(i * 1000 + n).padStart(7, '0')}`,
      tenKhang: 'Nguyễn Văn Khách',
      paidAt: new Date(Date.UTC(2026, 10, 27, 0, 0, second)).toISOString().replace('.000Z', 'Z'),
      cashierCode: `TN${i % 100}`,
      lines,
    });
  }
  const rows = payments.reduce((s, p) => s + p.lines.length, 0);
  const total = payments.reduce((s, p) => s + p.lines.reduce((t, l) => t + l.tongTien, 0), 0);
  const batch: BatchBody = { pointCode: point, batchDay: DAY.replaceAll('-', ''), batchSeq: 1, csvSha256: '0'.repeat(64), rowCount: rows, totalTongTien: total, receipts: payments.map((p) => p.receiptNo), voidedReceipts: [] };
  return { events: [...payments.map((payment, n): SyncEvent => ({ kind: 'payment', seq: seqFrom + n, payment })), { kind: 'export', seq: seqFrom + PER_POINT, batch }], total };
}

export async function run(): Promise<void> {
  await withBenchDatabase('sync', { max_connections: '100', shared_buffers: '256MB' }, async (url, work) => {
    const db = openDb(url);
    await migrate(db);
    const tokens: string[] = [];
    for (let i = 0; i < POINTS; i++) {
      tokens.push((await addPoint(db, { point: pointCode(i), unit: unitOf(i), office: `PGD ${Math.floor(i / COUNTERS_PER_OFFICE)}` })).token);
    }
    const server = await startServe(url, join(work, 'tls'));
    console.log(`PostgreSQL cluster (fsync on), server at ${server.url}; ${POINTS} points x ${PER_POINT} payments, ${CLIENTS} clients`);

    const started = performance.now();
    let next = 0;
    let batchSum = 0;
    let payments = 0;
    const statuses = new Map<string, number>();
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        for (let i = next++; i < POINTS; i = next++) {
          // Each point checks its own requests on its own PC: this one process playing 680 points does not.
          const client = new SyncClient({ url: server.url, token: tokens[i]!, pin: server.fingerprint, timeoutMs: 120_000, checkRequests: false });
          const day = pointDay(i);
          const answer = await client.push({ protocol: PROTOCOL_VERSION, pointCode: pointCode(i), events: day.events });
          client.close();
          for (const a of answer.acks) statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
          batchSum += day.total;
          payments += PER_POINT;
        }
      }),
    );
    const pushed = (performance.now() - started) / 1000;
    console.log(`push: ${payments} payments in ${pushed.toFixed(1)} s = ${Math.round(payments / pushed)} payments/s; acks ${JSON.stringify(Object.fromEntries(statuses))}`);

    const t1 = performance.now();
    let consolidated = 0;
    let rows = 0;
    let matching = 0;
    // Two units at a time: PostgreSQL reads one while Node writes the other's files.
    let nextUnit = 0;
    await Promise.all(
      [0, 1].map(async () => {
        for (let u = nextUnit++; u < UNITS; u = nextUnit++) {
          const { manifest } = await consolidate(db, { unit: `PC01${String(u).padStart(2, '0')}`, date: DAY, outDir: join(work, 'out') });
          consolidated += manifest.totalTongTien;
          rows += manifest.rowCount;
          if (manifest.totalTongTien === manifest.pointBatches.reduce((s, b) => s + b.totalTongTien, 0)) matching += 1;
        }
      }),
    );
    const consolidating = (performance.now() - t1) / 1000;
    const total = (performance.now() - started) / 1000;
    console.log(`consolidate: ${UNITS} units, ${rows} rows in ${consolidating.toFixed(1)} s; per unit total = its point batches: ${matching}/${UNITS}`);
    console.log(`consolidated total ${consolidated} ${consolidated === batchSum ? '=' : '!='} sum of point batches ${batchSum}`);
    console.log(`company day: ${total.toFixed(1)} s in all (goal <= 120 s)`);

    // A counter sees another counter's payment: P0001 pushes one payment, P0002 (same office) pulls every 100 ms.
    const [a, b] = [1, 2].map((i) => new SyncClient({ url: server.url, token: tokens[i]!, pin: server.fingerprint }));
    let cursor: string | null = null;
    for (let more = true; more; ) {
      const page = await b!.pull({ protocol: PROTOCOL_VERSION, pointCode: pointCode(2), cursor, limit: 5000 });
      cursor = page.cursor;
      more = page.more;
    }
    const lags: number[] = [];
    for (let k = 0; k < 10; k++) {
      const one = pointDay(1, 1000 + k * 1000).events[0]!;
      const t = performance.now();
      await a!.push({ protocol: PROTOCOL_VERSION, pointCode: pointCode(1), events: [one] });
      const receipt = one.kind === 'payment' ? one.payment.receiptNo : '';
      for (let seen = false; !seen; ) {
        const page = await b!.pull({ protocol: PROTOCOL_VERSION, pointCode: pointCode(2), cursor, limit: 5000 });
        cursor = page.cursor;
        seen = page.items.some((it) => it.receiptNo === receipt);
        if (!seen) await new Promise((r) => setTimeout(r, 100));
        if (performance.now() - t > 30_000) throw new Error('counter never saw the payment');
      }
      lags.push(performance.now() - t);
    }
    a!.close();
    b!.close();
    lags.sort((x, y) => x - y);
    console.log(`counter sees counter: p50 ${lags[5]!.toFixed(0)} ms, max ${lags.at(-1)!.toFixed(0)} ms over 10 payments (goal <= 5000 ms)`);
    server.child.kill('SIGTERM');
    await server.exited;
    await db.destroy();
  });
}
