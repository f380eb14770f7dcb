import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatReceiptNo, parseReceiptNo } from '../../electron/core/receipt-number.ts';

test('receipt numbers are <point>-<yy>-<6 digits>', () => {
  assert.equal(formatReceiptNo({ pointCode: 'DT0001', year: 2026, seq: 1 }), 'DT0001-26-000001');
  assert.equal(formatReceiptNo({ pointCode: 'DT0001', year: 2030, seq: 999_999 }), 'DT0001-30-999999');
  assert.throws(() => formatReceiptNo({ pointCode: 'DT0001', year: 2026, seq: 1_000_000 }), RangeError);
  assert.throws(() => formatReceiptNo({ pointCode: 'DT0001', year: 2026, seq: 0 }), RangeError);
});

test('parse reads what format writes and refuses anything else', () => {
  fc.assert(
    fc.property(fc.stringMatching(/^[A-Z0-9]{2,20}$/), fc.integer({ min: 2000, max: 2099 }), fc.integer({ min: 1, max: 999_999 }), (pointCode, year, seq) => {
      assert.deepEqual(parseReceiptNo(formatReceiptNo({ pointCode, year, seq })), { pointCode, year, seq });
    }),
  );
  assert.deepEqual(parseReceiptNo(' dt0001-26-000042 '), { pointCode: 'DT0001', year: 2026, seq: 42 });
  for (const bad of ['DT0001-26-00001', 'DT0001-2026-000001', 'DT0001-26-000000', 'DT 1-26-000001', '']) assert.equal(parseReceiptNo(bad), null, bad);
});
