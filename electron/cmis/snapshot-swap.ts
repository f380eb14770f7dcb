import type { Sqlite } from '../store/open.ts';
import { query, selectAll } from '../store/typed-query.ts';
import { SEARCH_HASHSIZE, type SearchAside } from './search-aside.ts';
import type { ReimportSummary } from './snapshots.ts';

/**
 * The swap: writes the staged snapshot `sid` (snapshot-staging.ts) into the point's tables, inside the
 * caller's IMMEDIATE transaction. Set-based statements in C (one pass each, no row crossing into
 * JavaScript) are what keeps the write lock short. Customers keep their ids (payments point at them);
 * a new customer's id follows file order. A bill paid here keeps its amounts and customer (the
 * payment copied them); only its presence in the snapshot is recorded.
 */
export function swapStaged(sqlite: Sqlite, sid: number, aside: SearchAside | null): SearchUpkeep {
  const search = searchChanges(sqlite, aside);
  sqlite
    .prepare(
      `INSERT INTO customers (ma_dviqly, ten_khang, dchi_khang, ma_the, dthoai_sms, ma_sogcs, stt, so_cto, tthai_cat, name_fold, addr_fold, last_snapshot_id, ma_khang)
       SELECT ma_dviqly, ten_khang, dchi_khang, ma_the, dthoai_sms, ma_sogcs, stt, so_cto, tthai_cat, name_fold, addr_fold, @sid, ma_khang
         FROM stage.stage_customers WHERE true ORDER BY n
       ON CONFLICT (ma_khang) DO UPDATE SET
         ma_dviqly = excluded.ma_dviqly, ten_khang = excluded.ten_khang, dchi_khang = excluded.dchi_khang, ma_the = excluded.ma_the,
         dthoai_sms = excluded.dthoai_sms, ma_sogcs = excluded.ma_sogcs, stt = excluded.stt, so_cto = excluded.so_cto,
         tthai_cat = excluded.tthai_cat, name_fold = excluded.name_fold, addr_fold = excluded.addr_fold, last_snapshot_id = excluded.last_snapshot_id`,
    )
    .run({ sid });
  // A bill paid here keeps everything but its presence: the upsert leaves it alone (one probe of its
  // payment lines per listed bill, where a guard per column made ten), and only its snapshot is moved.
  sqlite
    .prepare(
      `INSERT INTO bills (id_hdon, customer_id, loai_hdon, ky, thang, nam, dien_tthu, so_tien, tien_gtgt, tong_tien, han_ttoan, first_snapshot_id, last_snapshot_id)
       SELECT s.id_hdon, c.id, s.loai_hdon, s.ky, s.thang, s.nam, s.dien_tthu, s.so_tien, s.tien_gtgt, s.tong_tien, s.han_ttoan, @sid, @sid
         FROM stage.stage_bills s JOIN stage.stage_customers sc ON sc.n = s.customer_n JOIN customers c ON c.ma_khang = sc.ma_khang
        WHERE true ORDER BY s.rowid
       ON CONFLICT (id_hdon) DO UPDATE SET
         customer_id = excluded.customer_id, loai_hdon = excluded.loai_hdon, ky = excluded.ky, thang = excluded.thang, nam = excluded.nam,
         dien_tthu = excluded.dien_tthu, so_tien = excluded.so_tien, tien_gtgt = excluded.tien_gtgt, tong_tien = excluded.tong_tien,
         han_ttoan = excluded.han_ttoan, last_snapshot_id = excluded.last_snapshot_id
       WHERE NOT EXISTS (SELECT 1 FROM payment_lines l WHERE l.bill_id = bills.id AND l.voided = 0)`,
    )
    .run({ sid });
  sqlite
    .prepare(
      `UPDATE bills SET last_snapshot_id = @sid
        WHERE id IN (SELECT bill_id FROM payment_lines WHERE voided = 0) AND id_hdon IN (SELECT id_hdon FROM stage.stage_bills)`,
    )
    .run({ sid });
  return search.apply();
}

/** How the swap brought the search index up to date: patched for the customers new or renamed, rebuilt whole, or copied from the index built aside. */
export type SearchUpkeep = 'patched' | 'rebuilt' | 'aside';

/** Above this share of customers new or renamed, the search index is rebuilt rather than patched. */
const REBUILD_SHARE = 0.1;

/**
 * The search index's upkeep for the swap, decided before the customers are written: a morning's file
 * mostly repeats yesterday's names, so only the customers new or with a changed name or address are
 * patched (an external-content index is told the old text to delete); one that renames many rebuilds
 * it whole (one pass in C); a first import takes the index built aside meanwhile, when there is one.
 */
