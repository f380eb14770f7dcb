/**
 * Reads an ESC/POS byte stream back: commands, text lines (through the selected code page), GS v 0
 * rasters and barcodes. Strict on purpose: an unknown command fails the test rather than being skipped,
 * so anything the encoder starts emitting gets looked at.
 */
import iconv from 'iconv-lite';
import { paperPng, type PaperPiece } from '../../electron/devices/printer/preview.ts';
import type { Bitmap } from '../../electron/devices/printer/render-raster.ts';
import type { PaperWidth } from '../../electron/devices/printer/printer.ts';

export type Command =
  | { type: 'init' }
  | { type: 'codepage'; page: number }
  | { type: 'setting'; name: string; value: number }
  | { type: 'text'; text: string }
  | { type: 'newline' }
  | { type: 'raster'; bitmap: Bitmap }
  | { type: 'barcode'; symbology: number; lengthByte: number | null; raw: number[]; value: string }
  | { type: 'qrcode'; value: string }
  | { type: 'cut'; partial: boolean }
  | { type: 'status_query'; n: number };

export interface Decoded {
  commands: Command[];
  /** Printed text lines, in order (text modes). */
  lines: string[];
  rasters: Bitmap[];
  barcodes: Array<Extract<Command, { type: 'barcode' }>>;
  cuts: number;
}

const SIMPLE_ESC: Record<number, string> = { 0x61: 'align', 0x45: 'bold', 0x2d: 'underline', 0x4d: 'font', 0x21: 'mode', 0x33: 'line_spacing', 0x64: 'feed', 0x4a: 'feed_dots', 0x56: 'rotate', 0x7b: 'upside_down', 0x47: 'double_strike', 0x52: 'charset' };
const SIMPLE_GS: Record<number, string> = { 0x21: 'size', 0x42: 'invert', 0x68: 'barcode_height', 0x77: 'barcode_width', 0x48: 'barcode_hri', 0x66: 'barcode_font' };

function decodeText(bytes: number[], page: number): string {
  const buf = Buffer.from(bytes);
  if (page === 30 || page === 27) return iconv.decode(buf, 'tcvn');
  if (page === 31) return iconv.decode(buf, 'tcvn').toLocaleUpperCase('vi');
  return buf.toString('latin1');
}

/** "{B" / "{C" code-set switches of the printer's Code 128 payload back to the printed value. */
export function code128Value(raw: number[]): string {
  let set = 'B';
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === 0x7b && i + 1 < raw.length) {
      const next = String.fromCharCode(raw[i + 1]!);
      if (next === 'A' || next === 'B' || next === 'C') {
        set = next;
        i++;
        continue;
      }
    }
    out += set === 'C' ? String(raw[i]).padStart(2, '0') : String.fromCharCode(raw[i]!);
  }
  return out;
}

