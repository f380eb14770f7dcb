/**
 * The default printer of a fresh install and of tests: each job's exact bytes go to
 * `<dataDir>/receipts/<job id>-<kind>.bin`, with a PNG preview beside it. Written to a temporary name
 * and renamed, so a crash never leaves half a job that looks whole.
 */
import { EventEmitter } from 'node:events';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Transport, TransportEvents } from '../printer.ts';

export class FileTransport extends EventEmitter<TransportEvents> implements Transport {
  readonly name: string;
  private counter = 0;

  constructor(readonly dir: string) {
    super();
    this.name = `file:${dir}`;
    mkdirSync(dir, { recursive: true });
  }

  async write(bytes: Uint8Array, job?: { id: number; kind: string; previewPng?: () => Promise<Buffer> }): Promise<void> {
    const base = job === undefined ? `raw-${++this.counter}` : `${job.id}-${job.kind}`;
    const put = (name: string, data: Uint8Array) => {
      const tmp = join(this.dir, `.${name}.tmp`);
      writeFileSync(tmp, data);
      renameSync(tmp, join(this.dir, name));
    };
    if (job?.previewPng !== undefined) put(`${base}.png`, await job.previewPng());
    put(`${base}.bin`, bytes);
  }

  async close(): Promise<void> {}
}

export const receiptsDir = (dataDir: string): string => join(dataDir, 'receipts');
