/**
 * The small printer interface the rest of the program sees. A transport moves bytes; it knows nothing
 * of receipts. Two-way transports (USB, serial, TCP) can also answer a DLE EOT status query.
 */
import type { EventEmitter } from 'node:events';
import type { EscposStatus } from './status.ts';

/** 58 mm paper prints 384 dots a line, 80 mm prints 576 (203 dpi heads). */
export type PaperWidth = 384 | 576;

/**
 * raster: every document is drawn with the bundled font and sent as a 1-bit image (GS v 0); always right.
 * tcvn3-epson / tcvn3-xprinter: printer fonts with a TCVN-3 code page (faster, printer-dependent).
 * ascii: diacritics stripped, the last resort for printers with neither.
 */
export type PrintMode = 'raster' | 'tcvn3-epson' | 'tcvn3-xprinter' | 'ascii';

export interface TransportEvents {
  connect: [];
  disconnect: [error?: Error];
}

export interface Transport extends EventEmitter<TransportEvents> {
  readonly name: string;
  /** Resolves when the bytes have been handed to the device (or the file written). */
  write(bytes: Uint8Array, job?: { id: number; kind: string; previewPng?: () => Promise<Buffer> }): Promise<void>;
  /** Present on two-way transports only. */
  readStatus?(): Promise<EscposStatus>;
  close(): Promise<void>;
}

export interface PrinterConfig {
  width: PaperWidth;
  mode: PrintMode;
}
