import { join } from 'node:path';
import { collectWorld, type CollectWorld } from './collect-fixture.ts';
import { importSnapshot } from '../../electron/cmis/import-snapshot.ts';
import { createScanStream } from '../../electron/devices/scanner/stream.ts';
import { createHandlers } from '../../electron/ipc/handlers.ts';
import { createSession } from '../../electron/ipc/session.ts';
import { dispatch } from '../../electron/ipc/register.ts';
import type { EventName, EventPayload } from '../../electron/ipc/contract.ts';

export const GOOD_SNAPSHOT = join(import.meta.dirname, '..', 'e2e', 'fixtures', 'morning-good.csv');
const app = { url: 'app://diemthu/index.html', isMainFrame: true };

export type Answer = { ok: boolean; value?: unknown; error?: { code: string } };

export interface IpcWorld extends CollectWorld {
  /** One call through the same dispatch as Electron's ipcMain (sender checks, zod, response check). */
  call(channel: string, payload?: unknown): Promise<Answer>;
  kicks(): number;
  events: EventName[];
  /** Every importProgress payload, in order. */
  progress: EventPayload<'importProgress'>[];
}

/** collectWorld with the morning snapshot imported and the real handlers behind dispatch (no devices). */
export function ipcWorld(options: { sessionClock?: () => Date } = {}): IpcWorld {
  const w = collectWorld();
  importSnapshot(w.ctx, { file: GOOD_SNAPSHOT });
  return withHandlers(w, options.sessionClock);
}

/** The real handlers behind dispatch (no devices) over a world the caller filled. */
export function withHandlers(w: CollectWorld, sessionClock?: () => Date): IpcWorld {
  const state = { kicks: 0, events: [] as EventName[], progress: [] as EventPayload<'importProgress'>[] };
  const handlers = createHandlers({
    ctx: w.ctx,
    session: createSession(sessionClock),
    dialogs: { chooseSnapshotFile: async () => null, chooseResultFile: async () => null, chooseFolder: async () => null, chooseBackupFile: async () => null },
    printing: { kick: () => void (state.kicks += 1), status: () => ({ state: 'ready', message: null }) },
    scanner: { stream: createScanStream({ clock: w.ctx.clock }), status: () => ({ mode: 'wedge', state: 'ready' }) },
    emit: (name, payload) => {
      state.events.push(name);
      if (name === 'importProgress') state.progress.push(payload as EventPayload<'importProgress'>);
    },
  });
  const call = (channel: string, payload: unknown = {}) =>
    dispatch(handlers, channel, payload, app, { trustedOrigins: ['app://diemthu'], validateResponses: true }) as Promise<Answer>;
  return Object.assign(w, { call, kicks: () => state.kicks, events: state.events, progress: state.progress });
}
