import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { charFromCode, createWedgeDetector, type WedgeKeyEvent, type WedgeOptions, type WedgeVerdict } from '../../src/scan/wedge.ts';

interface Fixture { description: string; expected: string[]; events: WedgeKeyEvent[] }
const fixtureDir = new URL('../../fixtures/scanner/wedge/', import.meta.url);
const fixture = (name: string): Fixture => JSON.parse(readFileSync(new URL(`${name}.json`, fixtureDir), 'utf8')) as Fixture;

/**
 * Replays events on a virtual clock: timers due before an event fire first, the rest after the last event.
 * `handledAt` (default: the event's own time) is when a busy page gets round to the event.
 */
function replay(events: WedgeKeyEvent[], options: Partial<WedgeOptions> = {}, handledAt: (i: number) => number = (i) => events[i]!.timeStamp) {
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
  for (const [i, event] of events.entries()) {
    runTimersUntil(handledAt(i));
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

  describe('a busy page hands the keys over late, one by one', () => {
    const keysOf = (code: string, gapMs: number): WedgeKeyEvent[] =>
      [...code, '\n'].map((ch, i) => ({
        code: ch === '\n' ? 'Enter' : /\d/.test(ch) ? `Digit${ch}` : `Key${ch}`,
        key: ch === '\n' ? 'Enter' : ch,
        shiftKey: /[A-Z]/.test(ch),
        timeStamp: 1000 + i * gapMs,
      }));
    /** The field the released text goes into, as the app's insertText / delete would change it. */
    function field() {
      let value = '';
      return {
        value: () => value,
        options: {
          onRelease: (text: string) => void (value += text),
          onRetract: (text: string) => value.endsWith(text) && ((value = value.slice(0, -text.length)), true),
        },
      };
    }
    // The third key comes 90 ms late: the quiet timer has given the first ones back as typing by then.
    const hiccup = (events: WedgeKeyEvent[]) => (i: number) => events[i]!.timeStamp + (i >= 3 ? 90 : 0);

    it('a scan whose keys keep their own times is still one scan, and what the timer typed is taken back', () => {
      const events = keysOf('PC12AA0000001', 4);
      const f = field();
      const { scans } = replay(events, f.options, hiccup(events));
      assert.deepEqual(scans, ['PC12AA0000001']);
      assert.equal(f.value(), '');
    });

    it('without a way to take text back the scan is lost (what the retraction prevents)', () => {
      const events = keysOf('PC12AA0000001', 4);
      const f = field();
      const { scans } = replay(events, { onRelease: f.options.onRelease }, hiccup(events));
      assert.deepEqual(scans, ['2AA0000001']);
      assert.equal(f.value(), 'PC1');
    });

    it('text the person typed meanwhile is never taken back', () => {
      const events = keysOf('PC12AA0000001', 4);
      let value = '';
      const options = { onRelease: (t: string) => void (value += t), onRetract: (t: string) => value.endsWith(t) && ((value = value.slice(0, -t.length)), true) };
      const late = hiccup(events);
      // The cashier clicks into another field before the late keys arrive: the released text is no longer at the caret.
      replay(events, { ...options, onRetract: (t) => (value = `${value}x`, options.onRetract(t)) }, late);
      assert.match(value, /^PC1x/);
    });

    it('a person typing slowly, handed over late, stays typing', () => {
      const events = keysOf('PC12AA', 120);
      const f = field();
      const { scans } = replay(events, f.options, (i) => events[i]!.timeStamp + 30);
      assert.deepEqual(scans, []);
      assert.equal(f.value(), 'PC12AA');
    });
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
