/**
 * The common shape of a snapshot batch parsed in one pass over its text: what csv-parse (with the
 * reader's options: relax_quotes, relax_column_count, auto-detected record delimiter) returns for the
 * same text, at a third of the cost (csv-parse builds every field from a Buffer slice). Anything less
 * common returns null and the caller uses csv-parse, so its exact behaviour stays the rule: a quote
 * inside an unquoted field, text after a closing quote, a line break inside quotes, an empty line,
 * a bare CR, or line endings that change within the batch.
 */
export function parseSimpleCsv(text: string, delimiter: string): string[][] | null {
  const delim = delimiter.charCodeAt(0);
  const n = text.length;
  const records: string[][] = [];
  let crlf: boolean | null = null;
  let record: string[] = [];
  let i = 0;
  while (i < n) {
    if (record.length === 0 && isBreak(text.charCodeAt(i))) return null; // empty line
    let value: string;
    if (text.charCodeAt(i) === QUOTE) {
      value = '';
      let from = i + 1;
      for (;;) {
        const q = text.indexOf('"', from);
        if (q === -1) return null;
        if (text.charCodeAt(q + 1) === QUOTE) {
          value += text.slice(from, q + 1);
          from = q + 2;
          continue;
        }
        value += text.slice(from, q);
        i = q + 1;
        break;
      }
      if (value.includes('\n') || value.includes('\r')) return null;
    } else {
      let j = i;
      for (; j < n; j++) {
        const c = text.charCodeAt(j);
        if (c === delim || c === LF || c === CR) break;
        if (c === QUOTE) return null;
      }
      value = text.slice(i, j);
      i = j;
    }
    record.push(value);
    if (i === n) break;
    const c = text.charCodeAt(i);
    if (c === delim) {
      i++;
      if (i === n) record.push('');
      continue;
    }
    if (!isBreak(c)) return null; // text after a closing quote
    const isCrlf = c === CR;
    if (isCrlf && text.charCodeAt(i + 1) !== LF) return null;
    if (crlf === null) crlf = isCrlf;
    else if (crlf !== isCrlf) return null;
    records.push(record);
    record = [];
    i += isCrlf ? 2 : 1;
  }
  if (record.length > 0) records.push(record);
  return records;
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const isBreak = (c: number): boolean => c === LF || c === CR;
