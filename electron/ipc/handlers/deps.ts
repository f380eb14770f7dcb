/**
 * What every domain's handlers share: the services' context, who is at the till, the shell's dialogs
 * and devices, events to the window, and the payment gate of shutdown.
 */
import type { Ctx } from '../../store/context.ts';
import type { PrinterView } from '../../core/printer-view.ts';
import { currentShift } from '../../shifts/shifts.ts';
import { requireSupervisor, type User } from '../../users/users.ts';
import { backupAfter } from '../../backups/backups.ts';
import type { ScanStream } from '../../devices/scanner/stream.ts';
import type { DeviceSources } from '../../devices/device-list.ts';
import type { PaymentGate } from '../shutdown.ts';
import type { BackupView, ChannelName, EventName, EventPayload, ScannerStatus, SessionView } from '../contract.ts';
import type { Handlers } from '../register.ts';
import type { Session } from '../session.ts';
import { shiftView } from '../views.ts';
import { importJobs, type ImportJobs } from '../../cmis/import-job.ts';
import type { RestoreRequest } from '../restore-in-app.ts';

export interface HandlerDeps {
  ctx: Ctx;
  session: Session;
  /** The shell's native dialogs; null when the user cancels. */
  dialogs: { chooseSnapshotFile(): Promise<string | null>; chooseResultFile(): Promise<string | null>; chooseFolder(): Promise<string | null>; chooseBackupFile(): Promise<string | null> };
  /** Printing: kick() drains the outbox after a job is committed; status() is the last known state. */
  printing: { kick(): void; status(): PrinterView };
  /** restart: the scanner setting was saved (the runtime reopens the scanner if it changed). */
  scanner: { stream: ScanStream; status(): ScannerStatus; restart?(): void };
  /** Where the device listing looks (default: serialport's list and libusb); tests give doubles at the hardware edge. */
  deviceSources?: DeviceSources;
  /** Events to the window. */
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void;
  /** Closed when quitting starts: no new payment is admitted, those in flight finish. */
  gate?: PaymentGate;
  /** The morning import's worker (default: the real one on ctx's data folder). */
  imports?: ImportJobs;
  /** Closes the app, restores the backup and relaunches (ipc/restore-in-app.ts); absent where nothing can relaunch. */
  restoreApp?(request: RestoreRequest): void;
}

/** The deps with the small helpers every domain's handlers use. */
export interface Till extends HandlerDeps {
  imports: ImportJobs;
  /** Runs money work through the shutdown gate. */
  admit<T>(work: () => T): Promise<T>;
  /** The status bar must refresh. */
  changed(): void;
  /** A print job was committed: drain now, and refresh the status bar. */
  printed(): void;
  sessionView(): SessionView | null;
  /** The shift whose receipts and Z report the screens show: the open one, else the one just closed. */
  shiftInView(user: User): number | null;
  supervisor(credentials: { code: string; pin: string }): User;
  /** Blind count: while the signed-in user's shift is open, the window gets counts of receipts, never the money taken. */
  blind(): boolean;
}

/** One domain's channels. */
export type DomainHandlers<C extends ChannelName> = Pick<Handlers, C>;

export function till(deps: HandlerDeps): Till {
  const { ctx, session } = deps;
  const changed = () => deps.emit('statusChanged', {});
  return {
    ...deps,
    imports: deps.imports ?? importJobs({ dataDir: ctx.dataDir, sqlite: ctx.sqlite, clock: ctx.clock, pinCost: ctx.pinCost }),
    admit: <T>(work: () => T): Promise<T> => (deps.gate === undefined ? Promise.resolve().then(work) : deps.gate.run(work)),
    changed,
    printed: () => {
      deps.printing.kick();
      changed();
    },
    sessionView: () => {
      const user = session.user;
      if (user === null) return null;
      const shift = currentShift(ctx, user.id);
      return { user, shift: shift === undefined ? null : shiftView(shift) };
    },
    shiftInView: (user) => currentShift(ctx, user.id)?.id ?? session.lastClosedShiftId,
    supervisor: (c) => requireSupervisor(ctx, c.code, c.pin),
    blind: () => session.user !== null && currentShift(ctx, session.user.id) !== undefined,
  };
}

export function backupViewOf(result: Awaited<ReturnType<typeof backupAfter>>): BackupView {
  return result.ok ? { ok: true, file: result.backup.file, message: null } : { ok: false, file: null, message: `[${result.code}] ${result.message}` };
}
