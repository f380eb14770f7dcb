import { stringify } from 'csv-stringify/sync';

/** Contract section 3 bytes: UTF-8 with BOM, CRLF, comma, header row, empty cells for nulls, integers as plain digits. */
export function clearingCsvBytes(columns: readonly string[], rows: (string | number | null)[][]): Buffer {
  const text = stringify(rows, { bom: true, header: true, columns: [...columns], record_delimiter: '\r\n', cast: { number: String } });
  return Buffer.from(text, 'utf8');
}
