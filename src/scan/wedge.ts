/**
 * Keyboard-wedge scanner detector for the renderer: it sees every keydown (wherever the focus is) and tells a
 * scanner burst from human typing by timing. Pure TypeScript; the app wires it to `window` keydown and to IPC.
 *
 * Why not `@point-of-sale/keyboard-barcode-scanner`: it builds codes from `KeyboardEvent.key` (which Telex
 * rewrites), ignores keys while an input has focus, and binds to `document` with its own timers, so it can be
 * neither trusted with PC12AA under UniKey nor tested with recorded events.
 *
 * Characters come from `KeyboardEvent.code` + Shift (US layout, what scanners emulate), never from `.key`:
 * UniKey/EVKey in Telex mode rewrite AA->Â, DD->Đ, EE->Ê as keys arrive, sometimes by erasing the last character
 * with a synthetic Backspace and injecting the composed letter (no physical `.code`). Inside a burst such a
 * Backspace erases the last character and the injected letter is unfolded back to its keys (telex.ts).
 *
 * Holding policy: while it is undecided whether keys are a scan, character keys are 'consumed' (the app calls
 * preventDefault). A recognised scan goes to `onScan`; keys that turn out to be human typing are handed back
 * to `onRelease` as text (within `maxGapMs`) for the app to insert where the caret is.
 */
import { unfoldTelexChar } from './telex.ts';

export interface WedgeKeyEvent {
  code: string;
  key: string;
  shiftKey: boolean;
  timeStamp: number;
  ctrlKey?: boolean;
  altKey?: boolean;
  metaKey?: boolean;
  repeat?: boolean;
}

export type WedgeVerdict = 'consumed' | 'passthrough';
export type CancelTimer = () => void;
export type SetTimer = (fn: () => void, ms: number) => CancelTimer;

export interface WedgeOptions {
  /** A recognised scan, prefix/suffix already stripped (never empty). */
  onScan: (code: string) => void;
  /** Held keys that were human typing, as the text they would have typed. */
  onRelease?: (text: string) => void;
  /**
   * Takes back text `onRelease` just gave when the quiet timer judged too early: true when it could
   * (the text is still where it was put). Keys reach a busy page one by one, late, but keep their own times.
   */
  onRetract?: (text: string) => boolean;
  /** Same clock as `KeyboardEvent.timeStamp`; defaults to performance.now(). */
  now?: () => number;
  prefix?: string;
  suffix?: string;
  /** Longest gap between two keys of one burst. */
  maxGapMs?: number;
  /** Fewest characters (before stripping) that make a burst a scan; shorter bursts are typing. */
  minLength?: number;
  /** Silence after a burst of at least minLength that ends it when no Enter/Tab comes. */
  timeoutMs?: number;
  setTimer?: SetTimer;
}

export interface WedgeDetector {
  handleKey(event: WedgeKeyEvent): WedgeVerdict;
  /** Decide the pending burst now (e.g. when the window loses focus). */
  flush(): void;
  dispose(): void;
}

export const WEDGE_DEFAULTS = { maxGapMs: 40, minLength: 6, timeoutMs: 100 } as const;

const SHIFTED_DIGITS = ')!@#$%^&*(';
const PUNCTUATION: Readonly<Record<string, readonly [string, string]>> = {
  Minus: ['-', '_'],
  Equal: ['=', '+'],
  Period: ['.', '>'],
  Comma: [',', '<'],
  Slash: ['/', '?'],
  Backslash: ['\\', '|'],
  Semicolon: [';', ':'],
  Quote: ["'", '"'],
  BracketLeft: ['[', '{'],
  BracketRight: [']', '}'],
  Backquote: ['`', '~'],
  Space: [' ', ' '],
  NumpadDecimal: ['.', '.'],
  NumpadAdd: ['+', '+'],
  NumpadSubtract: ['-', '-'],
  NumpadMultiply: ['*', '*'],
  NumpadDivide: ['/', '/'],
};
const TERMINATORS = new Set(['Enter', 'NumpadEnter', 'Tab']);
const MODIFIERS = new Set(['Shift', 'Control', 'Alt', 'Meta', 'CapsLock', 'NumLock', 'AltGraph']);

/** The character a US-layout key produces: KeyA + Shift -> 'A', Digit1 -> '1', Numpad7 -> '7'. */
export function charFromCode(code: string, shift: boolean): string | undefined {
  let m = /^Key([A-Z])$/.exec(code);
  if (m?.[1] !== undefined) return shift ? m[1] : m[1].toLowerCase();
  m = /^Digit(\d)$/.exec(code);
  if (m?.[1] !== undefined) return shift ? SHIFTED_DIGITS[Number(m[1])] : m[1];
  m = /^Numpad(\d)$/.exec(code);
  if (m?.[1] !== undefined) return m[1];
  const pair = PUNCTUATION[code];
  return pair === undefined ? undefined : pair[shift ? 1 : 0];
}

/** A key an input method injected (no physical code) or rewrote: a single non-ASCII letter. */
function isComposedLetter(key: string): boolean {
  return [...key].length === 1 && key.charCodeAt(0) > 0x7f && /\p{L}/u.test(key);
}

interface HeldKey {
  /** What the scanner sent, from the physical key. */
  scanned: string;
  /** A key press (a physical key, or the letter an input method put in place of one): only these count towards minLength. */
  physical: boolean;
  /** What a person would have seen typed, from `.key`. */
  typed: string;
}

