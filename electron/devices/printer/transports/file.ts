/**
 * The default printer of a fresh install and of tests: each job's exact bytes go to
 * `<dataDir>/receipts/<job id>-<kind>.bin`, with a PNG preview beside it. Written to a temporary name
 * and renamed, so a crash never leaves half a job that looks whole. The folder may be a network share:
 * the writes are asynchronous and bounded by `writeTimeoutMs`, so a share that stops answering fails
 * the job with PRINTER_TIMEOUT instead of freezing the program, and a write that completes after the
 * outbox gave up on it is never renamed into place.
 */
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Transport, TransportEvents } from '../printer.ts';
import { DEFAULT_WRITE_TIMEOUT_MS, withDeadline } from '../deadline.ts';

export class FileTransport extends EventEmitter<TransportEvents> implements Transport {
  readonly name: string;
  private counter = 0;

  constructor(
    readonly dir: string,
    private readonly writeTimeoutMs: number = DEFAULT_WRITE_TIMEOUT_MS,
  ) {
    super();
    this.name = `file:${dir}`;
    mkdirSync(dir, { recursive: true });
  }

  async write(bytes: Uint8Array, job?: { id: number; kind: string; previewPng?: () => Promise<Buffer> }): Promise<void> {
    const base = job === undefined ? `raw-${++this.counter}` : `${job.id}-${job.kind}`;
    const abort = new AbortController();
    const put = async (name: string, data: Uint8Array) => {
      const tmp = join(this.dir, `.${name}.tmp`);
      try {
        await writeFile(tmp, data, { signal: abort.signal });
      } finally {
        if (abort.signal.aborted) await rm(tmp, { force: true });
      }
      if (!abort.signal.aborted) await rename(tmp, join(this.dir, name));
    };
    const written = (async () => {
      if (job?.previewPng !== undefined) await put(`${base}.png`, await job.previewPng());
      await put(`${base}.bin`, bytes);
    })();
    await withDeadline(written, this.writeTimeoutMs, () => abort.abort());
  }

  async close(): Promise<void> {}
}

export const receiptsDir = (dataDir: string): string => join(dataDir, 'receipts');
