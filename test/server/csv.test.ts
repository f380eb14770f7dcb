import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { stringify } from 'csv-stringify/sync';
import { clearingCsvBytes } from '../../server/files/csv.ts';

// The point writes its clearing files with csv-stringify (electron/cmis/write-clearing.ts); the
// server's consolidated file must be the same format, byte for byte, for any cell.
test('the server writes CSV bytes exactly as the point does, for any text and number', () => {
  const value = fc.oneof(fc.string({ unit: 'binary' }), fc.constantFrom('a,b', 'say "hi"', 'x\r\ny', 'x\ny', '', ' lead', 'Nguyễn Văn "Bé"'), fc.integer({ min: 0, max: 1e12 }), fc.constant(null));
  fc.assert(
    fc.property(fc.array(fc.array(value, { minLength: 3, maxLength: 3 }), { maxLength: 20 }), (rows) => {
      const columns = ['A', 'B', 'C'];
      const expected = Buffer.from(stringify(rows, { bom: true, header: true, columns, record_delimiter: '\r\n', cast: { number: String } }), 'utf8');
      assert.deepEqual(clearingCsvBytes(columns, rows), expected);
    }),
    { numRuns: 500 },
  );
});
