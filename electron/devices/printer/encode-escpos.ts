/**
 * Documents to ESC/POS bytes. @point-of-sale/receipt-printer-encoder builds the commands (initialise,
 * alignment, Code 128 with its length byte, cut); the raster bands are packed here because the
 * encoder's image() re-thresholds RGBA input and took ~26 ms a receipt, most of the whole budget.
 */
import ReceiptPrinterEncoder from '@point-of-sale/receipt-printer-encoder';
import type { PrintDocument } from '../../core/documents.ts';
import { layoutDocument, VIETNAMESE_SAMPLE, type Block } from './layout.ts';
import { renderRaster, type Bitmap } from './render-raster.ts';
import { encodeTextLine, selectCodePage } from './encode-text.ts';
import type { PaperWidth, PrintMode, PrinterConfig } from './printer.ts';

/** GS v 0 carries at most 255 rows well on common printers; bands join without a seam. */
const BAND_ROWS = 255;

export function rasterBytes(bitmap: Bitmap): Uint8Array {
  const bytesPerRow = bitmap.width >> 3;
  const bands = Math.ceil(bitmap.height / BAND_ROWS);
  const out = new Uint8Array(bitmap.data.length + bands * 8);
  let at = 0;
  for (let top = 0; top < bitmap.height; top += BAND_ROWS) {
    const rows = Math.min(BAND_ROWS, bitmap.height - top);
    out.set([0x1d, 0x76, 0x30, 0x00, bytesPerRow & 0xff, bytesPerRow >> 8, rows & 0xff, rows >> 8], at);
    at += 8;
    out.set(bitmap.data.subarray(top * bytesPerRow, (top + rows) * bytesPerRow), at);
    at += rows * bytesPerRow;
  }
  return out;
}

function newEncoder(width: PaperWidth): ReceiptPrinterEncoder {
  return new ReceiptPrinterEncoder({ language: 'esc-pos', columns: width === 576 ? 48 : 32, feedBeforeCut: 4 });
}

/**
 * Code 128 payload for the printer: code set B, with a trailing run of digits packed two a symbol in
 * code set C (receipt numbers end in six digits), which keeps the symbol narrow enough for paper.
 */
export function code128Payload(value: string): { payload: string; modules: number } {
  const digits = /\d*$/.exec(value)![0];
  const packed = digits.length >= 4 ? digits.slice(digits.length % 2) : '';
  const head = value.slice(0, value.length - packed.length);
  let payload = `{B${head}`;
  let symbols = head.length;
  if (packed !== '') {
    payload += '{C';
    for (let i = 0; i < packed.length; i += 2) payload += String.fromCharCode(Number(packed.slice(i, i + 2)));
    symbols += 1 + packed.length / 2;
  }
  // start + data + check symbols of 11 modules each, stop of 13
  return { payload, modules: (symbols + 2) * 11 + 13 };
}

/** Dots per narrow bar (GS w 2: the narrowest every ESC/POS printer takes). */
export const BARCODE_MODULE_DOTS = 2;
export const BARCODE_HEIGHT_DOTS = 64;

function barcode(encoder: ReceiptPrinterEncoder, value: string, width: PaperWidth): void {
  const { payload, modules } = code128Payload(value);
  encoder.align('center');
  // A long point code on 58 mm paper makes a Code 128 wider than the paper: a QR code of the same
  // receipt number fits, and the 2D scanners sold with these printers read both.
  if (modules * BARCODE_MODULE_DOTS > width) encoder.qrcode(value, { model: 2, size: 5, errorlevel: 'm' }).newline();
  else encoder.barcode(payload, 'code128', { height: BARCODE_HEIGHT_DOTS, width: BARCODE_MODULE_DOTS - 1, text: 'below' });
  encoder.align('left');
}

/**
 * Raster documents as byte chunks: rasters are packed here and never pass through the encoder, whose
 * encode() copies every byte through a JS array (that alone cost ~5 ms a receipt).
 */
