import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { AppError, crossError, uncrossError, type CrossedError } from '../core/errors.ts';
import { fastFold } from './fast-fold.ts';
import { readSnapshot, type BillFields, type CustomerFields, type ReadOptions, type SnapshotHeader, type SnapshotRow } from './read-snapshot.ts';

/**
 * The snapshot reader on a second core: a worker thread reads, decodes, parses, validates and folds
 * while the caller's thread writes SQLite. The caller stays synchronous (one better-sqlite3
 * transaction): it blocks on a shared counter (Atomics.wait) and takes batches with
 * receiveMessageOnPort. Rows cross as flat arrays of primitives (cheaper to clone than objects), and
 * the worker waits while MAX_IN_FLIGHT batches are unread, so memory stays bounded.
 *
 * A blocked thread gets no 'error' or 'exit' event, so the reader is started by a small watch
 * worker whose event loop is free: when the reader dies (heap limit, a crash, an exit) the watch
 * worker posts how, and the caller wakes and reports it at once instead of waiting for batches
 * that will never come.
 */

const BATCH_ROWS = 500;
/** A batch is also sent at this many characters of records: 500 rows of the longest record would be 32 M characters. */
const BATCH_CHARS = 1 << 18;
/**
 * Batches the reader may be ahead (at most 16 MB of text, typically 3 MB). With 4, each hiccup of
 * the writing thread (a page cache spill, a collection) stopped the reader too; on the loaded
 * 2-core machine 32 made the reading and staging of a province 1.2-1.6 s shorter.
 */
const MAX_IN_FLIGHT = 32;
/** Last resort for a reader alive but stuck (a read that never returns from a network drive): no batch for this long. */
const STALL_MS = 60_000;
/** The reader's live data is one batch; a small old generation keeps the import's RSS down. */
const READER_LIMITS = { maxOldGenerationSizeMb: 96 };
// Slots of the shared Int32Array.
const PRODUCED = 0;
const CONSUMED = 1;
const CANCELLED = 2;
const GO = 3;

export interface ReaderInput {
  port: MessagePort;
  shared: Int32Array;
  path: string;
}

/** What the watch worker is given: the reader's input, the module to run it, and its own port back to the caller. */
export interface WatchInput extends ReaderInput {
  role: 'watch';
  reader: string;
  watchPort: MessagePort;
  limits: typeof READER_LIMITS;
}

type ReaderMessage =
  /** `bytes`: how far into the file the reader was when it sent the batch. */
  | { kind: 'rows'; rows: unknown[]; bytes: number }
  | { kind: 'done'; header: SnapshotHeader }
  | ({ kind: 'error' } & CrossedError)
  /** The worker could not load the reader: the caller reads on its own thread. */
  | { kind: 'unavailable' };

/** From the watch worker: the reader thread has ended (`cause`: its error, when it had one). */
export interface ReaderExit {
  kind: 'exit';
  code: number;
  cause: string | null;
}

/**
 * Files below this size are read on the caller's thread: booting the reader's two workers costs more
 * than reading them, and a point's own snapshot (some hundred customers) is a few hundred kilobytes.
 */
export const WORKER_FROM_BYTES = 4 * 1024 * 1024;

/** The worker module: the bundled one beside the Electron main bundle, else the source (Node's type stripping). */
function workerFile(): URL {
  const bundled = new URL('./read-worker.mjs', import.meta.url);
  return bundled.protocol === 'file:' && existsSync(fileURLToPath(bundled)) ? bundled : new URL('./read-worker.ts', import.meta.url);
}

function isSmall(path: string): boolean {
  try {
    return statSync(path).size < WORKER_FROM_BYTES;
  } catch {
    return true; // the caller's read says what is wrong with the path
  }
}

export interface SnapshotReader {
  /** readSnapshot() of the file; same rows, same order, same errors. Once per reader. */
  read(options: ReadOptions, onRow: (row: SnapshotRow) => void, onBytes?: (bytesRead: number) => void): SnapshotHeader;
  /** Stops the worker (whether or not read() ran). */
  close(): void;
  /** Who read the rows: the worker, or the caller's thread (no worker module, or it could not load). */
  readonly via: () => 'worker' | 'caller';
}

function readerDied(exit: ReaderExit): AppError {
  const cause = exit.cause ?? `mã thoát ${exit.code}`;
  return new AppError(
    'SNAPSHOT_READER_FAILED',
    `Bộ đọc tệp bảng nợ dừng giữa chừng (${cause}): tệp chưa được nhập, cơ sở dữ liệu không thay đổi. Hãy thử lại; nếu lặp lại, báo bộ phận kỹ thuật.`,
    { cause },
  );
}