export function decode(input: Uint8Array): Decoded {
  const b = input;
  const commands: Command[] = [];
  let page = 0;
  let text: number[] = [];
  const flushText = () => {
    if (text.length > 0) commands.push({ type: 'text', text: decodeText(text, page) });
    text = [];
  };
  const need = (i: number, n: number) => {
    if (i + n > b.length) throw new Error(`truncated command at byte ${i}`);
  };
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c === 0x1b || c === 0x1d || c === 0x1c || c === 0x10) flushText();
    if (c === 0x0a) {
      flushText();
      commands.push({ type: 'newline' });
      i++;
    } else if (c === 0x0d) {
      i++;
    } else if (c === 0x1b) {
      need(i, 2);
      const f = b[i + 1]!;
      if (f === 0x40) {
        commands.push({ type: 'init' });
        page = 0;
        i += 2;
      } else if (f === 0x74) {
        need(i, 3);
        page = b[i + 2]!;
        commands.push({ type: 'codepage', page });
        i += 3;
      } else if (f === 0x32) {
        commands.push({ type: 'setting', name: 'line_spacing_default', value: 0 });
        i += 2;
      } else if (SIMPLE_ESC[f] !== undefined) {
        need(i, 3);
        commands.push({ type: 'setting', name: SIMPLE_ESC[f], value: b[i + 2]! });
        i += 3;
      } else {
        throw new Error(`unknown ESC 0x${f.toString(16)} at byte ${i}`);
      }
    } else if (c === 0x1c) {
      need(i, 2);
      if (b[i + 1] !== 0x2e) throw new Error(`unknown FS 0x${b[i + 1]!.toString(16)} at byte ${i}`);
      commands.push({ type: 'setting', name: 'kanji_off', value: 0 });
      i += 2;
    } else if (c === 0x10) {
      need(i, 3);
      if (b[i + 1] !== 0x04) throw new Error(`unknown DLE command at byte ${i}`);
      commands.push({ type: 'status_query', n: b[i + 2]! });
      i += 3;
    } else if (c === 0x1d) {
      need(i, 2);
      const f = b[i + 1]!;
      if (f === 0x76) {
        need(i, 8);
        if (b[i + 2] !== 0x30) throw new Error('GS v: only GS v 0 is expected');
        const bytesPerRow = b[i + 4]! | (b[i + 5]! << 8);
        const rows = b[i + 6]! | (b[i + 7]! << 8);
        need(i + 8, bytesPerRow * rows);
        const data = b.slice(i + 8, i + 8 + bytesPerRow * rows);
        commands.push({ type: 'raster', bitmap: { width: bytesPerRow * 8, height: rows, data } });
        i += 8 + bytesPerRow * rows;
      } else if (f === 0x6b) {
        need(i, 3);
        const m = b[i + 2]!;
        if (m >= 65) {
          const n = b[i + 3]!;
          need(i + 4, n);
          const raw = [...b.slice(i + 4, i + 4 + n)];
          commands.push({ type: 'barcode', symbology: m, lengthByte: n, raw, value: m === 73 ? code128Value(raw) : String.fromCharCode(...raw) });
          i += 4 + n;
        } else {
          const end = b.indexOf(0, i + 3);
          if (end < 0) throw new Error('GS k (function A) without its NUL');
          const raw = [...b.slice(i + 3, end)];
          commands.push({ type: 'barcode', symbology: m, lengthByte: null, raw, value: String.fromCharCode(...raw) });
          i = end + 1;
        }
      } else if (f === 0x28 && b[i + 2] === 0x6b) {
        need(i, 5);
        const len = b[i + 3]! | (b[i + 4]! << 8);
        need(i + 5, len);
        const body = b.slice(i + 5, i + 5 + len);
        if (body[0] === 0x31 && body[1] === 0x50) commands.push({ type: 'qrcode', value: Buffer.from(body.slice(3)).toString('latin1') });
        i += 5 + len;
      } else if (f === 0x56) {
        need(i, 3);
        const m = b[i + 2]!;
        commands.push({ type: 'cut', partial: m === 1 || m === 49 || m === 66 });
        i += m >= 65 ? 4 : 3;
      } else if (SIMPLE_GS[f] !== undefined) {
        need(i, 3);
        commands.push({ type: 'setting', name: SIMPLE_GS[f], value: b[i + 2]! });
        i += 3;
      } else {
        throw new Error(`unknown GS 0x${f.toString(16)} at byte ${i}`);
      }
    } else if (c < 0x20) {
      throw new Error(`unexpected control byte 0x${c.toString(16)} at byte ${i}`);
    } else {
      text.push(c);
      i++;
    }
  }
  flushText();
  const lines: string[] = [];
  let line: string | null = null;
  for (const cmd of commands) {
    if (cmd.type === 'text') line = (line ?? '') + cmd.text;
    if (cmd.type === 'newline') {
      if (line !== null) lines.push(line);
      line = null;
    }
  }
  if (line !== null) lines.push(line);
  return {
    commands,
    lines,
    rasters: commands.flatMap((c) => (c.type === 'raster' ? [c.bitmap] : [])),
    barcodes: commands.flatMap((c) => (c.type === 'barcode' ? [c] : [])),
    cuts: commands.filter((c) => c.type === 'cut').length,
  };
}

/**
 * The paper as the printer would print it: consecutive GS v 0 bands joined, barcodes and QR codes where
 * they were sent. Compared with the committed previews under fixtures/receipts/.
 */
export function decodedPng(decoded: Decoded, width: PaperWidth): Promise<Buffer> {
  const pieces: PaperPiece[] = [];
  for (const cmd of decoded.commands) {
    if (cmd.type === 'raster') pieces.push({ type: 'bitmap', bitmap: cmd.bitmap });
    if (cmd.type === 'barcode' || cmd.type === 'qrcode') pieces.push({ type: 'barcode', value: cmd.value });
  }
  return paperPng(pieces, width);
}
