import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { uncrossError, type CrossedError } from '../core/errors.ts';
import type { RestorePreview } from './restore.ts';

/** What the preview worker is given (plain data: it crosses to another thread). */
export interface PreviewWorkerInput {
  dataDir: string;
  file: string;
}

export type PreviewWorkerMessage = { kind: 'done'; preview: RestorePreview } | ({ kind: 'error' } & CrossedError);

/** The worker module: the bundled one beside the Electron main bundle, else the source through tsx. */
function defaultWorker(): { url: URL; execArgv: string[] } {
  const bundled = new URL('./preview-worker.mjs', import.meta.url);
  if (bundled.protocol === 'file:' && existsSync(fileURLToPath(bundled))) return { url: bundled, execArgv: [] };
  return { url: new URL('./preview-worker.ts', import.meta.url), execArgv: ['--import', 'tsx'] };
}

/** previewRestore (restore.ts) in a worker thread: the same answer, the same refusals, and the caller's thread stays free. */
export function previewInWorker(dataDir: string, file: string, worker = defaultWorker()): Promise<RestorePreview> {
  const input: PreviewWorkerInput = { dataDir, file };
  const thread = new Worker(worker.url, { workerData: input, execArgv: worker.execArgv });
  return new Promise<RestorePreview>((resolve, reject) => {
    thread.on('message', (message: PreviewWorkerMessage) => {
      if (message.kind === 'done') resolve(message.preview);
      else reject(uncrossError(message));
    });
    thread.on('error', reject);
    // After an answer this settles nothing; without one, the preview ended with no answer.
    thread.on('exit', (code) => reject(new Error(`restore preview worker ended (exit code ${code}) without an answer`)));
  }).finally(() => void thread.terminate());
}
