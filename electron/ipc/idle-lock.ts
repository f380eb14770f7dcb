/**
 * The counter locks itself when nobody used it for `idle_lock_minutes`: main decides (the window's own
 * timers can stall or be wrong), every channel passes here first. A call from the window's own polls
 * does not count as use; a call after the limit ends the session and is refused, so a customer's
 * data or a payment is never one key away on an unattended counter. The shift stays open.
 */
import { AppError } from '../core/errors.ts';
import { getSetting } from '../store/settings.ts';
import type { ChannelName } from './contract.ts';
import type { Handlers } from './register.ts';
import type { Till } from './handlers/deps.ts';

/** What the window calls by itself (status polls, refreshes): never use of the counter. */
const PASSIVE: ReadonlySet<ChannelName> = new Set<ChannelName>(['session', 'status', 'hourlyCollections', 'restoreNotice']);
/** Calls that still make sense once locked: the window learns it, or signs in again. */
const AFTER_LOCK: ReadonlySet<ChannelName> = new Set<ChannelName>([...PASSIVE, 'login', 'logout', 'changePin', 'setupPoint']);

export function withIdleLock(handlers: Handlers, t: Till): Handlers {
  const wrap = <C extends ChannelName>(channel: C, handler: Handlers[C]) =>
    ((request: Parameters<Handlers[C]>[0]) => {
      const limit = getSetting(t.ctx.sqlite, 'idle_lock_minutes') ?? 0;
      if (t.session.lockIfIdle(limit)) {
        t.changed();
        if (!AFTER_LOCK.has(channel)) {
          throw new AppError('SESSION_LOCKED', `Quầy đã tự khóa vì không dùng quá ${limit} phút. Hãy đăng nhập lại (ca vẫn mở).`);
        }
      }
      if (!PASSIVE.has(channel)) t.session.touch();
      return (handler as (r: typeof request) => ReturnType<Handlers[C]>)(request);
    }) as Handlers[C];
  const out: Partial<Record<ChannelName, unknown>> = {};
  for (const channel of Object.keys(handlers) as ChannelName[]) out[channel] = wrap(channel, handlers[channel]);
  return out as Handlers;
}
