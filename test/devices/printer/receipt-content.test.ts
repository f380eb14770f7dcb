import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeDocument } from '../../../electron/devices/printer/encode-escpos.ts';
import type { ReceiptDocument } from '../../../electron/core/documents.ts';
import { decode } from '../../escpos/decoder.ts';
import { receipt, receiptFiveBills, WIDTHS } from '../../../fixtures/receipts/documents.ts';

const textLines = (doc: ReceiptDocument, width: 384 | 576) => decode(encodeDocument(doc, 0, { width, mode: 'ascii' })).lines.map((l) => l.trim());
const paperDots = (doc: ReceiptDocument, width: 384 | 576) => decode(encodeDocument(doc, 0, { width, mode: 'raster' })).rasters.reduce((sum, r) => sum + r.height, 0);

for (const [paper, width] of Object.entries(WIDTHS)) {
  test(`${paper}: a receipt names the tax code, hotline and point address, says it is not the VAT invoice and where to look that up`, () => {
    const lines = textLines(receipt, width);
    const all = lines.join('\n');
    for (const expected of ['Ma so thue: 6000181234', 'Duong day nong: 1900 1006', '12 Le Duan, phuong Tan Loi']) {
      assert.ok(lines.includes(expected), `"${expected}" in\n${all}`);
    }
    // Long sentences wrap on 58 mm: read as one text.
    const flowing = all.replaceAll('\n', ' ');
    assert.ok(flowing.includes('Bien nhan nay khong thay the hoa don GTGT.'), all);
    assert.ok(flowing.includes('Tra cuu hoa don dien tu: hoadon.evncpc.vn'), all);
    // The settings fee shows its VAT like a DC bill.
    const fee = lines.indexOf('Phi dong dien lai');
    assert.ok(fee > 0, all);
    assert.match(lines[fee + 1]!, /^Tien truoc thue:\s+46\.296 d$/);
    assert.match(lines[fee + 2]!, /^Thue GTGT:\s+3\.704 d$/);
  });

  test(`${paper}: more than three bills print one line a bill with the sums before VAT and of VAT, on less paper than three bills in full`, () => {
    const lines = textLines(receiptFiveBills, width);
    const all = lines.join('\n');
    const billLines = lines.filter((l) => /^Tien dien T\d+\/2026\s+[\d.]+ d$/.test(l));
    assert.deepEqual(billLines.map((l) => /T(\d+)/.exec(l)![1]), ['6', '7', '8', '9', '10'], all);
    assert.ok(!lines.some((l) => l.startsWith('Tien truoc thue:')), 'no per-bill breakdown');
    const sum = (label: string) => Number(/([\d.]+) d$/.exec(lines.find((l) => l.startsWith(label)) ?? '')?.[1]?.replaceAll('.', ''));
    assert.equal(sum('Cong truoc thue:'), receiptFiveBills.lines.reduce((s, l) => s + l.soTien, 0));
    assert.equal(sum('Cong thue GTGT:'), receiptFiveBills.lines.reduce((s, l) => s + l.tienGtgt, 0));
    assert.ok(lines.every((l) => l.length <= (width === 576 ? 48 : 32)));
    const three = { ...receiptFiveBills, lines: receiptFiveBills.lines.slice(0, 3), total: receiptFiveBills.lines.slice(0, 3).reduce((s, l) => s + l.tongTien, 0) };
    assert.ok(textLines(three, width).some((l) => l.startsWith('Tien truoc thue:')), 'three bills keep the full layout');
    assert.ok(paperDots(receiptFiveBills, width) < paperDots(three, width), 'five bills take less paper than three in full');
  });
}
