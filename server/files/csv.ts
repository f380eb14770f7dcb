/** A cell quoted when it holds a comma, a quote or CRLF, quotes doubled: exactly what csv-stringify writes for the point's files. */
function cell(value: string | number | null): string {
  if (value === null) return '';
  const text = typeof value === 'number' ? String(value) : value;
  return /[",]|\r\n/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * Contract section 3 bytes: UTF-8 with BOM, CRLF, comma, header row, empty cells for nulls, integers
 * as plain digits. Our own few lines: a consolidated day is hundreds of thousands of rows, and the
 * general-purpose stringifier took most of the consolidation's time.
 */
export function clearingCsvBytes(columns: readonly string[], rows: (string | number | null)[][]): Buffer {
  const lines = [columns.map(cell).join(','), ...rows.map((r) => r.map(cell).join(','))];
  return Buffer.from(`\ufeff${lines.join('\r\n')}\r\n`, 'utf8');
}
