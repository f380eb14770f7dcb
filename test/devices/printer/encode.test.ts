import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadImage, createCanvas } from '@napi-rs/canvas';
import { encodeDocument, encodeTestPage, code128Payload } from '../../../electron/devices/printer/encode-escpos.ts';
import { encodeTextLine } from '../../../electron/devices/printer/encode-text.ts';
import fc from 'fast-check';
import { amountInWords } from '../../../electron/devices/printer/amount-words.ts';
import { decode, decodedPng } from '../../escpos/decoder.ts';
import { previews, receipt, testPage, WIDTHS } from '../../../fixtures/receipts/documents.ts';

async function pixels(png: Buffer): Promise<{ width: number; height: number; dark: Uint8Array }> {
  const image = await loadImage(png);
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  const rgba = ctx.getImageData(0, 0, image.width, image.height).data;
  const dark = new Uint8Array(image.width * image.height);
  for (let i = 0; i < dark.length; i++) dark[i] = rgba[i * 4]! < 128 ? 1 : 0;
  return { width: image.width, height: image.height, dark };
}

for (const [name, [doc, copyNo]] of Object.entries(previews)) {
  for (const [paper, width] of Object.entries(WIDTHS)) {
    test(`${name} ${paper}: the decoded raster matches fixtures/receipts/${name}-${paper}.png`, async () => {
      const decoded = decode(encodeDocument(doc, copyNo, { width, mode: 'raster' }));
      assert.ok(decoded.rasters.length > 0);
      assert.ok(decoded.rasters.every((r) => r.width === width && r.height <= 255));
      assert.equal(decoded.cuts, 1);
      const cutAt = decoded.commands.findIndex((c) => c.type === 'cut');
      assert.ok(decoded.commands.slice(cutAt).every((c) => c.type === 'cut' || c.type === 'newline'), 'nothing prints after the cut');
      const actual = await pixels(await decodedPng(decoded, width));
      const expected = await pixels(readFileSync(new URL(`../../../fixtures/receipts/${name}-${paper}.png`, import.meta.url)));
      assert.equal(actual.width, expected.width);
      assert.equal(actual.height, expected.height);
      let differing = 0;
      for (let i = 0; i < actual.dark.length; i++) if (actual.dark[i] !== expected.dark[i]) differing++;
      // font rasterisers differ by a few edge pixels between builds; a wrong line differs by thousands
      assert.ok(differing / actual.dark.length < 0.002, `${differing} pixels differ`);
    });
  }
}

test('the receipt barcode is Code 128 of the receipt number, with its length byte', () => {
  const decoded = decode(encodeDocument(receipt, 0, { width: 576, mode: 'raster' }));
  assert.equal(decoded.barcodes.length, 1);
  const [barcode] = decoded.barcodes;
  assert.equal(barcode!.symbology, 73);
  assert.equal(barcode!.lengthByte, barcode!.raw.length);
  assert.equal(barcode!.value, receipt.receiptNo);
  const width = decoded.commands.find((c) => c.type === 'setting' && c.name === 'barcode_width');
  assert.deepEqual(width, { type: 'setting', name: 'barcode_width', value: 2 });
});

test('code 128 packs the trailing digits in code set C and still reads back the same', () => {
  const { payload, modules } = code128Payload('PC12AA01-26-000123');
  assert.ok(payload.startsWith('{BPC12AA01-26-{C'));
  assert.equal(modules, (12 + 1 + 3 + 2) * 11 + 13); // 12 in B, switch, 3 pairs in C, start + check
  assert.equal(code128Payload('HD1').payload, '{BHD1');
});

test('on 58 mm a receipt number too wide for Code 128 prints as a QR code of the same number', () => {
  const long = { ...receipt, receiptNo: 'PC12AA0001XYZ-26-000123' };
  const decoded = decode(encodeDocument(long, 0, { width: 384, mode: 'raster' }));
  assert.equal(decoded.barcodes.length, 0);
  assert.deepEqual(decoded.commands.filter((c) => c.type === 'qrcode'), [{ type: 'qrcode', value: long.receiptNo }]);
});

test('a reprint differs from the original only by the copy mark', () => {
  const original = decode(encodeDocument(receipt, 0, { width: 576, mode: 'tcvn3-epson' })).lines;
  const copy = decode(encodeDocument(receipt, 3, { width: 576, mode: 'tcvn3-epson' })).lines;
  assert.deepEqual(copy.filter((l) => !original.includes(l)).map((l) => l.trim()), ['BẢN SAO lần 3']);
});

