/**
 * The e2e printer: the real outbox drained into the file printer (the hardware edge), so a test can
 * read the exact bytes of each receipt under <dataDir>/receipts/.
 */
import { readdirSync } from 'node:fs';
import type { Ctx } from '../../electron/store/context.ts';
import type { PrinterView } from '../../electron/ipc/contract.ts';
import { FileTransport, receiptsDir } from '../../electron/devices/printer/transports/file.ts';
import { drainOutbox } from '../../electron/printing/outbox.ts';

export interface FilePrinting {
  kick(): void;
  status(): PrinterView;
  /** Resolves when every job kicked so far has been drained. */
  idle(): Promise<void>;
  /** Names of the files the printer wrote (`<job id>-<kind>.bin`). */
  files(): string[];
  stop(): Promise<void>;
}

export function filePrinting(ctx: Ctx): FilePrinting {
  const dir = receiptsDir(ctx.dataDir);
  const transport = new FileTransport(dir);
  let chain: Promise<unknown> = Promise.resolve();
  let status: PrinterView = { state: 'ready', message: null };
  return {
    kick() {
      chain = chain
        .then(async () => {
          await drainOutbox(ctx, { transport, config: { width: 576, mode: 'raster' } });
          status = { state: 'ready', message: null };
        })
        .catch((error: unknown) => {
          status = { state: 'error', message: String(error) };
        });
    },
    status: () => status,
    idle: async () => {
      await chain;
    },
    files: () => readdirSync(dir).filter((f) => f.endsWith('.bin')),
    stop: async () => {
      await chain;
      await transport.close();
    },
  };
}

/** A printer out of paper (the hardware edge): every job stays in the outbox, the status says why. */
export function jammedPrinting(): FilePrinting {
  return {
    kick: () => undefined,
    status: () => ({ state: 'paper_out', message: 'Máy in hết giấy' }),
    idle: async () => undefined,
    files: () => [],
    stop: async () => undefined,
  };
}
