import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError, uncrossError, type CrossedError } from '../core/errors.ts';
import type { ScryptCost } from '../core/pin-hash.ts';
import type { Sqlite } from '../store/open.ts';
import { holdImportLock } from './import-lock.ts';
import { importedBefore, type ImportOptions, type ImportProgress, type ImportResult } from './import-snapshot.ts';
import { inspectFile } from './read-snapshot.ts';

/** What the import worker is given (plain data: it crosses to another thread). */
export interface ImportWorkerInput {
  dataDir: string;
  options: ImportOptions;
  /** The import's time (ISO), from the window's clock. */
  at: string;
  pinCost: ScryptCost;
}

export type ImportWorkerMessage =
  | { kind: 'progress'; progress: ImportProgress }
  | { kind: 'staged' }
  | { kind: 'done'; result: ImportResult }
  | ({ kind: 'error' } & CrossedError);

/** The worker module: the bundled one beside the Electron main bundle, else the source through tsx. */
function defaultWorker(): { url: URL; execArgv: string[] } {
  const bundled = new URL('./import-worker.mjs', import.meta.url);
  if (bundled.protocol === 'file:' && existsSync(fileURLToPath(bundled))) return { url: bundled, execArgv: [] };
  return { url: new URL('./import-worker.ts', import.meta.url), execArgv: ['--import', 'tsx'] };
}

export interface ImportJobs {
  /**
   * Runs one import (or preview) in a worker thread. Refused (IMPORT_BUSY) while another runs here or
   * in another process. `onProgress` gets the reader's bytes and rows, then the checking and writing phases.
   */
  run(options: ImportOptions, onProgress: (progress: ImportProgress) => void): Promise<ImportResult>;
  /** Resolves once no swap is writing: a collect waits here instead of blocking the thread on the write lock. */
  idle(): Promise<void>;
  /**
   * Stops the running import's worker (the window's Cancel): its run() is refused with IMPORT_STOPPED,
   * nothing of it written (a swap stopped midway is rolled back by SQLite).
   */
  cancel(): Promise<void>;
}

export interface ImportJobsDeps {
  dataDir: string;
  /** The window's connection: after a worker died, whether its swap had committed. */
  sqlite: Sqlite;
  clock: () => Date;
  pinCost: ScryptCost;
  worker?: { url: URL; execArgv: string[] };
}

export function importJobs(deps: ImportJobsDeps): ImportJobs {
  let running: Worker | null = null;
  let swap: Promise<void> | null = null;

  const run = async (options: ImportOptions, onProgress: (progress: ImportProgress) => void): Promise<ImportResult> => {
    const release = holdImportLock(deps.dataDir);
    const { url, execArgv } = deps.worker ?? defaultWorker();
    const input: ImportWorkerInput = { dataDir: deps.dataDir, options, at: deps.clock().toISOString(), pinCost: deps.pinCost };
    let worker: Worker;
    try {
      worker = new Worker(url, { workerData: input, execArgv });
    } catch (error) {
      release();
      throw error;
    }
    running = worker;
    let endSwap: () => void = () => undefined;
    let staged = false;
    return new Promise<ImportResult>((resolve, reject) => {
      let settled = false;
      const finish = (outcome: () => void): void => {
        if (settled) return;
        settled = true;
        endSwap();
        running = null;
        release();
        outcome();
      };
      worker.on('message', (message: ImportWorkerMessage) => {
        if (message.kind === 'progress') onProgress(message.progress);
        else if (message.kind === 'staged') {
          staged = true;
          swap = new Promise<void>((r) => (endSwap = () => {
            swap = null;
            r();
          }));
        } else if (message.kind === 'done') finish(() => resolve(message.result));
        else finish(() => reject(uncrossError(message)));
      });
      // Ended without an answer. Before its swap nothing can have been written; during it, the
      // transaction committed whole or not at all, and the database says which.
      const ended = (cause: string): void => {
        const done = staged ? committed(deps.sqlite, options.file) : null;
        finish(() => (done === null ? reject(stopped(cause)) : resolve(done)));
      };
      worker.on('error', (error) => ended(error.message));
      worker.on('exit', (code) => ended(`mã thoát ${code}`));
    }).finally(() => void worker.terminate());
  };

  return {
    run,
    idle: () => swap ?? Promise.resolve(),
    cancel: async () => {
      await running?.terminate();
    },
  };
}

function stopped(cause: string): AppError {
  return new AppError(
    'IMPORT_STOPPED',
    `Việc nhập bảng nợ bị dừng giữa chừng (${cause}): tệp chưa được nhập, bảng nợ đang dùng vẫn như cũ và việc thu tiền không bị ảnh hưởng. Hãy nhập lại tệp.`,
    { cause },
  );
}

/** The snapshot of this file, when the worker's swap committed before it ended. */
function committed(sqlite: Sqlite, file: string): ImportResult | null {
  try {
    return importedBefore(sqlite, inspectFile(file).sha256);
  } catch {
    return null;
  }
}
