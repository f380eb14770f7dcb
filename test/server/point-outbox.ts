import type { Ctx } from '../../electron/store/context.ts';
import type { ReceiptDocument } from '../../electron/core/documents.ts';
import type { ClearingManifest } from '../../electron/cmis/stored-batch.ts';
import { toBodyTime, type BatchBody, type PaymentBody } from '../../protocol/payment.ts';
import type { SyncEvent } from '../../protocol/sync.ts';

/**
 * What a point's sync client will push, read from the point's own SQLite: each payment's body as its
 * receipt and clearing line carry it (name as receipted, cashier code, customer unit, time to the
 * second), each void, each clearing batch. The reference for the point side, built later.
 */
export function pointPayments(ctx: Ctx, where = '1 = 1'): PaymentBody[] {
  const point = JSON.parse((ctx.sqlite.prepare("SELECT value FROM settings WHERE key = 'point_code'").get() as { value: string }).value) as string;
  const payments = ctx.sqlite
    .prepare(
      `SELECT p.id, p.receipt_no, p.paid_at, c.ma_dviqly, c.ma_khang, u.code AS cashier,
              (SELECT document FROM print_jobs j WHERE j.payment_id = p.id AND j.kind = 'receipt' AND j.copy_no = 0) AS document
         FROM payments p JOIN customers c ON c.id = p.customer_id JOIN users u ON u.id = p.cashier_id
        WHERE ${where} ORDER BY p.receipt_year, p.receipt_seq`,
    )
    .all() as { id: number; receipt_no: string; paid_at: string; ma_dviqly: string; ma_khang: string; cashier: string; document: string }[];
  const lines = ctx.sqlite.prepare('SELECT id_hdon, loai_hdon, ky, thang, nam, so_tien, tien_gtgt, tong_tien FROM payment_lines WHERE payment_id = ? ORDER BY id');
  return payments.map((p) => ({
    receiptNo: p.receipt_no,
    pointCode: point,
    unit: p.ma_dviqly,
    maKhang: p.ma_khang,
    tenKhang: (JSON.parse(p.document) as ReceiptDocument).customer.tenKhang,
    paidAt: toBodyTime(p.paid_at),
    cashierCode: p.cashier,
    lines: (lines.all(p.id) as { id_hdon: string | null; loai_hdon: 'TD' | 'VC' | 'DC'; ky: number | null; thang: number | null; nam: number | null; so_tien: number; tien_gtgt: number; tong_tien: number }[]).map(
      (l) => ({ idHdon: l.id_hdon, loaiHdon: l.loai_hdon, ky: l.ky, thang: l.thang, nam: l.nam, soTien: l.so_tien, tienGtgt: l.tien_gtgt, tongTien: l.tong_tien }),
    ),
  }));
}

export function pointBatches(ctx: Ctx): BatchBody[] {
  const rows = ctx.sqlite.prepare('SELECT id, manifest FROM clearing_batches ORDER BY id').all() as { id: number; manifest: string }[];
  const receipts = ctx.sqlite.prepare('SELECT receipt_no FROM payments WHERE batch_id = ? ORDER BY receipt_year, receipt_seq');
  return rows.map((r) => {
    const m = JSON.parse(r.manifest) as ClearingManifest;
    return {
      pointCode: m.pointCode,
      batchDay: m.batchDay,
      batchSeq: m.batchSeq,
      csvSha256: m.csvSha256,
      rowCount: m.rowCount,
      totalTongTien: m.totalTongTien,
      receipts: (receipts.all(r.id) as { receipt_no: string }[]).map((x) => x.receipt_no),
      voidedReceipts: m.voidedReceipts,
    };
  });
}

/** Events in the point's order: payments, then voids, then batches (seq from 1). */
export function outboxEvents(payments: PaymentBody[], voids: string[], batches: BatchBody[]): SyncEvent[] {
  let seq = 0;
  return [
    ...payments.map((payment): SyncEvent => ({ kind: 'payment', seq: ++seq, payment })),
    ...voids.map((receiptNo): SyncEvent => ({ kind: 'void', seq: ++seq, receiptNo })),
    ...batches.map((batch): SyncEvent => ({ kind: 'export', seq: ++seq, batch })),
  ];
}
