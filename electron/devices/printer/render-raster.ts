/**
 * Draws a layout as 1-bit rasters with the bundled font. Printers have no usable Vietnamese code page,
 * so the default is to send pictures of the text. Speed comes from caching: every distinct piece of text
 * (header lines, labels, titles, common values) is drawn by the canvas once and kept as a 0/1 strip;
 * a receipt is then mostly copying strips into a page buffer.
 */
import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import type { Align, Block, Style } from './layout.ts';
import type { PaperWidth } from './printer.ts';
import { BODY_FAMILY, BOLD_FAMILY, registerReceiptFonts } from './fonts.ts';

/** 1 bit a dot, 1 = black, rows of width/8 bytes, most significant bit leftmost (the GS v 0 layout). */
export interface Bitmap {
  width: number;
  height: number;
  data: Uint8Array;
}

export type RasterSegment = { type: 'bitmap'; bitmap: Bitmap } | { type: 'barcode'; value: string };

interface Strip {
  width: number;
  height: number;
  dots: Uint8Array; // one byte a dot, 0/1
}

interface Metrics {
  font: string;
  size: number;
  lineHeight: number;
}

const MARGIN = 4;
const STRIP_CACHE_LIMIT = 4000;

function metrics(width: PaperWidth, style: Style): Metrics {
  const body = width === 576 ? 24 : 21;
  const size = style === 'title' ? Math.round(body * 1.25) : body;
  const family = style === 'body' ? BODY_FAMILY : BOLD_FAMILY;
  return { font: `${size}px "${family}"`, size, lineHeight: Math.round(size * 1.4) };
}

class StripCache {
  private readonly strips = new Map<string, Strip>();
  private readonly widths = new Map<string, number>();
  private readonly canvas = createCanvas(1200, 64);
  private readonly ctx: SKRSContext2D;

  constructor() {
    registerReceiptFonts();
    this.ctx = this.canvas.getContext('2d');
    this.ctx.textBaseline = 'alphabetic';
    this.ctx.fillStyle = '#000';
  }

  measure(m: Metrics, text: string): number {
    const key = `${m.font}|${text}`;
    let width = this.widths.get(key);
    if (width === undefined) {
      this.ctx.font = m.font;
      width = Math.ceil(this.ctx.measureText(text).width);
      this.widths.set(key, width);
      if (this.widths.size > STRIP_CACHE_LIMIT * 4) this.widths.clear();
    }
    return width;
  }

  strip(m: Metrics, text: string): Strip {
    const key = `${m.font}|${text}`;
    const cached = this.strips.get(key);
    if (cached !== undefined) return cached;
    const width = Math.max(1, Math.min(this.measure(m, text), this.canvas.width));
    const height = m.lineHeight;
    this.ctx.clearRect(0, 0, width, height);
    this.ctx.font = m.font;
    this.ctx.fillText(text, 0, Math.round(m.size * 1.05));
    const rgba = this.ctx.getImageData(0, 0, width, height).data;
    const dots = new Uint8Array(width * height);
    for (let i = 0; i < dots.length; i++) dots[i] = rgba[i * 4 + 3]! >= 110 ? 1 : 0;
    const strip = { width, height, dots };
    // A simple bound: when full, start again (the header and labels come straight back).
    if (this.strips.size >= STRIP_CACHE_LIMIT) this.strips.clear();
    this.strips.set(key, strip);
    return strip;
  }
}

let cache: StripCache | undefined;
const strips = () => (cache ??= new StripCache());

/** A page being assembled, one byte a dot; grows as lines are added. */
class Page {
  private rows: Uint8Array[] = [];
  constructor(readonly width: number) {}

  get height(): number {
    return this.rows.length;
  }

  addBlank(height: number): number {
    const top = this.rows.length;
    for (let i = 0; i < height; i++) this.rows.push(new Uint8Array(this.width));
    return top;
  }

  put(strip: Strip, x: number, top: number): void {
    const w = Math.min(strip.width, this.width - x);
    for (let y = 0; y < strip.height; y++) {
      const row = this.rows[top + y]!;
      const from = y * strip.width;
      for (let i = 0; i < w; i++) row[x + i] = row[x + i]! | strip.dots[from + i]!;
    }
  }

  hline(top: number, thickness: number, dashed: boolean): void {
    for (let y = top; y < top + thickness; y++) {
      const row = this.rows[y]!;
      for (let x = MARGIN; x < this.width - MARGIN; x++) row[x] = dashed && x % 8 >= 5 ? 0 : 1;
    }
  }

  pack(): Bitmap {
    const bytesPerRow = this.width >> 3;
    const data = new Uint8Array(bytesPerRow * this.rows.length);
    this.rows.forEach((row, y) => {
      const base = y * bytesPerRow;
      for (let b = 0; b < bytesPerRow; b++) {
        const x = b << 3;
        data[base + b] =
          (row[x]! << 7) | (row[x + 1]! << 6) | (row[x + 2]! << 5) | (row[x + 3]! << 4) |
          (row[x + 4]! << 3) | (row[x + 5]! << 2) | (row[x + 6]! << 1) | row[x + 7]!;
      }
    });
    return { width: this.width, height: this.rows.length, data };
  }
}

/** Greedy word wrap by measured width. */
function wrap(m: Metrics, text: string, room: number): string[] {
  const c = strips();
  if (c.measure(m, text) <= room) return [text];
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (line !== '' && c.measure(m, candidate) > room) {
      lines.push(line);
      line = word;
    } else {
      line = candidate;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

function placeX(align: Align, stripWidth: number, width: number): number {
  if (align === 'center') return Math.max(0, Math.floor((width - stripWidth) / 2));
  if (align === 'right') return Math.max(MARGIN, width - MARGIN - stripWidth);
  return MARGIN;
}

function drawLine(page: Page, m: Metrics, text: string, align: Align): void {
  const strip = strips().strip(m, text);
  page.put(strip, placeX(align, strip.width, page.width), page.addBlank(m.lineHeight));
}

function drawBlock(page: Page, block: Exclude<Block, { type: 'barcode' }>, width: PaperWidth): void {
  const room = width - 2 * MARGIN;
  switch (block.type) {
    case 'text': {
      const m = metrics(width, block.style);
      for (const line of wrap(m, block.text, room)) drawLine(page, m, line, block.align);
      return;
    }
    case 'pair': {
      const m = metrics(width, block.style);
      const label = strips().strip(m, block.label);
      const value = strips().strip(m, block.value);
      if (label.width + value.width + m.size > room) {
        drawLine(page, m, block.label, 'left');
        drawLine(page, m, block.value, 'right');
        return;
      }
      const top = page.addBlank(m.lineHeight);
      page.put(label, MARGIN, top);
      page.put(value, placeX('right', value.width, width), top);
      return;
    }
    case 'rule': {
      const top = page.addBlank(12);
      page.hline(top + 5, 2, true);
      return;
    }
    case 'feed':
      page.addBlank(16);
      return;
  }
}

/** The layout as rasters, split where a barcode goes (the printer draws barcodes itself). */
export function renderRaster(blocks: Block[], width: PaperWidth): RasterSegment[] {
  const segments: RasterSegment[] = [];
  let page = new Page(width);
  for (const block of blocks) {
    if (block.type === 'barcode') {
      if (page.height > 0) segments.push({ type: 'bitmap', bitmap: page.pack() });
      segments.push({ type: 'barcode', value: block.value });
      page = new Page(width);
    } else {
      drawBlock(page, block, width);
    }
  }
  if (page.height > 0) segments.push({ type: 'bitmap', bitmap: page.pack() });
  return segments;
}
