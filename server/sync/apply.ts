import { sql } from 'kysely';
import { AppError, type ErrorCode } from '../../electron/core/errors.ts';
import { parseReceiptNo } from '../../electron/core/receipt-number.ts';
import type { Ack, PaymentEvent, PushResponse, SyncEvent } from '../../protocol/sync.ts';
import type { ServerDb } from '../db/connect.ts';
import { applyBatch } from './batches.ts';
import { applyPayments } from './payments.ts';
import { inTransaction } from './retry.ts';
import { applyVoid } from './voids.ts';
import { applyRefund } from './refunds.ts';
import { applyResent, type ResentRow } from './resends.ts';

export type Source = 'push' | 'ingest';

/** The point each event names: a point pushes only its own receipts, voids and batches. */
function eventPoint(e: SyncEvent): string | null {
  switch (e.kind) {
    case 'payment':
      return e.payment.pointCode;
    case 'void':
      return parseReceiptNo(e.receiptNo)?.pointCode ?? null;
    case 'export':
      return e.batch.pointCode;
    case 'refund':
      return e.refund.pointCode;
    default:
      return null;
  }
}

/** The answer to an event: recorded (or a repeat), or refused with the code and sentence. */
const ackOf = (seq: number, outcome: 'accepted' | 'duplicate' | { code: string; message: string }): Ack =>
  typeof outcome === 'string' ? { seq, status: outcome } : { seq, status: 'refused', code: outcome.code, message: outcome.message };

/**
 * Applies a point's events in their order, all in one transaction (a push, or the events of an
 * ingested file): an answer for each event, then the point's high-water seq. The point's row is
 * locked first (NO KEY UPDATE: rows referencing the point are not blocked by it), so two pushes of
 * one point (a retry racing its lost original) run one after the other; points push concurrently. Any event naming another point refuses the whole request
 * before anything is written. With allOrNothing (a file) one refused event refuses them all.
 * `resent`: the rows an ingested file carries again (its manifest's `resent`), answered after the
 * events (their batch first), with seqs after the last event's.
 */
export async function applyEvents(
  db: ServerDb,
  pointCode: string,
  events: SyncEvent[],
  source: Source,
  options: { recordSeq: boolean; allOrNothing?: boolean; resent?: ResentRow[] },
): Promise<PushResponse> {
  const foreign = events.filter((e) => eventPoint(e) !== null && eventPoint(e) !== pointCode);
  if (foreign.length > 0) {
    throw new AppError('POINT_NOT_YOURS', `Điểm thu ${pointCode} chỉ được gửi khoản thu của chính mình; yêu cầu có ${foreign.length} mục của điểm thu khác: không ghi gì.`, {
      seqs: foreign.slice(0, 20).map((e) => e.seq),
    });
  }
  return inTransaction(db, async (trx) => {
    const point = (
      await sql<{ code: string; office: string | null; last_seq: number }>`SELECT code, office, last_seq FROM points WHERE code = ${pointCode} FOR NO KEY UPDATE`.execute(trx)
    ).rows[0];
    if (point === undefined) throw new AppError('POINT_UNKNOWN', `Máy chủ chưa có điểm thu ${pointCode}: hãy thêm bằng "diemthu-server point add".`);
    const acks: Ack[] = [];
    for (let i = 0; i < events.length; ) {
      const e = events[i]!;
      if (e.kind === 'payment') {
        const run: PaymentEvent[] = [];
        for (; i < events.length && events[i]!.kind === 'payment'; i++) run.push(events[i] as PaymentEvent);
        const answered = await applyPayments(trx, point, run, source);
        for (const p of run) acks.push(answered.get(p.seq)!);
        continue;
      }
      i++;
      if (e.kind === 'void') {
        const outcome = await applyVoid(trx, point, e.receiptNo, source);
        acks.push(
          typeof outcome === 'string'
            ? { seq: e.seq, status: outcome }
            : { seq: e.seq, status: 'refused', code: outcome.refused, message: `Biên nhận ${e.receiptNo} đã thuộc một lần xuất gạch nợ; không ghi hủy.` },
        );
      } else if (e.kind === 'export') {
        acks.push(ackOf(e.seq, await applyBatch(trx, point, e.batch, source)));
      } else if (e.kind === 'refund') {
        acks.push(ackOf(e.seq, await applyRefund(trx, point, e.refund, source)));
      } else {
        acks.push({ seq: e.seq, status: 'refused', code: 'EVENT_KIND_NOT_SUPPORTED', message: `Máy chủ này chưa nhận loại mục "${e.kind}"; mục được giữ lại để gửi sau khi nâng cấp.` });
      }
    }
    let seq = Math.max(0, ...events.map((e) => e.seq));
    for (const r of options.resent ?? []) acks.push(ackOf(++seq, await applyResent(trx, point, r, source)));
    const refused = acks.filter((a) => a.status === 'refused');
    if (options.allOrNothing === true && refused.length > 0) {
      // Thrown inside the transaction: it rolls back whole.
      throw new AppError(refused[0]!.code! as ErrorCode, `${refused[0]!.message!} (${refused.length} mục bị từ chối; không ghi gì.)`, { refused: refused.slice(0, 20) });
    }
    const maxSeq = options.recordSeq ? Math.max(point.last_seq, ...events.map((e) => e.seq)) : point.last_seq;
    await sql`UPDATE points SET last_seq = ${maxSeq}, last_seen_at = now() WHERE code = ${pointCode}`.execute(trx);
    return { acks, lastSeq: maxSeq, serverTime: new Date().toISOString() };
  });
}
