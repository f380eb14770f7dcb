/**
 * Serial (virtual COM) barcode scanner in the main process. USB scanners in "USB COM" / CDC mode send each code
 * followed by CR, LF or CRLF depending on their setup, so lines are split on any of the three (a CRLF split across
 * two reads yields no empty code). When the scanner is unplugged the port closes with a disconnect error; the
 * scanner then retries opening the same path every `reopenMs` until it is back, so replugging needs no restart.
 * A scanner set to add a prefix or suffix (an AIM identifier such as `]C0`, a marker) keeps ending each code with
 * CR/LF; one prefix at the start and one suffix at the end are taken off, a line without them is read as it is.
 */
import { RegexParser, SerialPort, type SerialPortMock } from 'serialport';
import type { ScanStream } from './stream.ts';

export type SerialScannerPort = SerialPort | SerialPortMock;
export type SerialScannerStatus = { state: 'open'; path: string } | { state: 'waiting'; path: string; error: string };

export interface SerialScannerOptions {
  path: string;
  baudRate?: number;
  stream: ScanStream;
  /** Makes the port (not opened); tests pass a SerialPortMock. */
  createPort?: (path: string, baudRate: number) => SerialScannerPort;
  reopenMs?: number;
  prefix?: string;
  suffix?: string;
  onStatus?: (status: SerialScannerStatus) => void;
}

export interface SerialScanner {
  isOpen(): boolean;
  /** Stops reading and retrying. */
  close(): Promise<void>;
}

const LINE_END = /\r\n|\r|\n/;

/** The code inside one line: the scanner's own prefix and suffix taken off once. */
export function lineCode(line: string, prefix = '', suffix = ''): string {
  const start = prefix !== '' && line.startsWith(prefix) ? prefix.length : 0;
  const end = suffix !== '' && line.length - start >= suffix.length && line.endsWith(suffix) ? line.length - suffix.length : line.length;
  return line.slice(start, end);
}

const systemPort = (path: string, baudRate: number): SerialScannerPort => new SerialPort({ path, baudRate, autoOpen: false });

export function startSerialScanner(options: SerialScannerOptions): SerialScanner {
  const { path, stream } = options;
  const baudRate = options.baudRate ?? 9600;
  const createPort = options.createPort ?? systemPort;
  const reopenMs = options.reopenMs ?? 1000;
  let port: SerialScannerPort | undefined;
  let stopped = false;
  let retry: ReturnType<typeof setTimeout> | undefined;

  function waitAndRetry(error: string): void {
    port = undefined;
    if (stopped) return;
    options.onStatus?.({ state: 'waiting', path, error });
    clearTimeout(retry);
    retry = setTimeout(connect, reopenMs);
  }

  function connect(): void {
    retry = undefined;
    if (stopped) return;
    let candidate: SerialScannerPort;
    try {
      candidate = createPort(path, baudRate);
    } catch (error) {
      waitAndRetry(error instanceof Error ? error.message : String(error));
      return;
    }
    const lines = candidate.pipe(new RegexParser({ regex: LINE_END }));
    lines.on('data', (line: string) => {
      if (line.trim() !== '') stream.submit(lineCode(line, options.prefix, options.suffix), 'serial');
    });
    // Without an 'error' listener a driver error would crash the main process; an unplug also arrives as
    // 'close', which is what reopens, and open failures come through open()'s callback.
    candidate.on('error', () => {});
    candidate.on('close', (error: Error | null) => {
      if (port === candidate) waitAndRetry(error?.message ?? 'Cổng đã đóng.');
    });
    candidate.open((error) => {
      if (error) {
        candidate.unpipe(lines);
        waitAndRetry(error.message);
        return;
      }
      if (stopped) {
        candidate.close();
        return;
      }
      port = candidate;
      options.onStatus?.({ state: 'open', path });
    });
  }

  connect();

  return {
    isOpen: () => port?.isOpen === true,
    close: async () => {
      stopped = true;
      clearTimeout(retry);
      const open = port;
      port = undefined;
      if (open?.isOpen) await new Promise<void>((resolve) => open.close(() => resolve()));
    },
  };
}
