/**
 * A background task run over and over (the printer outbox drain): one pass at a time, the next one
 * `intervalMs` after the previous ended, or at once after `wake()` (a payment was just committed).
 * `stop()` resolves when the pass in progress has finished, so shutdown never cuts a print job in two.
 * A failing pass is reported and the loop carries on.
 */
export interface Loop {
  wake(): void;
  stop(): Promise<void>;
}

export interface LoopTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export function startLoop(
  pass: () => Promise<unknown> | unknown,
  /** A function: asked after each pass (the sync loop backs off after a failure). */
  intervalMs: number | (() => number),
  onError: (error: unknown) => void,
  timers: LoopTimers = { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) },
): Loop {
  let stopped = false;
  let running: Promise<void> | null = null;
  let again = false;
  let timer: unknown = null;

  const schedule = (ms: number) => {
    if (stopped) return;
    if (timer !== null) timers.clearTimeout(timer);
    timer = timers.setTimeout(() => {
      timer = null;
      run();
    }, ms);
  };

  const run = () => {
    if (stopped) return;
    if (running) {
      again = true; // woken mid-pass: one more pass right after, not a parallel one
      return;
    }
    running = (async () => {
      try {
        await pass();
      } catch (error) {
        onError(error);
      }
    })().finally(() => {
      running = null;
      if (again) {
        again = false;
        schedule(0);
      } else {
        schedule(typeof intervalMs === 'number' ? intervalMs : intervalMs());
      }
    });
  };

  schedule(0);
  return {
    wake: () => schedule(0),
    async stop() {
      stopped = true;
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}
