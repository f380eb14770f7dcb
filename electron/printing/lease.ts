/**
 * Which process drives the printer of a data folder. The app and `diemthu print` each open their own
 * Ctx on the same database and both drain the outbox; only the holder of the lease sends jobs, so no
 * job goes out twice and no process takes a job another is still printing for one left by a crash.
 *
 * The lease is a row in the settings table (`printer_lease` = {owner, host, pid, until}), not a lock
 * file: it is taken and renewed in the same SQLite transactions that claim the jobs, so the lease and
 * the job states cannot disagree; it needs no file cleanup after a crash; and it expires on ctx.clock.
 * A holder that died is noticed sooner when it ran on this machine (its pid is gone).
 */
import { hostname } from 'node:os';
import { z } from 'zod';
import { processAlive } from '../store/ended-processes.ts';
import type { Ctx } from '../store/context.ts';
import { query, selectFirst } from '../store/typed-query.ts';
import { AppError } from '../core/errors.ts';

const KEY = 'printer_lease';
/** Renewed before every job; long enough for one job on a slow spooler or serial line. */
export const LEASE_MS = 120_000;

const leaseSchema = z.object({ owner: z.string(), host: z.string(), pid: z.number().int(), until: z.string() });
type Lease = z.infer<typeof leaseSchema>;

// pid + a per-process serial tell apart two Ctx in one process even if their id sources agree; the id
// keeps a later process that gets the same pid from mistaking a dead holder's lease for its own.
let serial = 0;
const owners = new WeakMap<Ctx, string>();
function ownerOf(ctx: Ctx): string {
  let owner = owners.get(ctx);
  if (owner === undefined) {
    owner = `${process.pid}.${++serial}.${ctx.newId()}`;
    owners.set(ctx, owner);
  }
  return owner;
}

function live(lease: Lease, now: Date): boolean {
  if (Date.parse(lease.until) <= now.getTime()) return false;
  // another machine's pids, or another Ctx of this very process: only the expiry can tell
  if (lease.host !== hostname() || lease.pid === process.pid) return true;
  return processAlive(lease.pid);
}

/**
 * Takes or renews the printer lease for this ctx; throws PRINTER_BUSY while another process holds it.
 * Call it inside an immediate transaction, together with the job change it guards.
 */
export function holdPrinterLease(ctx: Ctx): void {
  const owner = ownerOf(ctx);
  const now = ctx.clock();
  const row = selectFirst(ctx.sqlite, query.selectFrom('settings').where('key', '=', KEY).select('value'));
  const current = row === undefined ? undefined : leaseSchema.safeParse(JSON.parse(row.value)).data;
  if (current !== undefined && current.owner !== owner && live(current, now)) {
    throw new AppError(
      'PRINTER_BUSY',
      'Máy in đang được một chương trình Điểm Thu khác trên máy này sử dụng; các bản in sẽ được in ở đó. Hãy thử lại sau ít phút.',
      { holder: { pid: current.pid, until: current.until } },
    );
  }
  const lease: Lease = { owner, host: hostname(), pid: process.pid, until: new Date(now.getTime() + LEASE_MS).toISOString() };
  ctx.sqlite
    .prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
    .run(KEY, JSON.stringify(lease));
}

/** Gives the lease back at the end of a pass, so another process can print at once. */
export function releasePrinterLease(ctx: Ctx): void {
  ctx.sqlite.prepare("DELETE FROM settings WHERE key = ? AND json_extract(value, '$.owner') = ?").run(KEY, ownerOf(ctx));
}
