import type { Ctx } from '../../electron/store/context.ts';
import type { PrintDocument, ReceiptDocument } from '../../electron/core/documents.ts';
import { fold } from '../../electron/core/fold.ts';
import { parseReceiptNo } from '../../electron/core/receipt-number.ts';
import { journalHead } from '../../electron/store/journal.ts';
import { enqueuePrintJob, type PrintJobKind } from '../../electron/printing/print-jobs.ts';
import { queueZReport } from '../../electron/shifts/z-report.ts';

/**
 * A print job of a sample document (fixtures/receipts) with the money behind it, written as the
 * services would: a receipt gets the payment it prints, a Z report is journaled after the current head.
 * The printer prints only documents that say what their money says, so printer tests queue these.
 */
export function enqueueBacked(ctx: Ctx, document: PrintDocument, kind: PrintJobKind = 'receipt'): number {
  return ctx.sqlite
    .transaction((): number => {
      if (document.kind === 'z_report') {
        const head = journalHead(ctx.sqlite);
        return queueZReport(ctx.sqlite, { ...document, chainHeadId: head.id, chainHead: head.hash });
      }
      const paymentId = document.kind === 'receipt' ? paymentFor(ctx, document) : null;
      return enqueuePrintJob(ctx.sqlite, { kind, paymentId, copyNo: 0, document, at: ctx.clock() });
    })
    .immediate();
}

/** The payment a sample receipt prints (written once; later jobs of the same receipt share it). */
function paymentFor(ctx: Ctx, doc: ReceiptDocument): number {
  const s = ctx.sqlite;
  const existing = s.prepare('SELECT id FROM payments WHERE receipt_no = ?').pluck().get(doc.receiptNo) as number | undefined;
  if (existing !== undefined) return existing;
  const at = doc.paidAt;
  const snapshot = s
    .prepare(
      `INSERT INTO snapshots (file_name, sha256, encoding, delimiter, imported_at, row_count, customer_count, bill_count, bill_total)
       VALUES ('sample.csv', ?, 'utf8', ',', ?, 0, 0, 0, 0) RETURNING id`,
    )
    .pluck()
    .get(`sample-${doc.receiptNo}`, at) as number;
  const c = doc.customer;
  const customer = s
    .prepare(
      `INSERT INTO customers (ma_khang, ma_dviqly, ten_khang, dchi_khang, ma_sogcs, stt, so_cto, name_fold, addr_fold, last_snapshot_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (ma_khang) DO UPDATE SET ten_khang = excluded.ten_khang RETURNING id`,
    )
    .pluck()
    .get(c.maKhang, c.maKhang.slice(0, 6), c.tenKhang, c.dchiKhang, c.maSogcs, c.stt, c.soCto, fold(c.tenKhang), fold(c.dchiKhang), snapshot) as number;
  const addUser = (code: string, name: string, role: 'cashier' | 'supervisor', approvedBy: number | null) =>
    s
      .prepare(
        `INSERT INTO users (code, name, role, pin_hash, created_at, approved_by, added_after_payment_id)
         VALUES (?, ?, ?, 'scrypt$sample', ?, ?, (SELECT COALESCE(MAX(id), 0) FROM payments))
         ON CONFLICT (code) DO UPDATE SET code = excluded.code RETURNING id`,
      )
      .pluck()
      .get(code, name, role, at, approvedBy) as number;
  // every user but the point's first is approved by a supervisor (the database refuses otherwise)
  const approver = (s.prepare("SELECT id FROM users WHERE role = 'supervisor' ORDER BY id LIMIT 1").pluck().get() as number | undefined) ??
    addUser('GS-MAU', 'Giám sát mẫu', 'supervisor', null);
  const cashier = addUser(doc.cashier.code, doc.cashier.name, 'cashier', approver);
  const shift = (s.prepare('SELECT id FROM shifts WHERE cashier_id = ? AND closed_at IS NULL').pluck().get(cashier) ??
    s.prepare('INSERT INTO shifts (cashier_id, opened_at, opening_float) VALUES (?, ?, 0) RETURNING id').pluck().get(cashier, at)) as number;
  const { year, seq } = parseReceiptNo(doc.receiptNo)!;
  const paymentId = s
    .prepare(
      `INSERT INTO payments (idempotency_key, request_hash, receipt_no, receipt_year, receipt_seq, customer_id, shift_id, cashier_id, paid_at, total, tendered)
       VALUES (?, 'sample', ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    )
    .pluck()
    .get(`sample-${doc.receiptNo}`, doc.receiptNo, year, seq, customer, shift, cashier, at, doc.total, doc.tendered) as number;
  const line = s.prepare(
    `INSERT INTO payment_lines (payment_id, bill_id, id_hdon, loai_hdon, ky, thang, nam, dien_tthu, so_tien, tien_gtgt, tong_tien)
     VALUES (?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const l of doc.lines) line.run(paymentId, l.idHdon, l.loaiHdon, l.ky, l.thang, l.nam, l.dienTthu, l.soTien, l.tienGtgt, l.tongTien);
  if (doc.reconnectionOrder) {
    s.prepare("INSERT INTO reconnection_orders (payment_id, customer_id, requested_at, fee_source) VALUES (?, ?, ?, 'settings')").run(paymentId, customer, at);
  }
  return paymentId;
}
