/**
 * A payment as its rows hold it (payments, payment_lines, reconnection_orders and the users named):
 * its facts in the journal's shape, its void, its export marks. verify reads every payment this way
 * to hold it against the journal; the printer reads one to check a document before printing it.
 */
import type { Statement } from 'better-sqlite3';
import type { Selectable } from 'kysely';
import type { Sqlite } from '../store/open.ts';
import type { Tables } from '../store/tables.ts';
import type { LineFacts, PaymentFacts } from '../core/payment-facts.ts';

export interface PaymentState {
  facts: PaymentFacts;
  cashierCode: string | null;
  void: { voidedAt: string; voidedBy: number | null; supervisorCode: string | null; reason: string | null } | null;
  batchId: number | null;
  voidBatchId: number | null;
  order: { id: number; no: string | null; requestedAt: string; cancelledAt: string | null } | null;
  /** The lines' own void flags, in line order (they must follow the payment's void). */
  linesVoided: boolean[];
}

/**
 * One row per line (one for a payment without lines, its line columns then null), ordered by
 * payment then line: the payment's columns, its line's, and what the joins add.
 */
export type PaymentStateRow = Selectable<Tables['payments']> &
  Pick<Selectable<Tables['payment_lines']>, 'bill_id' | 'id_hdon' | 'loai_hdon' | 'ky' | 'thang' | 'nam' | 'dien_tthu' | 'so_tien' | 'tien_gtgt' | 'tong_tien'> & {
    ma_khang: string | null;
    cashier_code: string | null;
    supervisor_code: string | null;
    order_id: number | null;
    order_no: string | null;
    order_requested_at: string | null;
    order_cancelled_at: string | null;
    line_id: number | null;
    line_voided: number;
  };

/** The rows of the payments `where` selects (a condition on `p`), in the order paymentStates expects. */
export function paymentStateSql(where: string): string {
  return `SELECT p.id, p.receipt_no, p.receipt_year, p.receipt_seq, p.idempotency_key, p.request_hash, p.customer_id, c.ma_khang,
                 p.shift_id, p.cashier_id, u.code AS cashier_code, p.paid_at, p.total, p.tendered, p.change_step, p.change_rounding,
                 p.voided_at, p.voided_by, s.code AS supervisor_code, p.void_reason, p.batch_id, p.void_batch_id,
                 o.id AS order_id, o.order_no, o.requested_at AS order_requested_at, o.cancelled_at AS order_cancelled_at,
                 l.id AS line_id, l.bill_id, l.id_hdon, l.loai_hdon, l.ky, l.thang, l.nam, l.dien_tthu, l.so_tien, l.tien_gtgt, l.tong_tien,
                 l.voided AS line_voided
            FROM payments p
            LEFT JOIN customers c ON c.id = p.customer_id
            LEFT JOIN users u ON u.id = p.cashier_id
            LEFT JOIN users s ON s.id = p.voided_by
            LEFT JOIN reconnection_orders o ON o.payment_id = p.id
            LEFT JOIN payment_lines l ON l.payment_id = p.id
           WHERE ${where}
           ORDER BY p.id, l.id`;
}

/** One payment's rows (as paymentStateSql returns them) as its state. */
export function stateOfRows(rows: PaymentStateRow[]): PaymentState {
  const p = rows[0]!;
  const withLines = rows.filter((r) => r.line_id !== null);
  const lines: LineFacts[] = withLines.map((l) => ({
    billId: l.bill_id,
    idHdon: l.id_hdon,
    loaiHdon: l.loai_hdon,
    ky: l.ky,
    thang: l.thang,
    nam: l.nam,
    dienTthu: l.dien_tthu,
    soTien: l.so_tien,
    tienGtgt: l.tien_gtgt,
    tongTien: l.tong_tien,
  }));
  return {
    facts: {
      paymentId: p.id,
      receiptNo: p.receipt_no,
      receiptYear: p.receipt_year,
      receiptSeq: p.receipt_seq,
      idempotencyKey: p.idempotency_key,
      requestHash: p.request_hash,
      customerId: p.customer_id,
      maKhang: p.ma_khang ?? '',
      shiftId: p.shift_id,
      cashierId: p.cashier_id,
      paidAt: p.paid_at,
      total: p.total,
      tendered: p.tendered,
      changeStep: p.change_step,
      changeRounding: p.change_rounding,
      reconnectionOrderId: p.order_id,
      lines,
    },
    cashierCode: p.cashier_code,
    void: p.voided_at === null ? null : { voidedAt: p.voided_at, voidedBy: p.voided_by, supervisorCode: p.supervisor_code, reason: p.void_reason },
    batchId: p.batch_id,
    voidBatchId: p.void_batch_id,
    order: p.order_id === null ? null : { id: p.order_id, no: p.order_no, requestedAt: p.order_requested_at!, cancelledAt: p.order_cancelled_at },
    linesVoided: withLines.map((l) => l.line_voided === 1),
  };
}

/** Rows as paymentStateSql returns them, one payment's state at a time. */
export function forEachState(rows: Iterable<PaymentStateRow>, visit: (state: PaymentState) => void): void {
  let group: PaymentStateRow[] = [];
  for (const row of rows) {
    if (group.length > 0 && group[0]!.id !== row.id) {
      visit(stateOfRows(group));
      group = [];
    }
    group.push(row);
  }
  if (group.length > 0) visit(stateOfRows(group));
}

// Prepared once per connection: every collect reads its payment back, every print checks one.
const byId = new WeakMap<Sqlite, Statement>();

/** One payment's state, or undefined when there is no such payment. */
export function paymentState(sqlite: Sqlite, paymentId: number): PaymentState | undefined {
  let stmt = byId.get(sqlite);
  if (stmt === undefined) byId.set(sqlite, (stmt = sqlite.prepare(paymentStateSql('p.id = ?'))));
  const rows = stmt.all(paymentId) as PaymentStateRow[];
  return rows.length === 0 ? undefined : stateOfRows(rows);
}

/** The states of the given payments, by id (those that exist), in one pass. */
export function paymentStates(sqlite: Sqlite, ids: number[]): Map<number, PaymentState> {
  const states = new Map<number, PaymentState>();
  const rows = sqlite.prepare(paymentStateSql('p.id IN (SELECT value FROM json_each(?))')).iterate(JSON.stringify(ids)) as Iterable<PaymentStateRow>;
  forEachState(rows, (state) => states.set(state.facts.paymentId, state));
  return states;
}