/**
 * Starts the reader's worker for `path` (it boots while the caller hashes the file and opens its
 * transaction). The worker runs TypeScript by Node's type stripping when available (faster to boot
 * than a loader). Where the worker module is not shipped as a file (a bundle) or cannot load, or the
 * file is small (WORKER_FROM_BYTES), read() reads on the caller's thread. `readerModule` (tests) runs
 * the reader thread instead of `workerModule`.
 */
export function openSnapshotReader(path: string, workerModule?: URL, readerModule?: URL): SnapshotReader {
  const chosen = workerModule ?? (readerModule === undefined && isSmall(path) ? null : workerFile());
  if (chosen === null || chosen.protocol !== 'file:' || !existsSync(fileURLToPath(chosen))) {
    return { read: (options, onRow, onBytes) => readSnapshot(path, options, onRow, onBytes), close: () => undefined, via: () => 'caller' };
  }
  let via: 'worker' | 'caller' = 'worker';
  const shared = new Int32Array(new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT));
  const rows = new MessageChannel();
  const watch = new MessageChannel();
  const input: WatchInput = { role: 'watch', port: rows.port2, shared, path, reader: (readerModule ?? chosen).href, watchPort: watch.port2, limits: READER_LIMITS };
  const worker = new Worker(chosen, {
    workerData: input,
    transferList: [rows.port2, watch.port2],
    ...(process.features.typescript === false ? {} : { execArgv: [] }),
  });
  worker.unref();
  const close = (): void => {
    // Done, failed, or the caller's onRow threw: release a worker waiting for room or for GO, then stop it (and the reader it started).
    Atomics.store(shared, CANCELLED, 1);
    Atomics.notify(shared, CONSUMED);
    Atomics.notify(shared, GO);
    rows.port1.close();
    watch.port1.close();
    void worker.terminate();
  };
  /** The reader's next message; a report from the watch worker only once the reader has nothing more to say. */
  const next = (): ReaderMessage | ReaderExit | undefined => {
    const message = receiveMessageOnPort(rows.port1);
    if (message !== undefined) return message.message as ReaderMessage;
    const exit = receiveMessageOnPort(watch.port1);
    if (exit === undefined) return undefined;
    return (receiveMessageOnPort(rows.port1)?.message as ReaderMessage | undefined) ?? (exit.message as ReaderExit);
  };
  const read = (options: ReadOptions, onRow: (row: SnapshotRow) => void, onBytes?: (bytesRead: number) => void): SnapshotHeader => {
    rows.port1.postMessage(options);
    let customer: LastCustomer = null;
    Atomics.store(shared, GO, 1);
    Atomics.notify(shared, GO);
    for (;;) {
      const seen = Atomics.load(shared, PRODUCED);
      const message = next();
      if (message === undefined) {
        if (Atomics.wait(shared, PRODUCED, seen, STALL_MS) === 'timed-out' && Atomics.load(shared, PRODUCED) === seen) {
          throw new AppError('SNAPSHOT_READER_FAILED', `Bộ đọc tệp bảng nợ không trả lời sau ${STALL_MS / 1000} giây: tệp chưa được nhập, cơ sở dữ liệu không thay đổi.`, {
            cause: 'stalled',
          });
        }
        continue;
      }
      if (message.kind === 'exit') throw readerDied(message);
      if (message.kind === 'unavailable') {
        via = 'caller';
        return readSnapshot(path, options, onRow, onBytes);
      }
      if (message.kind === 'done') return message.header;
      if (message.kind === 'error') throw uncrossError(message);
      customer = decodeRows(message.rows, onRow, customer);
      onBytes?.(message.bytes);
      Atomics.add(shared, CONSUMED, 1);
      Atomics.notify(shared, CONSUMED);
    }
  };
  return { read, close, via: () => via };
}

/** Posts one message and wakes the reading thread. */
export function post(input: ReaderInput, message: ReaderMessage): void {
  input.port.postMessage(message);
  Atomics.add(input.shared, PRODUCED, 1);
  Atomics.notify(input.shared, PRODUCED);
}

export function postError(input: ReaderInput, error: unknown): void {
  post(input, { kind: 'error', ...crossError(error) });
}

