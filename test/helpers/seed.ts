import type { Ctx } from '../../electron/store/context.ts';
import { fold } from '../../electron/core/fold.ts';
import { appendJournal } from '../../electron/store/journal.ts';
import { paymentState } from '../../electron/payments/payment-state.ts';

/**
 * Test data written straight into the tables the snapshot import fills (snapshots, customers,
 * bills, the customer_search FTS rows), so services can be tested without the import.
 */
export interface SeedBill {
  idHdon: string;
  loaiHdon?: 'TD' | 'VC' | 'DC';
  ky?: number;
  thang: number;
  nam: number;
  dienTthu?: number | null;
  soTien: number;
  tienGtgt?: number;
  hanTtoan?: string | null;
}

export interface SeedCustomer {
  maKhang: string;
  tenKhang: string;
  dchiKhang: string;
  /** Default: the first 6 characters of maKhang. */
  maDviqly?: string;
  maThe?: string | null;
  dthoaiSms?: string | null;
  maSogcs?: string | null;
  stt?: string | null;
  soCto?: string | null;
  tthaiCat?: boolean;
  bills?: SeedBill[];
}

export interface Seeded {
  snapshotId: number;
  /** customers.id by MA_KHANG. */
  ids: Map<string, number>;
  /** bills.id by ID_HDON. */
  billIds: Map<string, number>;
}

let fileCounter = 0;

/**
 * Inserts one snapshot listing `customers` (and their bills) as the current one. Customers and bills
 * already present (same MA_KHANG / ID_HDON) are updated and moved to this snapshot, as an import would.
 */
export function seedSnapshot(ctx: Ctx, customers: SeedCustomer[], at = '2026-11-27T00:30:00.000Z'): Seeded {
  const { sqlite } = ctx;
  const bills = customers.flatMap((c) => c.bills ?? []);
  const insertSnapshot = sqlite.prepare(
    `INSERT INTO snapshots (file_name, sha256, encoding, delimiter, imported_at, row_count, customer_count, bill_count, bill_total)
     VALUES (?, ?, 'utf8', ',', ?, ?, ?, ?, ?)`,
  );
  const findCustomer = sqlite.prepare('SELECT id, name_fold, addr_fold FROM customers WHERE ma_khang = ?');
  const ftsDelete = sqlite.prepare(
    "INSERT INTO customer_search (customer_search, rowid, name_fold, addr_fold) VALUES ('delete', ?, ?, ?)",
  );
  const ftsInsert = sqlite.prepare('INSERT INTO customer_search (rowid, name_fold, addr_fold) VALUES (?, ?, ?)');
  const upsertCustomer = sqlite.prepare(
    `INSERT INTO customers (ma_khang, ma_dviqly, ten_khang, dchi_khang, ma_the, dthoai_sms, ma_sogcs, stt, so_cto,
                            tthai_cat, name_fold, addr_fold, last_snapshot_id)
     VALUES (@maKhang, @maDviqly, @tenKhang, @dchiKhang, @maThe, @dthoaiSms, @maSogcs, @stt, @soCto,
             @tthaiCat, @nameFold, @addrFold, @snapshotId)
     ON CONFLICT (ma_khang) DO UPDATE SET
       ma_dviqly = excluded.ma_dviqly, ten_khang = excluded.ten_khang, dchi_khang = excluded.dchi_khang,
       ma_the = excluded.ma_the, dthoai_sms = excluded.dthoai_sms, ma_sogcs = excluded.ma_sogcs, stt = excluded.stt,
       so_cto = excluded.so_cto, tthai_cat = excluded.tthai_cat, name_fold = excluded.name_fold,
       addr_fold = excluded.addr_fold, last_snapshot_id = excluded.last_snapshot_id
     RETURNING id`,
  );
  const upsertBill = sqlite.prepare(
    `INSERT INTO bills (id_hdon, customer_id, loai_hdon, ky, thang, nam, dien_tthu, so_tien, tien_gtgt, tong_tien,
                        han_ttoan, first_snapshot_id, last_snapshot_id)
     VALUES (@idHdon, @customerId, @loaiHdon, @ky, @thang, @nam, @dienTthu, @soTien, @tienGtgt, @tongTien,
             @hanTtoan, @snapshotId, @snapshotId)
     ON CONFLICT (id_hdon) DO UPDATE SET last_snapshot_id = excluded.last_snapshot_id
     RETURNING id`,
  );

  return sqlite
    .transaction((): Seeded => {
      fileCounter += 1;
      const total = bills.reduce((sum, b) => sum + b.soTien + (b.tienGtgt ?? 0), 0);
      const snapshotId = Number(
        insertSnapshot.run(`seed-${fileCounter}.csv`, `seed-${process.pid}-${fileCounter}-${at}`, at, Math.max(customers.length, bills.length), customers.length, bills.length, total)
          .lastInsertRowid,
      );
      const ids = new Map<string, number>();
      const billIds = new Map<string, number>();
      for (const c of customers) {
        const nameFold = fold(c.tenKhang);
        const addrFold = fold(c.dchiKhang);
        const old = findCustomer.get(c.maKhang) as { id: number; name_fold: string; addr_fold: string } | undefined;
        if (old !== undefined) ftsDelete.run(old.id, old.name_fold, old.addr_fold);
        const { id } = upsertCustomer.get({
          maKhang: c.maKhang,
          maDviqly: c.maDviqly ?? c.maKhang.slice(0, 6),
          tenKhang: c.tenKhang,
          dchiKhang: c.dchiKhang,
          maThe: c.maThe ?? null,
          dthoaiSms: c.dthoaiSms ?? null,
          maSogcs: c.maSogcs ?? null,
          stt: c.stt ?? null,
          soCto: c.soCto ?? null,
          tthaiCat: c.tthaiCat === true ? 1 : 0,
          nameFold,
          addrFold,
          snapshotId,
        }) as { id: number };
        ftsInsert.run(id, nameFold, addrFold);
        ids.set(c.maKhang, id);
        for (const b of c.bills ?? []) {
          const tienGtgt = b.tienGtgt ?? 0;
          const row = upsertBill.get({
            idHdon: b.idHdon,
            customerId: id,
            loaiHdon: b.loaiHdon ?? 'TD',
            ky: b.ky ?? 1,
            thang: b.thang,
            nam: b.nam,
            dienTthu: b.dienTthu ?? null,
            soTien: b.soTien,
            tienGtgt,
            tongTien: b.soTien + tienGtgt,
            hanTtoan: b.hanTtoan ?? null,
            snapshotId,
          }) as { id: number };
          billIds.set(b.idHdon, row.id);
        }
      }
      return { snapshotId, ids, billIds };
    })
    .immediate();
}

