/**
 * The main process's composition root without Electron: the scan stream and the scanners chosen in
 * settings, the printer outbox loop, the session, the payment gate and the IPC handlers over them.
 * main.ts gives it the native dialogs and a way to send events to the window; tests give it fakes.
 */
import type { Ctx } from '../store/context.ts';
import { getSetting } from '../store/settings.ts';
import { recordFields, scannerRecord } from '../core/settings-records.ts';
import { eventChannel, type EventName, type EventPayload, type ScannerStatus } from '../ipc/contract.ts';
import { createHandlers } from '../ipc/handlers.ts';
import type { Handlers } from '../ipc/register.ts';
import { createSession } from '../ipc/session.ts';
import { createScanStream, type ScanStream } from '../devices/scanner/stream.ts';
import { startHidScanner, type HidScannerOptions } from '../devices/scanner/hid.ts';
import { startSerialScanner, type SerialScannerOptions } from '../devices/scanner/serial.ts';
import { createPaymentGate, drainAndClose, gateHandlers, type PaymentGate } from '../ipc/shutdown.ts';
import { inAppRestorer } from '../ipc/restore-in-app.ts';
import { startPrinting, type PrinterPort } from '../printing/printing.ts';
import { settingsPrinterPort } from '../printing/settings-printer.ts';
import { startSyncLoop, type SyncLoop } from '../sync/loop.ts';

export interface Dialogs {
  chooseSnapshotFile(): Promise<string | null>;
  chooseResultFile(): Promise<string | null>;
  chooseFolder(): Promise<string | null>;
  chooseBackupFile(): Promise<string | null>;
}

export interface RuntimeOptions {
  dialogs: Dialogs;
  /** Sends on an Electron channel to the window (webContents.send). */
  send(channel: string, payload: unknown): void;
  log(message: string, error?: unknown): void;
  /**
   * Starts the app again on the same data folder (Electron: app.relaunch() then app.exit(0)), after a
   * restore from the settings has closed everything; without it the settings cannot restore.
   */
  relaunch?: () => void | Promise<void>;
  /** Device edges, replaced in tests. */
  devices?: {
    printer?: (ctx: Ctx) => PrinterPort;
    startHid?: (options: HidScannerOptions) => { close(): void };
    startSerial?: (options: SerialScannerOptions) => { close(): Promise<void> };
  };
}

export interface Runtime {
  handlers: Handlers;
  gate: PaymentGate;
  stream: ScanStream;
  /** Background sync when a server is set; `sync.status()` is what the status bar shows of it. */
  sync: SyncLoop;
  /** Stops the scanners and the printer loop (waiting for the job being printed). */
  stop(): Promise<void>;
  /**
   * What quitting runs: the ordered close (gate drained, devices stopped, database checkpointed and
   * closed); or, while a restore from the settings runs, that restore, which closes everything itself
   * and ends in the relaunch.
   */
  shutdown(): Promise<void>;
}

interface Scanners {
  status(): ScannerStatus;
  close(): Promise<void>;
}

/** Starts the scanner the settings name; the keyboard wedge needs nothing in main (the renderer reports its scans). */
export function startScanners(
  setting: Record<string, unknown> | undefined,
  stream: ScanStream,
  onChange: () => void,
  devices: RuntimeOptions['devices'] = {},
): Scanners {
  const { mode = 'wedge', path = '', baudRate, prefix, suffix } = recordFields(scannerRecord, setting);
  let state: ScannerStatus['state'] = mode === 'wedge' ? 'ready' : 'unknown';
  const update = (next: ScannerStatus['state']) => {
    if (next === state) return;
    state = next;
    onChange();
  };
  let close: () => Promise<void> = async () => {};
  if (mode === 'hid') {
    const scanner = (devices.startHid ?? startHidScanner)({ stream, onStatus: (s) => update(s.state === 'open' ? 'ready' : 'offline') });
    close = async () => scanner.close();
  } else if (mode === 'serial' && path !== '') {
    const scanner = (devices.startSerial ?? startSerialScanner)({
      path,
      baudRate,
      prefix,
      suffix,
      stream,
      onStatus: (s) => update(s.state === 'open' ? 'ready' : 'offline'),
    });
    close = () => scanner.close();
  } else if (mode === 'serial') {
    state = 'offline'; // serial chosen but no port configured yet
  }
  return { status: () => ({ mode, state }), close: () => close() };
}

export function startRuntime(ctx: Ctx, options: RuntimeOptions): Runtime {
  const emit = <E extends EventName>(name: E, payload: EventPayload<E>) => options.send(eventChannel(name), payload);
  const statusChanged = () => emit('statusChanged', {});
  const gate = createPaymentGate();
  const stream = createScanStream({ clock: ctx.clock });
  // Wedge scans come from the window itself (scanSubmit answers them); only device scans are pushed.
  stream.onScan((scan) => {
    if (scan.source !== 'wedge') emit('scan', { code: scan.code, source: scan.source });
  });
  stream.onReject((rejection) => options.log(`scan refused (${rejection.reason}): ${rejection.raw}`));

  const scannerSetting = () => getSetting(ctx.sqlite, 'scanner');
  let scannerStarted = JSON.stringify(scannerSetting() ?? null);
  let scanners = startScanners(scannerSetting(), stream, statusChanged, options.devices);
  // A changed setting closes the scanner (its port) before the new one opens; restarts run one after another.
  let restarting = Promise.resolve();
  const restartScanner = () => {
    restarting = restarting.then(async () => {
      const setting = scannerSetting();
      if (JSON.stringify(setting ?? null) === scannerStarted) return;
      await scanners.close();
      scannerStarted = JSON.stringify(setting ?? null);
      scanners = startScanners(setting, stream, statusChanged, options.devices);
      statusChanged();
    });
  };
  const printing = startPrinting((options.devices?.printer ?? settingsPrinterPort)(ctx), {
    onStatus: (status) => {
      emit('printerStatus', status);
      statusChanged();
    },
    log: options.log,
  });

  const sync = startSyncLoop(ctx, { log: options.log, onStatus: statusChanged });
  const stop = async () => {
    await Promise.allSettled([restarting.then(() => scanners.close()), printing.stop(), sync.stop()]);
  };
  const { relaunch } = options;
  const restorer = relaunch === undefined ? null : inAppRestorer({ gate, ctx, dataDir: ctx.dataDir, clock: ctx.clock, stopDevices: stop, log: options.log, relaunch });

  const handlers = createHandlers({
    ctx,
    session: createSession(ctx.clock),
    dialogs: options.dialogs,
    printing,
    scanner: { stream, status: () => scanners.status(), restart: restartScanner },
    emit,
    gate,
    ...(restorer === null ? {} : { restoreApp: restorer.start }),
  });

  return {
    handlers: gateHandlers(handlers, gate),
    gate,
    stream,
    sync,
    stop,
    shutdown: () => restorer?.running() ?? drainAndClose({ gate, ctx, stopDevices: stop, log: options.log }),
  };
}
