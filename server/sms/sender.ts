import { sql } from 'kysely';
import { localParts } from '../../electron/core/local-time.ts';
import type { ServerDb } from '../db/connect.ts';
import type { Gateway, SendOutcome } from './gateway.ts';

/** Messages go out between 07:00 and 21:00, Việt Nam time (contract section 6). */
export function inSendWindow(at: Date): boolean {
  const hour = localParts(at).hour;
  return hour >= 7 && hour < 21;
}

export interface SenderOptions {
  gateway: Gateway;
  /** Who holds a claim (host:pid:random): a lease names its sender. */
  owner: string;
  clock?: () => Date;
  /** How long a claim holds before another sender may take the message (its sender died). */
  leaseMs?: number;
  batch?: number;
  /** Sends in flight at once (within the rate). */
  parallel?: number;
  maxAttempts?: number;
  /** First retry after this long, doubled each time up to an hour. */
  backoffMs?: number;
  /** Stop after this many batches (tests); default: until nothing is due. */
  maxBatches?: number;
}

export interface SendRun {
  outsideWindow: boolean;
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
  expired: number;
  /** Acknowledgements recorded after another sender had taken the message over (its lease ran out): not counted twice. */
  lostLease: number;
  seconds: number;
}

export const backoff = (attempt: number, baseMs: number): number => Math.min(baseMs * 2 ** Math.max(0, attempt - 1), 60 * 60 * 1000);

interface Claimed {
  ma_tin: string;
  msisdn: string;
  body: string;
  attempts: number;
}

/** Paces sends at `perSecond`: each takes the next free slot. */
function rateLimiter(perSecond: number, now: () => number): () => Promise<void> {
  const gap = 1000 / perSecond;
  let next = now();
  return async () => {
    const at = Math.max(next, now());
    next = at + gap;
    const wait = at - now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  };
}

/**
 * Sends every due message, batch by batch: expire what is past HET_HAN, claim a batch (queued rows
 * whose time has come and sending rows whose lease ran out, FOR UPDATE SKIP LOCKED so two senders
 * never take the same row), send each with its MA_TIN as idempotency key, record the answer under the
 * claim (only while this sender still holds the lease). A message the gateway acknowledged is never
 * claimed again (the state says so, and a trigger refuses it).
 */
export async function sendDue(db: ServerDb, options: SenderOptions): Promise<SendRun> {
  const clock = options.clock ?? (() => new Date());
  const leaseMs = options.leaseMs ?? 120_000;
  const batch = options.batch ?? Math.max(50, options.gateway.ratePerSecond * 5);
  const parallel = options.parallel ?? Math.min(16, options.gateway.ratePerSecond);
  const maxAttempts = options.maxAttempts ?? 8;
  const backoffMs = options.backoffMs ?? 30_000;
  const started = Date.now();
  const run: SendRun = { outsideWindow: false, claimed: 0, sent: 0, retried: 0, failed: 0, expired: 0, lostLease: 0, seconds: 0 };
  const pace = rateLimiter(options.gateway.ratePerSecond, () => Date.now());
  for (let n = 0; options.maxBatches === undefined || n < options.maxBatches; n++) {
    const now = clock();
    if (!inSendWindow(now)) {
      run.outsideWindow = true;
      break;
    }
    const expired = await sql`
      UPDATE sms_messages SET state = 'expired', finished_at = ${now}, lease_owner = NULL, lease_until = NULL
       WHERE expires_at <= ${now} AND (state = 'queued' OR (state = 'sending' AND lease_until < ${now}))`.execute(db);
    run.expired += Number(expired.numAffectedRows ?? 0);
    const claimed = await sql<Claimed>`
      UPDATE sms_messages m SET state = 'sending', lease_owner = ${options.owner}, lease_until = ${new Date(now.getTime() + leaseMs)}, attempts = m.attempts + 1
        FROM (SELECT ma_tin FROM sms_messages
               WHERE ((state = 'queued' AND next_attempt_at <= ${now}) OR (state = 'sending' AND lease_until < ${now}))
                 AND send_from <= ${now} AND expires_at > ${now}
               ORDER BY next_attempt_at, ma_tin LIMIT ${batch} FOR UPDATE SKIP LOCKED) due
       WHERE m.ma_tin = due.ma_tin
       RETURNING m.ma_tin, m.msisdn, m.body, m.attempts`.execute(db);
    if (claimed.rows.length === 0) break;
    run.claimed += claimed.rows.length;
    const queue = [...claimed.rows];
    const answered: Answer[] = [];
    let flushing = Promise.resolve();
    const flush = () => (flushing = flushing.then(() => record(db, options.owner, answered.splice(0), clock(), maxAttempts, backoffMs, run)));
    const worker = async (): Promise<void> => {
      for (let m = queue.shift(); m !== undefined; m = queue.shift()) {
        await pace();
        answered.push({ message: m, outcome: await options.gateway.send({ maTin: m.ma_tin, msisdn: m.msisdn, body: m.body }) });
        if (answered.length >= RECORD_EVERY) void flush();
      }
    };
    await Promise.all(Array.from({ length: Math.min(parallel, claimed.rows.length) }, worker));
    await flush();
  }
  run.seconds = (Date.now() - started) / 1000;
  return run;
}