/** The worker's side: reads the file, posting batches and waiting while the reader is MAX_IN_FLIGHT behind. */
export function serveRows(input: ReaderInput): void {
  const { shared } = input;
  while (Atomics.load(shared, GO) === 0) {
    if (Atomics.load(shared, CANCELLED) === 1) return;
    Atomics.wait(shared, GO, 0);
  }
  const options = receiveMessageOnPort(input.port)?.message as ReadOptions;
  let batch: unknown[] = [];
  let count = 0;
  let chars = 0;
  let bytes = 0;
  const flush = (): void => {
    for (;;) {
      if (Atomics.load(shared, CANCELLED) === 1) throw new Error('cancelled');
      const consumed = Atomics.load(shared, CONSUMED);
      if (Atomics.load(shared, PRODUCED) - consumed < MAX_IN_FLIGHT) break;
      Atomics.wait(shared, CONSUMED, consumed);
    }
    post(input, { kind: 'rows', rows: batch, bytes });
    batch = [];
    count = 0;
    chars = 0;
  };
  const encodeRow = rowEncoder();
  const header = readSnapshot(input.path, { ...options, folds: false }, (row, length) => {
    encodeRow(row, batch);
    chars += length;
    if (++count === BATCH_ROWS || chars >= BATCH_CHARS) flush();
  }, (read) => {
    bytes = read;
  });
  if (count > 0) flush();
  post(input, { kind: 'done', header });
}

/** The customer columns: a row whose values equal the previous row's sends none of them. */
const CUSTOMER_KEYS = ['ma_dviqly', 'ma_khang', 'ten_khang', 'dchi_khang', 'ma_the', 'dthoai_sms', 'ma_sogcs', 'stt', 'so_cto', 'tthai_cat'] as const;
// Row tags: refused, a customer sent whole (with its folds), or the same customer as the row before.
const REFUSED = 0;
const CUSTOMER = 1;
const SAME_CUSTOMER = 2;

/**
 * Rows as a flat array. A customer's bills are consecutive rows repeating its columns: a row whose
 * customer columns equal the previous row's crosses as one tag (a province: 181,000 of 671,000 rows),
 * and the search folds are made once per customer, here.
 */
function rowEncoder(): (row: SnapshotRow, out: unknown[]) => void {
  let previous: CustomerFields | null = null;
  return (row, out) => {
    if (!row.ok) {
      out.push(REFUSED, row.line, row.raw, row.problems);
      previous = null;
      return;
    }
    const c = row.customer;
    const p = previous;
    if (p !== null && CUSTOMER_KEYS.every((key) => p[key] === c[key])) {
      out.push(SAME_CUSTOMER, row.line, row.raw);
    } else {
      out.push(CUSTOMER, row.line, row.raw, c.ma_dviqly, c.ma_khang, c.ten_khang, c.dchi_khang, c.ma_the, c.dthoai_sms, c.ma_sogcs, c.stt, c.so_cto, c.tthai_cat);
      out.push(fastFold(c.ten_khang), fastFold(c.dchi_khang));
      previous = c;
    }
    const b = row.bill;
    if (b === null) out.push(0);
    else out.push(1, b.id_hdon, b.loai_hdon, b.ky, b.thang, b.nam, b.dien_tthu, b.so_tien, b.tien_gtgt, b.tong_tien, b.han_ttoan);
  };
}

/** The customer of the last row decoded, for the next SAME_CUSTOMER row (it may come in the next batch). */
type LastCustomer = { customer: CustomerFields; nameFold: string; addrFold: string } | null;

/** Rows back from a batch, in rowEncoder's layout. */
function decodeRows(rows: unknown[], onRow: (row: SnapshotRow) => void, state: LastCustomer): LastCustomer {
  let last = state;
  let i = 0;
  const next = (): unknown => rows[i++];
  while (i < rows.length) {
    const tag = next();
    const line = next() as number;
    const raw = next() as string | null;
    if (tag === REFUSED) {
      onRow({ ok: false, line, raw, problems: next() as Extract<SnapshotRow, { ok: false }>['problems'] });
      last = null;
      continue;
    }
    if (tag === CUSTOMER) {
      const customer = {
        ma_dviqly: next(), ma_khang: next(), ten_khang: next(), dchi_khang: next(), ma_the: next(), dthoai_sms: next(),
        ma_sogcs: next(), stt: next(), so_cto: next(), tthai_cat: next(),
      } as CustomerFields;
      last = { customer, nameFold: next() as string, addrFold: next() as string };
    }
    // SAME_CUSTOMER follows a CUSTOMER row: the encoder forgets its customer where this loop does.
    const { customer, nameFold, addrFold } = last as NonNullable<typeof last>;
    const bill =
      next() === 0
        ? null
        : ({
            id_hdon: next(), loai_hdon: next(), ky: next(), thang: next(), nam: next(), dien_tthu: next(),
            so_tien: next(), tien_gtgt: next(), tong_tien: next(), han_ttoan: next(),
          } as BillFields);
    onRow({ ok: true, line, customer, nameFold, addrFold, bill, raw });
  }
  return last;
}

export function cancelled(input: ReaderInput): boolean {
  return Atomics.load(input.shared, CANCELLED) === 1;
}
