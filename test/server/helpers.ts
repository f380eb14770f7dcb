import { after } from 'node:test';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { formatReceiptNo } from '../../electron/core/receipt-number.ts';
import type { PaymentBody } from '../../protocol/payment.ts';
import type { SyncEvent } from '../../protocol/sync.ts';
import { openDb, type ServerDb } from '../../server/db/connect.ts';
import { migrate } from '../../server/db/migrate.ts';
import { buildApp } from '../../server/http/app.ts';
import { serverCertificate } from '../../server/http/tls.ts';
import { testDatabase } from './pg.ts';

/** A migrated database of this test file's own; the pool is closed before the database is dropped. */
export async function serverDb(): Promise<{ db: ServerDb; url: string }> {
  const url = await testDatabase();
  const db = openDb(url);
  after(() => db.destroy());
  await migrate(db);
  return { db, url };
}

export interface PaymentSpec {
  point: string;
  seq: number;
  bills: string[];
  unit?: string;
  maKhang?: string;
  paidAt?: string;
  fee?: number;
  amount?: number;
}

/** A payment body as a point would push it: each bill 100,000 + 8% VAT unless `amount` says otherwise. */
export function payment(spec: PaymentSpec): PaymentBody {
  const amount = spec.amount ?? 100_000;
  const lines: PaymentBody['lines'] = spec.bills.map((idHdon, i) => ({
    idHdon,
    loaiHdon: 'TD',
    ky: 1,
    thang: 1 + (i % 12),
    nam: 2026,
    soTien: amount,
    tienGtgt: amount * 0.08,
    tongTien: amount * 1.08,
  }));
  if (spec.fee !== undefined) lines.push({ idHdon: null, loaiHdon: 'DC', ky: null, thang: null, nam: null, soTien: spec.fee, tienGtgt: 0, tongTien: spec.fee });
  return {
    receiptNo: formatReceiptNo({ pointCode: spec.point, year: 2026, seq: spec.seq }),
    pointCode: spec.point,
    unit: spec.unit ?? 'PC12AA',
    maKhang: spec.maKhang ?? `PC12AA${String(spec.seq).padStart(7, '0')}`,
    tenKhang: 'Nguyễn Văn An',
    paidAt: spec.paidAt ?? '2026-11-27T02:00:00Z',
    cashierCode: 'TN01',
    lines,
  };
}

export const payEvent = (seq: number, p: PaymentBody): SyncEvent => ({ kind: 'payment', seq, payment: p });

/** The server's whole money state as plain rows, for "same state" and "nothing written" comparisons (arrival metadata left out). */
export async function moneyState(db: ServerDb): Promise<unknown> {
  const q = async (text: string) => (await sql.raw(text).execute(db)).rows;
  return {
    payments: await q(`SELECT receipt_no, point_code, unit, ma_khang, ten_khang, paid_at, cashier_code, total, body, body_sha256, voided_at IS NOT NULL AS voided FROM payments ORDER BY receipt_no`),
    batchReceipts: await q(`SELECT * FROM batch_receipts ORDER BY receipt_no`),
    lines: await q(`SELECT * FROM payment_lines ORDER BY receipt_no, line_no`),
    voids: await q(`SELECT receipt_no, point_code FROM voids ORDER BY receipt_no`),
    conflicts: await q(`SELECT id_hdon, receipt_no, held_by, status FROM conflicts ORDER BY id_hdon, receipt_no`),
    batches: await q(`SELECT point_code, batch_day, batch_seq, csv_sha256, row_count, total, voided_receipts, body_sha256 FROM point_batches ORDER BY 1, 2, 3`),
    refused: await q(`SELECT point_code, kind, identity FROM refused_bodies ORDER BY id`),
    resent: await q(`SELECT point_code, batch_day, batch_seq, receipt_no, id_hdon, tong_tien, first_csv_file, source FROM resent_lines ORDER BY receipt_no, id_hdon`),
  };
}

/** The HTTPS app on 127.0.0.1 (a port of its own), with a certificate made for the test; closed at the end. */
export async function startServer(db: ServerDb, tlsDir: string): Promise<{ url: string; pin: string; app: FastifyInstance }> {
  const tls = await serverCertificate({ dir: tlsDir });
  const app = buildApp(db, tls);
  after(() => app.close());
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address() as AddressInfo;
  return { url: `https://127.0.0.1:${address.port}`, pin: tls.fingerprint, app };
}