test('TCVN-3 (Epson pages 30/31) text decodes back to the Vietnamese it was given', () => {
  const decoded = decode(encodeDocument(receipt, 0, { width: 576, mode: 'tcvn3-epson' }));
  const lines = decoded.lines.map((l) => l.trim());
  for (const expected of ['BIÊN NHẬN THANH TOÁN TIỀN ĐIỆN', 'Trần Văn Quyết', 'ĐÃ THANH TOÁN', `Bằng chữ: Một triệu ba trăm ba mươi hai nghìn`]) {
    assert.ok(lines.some((l) => l.startsWith(expected)), `missing "${expected}" in ${JSON.stringify(lines)}`);
  }
  assert.ok(lines.some((l) => /^TỔNG CỘNG:\s+1\.332\.500 đ$/.test(l)), 'total line (₫ has no TCVN-3 code: printed đ)');
  assert.equal(decoded.barcodes[0]!.value, receipt.receiptNo);
});

test('accented capitals go to Epson page 31 at their lower-case position, others stay on 30', () => {
  assert.deepEqual(encodeTextLine('Ấa', 'tcvn3-epson'), [0x1b, 0x74, 31, 0xca, 0x1b, 0x74, 30, 0x61]);
  assert.deepEqual(encodeTextLine('Đấ', 'tcvn3-epson'), [0xa7, 0xca]);
  assert.deepEqual(encodeTextLine('Ấ', 'tcvn3-xprinter'), [0xca]);
  assert.deepEqual(encodeTextLine('Điện Lực', 'ascii'), [...Buffer.from('Dien Luc')]);
});

test('the test page shows the sample in raster and in each text mode', () => {
  const decoded = decode(encodeTestPage(testPage, 384));
  assert.ok(decoded.rasters.length > 0);
  const pages = decoded.commands.flatMap((c) => (c.type === 'codepage' ? [c.page] : []));
  assert.ok(pages.includes(30) && pages.includes(31) && pages.includes(27));
  const lines = decoded.lines.map((l) => l.trim());
  assert.equal(lines.filter((l) => l === 'aăâbcdđeêghiklmnoôơpqrstuưvxy').length, 2); // Epson and Xprinter
  assert.ok(lines.includes('AĂÂBCDĐEÊGHIKLMNOÔƠPQRSTUƯVXY'));
  assert.ok(lines.includes('aaabcddeeghiklmnooopqrstuuvxy'));
  assert.ok(lines.includes('ẮẰẲẴẶ ẤẦẨẪẬ ỐỒỔỖỘ ỨỪỬỮỰ'), 'Epson page 31 capitals');
  assert.ok(lines.includes('ắằẳẵặ ấầẩẫậ ốồổỗộ ứừửữự'), 'Xprinter prints them in lower case');
  assert.equal(decoded.cuts, 1);
});

test('amounts in words start with a capital and end in đồng', () => {
  assert.equal(amountInWords(1250000), 'Một triệu hai trăm năm mươi nghìn đồng');
  assert.equal(amountInWords(105), 'Một trăm lẻ năm đồng');
  assert.throws(() => amountInWords(1.5));
});

test('property: any receipt number comes back from the Code 128 command, length byte included', () => {
  fc.assert(
    fc.property(fc.stringMatching(/^[A-Z0-9]{2,12}-\d{2}-\d{1,6}$/), (receiptNo) => {
      const decoded = decode(encodeDocument({ ...receipt, receiptNo }, 0, { width: 576, mode: 'ascii' }));
      const [barcode] = decoded.barcodes;
      assert.equal(barcode!.value, receiptNo);
      assert.equal(barcode!.lengthByte, barcode!.raw.length);
      assert.equal(code128Payload(receiptNo).modules * 2 <= 576, true);
    }),
    { numRuns: 60 },
  );
});

test('property: amounts in words are one capitalised phrase ending in "đồng"', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 999_999_999_999 }), (amount) => {
      const words = amountInWords(amount);
      assert.match(words, /^[A-ZĐ][^A-Z]* đồng$/u);
    }),
  );
});

test('every text mode prints the đồng sign as đ (or d), never as "?", and keeps the line width', () => {
  for (const mode of ['tcvn3-epson', 'tcvn3-xprinter', 'ascii'] as const) {
    for (const width of Object.values(WIDTHS)) {
      const lines = decode(encodeDocument(receipt, 0, { width, mode })).lines;
      const amounts = lines.filter((l) => /\d\.\d{3} /.test(l));
      assert.ok(amounts.length > 3, `${mode} ${width}: amounts printed`);
      for (const line of amounts) assert.match(line, mode === 'ascii' ? /\d d$/ : /\d đ$/, `${mode} ${width}: ${line}`);
      assert.ok(!lines.some((l) => l.includes('?')), `${mode} ${width}: no "?" in\n${lines.join('\n')}`);
    }
  }
});
