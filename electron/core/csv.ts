import { stringify } from 'csv-stringify/sync';

/**
 * The point's own CSV files (contract sections 3 and 6): UTF-8 with BOM, CRLF, comma, header row,
 * csv-stringify's quoting (a cell with a comma, quote or line break is quoted); empty cells for
 * nulls; integers as plain digits.
 */
export function csvText(columns: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string {
  return stringify(rows as (string | number | null)[][], { bom: true, header: true, columns: [...columns], record_delimiter: '\r\n', cast: { number: String } });
}
