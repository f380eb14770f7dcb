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
const STRIP_CACHE_LIMIT = 400; // ~10 kB a strip: small enough to stay out of the way of the GC

function metrics(width: PaperWidth, style: Style): Metrics {
  const body = width === 576 ? 24 : 21;
  const size = style === 'title' ? Math.round(body * 1.25) : body;
  const family = style === 'body' ? BODY_FAMILY : BOLD_FAMILY;
  return { font: `${size}px "${family}"`, size, lineHeight: Math.round(size * 1.4) };
}

interface Glyph {
  advance: number; // pen advance, fractional dots
  strip: Strip; // drawn with GLYPH_PAD dots of room on the left
}

const GLYPH_PAD = 4;

/**
 * Texts are composed from cached glyphs: reading pixels back from the canvas costs ~25 ns a dot, so
 * drawing each new name and address whole took most of a receipt's time. A glyph is drawn once per
 * font; a receipt of new names then needs no canvas call at all. Whole texts (header lines, labels)
 * are cached too. Kerning is not applied, which a receipt does not show.
 */
class StripCache {
  private readonly strips = new Map<string, Strip>();
  private readonly glyphs = new Map<string, Glyph>();
  private readonly canvas = createCanvas(128, 96);
  private readonly ctx: SKRSContext2D;

  constructor() {
    registerReceiptFonts();
    this.ctx = this.canvas.getContext('2d');
    this.ctx.textBaseline = 'alphabetic';
    this.ctx.fillStyle = '#000';
  }

  private glyph(m: Metrics, ch: string): Glyph {
    const key = `${m.font}|${ch}`;
    const cached = this.glyphs.get(key);
    if (cached !== undefined) return cached;
    this.ctx.font = m.font;
    const advance = this.ctx.measureText(ch).width;
    const width = Math.min(this.canvas.width, Math.ceil(advance) + 2 * GLYPH_PAD);
    const height = m.lineHeight;
    this.ctx.clearRect(0, 0, width, height);
    this.ctx.fillText(ch, GLYPH_PAD, Math.round(m.size * 1.05));
    const rgba = this.ctx.getImageData(0, 0, width, height).data;
    const dots = new Uint8Array(width * height);
    for (let i = 0; i < dots.length; i++) dots[i] = rgba[i * 4 + 3]! >= 110 ? 1 : 0;
    const glyph = { advance, strip: { width, height, dots } };
    this.glyphs.set(key, glyph);
    return glyph;
  }

  measure(m: Metrics, text: string): number {
    let width = 0;
    for (const ch of text) width += this.glyph(m, ch).advance;
    return Math.ceil(width);
  }

  strip(m: Metrics, text: string): Strip {
    const key = `${m.font}|${text}`;
    const cached = this.strips.get(key);
    if (cached !== undefined) return cached;
    const width = Math.max(1, this.measure(m, text));
    const height = m.lineHeight;
    const dots = new Uint8Array(width * height);
    let pen = 0;
    for (const ch of text) {
      const glyph = this.glyph(m, ch);
      const left = Math.round(pen) - GLYPH_PAD;
      for (let y = 0; y < height; y++) {
        const from = y * glyph.strip.width;
        const to = y * width;
        for (let x = 0; x < glyph.strip.width; x++) {
          const at = left + x;
          if (at >= 0 && at < width && glyph.strip.dots[from + x] === 1) dots[to + at] = 1;
        }
      }
      pen += glyph.advance;
    }
    const strip = { width, height, dots };
    // A simple bound: when full, start again (the header and labels come straight back).
    if (this.strips.size >= STRIP_CACHE_LIMIT) this.strips.clear();
    this.strips.set(key, strip);
    return strip;
  }
}

let cache: StripCache | undefined;
const strips = () => (cache ??= new StripCache());

/** Reused between pages (rendering is synchronous): pages leave it zeroed when packed. */
let scratch = new Uint8Array(576 * 1024);

/** A page being assembled, one byte a dot, in one growing buffer (a row per allocation fed the GC). */
class Page {
  private dots = scratch;
  private rows = 0;
  constructor(readonly width: number) {}

  get height(): number {
    return this.rows;
  }

  addBlank(height: number): number {
    const top = this.rows;
    this.rows += height;
    if (this.rows * this.width > this.dots.length) {
      const grown = new Uint8Array(Math.max(this.dots.length * 2, this.rows * this.width));
      grown.set(this.dots);
      this.dots = grown;
      scratch = grown;
    }
    return top;
  }

  put(strip: Strip, x: number, top: number): void {
    const w = Math.min(strip.width, this.width - x);
    const dots = this.dots;
    for (let y = 0; y < strip.height; y++) {
      const to = (top + y) * this.width + x;
      const from = y * strip.width;
      for (let i = 0; i < w; i++) dots[to + i] = dots[to + i]! | strip.dots[from + i]!;
    }
  }

  hline(top: number, thickness: number, dashed: boolean): void {
    for (let y = top; y < top + thickness; y++) {
      for (let x = MARGIN; x < this.width - MARGIN; x++) this.dots[y * this.width + x] = dashed && x % 8 >= 5 ? 0 : 1;
    }
  }

  pack(): Bitmap {
    const bytesPerRow = this.width >> 3;
    const data = new Uint8Array(bytesPerRow * this.rows);
    const d = this.dots;
    for (let b = 0, x = 0; b < data.length; b++, x += 8) {
      data[b] = (d[x]! << 7) | (d[x + 1]! << 6) | (d[x + 2]! << 5) | (d[x + 3]! << 4) | (d[x + 4]! << 3) | (d[x + 5]! << 2) | (d[x + 6]! << 1) | d[x + 7]!;
    }
    d.fill(0, 0, this.rows * this.width);
    return { width: this.width, height: this.rows, data };
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
