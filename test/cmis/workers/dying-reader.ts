// A snapshot reader worker that dies before its first batch: of heap exhaustion (under the resource
// limits openSnapshotReader gives its reader), or by exiting with code 3 when the file name says so.
import { workerData } from 'node:worker_threads';

const { path } = workerData as { path: string };
if (path.endsWith('exit.csv')) process.exit(3);
const hoard: number[][] = [];
// big pieces: the heap limit is reached in a few steps, not after minutes of collections on a busy machine
for (;;) hoard.push(new Array<number>(4_000_000).fill(1.5));
