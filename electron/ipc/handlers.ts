/**
 * The contract's channels over the real services, one file per domain in handlers/, merged here into
 * the one typed map dispatch() serves. Everything that decides money lives in the services and every
 * query in its domain folder (no SQL here); this layer only knows who is at the till (session), maps
 * results to views, kicks the printer after a print job is committed and tells the window when the
 * status changed.
 */
import type { Handlers } from './register.ts';
import { till, type HandlerDeps } from './handlers/deps.ts';
import { sessionHandlers } from './handlers/session.ts';
import { shiftHandlers } from './handlers/shifts.ts';
import { customerHandlers } from './handlers/customers.ts';
import { paymentHandlers } from './handlers/payments.ts';
import { cmisHandlers } from './handlers/cmis.ts';
import { settingsHandlers } from './handlers/settings.ts';
import { statusHandlers } from './handlers/status.ts';
import { resultHandlers } from './handlers/results.ts';
import { dayHandlers } from './handlers/day.ts';
import { restoreHandlers } from './handlers/restore.ts';
import { withIdleLock } from './idle-lock.ts';

export type { HandlerDeps } from './handlers/deps.ts';

export function createHandlers(deps: HandlerDeps): Handlers {
  const t = till(deps);
  const [session, shifts, customers, payments, cmis, results, settings, status, day, restore] = [
    sessionHandlers(t),
    shiftHandlers(t),
    customerHandlers(t),
    paymentHandlers(t),
    cmisHandlers(t),
    resultHandlers(t),
    settingsHandlers(t),
    statusHandlers(t),
    dayHandlers(t),
    restoreHandlers(t),
  ] as const;
  const channels = [session, shifts, customers, payments, cmis, results, settings, status, day, restore].flatMap((h) => Object.keys(h));
  // Two domains answering one channel would be a silent override: refused at start-up.
  const twice = channels.find((c, i) => channels.indexOf(c) !== i);
  if (twice !== undefined) throw new Error(`IPC channel ${twice} has two handlers.`);
  // The compiler checks every channel of the contract has its handler.
  const all = { ...session, ...shifts, ...customers, ...payments, ...cmis, ...results, ...settings, ...status, ...day, ...restore } satisfies Handlers;
  return withIdleLock(all, t);
}
