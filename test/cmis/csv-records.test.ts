import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { parseRecords } from '../../electron/cmis/csv-records.ts';

interface Rec {
  fields: string[];
  line: number;
  raw: string;
}

/** Every record of `text` read in one call. */
function whole(text: string, delimiter: string): Rec[] | 'unclosed' {
  const out: Rec[] = [];
  const parsed = parseRecords(text, delimiter, 1, true, (fields, line, start, end) => out.push({ fields, line, raw: text.slice(start, end) }));
  return parsed.unclosedQuote ? 'unclosed' : out;
}

/** The same text fed in pieces, each unread tail carried into the next piece, as the reader does. */
function streamed(text: string, delimiter: string, cuts: number[]): Rec[] | 'unclosed' {
  const out: Rec[] = [];
  let pending = '';
  let line = 1;
  const edges = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  let from = 0;
  for (const [i, to] of [...edges, text.length].entries()) {
    const final = i === edges.length;
    const piece = pending + text.slice(from, to);
    from = to;
    const parsed = parseRecords(piece, delimiter, line, final, (fields, at, start, end) => out.push({ fields, line: at, raw: piece.slice(start, end) }));
    if (parsed.unclosedQuote) return 'unclosed';
    pending = piece.slice(parsed.consumed);
    line = parsed.line;
  }
  return out;
}

const csvParse = (text: string, delimiter: string): string[][] | 'unclosed' => {
  try {
    return parse(text, { delimiter, relax_column_count: true, relax_quotes: true, record_delimiter: ['\r\n', '\n', '\r'], skip_empty_lines: true }) as string[][];
  } catch (error) {
    if ((error as { code?: string }).code === 'CSV_QUOTE_NOT_CLOSED') return 'unclosed';
    throw error;
  }
};

/** Line where a record starting at `offset` is: 1 + the line breaks before it (CRLF once). */
const lineAt = (text: string, offset: number): number => 1 + (text.slice(0, offset).match(/\r\n|\r|\n/g)?.length ?? 0);

test('records, quotes, every line ending, and the lines where records start', () => {
  const text = 'a,"b ""q"", c"\r\n\n\r"x\ny",z\rlast,"t"ail\n';
  assert.deepEqual(whole(text, ','), [
    { fields: ['a', 'b "q", c'], line: 1, raw: 'a,"b ""q"", c"' },
    { fields: ['x\ny', 'z'], line: 4, raw: '"x\ny",z' },
    { fields: ['last', '"t"ail'], line: 6, raw: 'last,"t"ail' },
  ]);
  assert.equal(whole('a,"b\nc', ','), 'unclosed');
});

test('parseRecords reads what csv-parse reads, fed whole or in any pieces, and numbers lines by their breaks (property)', () => {
  const piece = fc.constantFrom('a', 'Đ', ' ', ',', ';', '\t', '"', '""', '\n', '\r\n', '\r', 'x1', '');
  const text = fc.array(piece, { maxLength: 40 }).map((p) => p.join(''));
  const delimiter = fc.constantFrom(',', ';', '\t');
  fc.assert(
    fc.property(text, delimiter, fc.array(fc.nat(), { maxLength: 5 }), (t, d, cuts) => {
      const read = whole(t, d);
      const reference = csvParse(t, d);
      assert.deepEqual(read === 'unclosed' ? read : read.map((r) => r.fields), reference, JSON.stringify(t));
      assert.deepEqual(streamed(t, d, cuts), read, `${JSON.stringify(t)} cut at ${JSON.stringify(cuts)}`);
      if (read !== 'unclosed') {
        let offset = 0;
        for (const r of read) {
          offset = t.indexOf(r.raw, offset);
          assert.equal(r.line, lineAt(t, offset), `${JSON.stringify(t)}: ${JSON.stringify(r.raw)}`);
          offset += r.raw.length;
        }
      }
      return true;
    }),
    { numRuns: 20_000 },
  );
});
