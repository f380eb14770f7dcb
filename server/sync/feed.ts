import { sql } from 'kysely';
import { parseReceiptNo } from '../../electron/core/receipt-number.ts';
import type { Trx } from './retry.ts';

/** Who pulls a row: the counters of an office see its payments and voids; a conflict goes to each point it involves. */
export const officeAudience = (office: string) => `office:${office}`;
export const pointAudience = (point: string) => `point:${point}`;

export async function feedOffice(trx: Trx, office: string | null, kind: 'payment' | 'void', receipts: string[]): Promise<void> {
  if (office === null || receipts.length === 0) return;
  await sql`INSERT INTO feed (audience, kind, ref) SELECT ${officeAudience(office)}, ${kind}, r FROM unnest(${receipts}::text[]) AS r`.execute(trx);
}

/** A conflict changed (recorded, promoted, closed, re-pointed): each point it involves pulls it again. */
export async function feedConflicts(trx: Trx, conflicts: { id: number; receipt_no: string; held_by: string | null }[]): Promise<void> {
  const audiences: string[] = [];
  const refs: string[] = [];
  for (const c of conflicts) {
    const points = new Set([c.receipt_no, c.held_by].filter((r) => r !== null).map((r) => parseReceiptNo(r)!.pointCode));
    for (const p of points) {
      audiences.push(pointAudience(p));
      refs.push(String(c.id));
    }
  }
  if (refs.length === 0) return;
  await sql`INSERT INTO feed (audience, kind, ref) SELECT a, 'conflict', r FROM unnest(${audiences}::text[], ${refs}::text[]) AS t(a, r)`.execute(trx);
}
