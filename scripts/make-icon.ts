/**
 * Draws the application icon (a lightning bolt on a coin, no text so no font is needed) and writes
 * build/icon.png (512 px, Linux and electron-builder's source) and build/icon.ico (Windows: one
 * 256 px PNG entry, which every Windows since Vista reads). Run once: `npx tsx scripts/make-icon.ts`;
 * the outputs are committed.
 */
import { createCanvas } from '@napi-rs/canvas';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export function drawIcon(size: number): Buffer {
  const canvas = createCanvas(size, size);
  const g = canvas.getContext('2d');
  const s = size / 512;
  // Rounded square background.
  g.fillStyle = '#1f5f4a';
  g.beginPath();
  g.roundRect(16 * s, 16 * s, 480 * s, 480 * s, 96 * s);
  g.fill();
  // Coin.
  g.fillStyle = '#f2c14e';
  g.beginPath();
  g.arc(256 * s, 256 * s, 176 * s, 0, Math.PI * 2);
  g.fill();
  g.lineWidth = 14 * s;
  g.strokeStyle = '#d49a1c';
  g.stroke();
  // Lightning bolt.
  g.fillStyle = '#1f5f4a';
  g.beginPath();
  const bolt: Array<[number, number]> = [
    [286, 112], [176, 276], [246, 276], [218, 400], [336, 222], [264, 222], [300, 112],
  ];
  bolt.forEach(([x, y], i) => (i === 0 ? g.moveTo(x * s, y * s) : g.lineTo(x * s, y * s)));
  g.closePath();
  g.fill();
  return canvas.toBuffer('image/png');
}

/** An ICO file holding one PNG image (ICONDIR + one ICONDIRENTRY + the PNG bytes). */
export function pngToIco(png: Buffer, size: number): Buffer {
  const header = Buffer.alloc(6 + 16);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(1, 4); // one image
  header.writeUInt8(size >= 256 ? 0 : size, 6); // width (0 means 256)
  header.writeUInt8(size >= 256 ? 0 : size, 7); // height
  header.writeUInt8(0, 8); // palette
  header.writeUInt8(0, 9); // reserved
  header.writeUInt16LE(1, 10); // colour planes
  header.writeUInt16LE(32, 12); // bits per pixel
  header.writeUInt32LE(png.length, 14);
  header.writeUInt32LE(header.length, 18); // offset of the image data
  return Buffer.concat([header, png]);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'build');
  writeFileSync(join(out, 'icon.png'), drawIcon(512));
  writeFileSync(join(out, 'icon.ico'), pngToIco(drawIcon(256), 256));
  console.log(`wrote ${join(out, 'icon.png')} and icon.ico`);
}
