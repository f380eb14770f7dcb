import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startLoop, type LoopTimers } from '../../electron/printing/loop.ts';

/** Manual timers: the test decides when a scheduled pass is due. */
function manualTimers() {
  const pending = new Map<number, { fn: () => void; ms: number }>();
  let next = 0;
  const timers: LoopTimers = {
    setTimeout: (fn, ms) => {
      pending.set(++next, { fn, ms });
      return next;
    },
    clearTimeout: (h) => void pending.delete(h as number),
  };
  const fire = () => {
    const entries = [...pending.entries()];
    pending.clear();
    for (const [, t] of entries) t.fn();
    return entries.map(([, t]) => t.ms);
  };
  return { timers, fire, pending };
}

const tick = () => new Promise((r) => setImmediate(r));

test('passes run one at a time: a wake during a pass queues exactly one more', async () => {
  const { timers, fire, pending } = manualTimers();
  let active = 0;
  let maxActive = 0;
  let passes = 0;
  let release!: () => void;
  const loop = startLoop(
    async () => {
      active += 1;
      maxActive = Math.max(maxActive, active);
      passes += 1;
      await new Promise<void>((r) => (release = r));
      active -= 1;
    },
    5000,
    () => assert.fail('no error expected'),
    timers,
  );
  assert.deepEqual(fire(), [0]); // first pass at once
  loop.wake();
  assert.deepEqual(fire(), [0]);
  loop.wake();
  assert.deepEqual(fire(), [0]); // both wakes land while the first pass runs
  assert.equal(passes, 1);
  release();
  await tick();
  assert.deepEqual([...pending.values()].map((t) => t.ms), [0], 'one catch-up pass, not two');
  fire();
  assert.equal(passes, 2);
  release();
  await tick();
  assert.deepEqual([...pending.values()].map((t) => t.ms), [5000], 'then back to the interval');
  assert.equal(maxActive, 1);
  await loop.stop();
  assert.equal(pending.size, 0);
});

test('stop waits for the pass in progress and schedules nothing after it', async () => {
  const { timers, fire, pending } = manualTimers();
  const steps: string[] = [];
  let release!: () => void;
  const loop = startLoop(
    async () => {
      steps.push('pass start');
      await new Promise<void>((r) => (release = r));
      steps.push('pass end');
    },
    1000,
    () => {},
    timers,
  );
  fire();
  const stopped = loop.stop().then(() => steps.push('stopped'));
  await tick();
  assert.deepEqual(steps, ['pass start']);
  release();
  await stopped;
  assert.deepEqual(steps, ['pass start', 'pass end', 'stopped']);
  loop.wake();
  assert.equal(pending.size, 0);
});

test('a failing pass is reported and the loop goes on', async () => {
  const { timers, fire } = manualTimers();
  const errors: unknown[] = [];
  let calls = 0;
  const loop = startLoop(
    () => {
      calls += 1;
      if (calls === 1) throw new Error('printer unplugged');
    },
    10,
    (e) => errors.push(e),
    timers,
  );
  fire();
  await tick();
  assert.equal(errors.length, 1);
  assert.deepEqual(fire(), [10]);
  await tick();
  assert.equal(calls, 2);
  await loop.stop();
});