function rasterChunks(blocks: Block[], width: PaperWidth): Uint8Array[] {
  return renderRaster(blocks, width).map((segment) => {
    if (segment.type === 'bitmap') return rasterBytes(segment.bitmap);
    const encoder = newEncoder(width);
    barcode(encoder, segment.value, width);
    return encoder.encode();
  });
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

const cut = (width: PaperWidth) => newEncoder(width).cut('partial').encode();

function wrapColumns(text: string, columns: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (line !== '' && candidate.length > columns) {
      lines.push(line);
      line = word;
    } else {
      line = candidate;
    }
  }
  lines.push(line);
  return lines;
}

function encodeText(blocks: Block[], width: PaperWidth, mode: Exclude<PrintMode, 'raster'>, encoder: ReceiptPrinterEncoder): void {
  const columns = width === 576 ? 48 : 32;
  const line = (text: string) => encoder.raw([...encodeTextLine(text, mode), 0x0a]);
  if (mode !== 'ascii') encoder.raw(selectCodePage(mode === 'tcvn3-epson' ? 30 : 27));
  for (const block of blocks) {
    if (block.type === 'barcode') {
      barcode(encoder, block.value, width);
      continue;
    }
    if (block.type === 'rule') {
      line('-'.repeat(columns));
      continue;
    }
    if (block.type === 'feed') {
      encoder.raw([0x0a]);
      continue;
    }
    encoder.bold(block.style !== 'body');
    if (block.style === 'title') encoder.height(2);
    if (block.type === 'text') {
      encoder.align(block.align);
      for (const part of wrapColumns(block.text, columns)) line(part);
      encoder.align('left');
    } else if (block.label.length + block.value.length + 1 > columns) {
      line(block.label);
      line(block.value.padStart(columns));
    } else {
      line(block.label + block.value.padStart(columns - block.label.length));
    }
    encoder.bold(false).height(1);
  }
}

/** The exact bytes of one print job: what the transport sends and the file printer stores. */
export function encodeDocument(doc: PrintDocument, copyNo: number, config: PrinterConfig): Uint8Array {
  const blocks = layoutDocument(doc, copyNo);
  if (config.mode === 'raster') {
    return concat([newEncoder(config.width).initialize().encode(), ...rasterChunks(blocks, config.width), cut(config.width)]);
  }
  const encoder = newEncoder(config.width).initialize();
  encodeText(blocks, config.width, config.mode, encoder);
  return encoder.cut('partial').encode();
}

const MODE_NAMES: Record<PrintMode, string> = {
  raster: 'Chế độ 1: ảnh (mặc định)',
  'tcvn3-epson': 'Chế độ 2: TCVN-3 Epson (trang 30/31)',
  'tcvn3-xprinter': 'Chế độ 3: TCVN-3 Xprinter (trang 27)',
  ascii: 'Chế độ 4: bỏ dấu',
};

/**
 * The supervisor's test page: the document in raster, then the Vietnamese sample in each text mode,
 * so the one that prints right can be picked in the printer settings.
 */
export function encodeTestPage(doc: PrintDocument & { kind: 'test_page' }, width: PaperWidth): Uint8Array {
  const blocks: Block[] = [...layoutDocument(doc, 0), { type: 'text', text: MODE_NAMES.raster, align: 'left', style: 'strong' }];
  const text = newEncoder(width);
  for (const mode of ['tcvn3-epson', 'tcvn3-xprinter', 'ascii'] as const) {
    const sample: Block[] = [
      { type: 'rule' },
      { type: 'text', text: MODE_NAMES[mode], align: 'left', style: 'strong' },
      ...VIETNAMESE_SAMPLE.map((line): Block => ({ type: 'text', text: line, align: 'left', style: 'body' })),
    ];
    encodeText(sample, width, mode, text);
  }
  return concat([newEncoder(width).initialize().encode(), ...rasterChunks(blocks, width), text.cut('partial').encode()]);
}
