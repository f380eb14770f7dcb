// Worker thread entry of import-job.ts: one import (or preview) on a connection of its own to the
// point's database, so the window's thread keeps answering scans and collects while the file is read,
// checked and staged. It posts progress, then 'staged' (the swap begins), then the result or the error.
import { parentPort, workerData } from 'node:worker_threads';
import { openContext } from '../store/context.ts';
import { crossError } from '../core/errors.ts';
import { importSnapshot } from './import-snapshot.ts';
import type { ImportWorkerInput, ImportWorkerMessage } from './import-job.ts';

const input = workerData as ImportWorkerInput;
const post = (message: ImportWorkerMessage): void => parentPort?.postMessage(message);
const at = new Date(input.at);
try {
  const ctx = openContext(input.dataDir, { clock: () => at, pinCost: input.pinCost, quickCheck: false });
  try {
    const result = importSnapshot(ctx, input.options, {
      onProgress: (progress) => post({ kind: 'progress', progress }),
      staged: () => post({ kind: 'staged' }),
    });
    post({ kind: 'done', result });
  } finally {
    // No closing checkpoint (Ctx.close): the window's connection stays open and does its own when it quits.
    ctx.sqlite.close();
  }
} catch (error) {
  post({ kind: 'error', ...crossError(error) });
}
