import { AppError } from '../core/errors.ts';
import { checkpointAndClose } from '../store/context.ts';
import type { ChannelName } from './contract.ts';
import type { Handlers } from './register.ts';

/**
 * The gate every payment passes through. Once quitting starts it is closed: a new collect is refused
 * with APP_QUITTING (before anything is written), while work already admitted runs to its end, and
 * `drained()` resolves when the last of it has.
 */
export interface PaymentGate {
  readonly closing: boolean;
  /** Runs `work` unless the gate is closed; counts it as in flight until it settles. */
  run<T>(work: () => T | Promise<T>): Promise<T>;
  close(): void;
  drained(): Promise<void>;
}

export function createPaymentGate(): PaymentGate {
  let closing = false;
  let inFlight = 0;
  let waiters: Array<() => void> = [];
  const settle = () => {
    inFlight -= 1;
    if (inFlight === 0) {
      for (const wake of waiters) wake();
      waiters = [];
    }
  };
  return {
    get closing() {
      return closing;
    },
    async run<T>(work: () => T | Promise<T>): Promise<T> {
      if (closing) throw new AppError('APP_QUITTING', 'Chương trình đang đóng: không nhận thêm khoản thu. Hãy mở lại chương trình để thu tiếp.');
      inFlight += 1;
      try {
        return await work();
      } finally {
        settle();
      }
    },
    close() {
      closing = true;
    },
    drained() {
      if (inFlight === 0) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
  };
}

export interface ShutdownStep {
  gate: PaymentGate;
  /** Stops the printer outbox loop and the scanners (they may still be finishing a job). */
  stopDevices(): Promise<void> | void;
  ctx: { sqlite: { pragma(source: string): unknown }; close(): void };
  /** Upper bound on waiting for in-flight work; SQLite commits are synchronous so none is ever cut. */
  drainTimeoutMs?: number;
  log?: (message: string) => void;
}

/**
 * Ordered shutdown: close the gate, let in-flight payments finish, stop devices, checkpoint the WAL
 * into the main file (so a copied database file is complete), then close the database.
 */
export async function drainAndClose(step: ShutdownStep): Promise<void> {
  step.gate.close();
  const timeoutMs = step.drainTimeoutMs ?? 10_000;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const outcome = await Promise.race([step.gate.drained().then(() => 'drained' as const), timedOut]);
  clearTimeout(timer);
  if (outcome === 'timeout') step.log?.(`shutdown: in-flight work still running after ${timeoutMs} ms; closing anyway`);
  try {
    await step.stopDevices();
  } catch (error) {
    step.log?.(`shutdown: stopping devices failed: ${String(error)}`);
  }
  checkpointAndClose(step.ctx);
}

export interface QuittingApp {
  on(event: 'before-quit', listener: (event: { preventDefault(): void }) => void): unknown;
  quit(): void;
}

/**
 * Holds the first quit until `shutdown` has finished, then quits for real. A second quit request
 * while draining is held too (the drain is already running).
 */
export function installQuitDrain(app: QuittingApp, shutdown: () => Promise<void>, log?: (message: string) => void): void {
  let state: 'running' | 'draining' | 'done' = 'running';
  app.on('before-quit', (event) => {
    if (state === 'done') return;
    event.preventDefault();
    if (state === 'draining') return;
    state = 'draining';
    shutdown()
      .catch((error: unknown) => log?.(`shutdown failed: ${String(error)}`))
      .finally(() => {
        state = 'done';
        app.quit();
      });
  });
}

/**
 * The channels that write (payments, voids, imports, exports, shift changes, settings) or print:
 * refused once quitting starts, awaited by the drain while in flight. Reads stay open until close.
 */
export const GATED_CHANNELS = [
  'collect',
  'voidPayment',
  'reprint',
  'openShift',
  'closeShift',
  'importConfirm',
  'exportClearing',
  'zReport',
  'settingsSet',
  'userAdd',
  'printerTestPage',
  'zReprint',
  'receiptListPrint',
  'restoreConfirm',
  // Stages its copy where a restore under way stages its own: refused once closing.
  'restorePreview',
] as const satisfies readonly ChannelName[];

/** Wraps the writing handlers in the gate; `after` runs once a gated call succeeded (wake the printer). */
export function gateHandlers(handlers: Handlers, gate: PaymentGate, after: () => void = () => {}): Handlers {
  const gated = { ...handlers };
  for (const channel of GATED_CHANNELS) {
    const handler = handlers[channel] as (request: unknown) => unknown;
    (gated as Record<ChannelName, (request: unknown) => unknown>)[channel] = async (request: unknown) => {
      const value = await gate.run(() => handler(request));
      after();
      return value;
    };
  }
  return gated;
}
