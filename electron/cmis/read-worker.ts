// Worker thread entry of readSnapshotParallel (parallel-read.ts). The reader is imported dynamically
// so that even a failure to load it reaches the waiting thread as an error message.
import { workerData } from 'node:worker_threads';
import type { ReaderInput } from './parallel-read.ts';

const input = workerData as ReaderInput;
const reader = await import('./parallel-read.ts').catch((error: unknown) => {
  input.port.postMessage({ kind: 'error', error: { code: 'INTERNAL', message: '', internal: String(error) } });
  Atomics.add(input.shared, 0, 1);
  Atomics.notify(input.shared, 0);
  return null;
});
if (reader !== null) {
  try {
    reader.serveRows(input);
  } catch (error) {
    if (Atomics.load(input.shared, 2) === 0) reader.postError(input, error);
  }
}
input.port.close();
