import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { parseSimpleCsv } from '../../electron/cmis/simple-csv.ts';

const csvParse = (text: string, delimiter: string): string[][] | Error => {
  try {
    return parse(text, { delimiter, relax_column_count: true, relax_quotes: true }) as string[][];
  } catch (error) {
    return error as Error;
  }
};

test('parseSimpleCsv reads a typical snapshot batch exactly as csv-parse does', () => {
  const text = 'PC12AA,PC12AA0000001,Nguyễn Văn Hùng,"Số 218, phường Tự An",,0911308685\r\nPC12AA,PC12AA0000002,"Y ""Bhăm"" Ênuôl","",1,\r\n';
  const fast = parseSimpleCsv(text, ',');
  assert.notEqual(fast, null);
  assert.deepEqual(fast, csvParse(text, ','));
});

test('parseSimpleCsv declines what it does not handle (quote inside a field, line break in quotes, empty line, mixed endings)', () => {
  for (const text of ['a,b"c\n', '"a\nb",c\n', 'a\n\nb\n', 'a\r\nb\n', 'a\rb', '"a"b,c\n', '"a']) assert.equal(parseSimpleCsv(text, ','), null, JSON.stringify(text));
});

test('parseSimpleCsv equals csv-parse whenever it answers (property)', () => {
  const piece = fc.constantFrom('a', 'Đ', ' ', ',', ';', '\t', '"', '""', '\n', '\r\n', '\r', 'x1');
  const text = fc.array(piece, { maxLength: 40 }).map((p) => p.join(''));
  const delimiter = fc.constantFrom(',', ';', '\t');
  let answered = 0;
  fc.assert(
    fc.property(text, delimiter, (t, d) => {
      const fast = parseSimpleCsv(t, d);
      if (fast === null) return true;
      answered++;
      assert.deepEqual(fast, csvParse(t, d), JSON.stringify(t));
      return true;
    }),
    { numRuns: 20_000 },
  );
  assert.ok(answered > 1000, `${answered} answered`);
});
