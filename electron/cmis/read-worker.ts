// Worker thread entry of openSnapshotReader (parallel-read.ts), in two roles. The watch worker
// starts the reader thread with its memory limits and reports how it ended: the caller, blocked in
// Atomics.wait, would never see the reader's 'error' or 'exit' event itself. The reader is imported
// dynamically so that a failure to load it reaches the waiting thread, which then reads the file itself.
import { Worker, workerData } from 'node:worker_threads';
import type { ReaderExit, ReaderInput, WatchInput } from './parallel-read.ts';

const PRODUCED = 0; // parallel-read.ts's slot: the caller wakes when it moves

const input = workerData as ReaderInput | WatchInput;
if ('role' in input) {
  const { role: _role, reader: module, watchPort, limits, ...readerInput } = input;
  const report = (exit: ReaderExit): void => {
    watchPort.postMessage(exit);
    Atomics.add(input.shared, PRODUCED, 1);
    Atomics.notify(input.shared, PRODUCED);
    watchPort.close();
  };
  const describe = (error: Error & { code?: string }): string => (error.code === undefined ? error.message : `${error.code}: ${error.message}`);
  let cause: string | null = null;
  try {
    const reader = new Worker(new URL(module), {
      workerData: readerInput,
      transferList: [readerInput.port],
      resourceLimits: limits,
      ...(process.features.typescript === false ? {} : { execArgv: [] }),
    });
    reader.on('error', (error: Error & { code?: string }) => {
      cause = describe(error);
    });
    reader.on('exit', (code) => report({ kind: 'exit', code, cause }));
  } catch (error) {
    report({ kind: 'exit', code: -1, cause: describe(error as Error) });
  }
} else {
  const reader = await import('./parallel-read.ts').catch(() => null);
  if (reader === null) {
    input.port.postMessage({ kind: 'unavailable' });
    Atomics.add(input.shared, PRODUCED, 1);
    Atomics.notify(input.shared, PRODUCED);
  } else {
    try {
      reader.serveRows(input);
    } catch (error) {
      if (!reader.cancelled(input)) reader.postError(input, error);
    }
  }
  input.port.close();
}
