/**
 * The one scan stream of the main process: keyboard-wedge scans (from the renderer over IPC), HID POS and serial
 * scanners all end here as `{ code, source, at }`. A scanner often reads the same card twice when it is held
 * still, so the same code again within `dedupeMs` is dropped. Whatever arrives, the stream answers with an
 * outcome and never throws: a bad read must not take the collection screen down.
 */
import type { Clock } from '../../core/clock.ts';
import { normaliseCode } from '../../core/fold.ts';
import { printable } from '../../core/cell-text.ts';

export type ScanSource = 'wedge' | 'hid' | 'serial';

export interface Scan {
  code: string;
  source: ScanSource;
  /** ISO UTC. */
  at: string;
}

export type ScanRejectReason = 'EMPTY' | 'TOO_LONG' | 'BAD_CHARACTERS' | 'DUPLICATE';

export interface ScanRejection {
  reason: ScanRejectReason;
  /** One Vietnamese sentence for the cashier. */
  message: string;
  source: ScanSource;
  at: string;
  /** What arrived, for the log: a string made printable (control characters as \xNN, 80 characters at most), else its type. */
  raw: string;
}

export type ScanOutcome = { ok: true; scan: Scan } | { ok: false; rejection: ScanRejection };

export interface ScanStream {
  submit(raw: unknown, source: ScanSource): ScanOutcome;
  /** Returns the unsubscribe function. */
  onScan(listener: (scan: Scan) => void): () => void;
  onReject(listener: (rejection: ScanRejection) => void): () => void;
}

export interface ScanStreamOptions {
  clock: Clock;
  dedupeMs?: number;
  /** Longest code accepted; customer codes are 10-16, card numbers and receipt numbers shorter than 40. */
  maxLength?: number;
}

export const DEDUPE_MS = 2000;
const MAX_LENGTH = 64;
/** Customer codes, card numbers and receipt numbers (`<point>-<yy>-<seq>`) use only these. */
const CODE_PATTERN = /^[A-Z0-9][A-Z0-9\-./_]*$/;

const MESSAGES: Readonly<Record<ScanRejectReason, string>> = {
  EMPTY: 'Mã quét được bị trống. Hãy quét lại thẻ.',
  TOO_LONG: 'Mã quét được dài bất thường, không phải mã khách hàng hay số biên nhận. Hãy quét lại thẻ.',
  BAD_CHARACTERS: 'Mã quét được có ký tự lạ, không phải mã khách hàng hay số biên nhận. Hãy quét lại thẻ.',
  DUPLICATE: 'Mã này vừa được quét, lần quét lặp lại đã được bỏ qua.',
};

function forTheLog(raw: unknown): string {
  // Not String(raw): an object without a prototype would throw.
  const text = typeof raw === 'string' ? raw : `(${raw === null ? 'null' : typeof raw})`;
  return printable(text.slice(0, 80));
}

export function createScanStream(options: ScanStreamOptions): ScanStream {
  const dedupeMs = options.dedupeMs ?? DEDUPE_MS;
  const maxLength = options.maxLength ?? MAX_LENGTH;
  const scanListeners = new Set<(scan: Scan) => void>();
  const rejectListeners = new Set<(rejection: ScanRejection) => void>();
  let last: { code: string; atMs: number } | undefined;

  function check(raw: unknown): { code: string } | { reason: ScanRejectReason } {
    if (typeof raw !== 'string') return { reason: raw === undefined || raw === null ? 'EMPTY' : 'BAD_CHARACTERS' };
    if (raw.length > 4 * maxLength) return { reason: 'TOO_LONG' }; // not worth normalising
    // The one code normaliser (a scan through a chat window or a full-width input method still finds the customer).
    const code = normaliseCode(raw);
    if (code === '') return { reason: 'EMPTY' };
    if (code.length > maxLength) return { reason: 'TOO_LONG' };
    if (!CODE_PATTERN.test(code)) return { reason: 'BAD_CHARACTERS' };
    return { code };
  }

  /** Listeners are the app's code: one that throws must not stop the others or the device reading. */
  function notify<T>(listeners: Set<(value: T) => void>, value: T): void {
    for (const listener of listeners) {
      try {
        listener(value);
      } catch (error) {
        console.error('scan listener failed', error);
      }
    }
  }

  function reject(reason: ScanRejectReason, raw: unknown, source: ScanSource, at: string): ScanOutcome {
    const rejection: ScanRejection = { reason, message: MESSAGES[reason], source, at, raw: forTheLog(raw) };
    notify(rejectListeners, rejection);
    return { ok: false, rejection };
  }

  function submit(raw: unknown, source: ScanSource): ScanOutcome {
    const now = options.clock();
    const at = now.toISOString();
    const checked = check(raw);
    if ('reason' in checked) return reject(checked.reason, raw, source, at);
    const atMs = now.getTime();
    // The window runs from the accepted scan: a card held under the scanner is read once per dedupeMs at most.
    if (last !== undefined && last.code === checked.code && atMs >= last.atMs && atMs - last.atMs < dedupeMs) {
      return reject('DUPLICATE', raw, source, at);
    }
    last = { code: checked.code, atMs };
    const scan: Scan = { code: checked.code, source, at };
    notify(scanListeners, scan);
    return { ok: true, scan };
  }

  const subscribe =
    <T>(listeners: Set<(value: T) => void>) =>
    (listener: (value: T) => void): (() => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    };

  return { submit, onScan: subscribe(scanListeners), onReject: subscribe(rejectListeners) };
}

/** The renderer's keyboard-wedge detector reports a scan over IPC; the app's IPC handler calls this. */
export function submitWedgeScan(stream: ScanStream, code: unknown): ScanOutcome {
  return stream.submit(code, 'wedge');
}
