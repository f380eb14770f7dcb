/**
 * The printer as the window sees it: the outbox drained in a background loop (woken right after a
 * payment commits), and the last known printer state for the status bar. Payments never wait for
 * paper: they are committed first, and a job that cannot print stays in the outbox for the next pass.
 */
import { isAppError } from '../core/errors.ts';
import type { PrinterView } from '../core/printer-view.ts';
import { startLoop, type LoopTimers } from './loop.ts';

export interface PrinterPort {
  /** Sends every pending print job in order; throws (AppError PRINTER_*) when the printer cannot print. */
  drain(): Promise<unknown>;
  close(): Promise<void>;
}

export interface Printing {
  /** A print job was just committed: drain now rather than at the next interval. */
  kick(): void;
  status(): PrinterView;
  /** Waits for the job being sent, then closes the transport. */
  stop(): Promise<void>;
}

export interface PrintingOptions {
  onStatus: (status: PrinterView) => void;
  log: (message: string, error?: unknown) => void;
  intervalMs?: number;
  timers?: LoopTimers;
}

const STATE_BY_CODE: Record<string, PrinterView['state']> = {
  PRINTER_PAPER_OUT: 'paper_out',
  PRINTER_OFFLINE: 'offline',
  PRINTER_COVER_OPEN: 'offline',
};

/** The status bar's view of a failed pass: the printer's own refusal when it gave one. */
export function statusOfFailure(error: unknown): PrinterView {
  if (isAppError(error)) return { state: STATE_BY_CODE[error.code] ?? 'error', message: `${error.message} (${error.code})` };
  return { state: 'error', message: 'Máy in gặp lỗi không rõ. Hãy kiểm tra máy in và dây cáp. (PRINTER_ERROR)' };
}

export function startPrinting(port: PrinterPort, options: PrintingOptions): Printing {
  let status: PrinterView = { state: 'unknown', message: null };
  const set = (next: PrinterView) => {
    if (next.state === status.state && next.message === status.message) return;
    status = next;
    options.onStatus(next);
  };
  const loop = startLoop(
    async () => {
      await port.drain();
      set({ state: 'ready', message: null });
    },
    options.intervalMs ?? 5000,
    (error) => {
      options.log('printing failed', error);
      set(statusOfFailure(error));
    },
    options.timers,
  );
  return {
    kick: () => loop.wake(),
    status: () => status,
    async stop() {
      await loop.stop();
      await port.close();
    },
  };
}