/** Answers are recorded in groups (one commit each): a sender that dies before recording leaves them to its lease. */
const RECORD_EVERY = 100;

interface Answer {
  message: Claimed;
  outcome: SendOutcome;
}

/**
 * Records answers under the claim, only where this sender still holds the lease: sent (with the
 * gateway's id), failed (refused, or out of attempts), or queued again after a backoff.
 */
async function record(db: ServerDb, owner: string, answers: Answer[], now: Date, maxAttempts: number, backoffMs: number, run: SendRun): Promise<void> {
  if (answers.length === 0) return;
  const sent = answers.flatMap((a) => (a.outcome.kind === 'accepted' ? [{ id: a.message.ma_tin, gatewayId: a.outcome.gatewayId }] : []));
  const failed = answers.flatMap((a) => (a.outcome.kind === 'rejected' || (a.outcome.kind === 'retry' && a.message.attempts >= maxAttempts) ? [{ id: a.message.ma_tin, error: a.outcome.error }] : []));
  const retried = answers.flatMap((a) =>
    a.outcome.kind === 'retry' && a.message.attempts < maxAttempts ? [{ id: a.message.ma_tin, error: a.outcome.error, at: new Date(now.getTime() + backoff(a.message.attempts, backoffMs)) }] : [],
  );
  const mine = sql`m.ma_tin = t.ma_tin AND m.state = 'sending' AND m.lease_owner = ${owner}`;
  const changed = await db.transaction().execute(async (trx) => {
    const a = await sql`UPDATE sms_messages m SET state = 'sent', gateway_id = t.gateway_id, sent_at = ${now}, lease_owner = NULL, lease_until = NULL, last_error = NULL
                          FROM unnest(${sent.map((x) => x.id)}::text[], ${sent.map((x) => x.gatewayId)}::text[]) AS t(ma_tin, gateway_id) WHERE ${mine}`.execute(trx);
    const f = await sql`UPDATE sms_messages m SET state = 'failed', finished_at = ${now}, lease_owner = NULL, lease_until = NULL, last_error = t.error
                          FROM unnest(${failed.map((x) => x.id)}::text[], ${failed.map((x) => x.error)}::text[]) AS t(ma_tin, error) WHERE ${mine}`.execute(trx);
    const r = await sql`UPDATE sms_messages m SET state = 'queued', next_attempt_at = t.at, lease_owner = NULL, lease_until = NULL, last_error = t.error
                          FROM unnest(${retried.map((x) => x.id)}::text[], ${retried.map((x) => x.error)}::text[], ${retried.map((x) => x.at)}::timestamptz[]) AS t(ma_tin, error, at)
                         WHERE ${mine}`.execute(trx);
    return [a, f, r].map((x) => Number(x.numAffectedRows ?? 0)) as [number, number, number];
  });
  run.sent += changed[0];
  run.failed += changed[1];
  run.retried += changed[2];
  // Another sender took the message over (this one's lease ran out), or a delivery report came first: its record stands.
  run.lostLease += answers.length - changed[0] - changed[1] - changed[2];
}

export interface ReportRun {
  reports: number;
  delivered: number;
  failed: number;
  repeated: number;
  unknown: number;
}

/**
 * Reads the gateway's delivery reports from the stored cursor: each report recorded once (a report
 * given twice is one row), the message marked delivered (whatever it was: a late report for a
 * message whose acknowledgement was lost, or that expired here, is still the truth) or failed
 * (unless already delivered). Reports of unknown ids are kept and counted.
 */
