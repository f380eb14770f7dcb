import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fold, normaliseCode, words } from '../../electron/core/fold.ts';

test('fold removes tone and vowel marks and folds đ/Đ to d', () => {
  assert.equal(fold('Nguyễn Thị Đào'), 'nguyen thi dao');
  assert.equal(fold('ĐẮK LẮK'), 'dak lak');
  assert.equal(fold("H'Hen Niê"), "h'hen nie");
  assert.equal(fold('Buôn Ma Thuột'), 'buon ma thuot');
});

test('fold gives the same result for composed and decomposed input', () => {
  const composed = 'Trần Thị Ánh'.normalize('NFC');
  const decomposed = composed.normalize('NFD');
  assert.notEqual(composed, decomposed);
  assert.equal(fold(composed), fold(decomposed));
});

test('words splits on punctuation and spaces', () => {
  assert.deepEqual(words("Y Bhin Êban, 12/3 Lê Duẩn"), ['y', 'bhin', 'êban', '12', '3', 'lê', 'duẩn']);
});

test('normaliseCode trims, upper-cases and removes inner spaces', () => {
  assert.equal(normaliseCode('  pc12aa 0012345 \n'), 'PC12AA0012345');
});
