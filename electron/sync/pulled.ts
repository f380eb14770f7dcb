import type { Sqlite } from '../store/open.ts';
import { query, selectAll, selectOne } from '../store/typed-query.ts';
import type { PulledItem } from '../../protocol/sync.ts';
import { formatDateTime } from '../core/local-time.ts';

/**
 * What a pull brought, kept in the point's tables with the cursor in the same transaction (a page is
 * stored whole or not at all, so the cursor never runs ahead of the rows). Each item is the server's
 * current state: a later item replaces an earlier one.
 */
export function storePulled(sqlite: Sqlite, items: PulledItem[], cursor: string | null, at: Date): void {
  const pulledAt = at.toISOString();
  const payment = sqlite.prepare(
    `INSERT INTO sync_office_payments (receipt_no, point_code, ma_khang, paid_at, cashier_code, total, bills, voided, pulled_at)
     VALUES (@receiptNo, @pointCode, @maKhang, @paidAt, @cashierCode, @total, @bills, @voided, @pulledAt)
     ON CONFLICT (receipt_no) DO UPDATE SET bills = excluded.bills, voided = MAX(voided, excluded.voided), pulled_at = excluded.pulled_at`,
  );
  const voided = sqlite.prepare('UPDATE sync_office_payments SET voided = 1, pulled_at = ? WHERE receipt_no = ?');
  const conflict = sqlite.prepare(
    `INSERT INTO sync_conflicts (id, id_hdon, receipt_no, point_code, held_by, held_by_point, status, detected_at, pulled_at)
     VALUES (@id, @idHdon, @receiptNo, @pointCode, @heldBy, @heldByPoint, @status, @detectedAt, @pulledAt)
     ON CONFLICT (id) DO UPDATE SET held_by = excluded.held_by, held_by_point = excluded.held_by_point, status = excluded.status, pulled_at = excluded.pulled_at`,
  );
  sqlite
    .transaction(() => {
      for (const item of items) {
        if (item.kind === 'payment') payment.run({ ...item, bills: JSON.stringify(item.bills), voided: item.voided ? 1 : 0, pulledAt });
        else if (item.kind === 'void') voided.run(pulledAt, item.receiptNo);
        else conflict.run({ ...item, pulledAt });
      }
      sqlite.prepare('UPDATE sync_state SET pull_cursor = ?').run(cursor);
    })
    .immediate();
}

export function pullCursor(sqlite: Sqlite): string | null {
  return selectOne(sqlite, query.selectFrom('sync_state').select('pull_cursor')).pull_cursor;
}

/** A bill of this customer collected at another counter of the office, as the last pull said. */
export interface OfficePaid {
  idHdon: string;
  receiptNo: string;
  pointCode: string;
  paidAt: string;
  cashierCode: string;
}

/**
 * For the customer card: the customer's bills held by a valid payment of another counter ("đã thu
 * tại quầy … lúc …"), by ID_HDON. Only what the last pull knew: offline, the server catches a second
 * payment as a conflict.
 */
export function officePaidBills(sqlite: Sqlite, maKhang: string): OfficePaid[] {
  return officePaidOf(sqlite, [maKhang]).get(maKhang) ?? [];
}

/** officePaidBills of a few customers (a page of search results) in one query, by MA_KHANG. */
export function officePaidOf(sqlite: Sqlite, maKhangs: readonly string[]): Map<string, OfficePaid[]> {
  const rows = sqlite
    .prepare(
      `SELECT p.ma_khang AS maKhang, b.value AS idHdon, p.receipt_no AS receiptNo, p.point_code AS pointCode, p.paid_at AS paidAt, p.cashier_code AS cashierCode
         FROM json_each(?) k CROSS JOIN sync_office_payments p ON p.ma_khang = k.value,
              -- A row edited by hand into bad JSON tells nothing rather than stopping every lookup of the customer.
              json_each(CASE WHEN json_valid(p.bills) THEN p.bills ELSE '[]' END) b
        WHERE p.voided = 0
        ORDER BY b.value`,
    )
    .all(JSON.stringify(maKhangs)) as Array<OfficePaid & { maKhang: string }>;
  const byCustomer = new Map<string, OfficePaid[]>();
  for (const { maKhang, ...paid } of rows) {
    const list = byCustomer.get(maKhang);
    if (list === undefined) byCustomer.set(maKhang, [paid]);
    else list.push(paid);
  }
  return byCustomer;
}

/** The customer card's line for such a bill. */
export function officePaidNotice(o: OfficePaid): string {
  return `Hóa đơn ${o.idHdon} đã thu tại quầy ${o.pointCode} lúc ${formatDateTime(new Date(o.paidAt))} (biên nhận ${o.receiptNo}, thu ngân ${o.cashierCode}).`;
}

/** A company-wide conflict of this point, as pulled. */
export interface SyncConflict {
  id: number;
  idHdon: string;
  /** The later arrival: the refund case while the conflict is open. */
  receiptNo: string;
  pointCode: string;
  heldBy: string | null;
  heldByPoint: string | null;
  status: 'open' | 'promoted' | 'closed';
  detectedAt: string;
}

/** Open conflicts (one bill paid at two points): they join the point's "trùng thu" list. */
export function openSyncConflicts(sqlite: Sqlite): SyncConflict[] {
  return selectAll(
    sqlite,
    query
      .selectFrom('sync_conflicts')
      .where('status', '=', 'open')
      .select(['id', 'id_hdon as idHdon', 'receipt_no as receiptNo', 'point_code as pointCode', 'held_by as heldBy', 'held_by_point as heldByPoint', 'status', 'detected_at as detectedAt'])
      .orderBy('id'),
  );
}