export async function pollReports(db: ServerDb, gateway: Gateway, maxPages = 1000): Promise<ReportRun> {
  const run: ReportRun = { reports: 0, delivered: 0, failed: 0, repeated: 0, unknown: 0 };
  const stored = await sql<{ cursor: string }>`SELECT cursor FROM sms_gateway_cursor WHERE gateway = ${gateway.name}`.execute(db);
  let cursor: string | null = stored.rows[0]?.cursor ?? null;
  for (let page = 0; page < maxPages; page++) {
    const { reports, next } = await gateway.reports(cursor);
    await db.transaction().execute(async (trx) => {
      run.reports += reports.length;
      const added = await sql<{ ma_tin: string; status: 'delivered' | 'failed'; gateway_id: string; reported_at: Date | null; known: boolean }>`
        INSERT INTO sms_reports (ma_tin, status, gateway_id, reported_at, known)
        SELECT t.ma_tin, t.status, t.gateway_id, t.reported_at, EXISTS (SELECT 1 FROM sms_messages m WHERE m.ma_tin = t.ma_tin)
          FROM unnest(${reports.map((r) => r.maTin)}::text[], ${reports.map((r) => r.status)}::text[], ${reports.map((r) => r.gatewayId)}::text[], ${reports.map((r) => r.at)}::timestamptz[])
               AS t(ma_tin, status, gateway_id, reported_at)
        ON CONFLICT DO NOTHING RETURNING ma_tin, status, gateway_id, reported_at, known`.execute(trx);
      run.repeated += reports.length - added.rows.length;
      const known = added.rows.filter((r) => r.known);
      run.unknown += added.rows.length - known.length;
      const of = (status: string) => known.filter((r) => r.status === status);
      const [delivered, failed] = [of('delivered'), of('failed')];
      run.delivered += delivered.length;
      run.failed += failed.length;
      const columns = (list: typeof known) => sql`unnest(${list.map((r) => r.ma_tin)}::text[], ${list.map((r) => r.gateway_id)}::text[], ${list.map((r) => r.reported_at)}::timestamptz[]) AS t(ma_tin, gateway_id, at)`;
      await sql`UPDATE sms_messages m SET state = 'delivered', delivered_at = COALESCE(t.at, now()), gateway_id = COALESCE(m.gateway_id, t.gateway_id), lease_owner = NULL, lease_until = NULL
                  FROM ${columns(delivered)} WHERE m.ma_tin = t.ma_tin AND m.state <> 'delivered'`.execute(trx);
      await sql`UPDATE sms_messages m SET state = 'failed', finished_at = COALESCE(t.at, now()), gateway_id = COALESCE(m.gateway_id, t.gateway_id), lease_owner = NULL, lease_until = NULL,
                       last_error = 'báo cáo của cổng: không gửi được'
                  FROM ${columns(failed)} WHERE m.ma_tin = t.ma_tin AND m.state IN ('sent', 'sending')`.execute(trx);
      if (next !== null && next !== cursor) {
        await sql`INSERT INTO sms_gateway_cursor (gateway, cursor) VALUES (${gateway.name}, ${next}) ON CONFLICT (gateway) DO UPDATE SET cursor = excluded.cursor`.execute(trx);
      }
    });
    if (next === null || next === cursor || reports.length === 0) break;
    cursor = next;
  }
  return run;
}

export interface StatusRow {
  day: string; // yyyy-mm-dd, Việt Nam date of GUI_TU
  type: string;
  queued: number;
  sent: number;
  delivered: number;
  failed: number;
  expired: number;
}

/** Counts by day (of GUI_TU, Việt Nam time) and type: queued (waiting or being sent), sent, delivered, failed, expired. */
export async function smsStatus(db: ServerDb, range: { from?: string; to?: string } = {}): Promise<StatusRow[]> {
  const rows = await sql<StatusRow>`
    SELECT to_char(send_from AT TIME ZONE 'UTC' + interval '7 hours', 'YYYY-MM-DD') AS day, loai_tin AS type,
           count(*) FILTER (WHERE state IN ('queued', 'sending'))::int AS queued,
           count(*) FILTER (WHERE state = 'sent')::int AS sent,
           count(*) FILTER (WHERE state = 'delivered')::int AS delivered,
           count(*) FILTER (WHERE state = 'failed')::int AS failed,
           count(*) FILTER (WHERE state = 'expired')::int AS expired
      FROM sms_messages
     WHERE (${range.from ?? null}::date IS NULL OR (send_from AT TIME ZONE 'UTC' + interval '7 hours')::date >= ${range.from ?? null}::date)
       AND (${range.to ?? null}::date IS NULL OR (send_from AT TIME ZONE 'UTC' + interval '7 hours')::date <= ${range.to ?? null}::date)
     GROUP BY 1, 2 ORDER BY 1, 2`.execute(db);
  return rows.rows;
}
