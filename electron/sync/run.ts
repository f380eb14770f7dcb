import type { Sqlite } from '../store/open.ts';
import { AppError, asAppError } from '../core/errors.ts';
import type { Clock } from '../core/clock.ts';
import type { SyncClient } from '../../protocol/client.ts';
import { MAX_BODY_BYTES, MAX_EVENTS_PER_PUSH, PROTOCOL_VERSION, syncEvent, type Ack, type SyncEvent } from '../../protocol/sync.ts';
import { requireSetting } from '../store/settings.ts';
import { buildEvents } from './events.ts';
import { alignWithServer, markSent, outboxCounts, recordAcks, waitingItems } from './outbox.ts';
import { pullCursor, storePulled } from './pulled.ts';

/** The calls a sync makes (the pinned HTTPS client; a test may wrap it). */
export type SyncApi = Pick<SyncClient, 'hello' | 'push' | 'pull'>;

export interface SyncOptions {
  clock: Clock;
  /** Items per push (at most the protocol's 2,000). */
  chunk?: number;
  /** Pull pages per sync: the rest comes next time. */
  maxPullPages?: number;
}

export interface SyncReport {
  pointCode: string;
  /** Events sent in this run (a repeat after a lost answer counts again). */
  pushed: number;
  accepted: number;
  duplicate: number;
  conflict: number;
  refused: { seq: number; code: string; message: string }[];
  /** Waiting items the server's lastSeq showed it already had (an answer was lost). */
  seen: number;
  /** Waiting items renumbered because this database is an older copy than the server has seen. */
  renumbered: number;
  /** Bills this run's answers named as held by another receipt (the later arrival is ours). */
  conflicts: { seq: number; idHdon: string; heldBy: string }[];
  pulled: number;
  waiting: number;
  lastSeq: number;
}

/** A body this size or less is sent; the server's limit is MAX_BODY_BYTES. */
const BODY_BUDGET = Math.floor(MAX_BODY_BYTES * 0.75);

/**
 * One sync: hello (the server's lastSeq), the outbox pushed in order in chunks, each answer recorded
 * on its items, then the pull pages stored with their cursor. At-least-once: an item is marked only
 * by an answer (or by lastSeq); a lost answer means the same items go again and come back
 * `duplicate`. No transaction is open while waiting for the network.
 */
export async function syncOnce(sqlite: Sqlite, api: SyncApi, options: SyncOptions): Promise<SyncReport> {
  const pointCode = requireSetting(sqlite, 'point_code');
  sqlite.prepare('UPDATE sync_state SET last_attempt_at = ?').run(options.clock().toISOString());
  try {
    const report = await run(sqlite, api, pointCode, options);
    sqlite.prepare('UPDATE sync_state SET last_sync_at = ?, last_error_code = NULL, last_error_message = NULL').run(options.clock().toISOString());
    return report;
  } catch (error) {
    noteFailure(sqlite, error);
    throw error;
  }
}

/** The last failure, for the status bar (a code and its sentence; an internal fault only as INTERNAL). */
export function noteFailure(sqlite: Sqlite, error: unknown): void {
  const known = asAppError(error);
  sqlite.prepare('UPDATE sync_state SET last_error_code = ?, last_error_message = ?').run(known?.code ?? 'INTERNAL', known?.message ?? 'Lỗi nội bộ khi đồng bộ.');
}

async function run(sqlite: Sqlite, api: SyncApi, pointCode: string, options: SyncOptions): Promise<SyncReport> {
  const report: SyncReport = { pointCode, pushed: 0, accepted: 0, duplicate: 0, conflict: 0, refused: [], seen: 0, renumbered: 0, conflicts: [], pulled: 0, waiting: 0, lastSeq: 0 };
  const hello = await api.hello({ protocol: PROTOCOL_VERSION, pointCode });
  report.lastSeq = hello.lastSeq;
  const aligned = alignWithServer(sqlite, hello.lastSeq, options.clock());
  if (aligned.kind === 'aligned') report.seen = aligned.seen;
  else report.renumbered = aligned.items;

  const chunk = Math.min(options.chunk ?? 500, MAX_EVENTS_PER_PUSH);
  for (;;) {
    const items = waitingItems(sqlite, chunk);
    if (items.length === 0) break;
    const events = fitBody(setAsideInvalid(sqlite, buildEvents(sqlite, items), report, options.clock()));
    if (events.length === 0) continue;
    markSent(sqlite, events.at(-1)!.seq);
    const answer = await api.push({ protocol: PROTOCOL_VERSION, pointCode, events });
    recordAcks(sqlite, answer.acks, options.clock());
    report.pushed += events.length;
    report.lastSeq = answer.lastSeq;
    for (const a of answer.acks) {
      if (a.status === 'refused') report.refused.push({ seq: a.seq, code: a.code ?? 'REFUSED', message: a.message ?? '' });
      else report[a.status] += 1;
      for (const c of a.conflicts ?? []) report.conflicts.push({ seq: a.seq, idHdon: c.idHdon, heldBy: c.heldBy });
    }
  }

  for (let page = 0; page < (options.maxPullPages ?? 20); page++) {
    const pulled = await api.pull({ protocol: PROTOCOL_VERSION, pointCode, cursor: pullCursor(sqlite), limit: 1000 });
    storePulled(sqlite, pulled.items, pulled.cursor, options.clock());
    report.pulled += pulled.items.length;
    if (!pulled.more) break;
  }
  report.waiting = outboxCounts(sqlite).waiting;
  return report;
}

/**
 * Events the protocol would refuse (data that came in by hand: a name with a stray space, a code of
 * the wrong shape) are answered here, `refused` with SYNC_BODY_INVALID: one of them in a push would
 * make the server refuse the whole request, and the outbox behind it would never move.
 */
function setAsideInvalid(sqlite: Sqlite, events: SyncEvent[], report: SyncReport, at: Date): SyncEvent[] {
  const valid: SyncEvent[] = [];
  const invalid: Ack[] = [];
  for (const e of events) {
    const checked = syncEvent.safeParse(e);
    if (checked.success) valid.push(e);
    else {
      const message = `Mục ${e.seq} không đúng giao thức đồng bộ, không gửi: ${checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`;
      invalid.push({ seq: e.seq, status: 'refused', code: 'SYNC_BODY_INVALID', message });
      report.refused.push({ seq: e.seq, code: 'SYNC_BODY_INVALID', message });
    }
  }
  if (invalid.length > 0) recordAcks(sqlite, invalid, at);
  return valid;
}

/** The longest head of `events` whose request stays under the body budget. */
export function fitBody(events: SyncEvent[]): SyncEvent[] {
  let bytes = 200;
  for (let i = 0; i < events.length; i++) {
    bytes += Buffer.byteLength(JSON.stringify(events[i])) + 1;
    if (bytes > BODY_BUDGET) {
      if (i === 0) throw new AppError('SYNC_ITEM_TOO_LARGE', `Mục đồng bộ số ${events[0]!.seq} lớn hơn giới hạn một lần gửi của máy chủ; hãy báo bộ phận kỹ thuật.`);
      return events.slice(0, i);
    }
  }
  return events;
}
