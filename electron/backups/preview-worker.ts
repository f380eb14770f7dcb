// Worker thread entry of previewInWorker (preview-job.ts): restore's checks of a backup (a copy, an
// integrity check, the journal chain: seconds for a large database) off the window's thread, which
// keeps answering scans and collects meanwhile.
import { parentPort, workerData } from 'node:worker_threads';
import { crossError } from '../core/errors.ts';
import { previewRestore } from './restore.ts';
import type { PreviewWorkerInput, PreviewWorkerMessage } from './preview-job.ts';

const { dataDir, file } = workerData as PreviewWorkerInput;
const post = (message: PreviewWorkerMessage): void => parentPort?.postMessage(message);
try {
  post({ kind: 'done', preview: previewRestore(dataDir, file) });
} catch (error) {
  post({ kind: 'error', ...crossError(error) });
}
