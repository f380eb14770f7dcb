import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { charFromCode, createWedgeDetector, type WedgeKeyEvent, type WedgeOptions, type WedgeVerdict } from '../../src/scan/wedge.ts';

interface Fixture { description: string; expected: string[]; events: WedgeKeyEvent[] }
const fixtureDir = new URL('../../fixtures/scanner/wedge/', import.meta.url);
const fixture = (name: string): Fixture => JSON.parse(readFileSync(new URL(`${name}.json`, fixtureDir), 'utf8')) as Fixture;

/** Replays events on a virtual clock: timers due before an event fire first, the rest after the last event. */
function replay(events: WedgeKeyEvent[], options: Partial<WedgeOptions> = {}) {
  const scans: string[] = [];
  const released: string[] = [];
  const verdicts: WedgeVerdict[] = [];
  let clock = 0;
  const timers: { due: number; fn: () => void }[] = [];
  const runTimersUntil = (t: number): void => {
    for (;;) {
      timers.sort((a, b) => a.due - b.due);
      const next = timers[0];
      if (next === undefined || next.due > t) break;
      timers.shift();
      clock = Math.max(clock, next.due);
      next.fn();
    }
    clock = Math.max(clock, t);
  };
  const detector = createWedgeDetector({
    onScan: (code) => scans.push(code),
    onRelease: (text) => released.push(text),
    now: () => clock,
    setTimer: (fn, ms) => {
      const timer = { due: clock + ms, fn };
      timers.push(timer);
      return () => timers.splice(timers.indexOf(timer), 1);
    },
    ...options,
  });
  for (const event of events) {
    runTimersUntil(event.timeStamp);
    verdicts.push(detector.handleKey(event));
  }
  runTimersUntil(Number.MAX_SAFE_INTEGER);
  return { scans, released, verdicts };
}

describe('wedge detector on recorded key sequences', () => {
  const names = readdirSync(fixtureDir).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, ''));

  it('has the fixtures the task names', () => {
    for (const name of ['scanner-enter', 'telex-key-aa', 'telex-backspace-aa', 'human-typing', 'fast-typist', 'prefix-suffix', 'timeout', 'scanner-lowercase']) {
      assert.ok(names.includes(name), name);
    }
  });

  for (const name of names.filter((n) => n !== 'prefix-suffix')) {
    const f = fixture(name);
    it(`${name}: ${f.description}`, () => {
      assert.deepEqual(replay(f.events).scans, f.expected);
    });
  }

  it('strips the configured prefix and suffix', () => {
    const f = fixture('prefix-suffix');
    assert.deepEqual(replay(f.events, { prefix: ']C0', suffix: '#' }).scans, f.expected);
    assert.deepEqual(replay(f.events).scans, [']C0PC12AA0012345#']);
  });

  it('consumes every key of a scan, Enter included, so nothing lands in the focused input', () => {
    const { verdicts, released } = replay(fixture('scanner-enter').events);
    const f = fixture('scanner-enter');
    f.events.forEach((e, i) => assert.equal(verdicts[i], e.code === 'ShiftLeft' ? 'passthrough' : 'consumed', `${e.code} @${i}`));
    assert.deepEqual(released, []);
  });

  it('hands human typing back as text and lets its Enter through', () => {
    const f = fixture('human-typing');
    const { scans, released, verdicts } = replay(f.events);
    assert.deepEqual(scans, []);
    assert.equal(released.join(''), 'pc12aa0012345');
    assert.equal(verdicts.at(-1), 'passthrough');
  });

  it("releases a fast typist's short burst as one piece of text", () => {
    const { released, verdicts } = replay(fixture('fast-typist').events);
    assert.deepEqual(released, ['hoa']);
    assert.equal(verdicts.at(-1), 'passthrough');
  });

  it('releases what the person saw under Telex (Backspace erases, the composed letter stays)', () => {
    const at = (timeStamp: number, code: string, key: string): WedgeKeyEvent => ({ code, key, shiftKey: false, timeStamp });
    const { scans, released } = replay([at(0, 'KeyD', 'd'), at(10, 'Backspace', 'Backspace'), at(11, '', 'đ')]);
    assert.deepEqual(scans, []);
    assert.deepEqual(released, ['đ']);
  });

  it('a slow gap splits a burst: the part before it is judged alone', () => {
    const events = fixture('scanner-enter').events.map((e, i) => (i >= 6 ? { ...e, timeStamp: e.timeStamp + 500 } : e));
    const { scans, released } = replay(events, { minLength: 6 });
    assert.deepEqual(released, ['PC12']);
    assert.deepEqual(scans, ['AA0012345']);
  });

  it('shortcuts and navigation keys pass through and end a pending burst', () => {
    const { verdicts, released } = replay([
      { code: 'KeyX', key: 'x', shiftKey: false, timeStamp: 0 },
      { code: 'KeyC', key: 'c', shiftKey: false, ctrlKey: true, timeStamp: 5 },
      { code: 'ArrowLeft', key: 'ArrowLeft', shiftKey: false, timeStamp: 500 },
    ]);
    assert.deepEqual(verdicts, ['consumed', 'passthrough', 'passthrough']);
    assert.deepEqual(released, ['x']);
  });

  it('reads a rewrite whose composed letter still carries the physical key code (Backspace, then Â on KeyA)', () => {
    const events = fixture('telex-backspace-aa').events.map((e) => (e.key === 'Â' ? { ...e, code: 'KeyA' } : e));
    assert.deepEqual(replay(events).scans, ['PC12AA0012345']);
  });

  it('with NumLock off the numpad navigates: its keys pass through untouched', () => {
    const { verdicts, released } = replay([{ code: 'Numpad1', key: 'End', shiftKey: false, timeStamp: 0 }]);
    assert.deepEqual(verdicts, ['passthrough']);
    assert.deepEqual(released, []);
  });

  it('a fast run of letters injected by the input method (a Telex word rewrite) is not a scan', () => {
    const injected = [...'tiếng việt'].map((key, i): WedgeKeyEvent => ({ code: '', key, shiftKey: false, timeStamp: i * 2 }));
    const { scans, released } = replay(injected);
    assert.deepEqual(scans, []);
    assert.deepEqual(released, ['tiếng việt']);
  });

  it('flush decides a pending burst at once', () => {
    const scans: string[] = [];
    const detector = createWedgeDetector({ onScan: (c) => scans.push(c), setTimer: () => () => {}, now: () => 0 });
    for (const [i, ch] of [...'AB12345'].entries()) detector.handleKey({ code: `Key${ch}`.replace(/Key(\d)/, 'Digit$1'), key: ch, shiftKey: /[A-Z]/.test(ch), timeStamp: i * 5 });
    assert.deepEqual(scans, []);
    detector.flush();
    assert.deepEqual(scans, ['AB12345']);
  });
});

describe('charFromCode', () => {
  it('follows the US layout the scanner emulates, with Shift', () => {
    assert.equal(charFromCode('KeyA', true), 'A');
    assert.equal(charFromCode('KeyA', false), 'a');
    assert.equal(charFromCode('Digit3', false), '3');
    assert.equal(charFromCode('Digit3', true), '#');
    assert.equal(charFromCode('Numpad7', false), '7');
    assert.equal(charFromCode('Minus', false), '-');
    assert.equal(charFromCode('Slash', false), '/');
    assert.equal(charFromCode('Period', false), '.');
    assert.equal(charFromCode('F5', false), undefined);
  });
});