function searchChanges(sqlite: Sqlite, aside: SearchAside | null): { apply(): SearchUpkeep } {
  const before = sqlite.prepare('SELECT COALESCE(MAX(id), 0) AS maxId, COUNT(*) AS n FROM customers').get() as { maxId: number; n: number };
  const { added, renamed } = sqlite
    .prepare(
      `SELECT COALESCE(SUM(c.id IS NULL), 0) AS added, COALESCE(SUM(c.name_fold <> s.name_fold OR c.addr_fold <> s.addr_fold), 0) AS renamed
         FROM stage.stage_customers s LEFT JOIN customers c ON c.ma_khang = s.ma_khang`,
    )
    .get() as { added: number; renamed: number };
  if (added + renamed > REBUILD_SHARE * (before.n + added)) {
    return {
      apply() {
        // Customers' ids are their staging numbers only in a point that had none (the aside index's rowids).
        if (before.maxId === 0 && aside?.copyInto(sqlite) === true) return 'aside';
        // FTS5 writes its in-memory terms out as a new segment every `hashsize` bytes (1 MB by default) and
        // merges segments as it goes: a 16 MB buffer (a persistent setting of the index, written with it)
        // makes the province's rebuild about 40% faster. Queries do not depend on it.
        sqlite.prepare(`INSERT INTO customer_search (customer_search, rank) VALUES ('hashsize', ${SEARCH_HASHSIZE})`).run();
        sqlite.prepare("INSERT INTO customer_search (customer_search) VALUES ('rebuild')").run();
        return 'rebuilt';
      },
    };
  }
  // The old text leaves the index before the customers row changes: the index must be told exactly what it holds.
  sqlite.exec(`DROP TABLE IF EXISTS temp.stage_renamed;
    CREATE TEMP TABLE stage_renamed AS
      SELECT c.id, c.name_fold, c.addr_fold FROM stage.stage_customers s JOIN customers c ON c.ma_khang = s.ma_khang
       WHERE c.name_fold <> s.name_fold OR c.addr_fold <> s.addr_fold;
    INSERT INTO customer_search (customer_search, rowid, name_fold, addr_fold) SELECT 'delete', id, name_fold, addr_fold FROM temp.stage_renamed`);
  return {
    apply() {
      sqlite
        .prepare(
          `INSERT INTO customer_search (rowid, name_fold, addr_fold)
           SELECT id, name_fold, addr_fold FROM customers WHERE id > @maxId OR id IN (SELECT id FROM temp.stage_renamed)`,
        )
        .run({ maxId: before.maxId });
      return 'patched';
    },
  };
}

/**
 * The contract's re-import table for snapshot `sid` (after the swap, in its transaction: a payment
 * committed while the file was read and staged is counted): every bill paid here that the snapshot
 * lists, every bill of the previous snapshot that this one no longer lists, and every earlier
 * conflict still unresolved (paid here, not exported, gone from CMIS). Plain outstanding bills are only counted.
 */
export function computeReimport(sqlite: Sqlite, sid: number, previous: number | null, billsInSnapshot: number): ReimportSummary {
  // Two index-driven halves (bills that left since the previous snapshot; bills with a valid payment
  // here) instead of one OR over every bill: the second half is as small as the point's payments.
  sqlite
    .prepare(
      `INSERT INTO snapshot_bill_states (snapshot_id, bill_id, state)
       SELECT @sid, b.id,
              CASE
                WHEN b.last_snapshot_id = @sid THEN CASE WHEN p.batch_id IS NULL THEN 'paid_waiting_export' ELSE 'exported_still_open' END
                WHEN l.id IS NULL THEN 'cleared_elsewhere'
                WHEN p.batch_id IS NOT NULL THEN 'cleared'
                ELSE 'conflict'
              END
         FROM (SELECT id FROM bills WHERE last_snapshot_id = @previous
               UNION
               SELECT l.bill_id FROM payment_lines l JOIN payments p ON p.id = l.payment_id JOIN bills b ON b.id = l.bill_id
                WHERE l.voided = 0 AND (b.last_snapshot_id = @sid OR (p.batch_id IS NULL AND b.last_snapshot_id < @sid))) AS pick
         JOIN bills b ON b.id = pick.id
         LEFT JOIN payment_lines l ON l.bill_id = b.id AND l.voided = 0
         LEFT JOIN payments p ON p.id = l.payment_id`,
    )
    .run({ sid, previous: previous ?? -1 });
  const counts = Object.fromEntries(
    selectAll(
      sqlite,
      query
        .selectFrom('snapshot_bill_states')
        .where('snapshot_id', '=', sid)
        .groupBy('state')
        .select((eb) => ['state', eb.fn.countAll<number>().as('n')]),
    ).map(
      (r) => [r.state, r.n],
    ),
  ) as Partial<ReimportSummary>;
  const paidWaiting = counts.paid_waiting_export ?? 0;
  const exportedOpen = counts.exported_still_open ?? 0;
  return {
    outstanding: billsInSnapshot - paidWaiting - exportedOpen,
    paid_waiting_export: paidWaiting,
    exported_still_open: exportedOpen,
    cleared_elsewhere: counts.cleared_elsewhere ?? 0,
    cleared: counts.cleared ?? 0,
    conflict: counts.conflict ?? 0,
  };
}