export interface SeedPaymentOptions {
  /** Marks the payment exported in a clearing batch (created on the fly). */
  exported?: boolean;
  voided?: boolean;
  at?: string;
  /** A reconnection fee line (no bill) of this amount and a reconnection order, as a cut-off customer's payment has. */
  fee?: number;
}

let paymentCounter = 0;

/**
 * A payment of `billIds` for `customerId`, written directly (the payment service is not used), with
 * a cashier and a shift created when missing, journaled with its facts (and its void) as the
 * services journal them. Returns the payment id.
 */
export function seedPayment(ctx: Ctx, customerId: number, billIds: number[], options: SeedPaymentOptions = {}): number {
  const { sqlite } = ctx;
  const at = options.at ?? '2026-11-27T02:00:00.000Z';
  return sqlite
    .transaction((): number => {
      // A cashier approved by the first supervisor, or the point's first user (a supervisor) if there is none.
      sqlite
        .prepare(
          `INSERT INTO users (code, name, role, pin_hash, created_at, approved_by, added_after_payment_id)
           SELECT 'SEED', 'Thu ngân mẫu', CASE WHEN s.id IS NULL THEN 'supervisor' ELSE 'cashier' END, 'scrypt$seed', ?, s.id,
                  (SELECT COALESCE(MAX(id), 0) FROM payments)
             FROM (SELECT MIN(id) AS id FROM users WHERE role = 'supervisor' AND active = 1) s
            WHERE NOT EXISTS (SELECT 1 FROM users WHERE code = 'SEED')`,
        )
        .run(at);
      const { id: userId } = sqlite.prepare("SELECT id FROM users WHERE code = 'SEED'").get() as { id: number };
      let shift = sqlite.prepare('SELECT id FROM shifts WHERE cashier_id = ? AND closed_at IS NULL').get(userId) as { id: number } | undefined;
      if (shift === undefined) {
        const shiftId = Number(sqlite.prepare('INSERT INTO shifts (cashier_id, opened_at, opening_float) VALUES (?, ?, 0)').run(userId, at).lastInsertRowid);
        shift = { id: shiftId };
      }
      const bills = billIds.map(
        (id) =>
          sqlite.prepare('SELECT id, id_hdon, loai_hdon, ky, thang, nam, dien_tthu, so_tien, tien_gtgt, tong_tien FROM bills WHERE id = ?').get(id) as {
            id: number; id_hdon: string; loai_hdon: string; ky: number; thang: number; nam: number; dien_tthu: number | null;
            so_tien: number; tien_gtgt: number; tong_tien: number;
          },
      );
      paymentCounter += 1;
      const seq = Number((sqlite.prepare('SELECT COUNT(*) AS n FROM payments').get() as { n: number }).n) + 1;
      let batchId: number | null = null;
      if (options.exported === true) {
        batchId = Number(
          sqlite
            .prepare(
              `INSERT INTO clearing_batches (batch_day, seq, created_at, csv_name, csv_sha256, row_count, total, first_receipt, last_receipt, manifest, out_dir,
                                             csv_bytes, reconnection_bytes, reconnection_sha256, manifest_sha256, status, completed_at)
               VALUES ('20261127', (SELECT COUNT(*) + 1 FROM clearing_batches), @at, 'seed.csv', 'seed', 0, 0, '', '', '{}', '/tmp', X'', X'', '', '', 'complete', @at)`,
            )
            .run({ at }).lastInsertRowid,
        );
      }
      const voided = options.voided === true;
      const paymentId = Number(
        sqlite
          .prepare(
            `INSERT INTO payments (idempotency_key, request_hash, receipt_no, receipt_year, receipt_seq, customer_id, shift_id,
                                   cashier_id, paid_at, total, voided_at, voided_by, void_reason, batch_id)
             VALUES (?, 'seed', ?, 2026, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            `seed-${process.pid}-${paymentCounter}`,
            `SEED-26-${String(seq).padStart(6, '0')}`,
            seq,
            customerId,
            shift.id,
            userId,
            at,
            bills.reduce((sum, b) => sum + b.tong_tien, 0) + (options.fee ?? 0),
            voided ? at : null,
            voided ? userId : null,
            voided ? 'seed' : null,
            batchId,
          ).lastInsertRowid,
      );
      const insertLine = sqlite.prepare(
        `INSERT INTO payment_lines (payment_id, bill_id, id_hdon, loai_hdon, ky, thang, nam, dien_tthu, so_tien, tien_gtgt, tong_tien, voided)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const b of bills) {
        insertLine.run(paymentId, b.id, b.id_hdon, b.loai_hdon, b.ky, b.thang, b.nam, b.dien_tthu, b.so_tien, b.tien_gtgt, b.tong_tien, voided ? 1 : 0);
      }
      if (options.fee !== undefined) {
        insertLine.run(paymentId, null, null, 'DC', null, null, null, null, options.fee, 0, options.fee, voided ? 1 : 0);
        sqlite
          .prepare("INSERT INTO reconnection_orders (payment_id, customer_id, requested_at, fee_source, cancelled_at) VALUES (?, ?, ?, 'settings', ?)")
          .run(paymentId, customerId, at, voided ? at : null);
      }
      sqlite
        .prepare("INSERT INTO receipt_counters (point_code, year, last_seq) VALUES ('SEED', 2026, ?) ON CONFLICT DO UPDATE SET last_seq = excluded.last_seq")
        .run(seq);
      const { facts } = paymentState(sqlite, paymentId)!;
      appendJournal(sqlite, { kind: 'payment', actorId: userId, payload: { ...facts }, at: new Date(at) });
      if (voided) {
        const payload = { paymentId, receiptNo: facts.receiptNo, total: facts.total, reason: 'seed', reconnectionOrderCancelled: options.fee !== undefined };
        appendJournal(sqlite, { kind: 'void', actorId: userId, payload, at: new Date(at) });
      }
      return paymentId;
    })
    .immediate();
}

/** A customer cut off (TTHAI_CAT = 1) with two energy bills of 108.000 ₫, no DC bill. */
export const CUT: SeedCustomer = {
  maKhang: 'PC12AA0000003',
  tenKhang: 'Hoàng Văn Cắt',
  dchiKhang: '7 Trần Phú',
  tthaiCat: true,
  bills: [
    { idHdon: 'C-10', thang: 10, nam: 2026, soTien: 100_000, tienGtgt: 8_000 },
    { idHdon: 'C-11', thang: 11, nam: 2026, soTien: 100_000, tienGtgt: 8_000 },
  ],
};
