import type { Sqlite } from '../store/open.ts';
import { query, selectAll, selectOne } from '../store/typed-query.ts';
import type { ClearingManifest } from '../cmis/stored-batch.ts';
import { CUSTOMER_AS_RECEIPTED, TEN_KHANG } from '../cmis/write-clearing.ts';
import { requireSetting } from '../store/settings.ts';
import { toBodyTime, type BatchBody, type PaymentBody, type PaymentLine } from '../../protocol/payment.ts';
import type { SyncEvent } from '../../protocol/sync.ts';
import type { RefundBody } from '../../protocol/refund.ts';
import { refundFacts } from '../payments/refunds.ts';

/** One outbox row as the push reads it. */
export interface OutboxItem {
  seq: number;
  kind: 'payment' | 'void' | 'export' | 'refund';
  paymentId: number | null;
  batchId: number | null;
  refundId: number | null;
}

interface PaymentRow {
  id: number;
  receipt_no: string;
  point_code: string;
  paid_at: string;
  ma_dviqly: string;
  ma_khang: string;
  ten_khang: string;
  cashier: string;
}

type LineRow = { payment_id: number; id_hdon: string | null; loai_hdon: PaymentLine['loaiHdon']; ky: number | null; thang: number | null; nam: number | null; so_tien: number; tien_gtgt: number; tong_tien: number };

/** `?, ?, ?` for an IN list of n values. */
const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/**
 * Payment bodies exactly as the receipt and its clearing line carry them (the clearing file's own
 * column choices: name as receipted, the customer's MA_DVIQLY, the cashier's code, time to the
 * second), so a push and an ingest of the same point's file build the same body on the server.
 */
export function paymentBodies(sqlite: Sqlite, ids: number[]): Map<number, PaymentBody> {
  if (ids.length === 0) return new Map();
  const point = requireSetting(sqlite, 'point_code');
  const payments = sqlite
    .prepare(
      `SELECT p.id, p.receipt_no, p.paid_at, c.ma_dviqly, c.ma_khang, ${TEN_KHANG} AS ten_khang, u.code AS cashier
         FROM payments p ${CUSTOMER_AS_RECEIPTED} JOIN users u ON u.id = p.cashier_id
        WHERE p.id IN (${marks(ids.length)})`,
    )
    .all(...ids) as PaymentRow[];
  const lines = new Map<number, PaymentLine[]>();
  const lineRows = sqlite
    .prepare(`SELECT payment_id, id_hdon, loai_hdon, ky, thang, nam, so_tien, tien_gtgt, tong_tien FROM payment_lines WHERE payment_id IN (${marks(ids.length)}) ORDER BY id`)
    .all(...ids) as LineRow[];
  for (const l of lineRows) {
    const list = lines.get(l.payment_id) ?? [];
    list.push({ idHdon: l.id_hdon, loaiHdon: l.loai_hdon, ky: l.ky, thang: l.thang, nam: l.nam, soTien: l.so_tien, tienGtgt: l.tien_gtgt, tongTien: l.tong_tien });
    lines.set(l.payment_id, list);
  }
  return new Map(
    payments.map((p) => [
      p.id,
      {
        receiptNo: p.receipt_no,
        pointCode: point,
        unit: p.ma_dviqly,
        maKhang: p.ma_khang,
        tenKhang: p.ten_khang,
        paidAt: toBodyTime(p.paid_at),
        cashierCode: p.cashier,
        lines: lines.get(p.id) ?? [],
      },
    ]),
  );
}

/**
 * A completed clearing batch as the company sees it: the manifest's facts and the receipts of its own
 * payments. Lines resent in it (contract section 5) are left out of its rows and total: the server
 * holds them in the batch that first carried their receipt.
 */
export function batchBody(sqlite: Sqlite, batchId: number): BatchBody {
  const row = selectOne(sqlite, query.selectFrom('clearing_batches').where('id', '=', batchId).select('manifest'));
  const m = JSON.parse(row.manifest) as ClearingManifest;
  const receipts = selectAll(sqlite, query.selectFrom('payments').where('batch_id', '=', batchId).select('receipt_no').orderBy('receipt_year').orderBy('receipt_seq')).map(
    (r) => r.receipt_no,
  );
  const resent = m.resent ?? [];
  return {
    pointCode: m.pointCode,
    batchDay: m.batchDay,
    batchSeq: m.batchSeq,
    csvSha256: m.csvSha256,
    rowCount: m.rowCount - resent.length,
    totalTongTien: m.totalTongTien - resent.reduce((sum, r) => sum + r.tongTien, 0),
    receipts,
    voidedReceipts: m.voidedReceipts,
  };
}

/** A refund as its slip says it (its rows never change), for the company. */
export function refundBody(sqlite: Sqlite, refundId: number): RefundBody {
  const f = refundFacts(sqlite, refundId)!;
  const lines = f.lines.map(([, idHdon, amount]) => ({ idHdon, amount }));
  return {
    pointCode: requireSetting(sqlite, 'point_code'),
    refundId: f.refundId,
    receiptNo: f.receiptNo,
    refundedAt: toBodyTime(f.refundedAt),
    cashierCode: f.cashierCode,
    supervisorCode: f.supervisorCode,
    reason: f.reason,
    lines,
    total: lines.reduce((sum, l) => sum + l.amount, 0),
  };
}

/** The events of outbox items, in their order, bodies read now from the rows (which never change). */
export function buildEvents(sqlite: Sqlite, items: OutboxItem[]): SyncEvent[] {
  const bodies = paymentBodies(sqlite, [...new Set(items.filter((i) => i.paymentId !== null).map((i) => i.paymentId!))]);
  return items.map((item): SyncEvent => {
    switch (item.kind) {
      case 'payment':
        return { kind: 'payment', seq: item.seq, payment: bodies.get(item.paymentId!)! };
      case 'void':
        return { kind: 'void', seq: item.seq, receiptNo: bodies.get(item.paymentId!)!.receiptNo };
      case 'export':
        return { kind: 'export', seq: item.seq, batch: batchBody(sqlite, item.batchId!) };
      case 'refund':
        return { kind: 'refund', seq: item.seq, refund: refundBody(sqlite, item.refundId!) };
    }
  });
}
