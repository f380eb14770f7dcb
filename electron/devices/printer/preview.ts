/**
 * A PNG of what the printer puts on paper, for the UI, the file printer and the committed fixtures:
 * the same rasters the printer gets, plus the Code 128 the printer draws itself (bars from bwip-js at the
 * module width and height encode-escpos asks the printer for, receipt number printed below).
 */
import { createCanvas } from '@napi-rs/canvas';
import bwipjs from 'bwip-js/node';
import type { PrintDocument } from '../../core/documents.ts';
import { layoutDocument } from './layout.ts';
import { renderRaster, type Bitmap } from './render-raster.ts';
import { BODY_FAMILY, registerReceiptFonts } from './fonts.ts';
import type { PaperWidth } from './printer.ts';
import { BARCODE_HEIGHT_DOTS, BARCODE_MODULE_DOTS, code128Payload } from './encode-escpos.ts';

const HRI_HEIGHT = 28;

/** Code 128 bar/space widths in modules, first a bar. */
function code128Modules(value: string): number[] {
  const [symbol] = bwipjs.raw('code128', value) as Array<{ sbs: number[] }>;
  if (symbol === undefined) throw new Error('bwip-js returned no symbol');
  return symbol.sbs;
}

/** QR modules, row by row (1 = dark), as the printer's own QR command (model 2, level M) draws them. */
function qrModules(value: string): { size: number; dark: number[] } {
  const [symbol] = bwipjs.raw('qrcode', value, 'eclevel=M') as Array<{ pixs: number[]; pixx: number }>;
  if (symbol === undefined) throw new Error('bwip-js returned no symbol');
  return { size: symbol.pixx, dark: symbol.pixs };
}

const QR_MODULE_DOTS = 5;

/** Paints a 0/1 raster (black on white) into RGBA pixels at row `top`. */
export function paintBitmap(rgba: Uint8ClampedArray, width: number, bitmap: Bitmap, top: number): void {
  const bytesPerRow = bitmap.width >> 3;
  for (let y = 0; y < bitmap.height; y++) {
    for (let x = 0; x < bitmap.width; x++) {
      const black = (bitmap.data[y * bytesPerRow + (x >> 3)]! >> (7 - (x & 7))) & 1;
      const at = ((top + y) * width + x) * 4;
      const v = black === 1 ? 0 : 255;
      rgba[at] = v;
      rgba[at + 1] = v;
      rgba[at + 2] = v;
      rgba[at + 3] = 255;
    }
  }
}

export type PaperPiece = { type: 'bitmap'; bitmap: Bitmap } | { type: 'barcode'; value: string };

/** Stacks rasters and barcodes into one PNG the width of the paper. */
export async function paperPng(pieces: PaperPiece[], width: PaperWidth): Promise<Buffer> {
  const barcodeHeight = (value: string) =>
    code128Payload(value).modules * BARCODE_MODULE_DOTS > width ? qrModules(value).size * QR_MODULE_DOTS + 12 : BARCODE_HEIGHT_DOTS + HRI_HEIGHT + 8;
  const height = pieces.reduce((sum, p) => sum + (p.type === 'bitmap' ? p.bitmap.height : barcodeHeight(p.value)), 0);
  const canvas = createCanvas(width, Math.max(1, height));
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, canvas.height);
  const image = ctx.getImageData(0, 0, width, canvas.height);
  let top = 0;
  const barcodes: Array<{ value: string; top: number }> = [];
  for (const piece of pieces) {
    if (piece.type === 'bitmap') {
      paintBitmap(image.data, width, piece.bitmap, top);
      top += piece.bitmap.height;
    } else {
      barcodes.push({ value: piece.value, top });
      top += barcodeHeight(piece.value);
    }
  }
  ctx.putImageData(image, 0, 0);
  registerReceiptFonts();
  ctx.fillStyle = '#000';
  for (const { value, top: y } of barcodes) {
    if (code128Payload(value).modules * BARCODE_MODULE_DOTS > width) {
      const qr = qrModules(value);
      const x0 = Math.floor((width - qr.size * QR_MODULE_DOTS) / 2);
      qr.dark.forEach((dark, i) => {
        if (dark === 1) ctx.fillRect(x0 + (i % qr.size) * QR_MODULE_DOTS, y + 4 + Math.floor(i / qr.size) * QR_MODULE_DOTS, QR_MODULE_DOTS, QR_MODULE_DOTS);
      });
      continue;
    }
    const modules = code128Modules(value);
    const total = modules.reduce((a, b) => a + b, 0) * BARCODE_MODULE_DOTS;
    let x = Math.max(0, Math.floor((width - total) / 2));
    modules.forEach((m, i) => {
      if (i % 2 === 0) ctx.fillRect(x, y + 4, m * BARCODE_MODULE_DOTS, BARCODE_HEIGHT_DOTS);
      x += m * BARCODE_MODULE_DOTS;
    });
    ctx.font = `20px "${BODY_FAMILY}"`;
    ctx.textAlign = 'center';
    ctx.fillText(value, width / 2, y + 4 + BARCODE_HEIGHT_DOTS + 22);
  }
  return canvas.encode('png');
}

/** The preview of a document as it prints in raster mode; copyNo > 0 shows "BẢN SAO lần n". */
export function renderPreviewPng(doc: PrintDocument, copyNo: number, width: PaperWidth): Promise<Buffer> {
  return paperPng(renderRaster(layoutDocument(doc, copyNo), width), width);
}
