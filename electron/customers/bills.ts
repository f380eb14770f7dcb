import type { Selectable } from 'kysely';
import type { Sqlite } from '../store/open.ts';
import type { Tables } from '../store/tables.ts';
import type { OfficePaid } from '../sync/pulled.ts';

/** The snapshot in force: the latest one imported. null before the first import. */
export function currentSnapshotId(sqlite: Sqlite): number | null {
  const row = sqlite.prepare('SELECT MAX(id) AS id FROM snapshots').get() as { id: number | null };
  return row.id;
}

/** A bill as the collection screen and the payment read it (the table row without its snapshot ids). */
export type BillRow = Omit<Selectable<Tables['bills']>, 'first_snapshot_id' | 'last_snapshot_id'>;

const BILL_COLUMNS = 'b.id, b.id_hdon, b.customer_id, b.loai_hdon, b.ky, b.thang, b.nam, b.dien_tthu, b.so_tien, b.tien_gtgt, b.tong_tien, b.han_ttoan';

/**
 * A bill is outstanding when the current snapshot lists it and no valid payment holds it.
 * Oldest period first (NAM, THANG, KY), the order in which they must be paid.
 */
export function outstandingBills(sqlite: Sqlite, customerId: number): BillRow[] {
  return sqlite
    .prepare(
      `SELECT ${BILL_COLUMNS}
         FROM bills b
        WHERE b.customer_id = ?
          AND +b.last_snapshot_id = (SELECT MAX(id) FROM snapshots) -- unary +: use the customer index, not every bill of the snapshot
          AND NOT EXISTS (SELECT 1 FROM payment_lines l WHERE l.bill_id = b.id AND l.voided = 0)
        ORDER BY b.nam, b.thang, b.ky, b.id_hdon`,
    )
    .all(customerId) as BillRow[];
}

/** outstandingBills of a few customers (a page of search results) in one query, by customer id. */
export function outstandingBillsOf(sqlite: Sqlite, customerIds: readonly number[], snapshotId: number): Map<number, BillRow[]> {
  const rows = sqlite
    .prepare(
      // Driven by the <= 50 ids: the unary + keeps the planner off the bills_snapshot index
      // (every bill of the snapshot), which it would otherwise pick for the equality.
      `SELECT ${BILL_COLUMNS}
         FROM json_each(?) j CROSS JOIN bills b ON b.customer_id = j.value
        WHERE +b.last_snapshot_id = ?
          AND NOT EXISTS (SELECT 1 FROM payment_lines l WHERE l.bill_id = b.id AND l.voided = 0)
        ORDER BY b.customer_id, b.nam, b.thang, b.ky, b.id_hdon`,
    )
    .all(JSON.stringify(customerIds), snapshotId) as BillRow[];
  const byCustomer = new Map<number, BillRow[]>();
  for (const r of rows) {
    const list = byCustomer.get(r.customer_id);
    if (list === undefined) byCustomer.set(r.customer_id, [r]);
    else list.push(r);
  }
  return byCustomer;
}

/** An outstanding bill another counter of the office took, as the last sync pull said. */
export interface BillPaidElsewhere extends OfficePaid {
  bill: BillRow;
}

/**
 * A customer's outstanding bills parted by what the last pull brought: a bill held by a valid
 * payment of another counter of the office is not to collect here (the card says where and when);
 * the others stay, in order. A bill paid here as well is not outstanding here in the first place
 * (the server has that conflict), so it is no notice.
 */
export function partOfficePaid(owed: readonly BillRow[], held: readonly OfficePaid[]): { bills: BillRow[]; officePaid: BillPaidElsewhere[] } {
  const byBill = new Map(held.map((h) => [h.idHdon, h]));
  const bills: BillRow[] = [];
  const officePaid: BillPaidElsewhere[] = [];
  for (const bill of owed) {
    const paid = byBill.get(bill.id_hdon);
    if (paid === undefined) bills.push(bill);
    else officePaid.push({ ...paid, bill });
  }
  return { bills, officePaid };
}
