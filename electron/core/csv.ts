import { concatBytes } from './bytes.ts';

/**
 * The point's own CSV files (contract sections 3 and 6): UTF-8 with BOM, CRLF, comma, header row;
 * a cell holding a comma, a quote or a line break is quoted (quotes doubled); null is an empty cell;
 * integers are plain digits. The same bytes csv-stringify writes with the clearing writer's options
 * (`bom, header, record_delimiter: '\r\n'`), which test/core/csv.test.ts holds, except that a lone
 * CR or LF is quoted too. One pass, encoded in 1 MB pieces: the 400,000 rows of a province's
 * notices take a fraction of csv-stringify's time and never become one 200 MB UTF-16 string.
 */
const NEEDS_QUOTES = /[",\r\n]/;
const BOM = [0xef, 0xbb, 0xbf];
const PIECE = 1 << 20;

export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvBytes(columns: readonly string[], rows: Iterable<readonly (string | number | null)[]>): Uint8Array {
  const encoder = new TextEncoder();
  const pieces: Uint8Array[] = [Uint8Array.from(BOM)];
  let scratch = new Uint8Array(0);
  const encode = (text: string): void => {
    // at most 3 UTF-8 bytes per UTF-16 unit; encodeInto a reused buffer is much cheaper than encode()
    if (scratch.length < text.length * 3) scratch = new Uint8Array(text.length * 3);
    pieces.push(scratch.slice(0, encoder.encodeInto(text, scratch).written));
  };
  // Lines made by join (flat strings) and joined per piece: a rope of small concatenations is
  // several times slower to encode.
  let lines = [columns.map(csvCell).join(',')];
  let length = 0;
  for (const row of rows) {
    const line = row.map(csvCell).join(',');
    lines.push(line);
    length += line.length;
    if (length >= PIECE) {
      lines.push('');
      encode(lines.join('\r\n'));
      lines = [];
      length = 0;
    }
  }
  if (lines.length > 0) encode(`${lines.join('\r\n')}\r\n`);
  return concatBytes(pieces);
}
