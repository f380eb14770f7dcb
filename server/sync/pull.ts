import { sql } from 'kysely';
import type { PulledItem, PullResponse } from '../../protocol/sync.ts';
import type { ServerDb } from '../db/connect.ts';
import type { Point } from '../points.ts';
import { officeAudience, pointAudience } from './feed.ts';

/**
 * What a point pulls after its cursor: its office's payments and voids (another counter's, not its
 * own) and the conflicts involving it, each in its current state, in commit-safe order: only rows of
 * transactions older than every transaction still running are returned, so a later pull never finds
 * a row behind its cursor.
 *
 * "Every transaction still running" leaves out those known to belong to another database of the
 * cluster (transaction ids are cluster-wide, so a long transaction of another application on the same
 * PostgreSQL would otherwise hold every pull back until it ends). Known means seen in pg_stat_activity
 * after the snapshot was taken: a transaction that ended meanwhile, or whose database cannot be seen,
 * still counts, so the horizon can only be too early, never too late.
 */
export async function pull(db: ServerDb, point: Point, cursor: string | null, limit: number): Promise<PullResponse> {
  const [xid, id] = cursor === null ? ['0', '0'] : cursor.split(':');
  const audiences = [pointAudience(point.code), ...(point.office === null ? [] : [officeAudience(point.office)])];
  const rows = await sql<{ id: number; xid: string; kind: 'payment' | 'void' | 'conflict'; ref: string }>`
    SELECT id, xid::text AS xid, kind, ref FROM feed
     WHERE audience = ANY(${audiences}::text[])
       AND (xid, id) > (${xid}::xid8, ${id}::bigint)
       AND xid < (
         WITH s AS (SELECT pg_current_snapshot() AS snapshot)
         SELECT coalesce(
           (SELECT min(running) FROM s, pg_snapshot_xip(s.snapshot) AS running
             WHERE (running::text::bigint % 4294967296) NOT IN (
               SELECT backend_xid::text::bigint FROM pg_stat_activity
                WHERE backend_xid IS NOT NULL AND datname IS DISTINCT FROM current_database())),
           (SELECT pg_snapshot_xmax(snapshot) FROM s)))
     ORDER BY xid, id LIMIT ${limit + 1}`.execute(db);
  const page = rows.rows.slice(0, limit);
  const items: PulledItem[] = [];
  const receipts = page.filter((r) => r.kind === 'payment').map((r) => r.ref);
  const payments = new Map(
    (
      await sql<{ receipt_no: string; point_code: string; ma_khang: string; paid_at: Date; cashier_code: string; total: number; voided: boolean; bills: string[] }>`
        SELECT p.receipt_no, p.point_code, p.ma_khang, p.paid_at, p.cashier_code, p.total, p.voided_at IS NOT NULL AS voided,
               coalesce(array_agg(l.id_hdon ORDER BY l.id_hdon) FILTER (WHERE l.live AND l.id_hdon IS NOT NULL), '{}') AS bills
          FROM payments p LEFT JOIN payment_lines l ON l.receipt_no = p.receipt_no
         WHERE p.receipt_no = ANY(${receipts}::text[]) GROUP BY p.receipt_no`.execute(db)
    ).rows.map((p) => [p.receipt_no, p]),
  );
  const conflictIds = page.filter((r) => r.kind === 'conflict').map((r) => Number(r.ref));
  const conflicts = new Map(
    (
      await sql<{ id: number; id_hdon: string; receipt_no: string; held_by: string | null; status: 'open' | 'promoted' | 'closed'; detected_at: Date }>`
        SELECT id, id_hdon, receipt_no, held_by, status, detected_at FROM conflicts WHERE id = ANY(${conflictIds}::bigint[])`.execute(db)
    ).rows.map((c) => [c.id, c]),
  );
  for (const r of page) {
    if (r.kind === 'payment') {
      const p = payments.get(r.ref)!;
      if (p.point_code === point.code) continue;
      items.push({ kind: 'payment', receiptNo: p.receipt_no, pointCode: p.point_code, maKhang: p.ma_khang, paidAt: p.paid_at.toISOString(), cashierCode: p.cashier_code, total: p.total, bills: p.bills, voided: p.voided });
    } else if (r.kind === 'void') {
      const pointCode = r.ref.slice(0, r.ref.indexOf('-'));
      if (pointCode !== point.code) items.push({ kind: 'void', receiptNo: r.ref, pointCode });
    } else {
      const c = conflicts.get(Number(r.ref))!;
      const heldByPoint = c.held_by === null ? null : c.held_by.slice(0, c.held_by.indexOf('-'));
      items.push({ kind: 'conflict', id: c.id, idHdon: c.id_hdon, receiptNo: c.receipt_no, pointCode: c.receipt_no.slice(0, c.receipt_no.indexOf('-')), heldBy: c.held_by, heldByPoint, status: c.status, detectedAt: c.detected_at.toISOString() });
    }
  }
  const last = page.at(-1);
  return { items, cursor: last === undefined ? cursor : `${last.xid}:${last.id}`, more: rows.rows.length > limit, serverTime: new Date().toISOString() };
}
