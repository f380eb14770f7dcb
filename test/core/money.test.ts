import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatAmount, formatDong, parseAmount, sumDong } from '../../electron/core/money.ts';

test('formatDong groups thousands with dots and appends ₫', () => {
  assert.equal(formatDong(1234567), '1.234.567 ₫');
  assert.equal(formatDong(0), '0 ₫');
  assert.equal(formatDong(999), '999 ₫');
  assert.equal(formatDong(1000), '1.000 ₫');
  assert.equal(formatAmount(-25000), '-25.000');
});

test('formatDong refuses a float', () => {
  assert.throws(() => formatDong(12.5), RangeError);
});

test('parseAmount reads the thousands-separator forms of the contract', () => {
  for (const text of ['1234567', '1.234.567', '1,234,567', '1 234 567', ' 1.234.567 ', '1\u00a0234\u00a0567']) {
    assert.equal(parseAmount(text), 1234567, text);
  }
  assert.equal(parseAmount('0'), 0);
  assert.equal(parseAmount('500'), 500);
});

test('parseAmount refuses what is not a whole number of đồng', () => {
  for (const text of ['12,5', '1.2.3', '-5', 'abc', '', '1.234,567', '1,23', '12.34', '1.234.56', '9'.repeat(20), '+5', '1e5', '0x10']) {
    assert.equal(parseAmount(text), null, text);
  }
});

test('property: formatting then parsing gives the same amount', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (n) => {
      assert.equal(parseAmount(formatAmount(n)), n);
      assert.equal(parseAmount(formatAmount(n).replace(/\./g, ',')), n);
      assert.equal(parseAmount(formatAmount(n).replace(/\./g, ' ')), n);
    }),
  );
});

test('sumDong adds integers and refuses to lose precision', () => {
  assert.equal(sumDong([1, 2, 3]), 6);
  assert.throws(() => sumDong([Number.MAX_SAFE_INTEGER, 1]), RangeError);
});
