import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startPrinting, statusOfFailure } from '../../electron/printing/printing.ts';
import type { LoopTimers } from '../../electron/printing/loop.ts';
import { AppError } from '../../electron/core/errors.ts';
import type { PrinterView } from '../../electron/ipc/contract.ts';

const tick = () => new Promise((r) => setTimeout(r, 5));
/** Polls until `done` holds (the machine may be busy: no fixed sleep is long enough). */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !done(); i++) await tick();
  assert.ok(done(), 'condition not reached in 2 s');
}

/** Immediate passes run on the next turn; interval passes never come (the test kicks instead). */
const timers: LoopTimers = {
  setTimeout: (fn, ms) => (ms === 0 ? setImmediate(fn) : null),
  clearTimeout: (handle) => {
    if (handle) clearImmediate(handle as NodeJS.Immediate);
  },
};

test('a failed pass shows the printer refusal; the next good pass shows ready; each change reported once', async () => {
  const outcomes: Array<Error | null> = [new AppError('PRINTER_PAPER_OUT', 'Máy in hết giấy.'), new AppError('PRINTER_PAPER_OUT', 'Máy in hết giấy.'), null];
  const seen: PrinterView[] = [];
  let drains = 0;
  const printing = startPrinting(
    {
      drain: async () => {
        const outcome = outcomes[drains++] ?? null;
        if (outcome) throw outcome;
      },
      close: async () => {},
    },
    { onStatus: (s) => seen.push(s), log: () => {}, intervalMs: 60_000, timers },
  );
  assert.deepEqual(printing.status(), { state: 'unknown', message: null });
  await until(() => seen.length === 1);
  printing.kick();
  await until(() => drains === 2);
  printing.kick();
  await until(() => seen.length === 2);
  assert.equal(drains, 3);
  assert.deepEqual(seen, [
    { state: 'paper_out', message: 'Máy in hết giấy. (PRINTER_PAPER_OUT)' },
    { state: 'ready', message: null },
  ]);
  await printing.stop();
});

test('stop waits for the job being sent, then closes the transport', async () => {
  const steps: string[] = [];
  let release!: () => void;
  const printing = startPrinting(
    {
      drain: () => {
        steps.push('sending');
        return new Promise<void>((r) => (release = r)).then(() => void steps.push('sent'));
      },
      close: async () => void steps.push('closed'),
    },
    { onStatus: () => {}, log: () => {}, intervalMs: 60_000, timers },
  );
  await until(() => steps.length === 1);
  const stopped = printing.stop();
  await tick();
  assert.deepEqual(steps, ['sending']);
  release();
  await stopped;
  assert.deepEqual(steps, ['sending', 'sent', 'closed']);
});

test('statusOfFailure maps printer codes and hides internal errors', () => {
  assert.equal(statusOfFailure(new AppError('PRINTER_OFFLINE', 'x')).state, 'offline');
  assert.equal(statusOfFailure(new AppError('PRINTER_COVER_OPEN', 'x')).state, 'offline');
  assert.equal(statusOfFailure(new AppError('PRINTER_ERROR', 'x')).state, 'error');
  const internal = statusOfFailure(new Error('EPIPE /dev/usb/lp0 stack...'));
  assert.equal(internal.state, 'error');
  assert.doesNotMatch(internal.message ?? '', /EPIPE|stack/);
});
