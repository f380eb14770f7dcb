import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SegmentedMessage } from 'sms-segments-calculator';
import { foldMarks, isSafeText, septets, unsafeCharacters } from '../../electron/sms/gsm7.ts';

test('foldMarks writes Vietnamese without marks, đ as d', () => {
  assert.equal(foldMarks('Điện lực Đắk Lắk đã nhận tiền điện kỳ này'), 'Dien luc Dak Lak da nhan tien dien ky nay');
  assert.equal(foldMarks('Hóa đơn THÁNG MƯỜI MỘT, hủy, khóa, xóa'), 'Hoa don THANG MUOI MOT, huy, khoa, xoa');
  // decomposed input (NFD from a Mac or Windows-1258) folds the same
  assert.equal(foldMarks('Ngu\u0303 Ye\u0302\u0301n'), 'Ngu Yen');
});

test('every Vietnamese letter folds to a safe GSM-7 character that the calculator counts once', () => {
  const letters = 'aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ';
  const text = foldMarks(letters + letters.toUpperCase());
  assert.ok(isSafeText(text), unsafeCharacters(text).join(''));
  const sms = new SegmentedMessage(text);
  assert.equal(sms.encodingName, 'GSM-7');
  assert.equal(septets(text), text.length);
});

test('extension characters, @, $, _, line breaks and typographic marks are not allowed', () => {
  for (const c of ['{', '}', '[', ']', '~', '^', '|', '\\', '€', '@', '$', '_', '\n', '\r', '\t', '–', '’', '“', '…', '\u00a0', 'é', '£', '`']) {
    assert.ok(!isSafeText(`a${c}b`), JSON.stringify(c));
    assert.deepEqual(unsafeCharacters(`a${c}b${c}`), [c]);
  }
  assert.throws(() => septets('1 000 €'), RangeError);
});

test('the allowed set is one septet each by the calculator', () => {
  const all = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 !"#%&\'()*+,-./:;<=>?';
  assert.ok(isSafeText(all));
  const sms = new SegmentedMessage(all.repeat(2).slice(0, 160));
  assert.equal(sms.encodingName, 'GSM-7');
  assert.equal(sms.segmentsCount, 1);
  assert.equal(new SegmentedMessage(all.repeat(2).slice(0, 161)).segmentsCount, 2);
});
