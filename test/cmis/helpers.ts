import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openContext, type Ctx } from '../../electron/store/context.ts';
import { sequentialIds, steppingClock } from '../../electron/core/clock.ts';
import { initPoint } from '../../electron/store/point.ts';
import { tempDir } from '../helpers/temp-dir.ts';

/** The units the fixture corpus's snapshots hold. */
export const CORPUS_UNITS = ['PC12AA', 'PC12AB'];

export const corpus = (name: string) => join(import.meta.dirname, '..', '..', 'fixtures', 'snapshots', name);

/** An initialised point (DT0001 serving PC12AA and PC12AB, the units of the fixture corpus) in a fresh temp data dir, with a test clock. */
export function freshPoint(): Ctx {
  const ctx = openContext(tempDir(), { clock: steppingClock(new Date('2026-11-27T00:30:00.000Z')), newId: sequentialIds() });
  initPoint(ctx, { pointCode: 'DT0001', unitCode: 'PC12AA', unitCodes: CORPUS_UNITS, pointName: 'Điểm thu thử' });
  return ctx;
}

export const SNAPSHOT_HEADER = 'MA_DVIQLY,MA_KHANG,TEN_KHANG,DCHI_KHANG,TTHAI_CAT,ID_HDON,LOAI_HDON,KY,THANG,NAM,SO_TIEN,TIEN_GTGT,TONG_TIEN';

/** A snapshot file from data lines (the header above is added), UTF-8 with CRLF. */
export function snapshotFile(lines: string[], name = 'snapshot.csv'): string {
  const path = join(tempDir(), name);
  writeFileSync(path, [SNAPSHOT_HEADER, ...lines].join('\r\n') + '\r\n');
  return path;
}

/** One data line for SNAPSHOT_HEADER: a customer of PC12AA with one TD bill (amount + 8 % VAT). */
export function billLine(customer: string, name: string, idHdon: string, thang: number, soTien: number): string {
  const vat = (soTien / 100) * 8; // callers pass multiples of 100: whole đồng
  return `PC12AA,${customer},${name},"Thôn 1, xã Ea Tu, TP. Buôn Ma Thuột",0,${idHdon},TD,1,${thang},2026,${soTien},${vat},${soTien + vat}`;
}

/** Every row of every table (FTS shadow tables included), for "nothing changed" comparisons. */
export function dumpDatabase(ctx: Ctx): Record<string, string[]> {
  const tables = ctx.sqlite.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[];
  const dump: Record<string, string[]> = {};
  for (const { name } of tables) {
    if (name === 'customer_search') continue; // the external-content view of customers; its shadow tables are dumped
    dump[name] = (ctx.sqlite.prepare(`SELECT * FROM "${name}"`).all() as unknown[]).map((r) => JSON.stringify(r)).sort();
  }
  return dump;
}

let paymentSeq = 0;

/**
 * A valid payment of one bill written by SQL (the payment service is tested elsewhere): a collector,
 * an open shift, the payment and its line; `exported` puts it in a clearing batch.
 */
export function payBill(ctx: Ctx, idHdon: string, options: { exported: boolean }): number {
  const s = ctx.sqlite;
  const bill = s.prepare('SELECT id, customer_id, loai_hdon, ky, thang, nam, so_tien, tien_gtgt, tong_tien FROM bills WHERE id_hdon = ?').get(idHdon) as {
    id: number;
    customer_id: number;
    loai_hdon: string;
    ky: number;
    thang: number;
    nam: number;
    so_tien: number;
    tien_gtgt: number;
    tong_tien: number;
  };
  // The point's first user (so a supervisor, as the database requires) collects.
  s.prepare(
    `INSERT INTO users (id, code, name, role, pin_hash, created_at)
     SELECT 1, 'TN01', 'Thu ngân', 'supervisor', 'x', '2026-11-27T00:00:00.000Z' WHERE NOT EXISTS (SELECT 1 FROM users WHERE id = 1)`,
  ).run();
  s.prepare("INSERT OR IGNORE INTO shifts (id, cashier_id, opened_at, opening_float) VALUES (1, 1, '2026-11-27T00:00:00.000Z', 0)").run();
  const seq = ++paymentSeq;
  let batchId: number | null = null;
  if (options.exported) {
    batchId = Number(
      s
        .prepare(
          `INSERT INTO clearing_batches (batch_day, seq, created_at, csv_name, csv_sha256, row_count, total, first_receipt, last_receipt, manifest, out_dir,
                                         csv_bytes, reconnection_bytes, reconnection_sha256, manifest_sha256, status, completed_at)
           VALUES ('20261127', ?, '2026-11-27T10:00:00.000Z', 'x.csv', 'x', 1, ?, 'r', 'r', '{}', '/tmp', X'', X'', '', '', 'complete', '2026-11-27T10:00:00.000Z')`,
        )
        .run(seq, bill.tong_tien).lastInsertRowid,
    );
  }
  const paymentId = Number(
    s
      .prepare(
        `INSERT INTO payments (idempotency_key, request_hash, receipt_no, receipt_year, receipt_seq, customer_id, shift_id, cashier_id, paid_at, total, batch_id)
         VALUES (?, 'h', ?, 2026, ?, ?, 1, 1, '2026-11-27T03:00:00.000Z', ?, ?)`,
      )
      .run(`key-${seq}`, `DT0001-26-${String(seq).padStart(6, '0')}`, seq, bill.customer_id, bill.tong_tien, batchId).lastInsertRowid,
  );
  s.prepare(
    `INSERT INTO payment_lines (payment_id, bill_id, id_hdon, loai_hdon, ky, thang, nam, so_tien, tien_gtgt, tong_tien)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(paymentId, bill.id, idHdon, bill.loai_hdon, bill.ky, bill.thang, bill.nam, bill.so_tien, bill.tien_gtgt, bill.tong_tien);
  return paymentId;
}
