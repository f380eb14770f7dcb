// Worker thread entry of openSnapshotReader (parallel-read.ts). The reader is imported dynamically so
// that a failure to load it reaches the waiting thread, which then reads the file itself.
import { workerData } from 'node:worker_threads';
import type { ReaderInput } from './parallel-read.ts';

const input = workerData as ReaderInput;
const reader = await import('./parallel-read.ts').catch(() => null);
if (reader === null) {
  input.port.postMessage({ kind: 'unavailable' });
  Atomics.add(input.shared, 0, 1); // PRODUCED
  Atomics.notify(input.shared, 0);
} else {
  try {
    reader.serveRows(input);
  } catch (error) {
    if (!reader.cancelled(input)) reader.postError(input, error);
  }
}
input.port.close();
