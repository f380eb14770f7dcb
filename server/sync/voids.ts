import { sql } from 'kysely';
import { feedConflicts, feedOffice } from './feed.ts';
import type { Trx } from './retry.ts';
import type { Source } from './apply.ts';

type ConflictRow = { id: number; receipt_no: string; held_by: string | null };

/**
 * Voids a payment already recorded (its row locked by the caller): its lines stop
 * clearing, its own open conflicts close, and each bill it held goes to the oldest open conflict
 * whose payment is still valid (that payment's row locked first, so a concurrent void of it either
 * finished before, and its conflict is closed, or waits for this one). The remaining open conflicts
 * of the bill now name the new holder.
 */
async function release(trx: Trx, receiptNo: string): Promise<void> {
  await sql`UPDATE payments SET voided_at = now() WHERE receipt_no = ${receiptNo}`.execute(trx);
  const released = await sql<{ id_hdon: string | null }>`
    UPDATE payment_lines SET live = false WHERE receipt_no = ${receiptNo} AND live RETURNING id_hdon`.execute(trx);
  const changed: ConflictRow[] = [];
  const promotedReceipts = new Set<string>();
  const closed = await sql<ConflictRow>`
    UPDATE conflicts SET status = 'closed', resolved_at = now() WHERE receipt_no = ${receiptNo} AND status = 'open' RETURNING id, receipt_no, held_by`.execute(trx);
  changed.push(...closed.rows);
  const bills = released.rows.map((r) => r.id_hdon).filter((b): b is string => b !== null).sort();
  for (const bill of bills) {
    for (;;) {
      const next = await sql<ConflictRow>`
        SELECT id, receipt_no, held_by FROM conflicts WHERE id_hdon = ${bill} AND status = 'open' ORDER BY id LIMIT 1 FOR UPDATE`.execute(trx);
      const candidate = next.rows[0];
      if (candidate === undefined) break;
      const payment = await sql<{ voided_at: Date | null }>`SELECT voided_at FROM payments WHERE receipt_no = ${candidate.receipt_no} FOR NO KEY UPDATE`.execute(trx);
      if (payment.rows[0]?.voided_at != null) {
        const stale = await sql<ConflictRow>`UPDATE conflicts SET status = 'closed', resolved_at = now() WHERE id = ${candidate.id} RETURNING id, receipt_no, held_by`.execute(trx);
        changed.push(...stale.rows);
        continue;
      }
      await sql`UPDATE payment_lines SET live = true WHERE receipt_no = ${candidate.receipt_no} AND id_hdon = ${bill}`.execute(trx);
      promotedReceipts.add(candidate.receipt_no);
      const promoted = await sql<ConflictRow>`
        UPDATE conflicts SET status = 'promoted', resolved_at = now() WHERE id = ${candidate.id} RETURNING id, receipt_no, held_by`.execute(trx);
      const repointed = await sql<ConflictRow>`
        UPDATE conflicts SET held_by = ${candidate.receipt_no} WHERE id_hdon = ${bill} AND status = 'open' RETURNING id, receipt_no, held_by`.execute(trx);
      changed.push(...promoted.rows, ...repointed.rows);
      break;
    }
  }
  await feedConflicts(trx, changed);
  await feedPromoted(trx, [...promotedReceipts]);
}

/**
 * A receipt that now holds bills it did not hold when its office pulled it: pulled again by the
 * counters of its own office (the voiding point's office may be another), so they refuse the bills.
 */
async function feedPromoted(trx: Trx, receipts: string[]): Promise<void> {
  if (receipts.length === 0) return;
  const offices = await sql<{ office: string; receipt_no: string }>`
    SELECT pt.office, p.receipt_no FROM payments p JOIN points pt ON pt.code = p.point_code
     WHERE p.receipt_no = ANY(${receipts}::text[]) AND pt.office IS NOT NULL ORDER BY p.receipt_no`.execute(trx);
  for (const row of offices.rows) await feedOffice(trx, row.office, 'payment', [row.receipt_no]);
}

export type VoidOutcome = 'accepted' | 'duplicate' | { refused: 'VOID_AFTER_EXPORT' };

/**
 * A void of one of the point's receipts, recorded by receipt number (the payment may not be here:
 * a manifest lists receipts voided before export, whose payments no file carries). A receipt already
 * in a clearing batch is not voided (the point never does: CMIS has it).
 */
export async function applyVoid(trx: Trx, point: { code: string; office: string | null }, receiptNo: string, source: Source): Promise<VoidOutcome> {
  const known = await sql`SELECT 1 FROM voids WHERE receipt_no = ${receiptNo}`.execute(trx);
  if (known.rows.length > 0) return 'duplicate';
  const payment = await sql<{ batched: boolean }>`
    SELECT EXISTS (SELECT 1 FROM batch_receipts b WHERE b.receipt_no = p.receipt_no) AS batched FROM payments p WHERE p.receipt_no = ${receiptNo} FOR NO KEY UPDATE OF p`.execute(trx);
  if (payment.rows[0]?.batched === true) return { refused: 'VOID_AFTER_EXPORT' };
  await sql`INSERT INTO voids (receipt_no, point_code, source) VALUES (${receiptNo}, ${point.code}, ${source})`.execute(trx);
  if (payment.rows.length > 0) await release(trx, receiptNo);
  await feedOffice(trx, point.office, 'void', [receiptNo]);
  return 'accepted';
}
