/**
 * A resend (contract section 5): a supervisor decides that lines CMIS rejected go again in the next
 * clearing batch, which lists them as resent in its manifest. Once per line, journaled; the payment
 * itself is never touched. The next export takes every resend not yet in a batch.
 */
import type { Ctx } from '../store/context.ts';
import type { Sqlite } from '../store/open.ts';
import { AppError } from '../core/errors.ts';
import { appendJournal } from '../store/journal.ts';
import { userById } from '../users/users.ts';
import { findPayment } from '../payments/voids.ts';
import { resendableLines } from './line-decisions.ts';

export interface ResendResult {
  resendId: number;
  receiptNo: string;
  decidedAt: string;
  lines: { idHdon: string | null; amount: number }[];
}

export function resendLines(ctx: Ctx, args: { receiptNo: string; bills: string[]; supervisorId: number }): ResendResult {
  const supervisor = userById(ctx, args.supervisorId);
  if (supervisor?.role !== 'supervisor') throw new AppError('SUPERVISOR_REQUIRED', 'Chỉ người giám sát được quyết định gửi lại dòng gạch nợ.');
  return ctx.sqlite
    .transaction((): ResendResult => {
      const { sqlite } = ctx;
      const payment = findPayment(sqlite, args.receiptNo);
      const picked = resendableLines(sqlite, payment, args.bills);
      const at = ctx.clock();
      const decidedAt = at.toISOString();
      const resendId = Number(
        sqlite.prepare('INSERT INTO resends (payment_id, supervisor_id, decided_at) VALUES (?, ?, ?)').run(payment.id, supervisor.id, decidedAt).lastInsertRowid,
      );
      const insertLine = sqlite.prepare('INSERT INTO resend_lines (resend_id, payment_line_id) VALUES (?, ?)');
      for (const l of picked) insertLine.run(resendId, l.lineId);
      appendJournal(sqlite, { kind: 'resend', actorId: supervisor.id, payload: { ...resendFacts(sqlite, resendId)! }, at });
      return { resendId, receiptNo: payment.receipt_no, decidedAt, lines: picked.map((l) => ({ idHdon: l.idHdon, amount: l.tongTien })) };
    })
    .immediate();
}

/** A resend as its rows hold it (without the batch the export writes later), in the journal's shape. */
export interface ResendFacts {
  resendId: number;
  paymentId: number;
  supervisorId: number;
  decidedAt: string;
  lineIds: number[];
}

const FACTS = `
  SELECT s.id AS resendId, s.payment_id AS paymentId, s.supervisor_id AS supervisorId, s.decided_at AS decidedAt, s.batch_id AS batchId,
         (SELECT json_group_array(payment_line_id) FROM (SELECT payment_line_id FROM resend_lines WHERE resend_id = s.id ORDER BY payment_line_id)) AS lineIds
    FROM resends s`;

type FactsRow = Omit<ResendFacts, 'lineIds'> & { lineIds: string; batchId: number | null };

export function resendFacts(sqlite: Sqlite, resendId: number): ResendFacts | undefined {
  const row = sqlite.prepare(`${FACTS} WHERE s.id = ?`).get(resendId) as FactsRow | undefined;
  if (row === undefined) return undefined;
  const { batchId: _, ...facts } = row;
  return { ...facts, lineIds: JSON.parse(row.lineIds) as number[] };
}

/** Every resend's facts and the batch that carried it again, in id order. */
export function allResends(sqlite: Sqlite): (ResendFacts & { batchId: number | null })[] {
  return (sqlite.prepare(`${FACTS} ORDER BY s.id`).all() as FactsRow[]).map((r) => ({ ...r, lineIds: JSON.parse(r.lineIds) as number[] }));
}
