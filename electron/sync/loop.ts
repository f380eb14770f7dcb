import type { Ctx } from '../store/context.ts';
import type { Sqlite } from '../store/open.ts';
import { query, selectOne } from '../store/typed-query.ts';
import { startLoop, type LoopTimers } from '../printing/loop.ts';
import { getSetting } from '../store/settings.ts';
import { SyncClient } from '../../protocol/client.ts';
import { outboxCounts } from './outbox.ts';
import { openSyncConflicts } from './pulled.ts';
import { noteFailure, syncOnce } from './run.ts';
import { clientOptions, SYNC_DEFAULTS } from './settings.ts';

/** What the status bar shows about sync. */
export interface SyncStatus {
  /** off: no server set (the point works alone); never: set but no sync succeeded yet; ok / error: the last attempt. */
  state: 'off' | 'never' | 'ok' | 'error';
  lastSyncAt: string | null;
  lastAttemptAt: string | null;
  lastErrorCode: string | null;
  lastErrorMessage: string | null;
  /** Items not yet answered by the server, and when the oldest happened. */
  waiting: number;
  oldestWaiting: string | null;
  /** An item has waited longer than the `alarmMinutes` setting. */
  alarm: boolean;
  alarmMinutes: number;
  /** Items the server refused: IT must look. */
  refused: number;
  /** Company-wide "trùng thu" conflicts involving the point, open. */
  openConflicts: number;
}

/** Read from the database alone (the IPC status handler can call it; no network). */
export function syncStatus(sqlite: Sqlite, now: Date): SyncStatus {
  const settings = getSetting(sqlite, 'sync');
  const s = selectOne(sqlite, query.selectFrom('sync_state').select(['last_sync_at', 'last_attempt_at', 'last_error_code', 'last_error_message']));
  const counts = outboxCounts(sqlite);
  const alarmMinutes = settings?.alarmMinutes ?? SYNC_DEFAULTS.alarmMinutes;
  return {
    state: settings === undefined ? 'off' : s.last_error_code !== null ? 'error' : s.last_sync_at === null ? 'never' : 'ok',
    lastSyncAt: s.last_sync_at,
    lastAttemptAt: s.last_attempt_at,
    lastErrorCode: s.last_error_code,
    lastErrorMessage: s.last_error_message,
    waiting: counts.waiting,
    oldestWaiting: counts.oldestWaiting,
    alarm: counts.oldestWaiting !== null && now.getTime() - Date.parse(counts.oldestWaiting) > alarmMinutes * 60_000,
    alarmMinutes,
    refused: counts.refused,
    openConflicts: openSyncConflicts(sqlite).length,
  };
}

export interface SyncLoop {
  /** Sync now (a payment was just committed), not waiting for the interval. */
  wake(): void;
  stop(): Promise<void>;
  status(): SyncStatus;
}

const FIRST_BACKOFF_MS = 5_000;
const MAX_BACKOFF_MS = 10 * 60_000;

/**
 * The app's background sync: one pass at a time on the app's own connection (short transactions
 * only, so the cashier's payments never wait for it), every `intervalSeconds` while it works, backing
 * off from 5 s doubling to 10 minutes while it fails. The settings are read at each pass: a server
 * set or changed in the settings is used from the next pass; none set, nothing is sent.
 */
export function startSyncLoop(ctx: Ctx, options: { log(message: string, error?: unknown): void; onStatus?(status: SyncStatus): void; timers?: LoopTimers }): SyncLoop {
  let failures = 0;
  const status = () => syncStatus(ctx.sqlite, ctx.clock());
  const pass = async () => {
    const settings = getSetting(ctx.sqlite, 'sync');
    if (settings === undefined) return;
    let client: SyncClient | undefined;
    try {
      client = new SyncClient(clientOptions(settings));
      await syncOnce(ctx.sqlite, client, { clock: ctx.clock });
      failures = 0;
    } catch (error) {
      if (client === undefined) noteFailure(ctx.sqlite, error);
      failures += 1;
      options.log(`sync failed (${failures} in a row)`, error);
    } finally {
      client?.close();
      options.onStatus?.(status());
    }
  };
  const interval = () => {
    if (failures > 0) return Math.min(FIRST_BACKOFF_MS * 2 ** (failures - 1), MAX_BACKOFF_MS);
    return (getSetting(ctx.sqlite, 'sync')?.intervalSeconds ?? SYNC_DEFAULTS.intervalSeconds) * 1000;
  };
  const loop = startLoop(pass, interval, (error) => options.log('sync pass failed', error), options.timers);
  return { wake: loop.wake, stop: loop.stop, status };
}
