/**
 * The snapshot's CSV records, parsed in one pass over decoded text as it streams in. It reads what
 * csv-parse reads with `relax_quotes`, `relax_column_count` and the record delimiters CRLF, LF and
 * CR (a property test holds them equal), and in the same pass:
 * - skips empty lines without building a record (a million of them cost a million steps, not records);
 * - gives each record the physical line where it starts (CR, LF and CRLF each end one line, also
 *   inside quotes) and its span in the text (for the rejects file and the size bound);
 * - stops before a record the text does not hold whole yet, so the caller can prepend it to the
 *   next chunk: with `final` false, the end of the text might be inside a field, between a CR and
 *   its LF, or between a closing quote and a doubled one.
 * Quotes: a field that starts with `"` runs to the next `"` not doubled; text after its closing
 * quote continues the field as `"value"text` (csv-parse's relaxed reading). A quote inside an
 * unquoted field is a plain character.
 */

/** One record: its fields, the line it starts on, its span in the text, and the line breaks inside it (in quoted fields). */
export type RecordSink = (fields: string[], line: number, start: number, end: number, breaks: number) => void;

export interface Parsed {
  /** Where the first record not read starts (text.length when all was read). */
  consumed: number;
  /** The line that record starts on. */
  line: number;
  /** No record was left unread but for missing text: an opening quote is still open at the end of final text. */
  unclosedQuote: boolean;
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** Line breaks in a quoted value (CRLF counts once). */
function lineBreaks(value: string): number {
  let n = 0;
  for (let i = value.indexOf('\n'); i !== -1; i = value.indexOf('\n', i + 1)) n++;
  for (let i = value.indexOf('\r'); i !== -1; i = value.indexOf('\r', i + 1)) if (value.charCodeAt(i + 1) !== LF) n++;
  return n;
}

export function parseRecords(text: string, delimiter: string, startLine: number, final: boolean, onRecord: RecordSink): Parsed {
  const delim = delimiter.charCodeAt(0);
  const n = text.length;
  let i = 0;
  let line = startLine;
  for (;;) {
    // Empty lines between records.
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === LF) i++;
      else if (c === CR) {
        if (i + 1 === n && !final) return { consumed: i, line, unclosedQuote: false };
        i += text.charCodeAt(i + 1) === LF ? 2 : 1;
      } else break;
      line++;
    }
    if (i === n) return { consumed: n, line, unclosedQuote: false };
    const start = i;
    const fields: string[] = [];
    let breaks = 0;
    for (;;) {
      let value: string;
      if (i < n && text.charCodeAt(i) === QUOTE) {
        value = '';
        let from = i + 1;
        for (;;) {
          const q = text.indexOf('"', from);
          if (q === -1 || (q + 1 === n && !final)) {
            if (!final) return { consumed: start, line, unclosedQuote: false };
            return { consumed: start, line, unclosedQuote: true };
          }
          if (text.charCodeAt(q + 1) === QUOTE) {
            value += text.slice(from, q + 1);
            from = q + 2;
            continue;
          }
          value += text.slice(from, q);
          i = q + 1;
          break;
        }
        breaks += lineBreaks(value);
        const next = i < n ? text.charCodeAt(i) : -1;
        if (next !== -1 && next !== delim && next !== LF && next !== CR) {
          // Text after the closing quote: the field goes on unquoted, its quotes kept.
          let j = i;
          while (j < n) {
            const c = text.charCodeAt(j);
            if (c === delim || c === LF || c === CR) break;
            j++;
          }
          value = `"${value}"${text.slice(i, j)}`;
          i = j;
        }
      } else {
        let j = i;
        while (j < n) {
          const c = text.charCodeAt(j);
          if (c === delim || c === LF || c === CR) break;
          j++;
        }
        value = text.slice(i, j);
        i = j;
      }
      fields.push(value);
      if (i === n) {
        if (!final) return { consumed: start, line, unclosedQuote: false };
        onRecord(fields, line, start, n, breaks);
        return { consumed: n, line: line + 1 + breaks, unclosedQuote: false };
      }
      const c = text.charCodeAt(i);
      if (c === delim) {
        i++;
        continue;
      }
      // A line break ends the record.
      const end = i;
      if (c === CR) {
        if (i + 1 === n && !final) return { consumed: start, line, unclosedQuote: false };
        i += text.charCodeAt(i + 1) === LF ? 2 : 1;
      } else i++;
      onRecord(fields, line, start, end, breaks);
      line += 1 + breaks;
      break;
    }
  }
}