export function createWedgeDetector(options: WedgeOptions): WedgeDetector {
  const maxGapMs = options.maxGapMs ?? WEDGE_DEFAULTS.maxGapMs;
  const minLength = options.minLength ?? WEDGE_DEFAULTS.minLength;
  const timeoutMs = Math.max(options.timeoutMs ?? WEDGE_DEFAULTS.timeoutMs, maxGapMs);
  const now = options.now ?? (() => performance.now());
  const setTimer: SetTimer =
    options.setTimer ??
    ((fn, ms) => {
      const handle = setTimeout(fn, ms);
      return () => clearTimeout(handle);
    });

  let held: HeldKey[] = [];
  let lastAt = 0;
  /** What the quiet timer last released as typing, while a key belonging to it may still be on its way. */
  let released: { keys: HeldKey[]; lastAt: number; text: string } | null = null;
  let previousWasBackspace = false;
  let cancelTimer: CancelTimer | undefined;

  /**
   * Letters an input method injects (Telex rewriting a word) come fast and could pass for a burst; a scanner
   * only presses physical keys, so only those make a burst long enough to be a scan.
   */
  const isLongEnough = (): boolean => held.filter((k) => k.physical).length >= minLength;
  /** How long after the last key the burst may still continue. */
  const allowedGap = (): number => (isLongEnough() ? timeoutMs : maxGapMs);

  function stopTimer(): void {
    cancelTimer?.();
    cancelTimer = undefined;
  }

  function armTimer(ms: number): void {
    stopTimer();
    cancelTimer = setTimer(onTimer, ms);
  }

  function onTimer(): void {
    cancelTimer = undefined;
    // Timers can run before key events already queued behind a busy frame: only decide once truly quiet.
    const quietFor = now() - lastAt;
    if (quietFor < allowedGap()) armTimer(allowedGap() - quietFor);
    else {
      const keys = held;
      const at = lastAt;
      if (decide() === 'typing') released = { keys, lastAt: at, text: keys.map((k) => k.typed).join('') };
    }
  }

  /** A key whose own time joins it to keys the timer released: take them back and go on with the burst. */
  function rejoin(event: WedgeKeyEvent): void {
    const earlier = released;
    released = null;
    if (earlier === null || held.length > 0 || event.timeStamp - earlier.lastAt > maxGapMs) return;
    if (options.onRetract?.(earlier.text) !== true) return;
    held = earlier.keys;
    lastAt = earlier.lastAt;
  }

  function strip(code: string): string {
    let out = code;
    if (options.prefix && out.startsWith(options.prefix)) out = out.slice(options.prefix.length);
    if (options.suffix && out.endsWith(options.suffix)) out = out.slice(0, -options.suffix.length);
    return out;
  }

  /** Ends the pending burst: a scan if long enough, else the held keys go back as typing. */
  function decide(): 'scan' | 'typing' {
    stopTimer();
    released = null;
    const longEnough = isLongEnough();
    const keys = held;
    held = [];
    previousWasBackspace = false;
    if (longEnough) {
      const code = strip(keys.map((k) => k.scanned).join(''));
      if (code !== '') options.onScan(code);
      return 'scan';
    }
    const text = keys.map((k) => k.typed).join('');
    if (text !== '') options.onRelease?.(text);
    return 'typing';
  }

  function heldKey(event: WedgeKeyEvent): HeldKey | undefined {
    const single = [...event.key].length === 1;
    const typed = single ? event.key : '';
    if (previousWasBackspace && isComposedLetter(event.key)) return { scanned: unfoldTelexChar(event.key), physical: true, typed };
    // With NumLock off the numpad types navigation keys (End, ArrowDown...), not digits: leave those alone.
    const fromCode = event.code.startsWith('Numpad') && !single ? undefined : charFromCode(event.code, event.shiftKey);
    if (fromCode !== undefined) return { scanned: fromCode, physical: true, typed: typed || fromCode };
    if (single) return { scanned: unfoldTelexChar(event.key, { loneW: !previousWasBackspace }), physical: false, typed };
    return undefined;
  }

  function hold(at: number, backspace: boolean): WedgeVerdict {
    lastAt = at;
    previousWasBackspace = backspace;
    armTimer(allowedGap());
    return 'consumed';
  }

  function handleKey(event: WedgeKeyEvent): WedgeVerdict {
    if (MODIFIERS.has(event.key) || event.repeat) return 'passthrough';
    rejoin(event);
    const inBurst = held.length > 0 && event.timeStamp - lastAt <= allowedGap();
    if (held.length > 0 && !inBurst) decide();
    if (event.ctrlKey || event.altKey || event.metaKey) {
      if (held.length > 0) decide();
      return 'passthrough';
    }
    if (TERMINATORS.has(event.code) || TERMINATORS.has(event.key)) {
      if (held.length === 0) return 'passthrough';
      return decide() === 'scan' ? 'consumed' : 'passthrough';
    }
    if (event.key === 'Backspace' && held.length > 0) {
      // A scanner never sends Backspace: inside a burst it is an input method rewriting its last letter.
      held.pop();
      return hold(event.timeStamp, true);
    }
    const key = heldKey(event);
    if (key === undefined) {
      if (held.length > 0) decide();
      return 'passthrough';
    }
    held.push(key);
    return hold(event.timeStamp, false);
  }

  return {
    handleKey,
    flush: () => {
      if (held.length > 0) decide();
    },
    dispose: () => {
      stopTimer();
      held = [];
      released = null;
    },
  };
}
