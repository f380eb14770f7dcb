/**
 * Restore started from the app (Settings, a supervisor): the app does what quitting does (gate closed
 * and drained, devices stopped, database checkpointed and closed), runs the same `restore` as
 * `diemthu restore` on the data folder, leaves the outcome for the next start, and relaunches. It
 * relaunches whatever happened: a refused or failed restore has left the current database untouched
 * (restore's own guarantee), and a fresh start opens it as any start does, so the point is never left
 * without its database and no half-closed service stays running.
 */
import { restore } from '../backups/restore.ts';
import { writeRestoreOutcome } from '../backups/restore-outcome.ts';
import type { RestoreOutcome } from '../core/restore-outcome.ts';
import { AppError, toErrorShape } from '../core/errors.ts';
import type { Clock } from '../core/clock.ts';
import { drainAndClose, type ShutdownStep } from './shutdown.ts';

export interface RestoreRequest {
  file: string;
  /** The previewed backup's journal head hash: restore refuses a file that no longer holds it. */
  expect: string;
  /** An older backup: the supervisor's code and PIN, checked again by restore on the closed database. */
  force?: { supervisorCode: string; pin: string };
}

export interface InAppRestoreDeps extends ShutdownStep {
  dataDir: string;
  clock: Clock;
  /** The shell's relaunch (Electron: app.relaunch() then app.exit(0)); the e2e harness reopens the services and reloads the page. */
  relaunch(): void | Promise<void>;
}

/** Closes, restores, records the outcome, relaunches. Never throws: every failure ends in the outcome file and the relaunch. */
export async function restoreAndRelaunch(deps: InAppRestoreDeps, request: RestoreRequest): Promise<void> {
  const at = () => deps.clock().toISOString();
  let outcome: RestoreOutcome;
  try {
    await drainAndClose(deps);
    const result = await restore(deps.dataDir, request.file, { clock: deps.clock, expect: request.expect, ...(request.force === undefined ? {} : { force: request.force }) });
    outcome = { ok: true, file: request.file, at: at(), safetyCopy: result.safetyCopy, forced: result.forced !== null, dropped: result.forced?.droppedPayments ?? [] };
  } catch (error) {
    deps.log?.(`restore from the app failed: ${String(error)}`);
    const { code, message } = toErrorShape(error);
    outcome = { ok: false, file: request.file, at: at(), code, message };
  }
  try {
    writeRestoreOutcome(deps.dataDir, outcome);
  } catch (error) {
    // The restore itself stands (or was refused with nothing changed); only the login message is lost.
    deps.log?.(`restore outcome not written: ${String(error)}`);
  }
  await deps.relaunch();
}

export interface InAppRestorer {
  /**
   * What the `restoreConfirm` handler calls: starts the restore once the answer has gone to the window
   * (the window shows "restarting"), and only once per start (a second confirm is refused as quitting).
   */
  start(request: RestoreRequest): void;
  /**
   * The restore under way, or null. Quitting while it runs waits for it (it ends in the relaunch): a
   * second close of the database, or an exit halfway through the restore, would lose its outcome.
   */
  running(): Promise<void> | null;
}

export function inAppRestorer(deps: InAppRestoreDeps): InAppRestorer {
  let running: Promise<void> | null = null;
  return {
    start: (request) => {
      if (running !== null || deps.gate.closing) throw new AppError('APP_QUITTING', 'Chương trình đang đóng để khôi phục hoặc thoát: không nhận thêm yêu cầu.');
      running = new Promise<void>((answered) => setImmediate(answered))
        .then(() => restoreAndRelaunch(deps, request))
        .catch((error: unknown) => deps.log?.(`restore relaunch failed: ${String(error)}`));
    },
    running: () => running,
  };
}
