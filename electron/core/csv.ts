/**
 * The point's own CSV files (contract sections 3 and 6): UTF-8 with BOM, CRLF, comma, header row;
 * a cell holding a comma, a quote or a line break is quoted (quotes doubled); null is an empty cell;
 * integers are plain digits. The same bytes csv-stringify writes with the clearing writer's options
 * (`bom, header, record_delimiter: '\r\n'`), which test/core/csv.test.ts holds, except that a lone
 * CR or LF is quoted too. Lines joined into 1 MB pieces, encoded into one array of the exact size: the
 * 400,000 rows of a province's notices take about a third of csv-stringify's time (and its encoding).
 */
const NEEDS_QUOTES = /[",\r\n]/;
const BOM = [0xef, 0xbb, 0xbf];
const PIECE = 1 << 20;

export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value); // digits, a sign, a point: never quoted
  const text = value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvBytes(columns: readonly string[], rows: Iterable<readonly (string | number | null)[]>): Uint8Array {
  // Lines made by join (flat strings), joined into ~1 MB pieces: a rope of many small
  // concatenations is several times slower to encode, and one string of the whole file would be
  // UTF-16 (the BOM) and twice its size.
  const pieces: string[] = [];
  let lines = [columns.map(csvCell).join(',')];
  let length = 0;
  for (const row of rows) {
    const line = row.map(csvCell).join(',');
    lines.push(line);
    length += line.length;
    if (length >= PIECE) {
      lines.push('');
      pieces.push(lines.join('\r\n'));
      lines = [];
      length = 0;
    }
  }
  if (lines.length > 0) pieces.push(`${lines.join('\r\n')}\r\n`);
  // Encoding is cheap next to allocating: measure each piece's UTF-8 size in a scratch buffer, then
  // encode straight into the one array of the exact size.
  const encoder = new TextEncoder();
  let scratch = new Uint8Array(0);
  let size = BOM.length;
  for (const piece of pieces) {
    if (scratch.length < piece.length * 3) scratch = new Uint8Array(piece.length * 3); // at most 3 bytes per UTF-16 unit
    size += encoder.encodeInto(piece, scratch).written;
  }
  const bytes = new Uint8Array(size);
  bytes.set(BOM);
  let at = BOM.length;
  for (const piece of pieces) at += encoder.encodeInto(piece, bytes.subarray(at)).written;
  return bytes;
}
