import { sql } from 'kysely';
import type { Sqlite } from '../store/open.ts';
import { query, selectAll, selectOne } from '../store/typed-query.ts';
import type { Ack } from '../../protocol/sync.ts';
import type { OutboxItem } from './events.ts';

/**
 * The outbox's bookkeeping. Every function is one short transaction (or a read): the push and pull
 * await the network between them, never inside one, so a payment collected meanwhile (same
 * connection in the app, another process from the CLI) never waits for the network.
 */

/** The oldest waiting items, in seq order. */
export function waitingItems(sqlite: Sqlite, limit: number): OutboxItem[] {
  return selectAll(
    sqlite,
    query
      .selectFrom('sync_outbox')
      .where('status', '=', 'waiting')
      .select(['seq', 'kind', 'payment_id as paymentId', 'batch_id as batchId', 'refund_id as refundId'])
      .orderBy('seq')
      .limit(limit),
  );
}

/** Before a push: the highest seq ever handed to the server (what `lastSeq` is checked against). */
export function markSent(sqlite: Sqlite, maxSeq: number): void {
  sqlite.prepare('UPDATE sync_state SET max_sent_seq = MAX(max_sent_seq, ?)').run(maxSeq);
}

/** The server's answers, each on its item (an item already answered keeps its first answer). */
export function recordAcks(sqlite: Sqlite, acks: Ack[], at: Date): void {
  const answer = sqlite.prepare("UPDATE sync_outbox SET status = ?, answered_at = ?, code = ?, message = ? WHERE seq = ? AND status = 'waiting'");
  sqlite
    .transaction(() => {
      for (const a of acks) answer.run(a.status, at.toISOString(), a.code ?? null, a.message ?? null, a.seq);
    })
    .immediate();
}

export type Alignment = { kind: 'aligned'; seen: number } | { kind: 'renumbered'; items: number; from: number };

/**
 * Holds the outbox against the server's `lastSeq` before pushing. Normally lastSeq is at most the
 * highest seq this database ever sent (max_sent_seq, written before each push), and every item at or
 * below it that still waits was in a push the server committed whose answer was lost: it is marked
 * `seen`, not sent again. A lastSeq above max_sent_seq means this database is an older copy of the
 * point's (a restored backup): the server has seen seqs this copy is about to reuse for other
 * payments, so every waiting item is renumbered above lastSeq (order kept) and sent again; the
 * server's idempotence absorbs the ones it already had.
 */
export function alignWithServer(sqlite: Sqlite, lastSeq: number, at: Date): Alignment {
  return sqlite
    .transaction((): Alignment => {
      const { max_sent_seq: maxSent } = selectOne(sqlite, query.selectFrom('sync_state').select('max_sent_seq'));
      if (lastSeq <= maxSent) {
        const seen = sqlite.prepare("UPDATE sync_outbox SET status = 'seen', answered_at = ? WHERE status = 'waiting' AND seq <= ?").run(at.toISOString(), lastSeq).changes;
        return { kind: 'aligned', seen };
      }
      const { top, low, n } = selectOne(
        sqlite,
        query
          .selectFrom('sync_outbox')
          .where('status', '=', 'waiting')
          .select((eb) => [
            eb.selectFrom('sync_outbox').where('status', '<>', 'waiting').select(eb.fn.coalesce(eb.fn.max('seq'), sql.lit(0)).as('top')).$asScalar().$notNull().as('top'),
            eb.fn.min<number | null>('seq').as('low'),
            eb.fn.countAll<number>().as('n'),
          ]),
      );
      if (low !== null) {
        // Two steps so no two items ever hold the same seq on the way.
        const shift = Math.max(lastSeq, top) - low + 1;
        sqlite.prepare("UPDATE sync_outbox SET seq = -seq WHERE status = 'waiting'").run();
        sqlite.prepare('UPDATE sync_outbox SET seq = -seq + ? WHERE seq < 0').run(shift);
      }
      sqlite.prepare('UPDATE sync_state SET max_sent_seq = ?').run(lastSeq);
      return { kind: 'renumbered', items: n, from: low ?? 0 };
    })
    .immediate();
}

export interface OutboxCounts {
  waiting: number;
  /** created_at of the oldest waiting item (ISO), null when none waits. */
  oldestWaiting: string | null;
  refused: number;
}

export function outboxCounts(sqlite: Sqlite): OutboxCounts {
  return selectOne(
    sqlite,
    query
      .selectFrom('sync_outbox')
      .select((eb) => [
        eb.fn.countAll<number>().filterWhere('status', '=', 'waiting').as('waiting'),
        eb.fn.min<string | null>('created_at').filterWhere('status', '=', 'waiting').as('oldestWaiting'),
        eb.fn.countAll<number>().filterWhere('status', '=', 'refused').as('refused'),
      ]),
  );
}
