import { sql } from 'kysely';
import type { ServerDb } from './db/connect.ts';

export interface ConflictRow {
  id: number;
  idHdon: string;
  /** The later arrival: the customer paid this bill twice; this receipt is the refund case. */
  receiptNo: string;
  pointCode: string;
  paidAt: string;
  total: number;
  /** The receipt holding the bill (open), or that held it when this one was promoted or closed. */
  heldBy: string | null;
  heldByPoint: string | null;
  heldByPaidAt: string | null;
  status: 'open' | 'promoted' | 'closed';
  detectedAt: string;
  resolvedAt: string | null;
}

/** Conflicts, open ones by default, optionally of one unit (either receipt's customer unit) or one point (either receipt). */
export async function listConflicts(db: ServerDb, filter: { unit?: string; point?: string; all?: boolean }): Promise<ConflictRow[]> {
  const unit = filter.unit?.trim().toUpperCase() ?? null;
  const point = filter.point?.trim().toUpperCase() ?? null;
  const rows = await sql<{
    id: number; id_hdon: string; receipt_no: string; point_code: string; paid_at: Date; total: number; held_by: string | null;
    held_point: string | null; held_paid_at: Date | null; status: ConflictRow['status']; detected_at: Date; resolved_at: Date | null;
  }>`
    SELECT c.id, c.id_hdon, c.receipt_no, later.point_code, later.paid_at, later.total, c.held_by, holder.point_code AS held_point,
           holder.paid_at AS held_paid_at, c.status, c.detected_at, c.resolved_at
      FROM conflicts c JOIN payments later ON later.receipt_no = c.receipt_no LEFT JOIN payments holder ON holder.receipt_no = c.held_by
     WHERE (${filter.all === true} OR c.status = 'open')
       AND (${unit}::text IS NULL OR later.unit = ${unit} OR holder.unit = ${unit})
       AND (${point}::text IS NULL OR later.point_code = ${point} OR holder.point_code = ${point})
     ORDER BY c.id`.execute(db);
  return rows.rows.map((r) => ({
    id: r.id,
    idHdon: r.id_hdon,
    receiptNo: r.receipt_no,
    pointCode: r.point_code,
    paidAt: r.paid_at.toISOString(),
    total: r.total,
    heldBy: r.held_by,
    heldByPoint: r.held_point,
    heldByPaidAt: r.held_paid_at?.toISOString() ?? null,
    status: r.status,
    detectedAt: r.detected_at.toISOString(),
    resolvedAt: r.resolved_at?.toISOString() ?? null,
  }));
}
