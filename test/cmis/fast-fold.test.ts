import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fold } from '../../electron/core/fold.ts';
import { fastFold } from '../../electron/cmis/fast-fold.ts';

const samples = ['Nguyễn Thị Đào', 'Y Bhăm Ênuôl', 'Số 218 đường Hùng Vương, TP. Buôn Ma Thuột', 'ΟΔΟΣ ΑΣ', 'ςϹ', 'ΑϹ Ϲ', 'İstanbul', 'e\u0301\u0483a', ''];

test('fastFold equals fold on Vietnamese, Ê Đê, decomposed marks, Greek sigma (and the lunate Ϲ, a Σ under NFKD) and dotted I', () => {
  for (const s of samples) assert.equal(fastFold(s), fold(s), s);
});

test('fastFold equals fold on any text (property)', () => {
  const vietnamese = fc.constantFrom(...'aăâbcdđeêghiklmnoôơpqrstuưvxyÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ ,.-/0123456789');
  const marks = fc.integer({ min: 0x300, max: 0x36f }).map((c) => String.fromCharCode(c));
  const anyChar = fc.integer({ min: 0, max: 0x2fff }).map((c) => String.fromCharCode(c));
  const text = fc.array(fc.oneof(vietnamese, marks, anyChar, fc.constantFrom('Σ', 'σ', 'ς', 'Ϲ', '\u0483', '\u1dc0')), { maxLength: 40 }).map((a) => a.join(''));
  fc.assert(fc.property(text, (s) => fastFold(s) === fold(s)), { numRuns: 5000 });
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (s) => fastFold(s) === fold(s)), { numRuns: 5000 });
});
