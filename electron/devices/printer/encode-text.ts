/**
 * Printer-font text for the optional text modes. TCVN-3 is the one Vietnamese encoding thermal printers
 * carry: Epson splits it over page 30 (lower case and the unaccented capitals) and page 31 (the accented
 * capitals, at the positions of their lower-case letters, as the old .VnTimeH fonts did); Xprinter has
 * only page 27, so accented capitals print in lower case there. iconv-lite's 'tcvn' table gives the bytes.
 */
import iconv from 'iconv-lite';
import type { PrintMode } from './printer.ts';

export const ESC = 0x1b;
/** ESC t n: select character code table n. */
export const selectCodePage = (page: number): number[] => [ESC, 0x74, page];

export const EPSON_TCVN3_LOWER = 30;
export const EPSON_TCVN3_UPPER = 31;
export const XPRINTER_TCVN3 = 27;

/** Case-preserving "Đ -> D, ấ -> a": the last resort for printers without TCVN-3. */
export function stripDiacritics(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D');
}

/**
 * On the base page: ASCII, and in the 0xA1.. block the lower-case letters and the seven unaccented
 * capitals. iconv's table (TCVN 5712 VN1) also puts some accented capitals in that block; TCVN-3 does not.
 */
const UNACCENTED_CAPITALS = 'ĂÂÊÔƠƯĐ';
const onBasePage = (ch: string, byte: number) =>
  (byte >= 0x20 && byte < 0x80) || (byte >= 0xa1 && (ch === ch.toLocaleLowerCase('vi') || UNACCENTED_CAPITALS.includes(ch)));

function tcvnByte(ch: string): number | null {
  const bytes = iconv.encode(ch, 'tcvn');
  return bytes.length === 1 && iconv.decode(bytes, 'tcvn') === ch ? bytes[0]! : null;
}

/**
 * The bytes for one line of text in a text mode, code-page switches included; the line leaves the
 * printer on its base page so the next line starts from a known state.
 */
// Symbols no text code page holds, in the form a cashier reads the same (₫ would print "?").
const TEXT_FORMS: Record<string, string> = { '₫': 'đ', '–': '-', '—': '-', '‘': "'", '’': "'", '“': '"', '”': '"' };
const TEXT_FORM_CHARS = new RegExp(`[${Object.keys(TEXT_FORMS).join('')}]`, 'g');

export function encodeTextLine(line: string, mode: Exclude<PrintMode, 'raster'>): number[] {
  const text = line.replace(TEXT_FORM_CHARS, (ch) => TEXT_FORMS[ch]!);
  if (mode === 'ascii') return [...Buffer.from(stripDiacritics(text).replace(/[^\x20-\x7e]/g, '?'), 'latin1')];
  const base = mode === 'tcvn3-epson' ? EPSON_TCVN3_LOWER : XPRINTER_TCVN3;
  const out: number[] = [];
  let page = base;
  const use = (wanted: number) => {
    if (wanted !== page) out.push(...selectCodePage(wanted));
    page = wanted;
  };
  for (const ch of text.normalize('NFC')) {
    const direct = tcvnByte(ch);
    if (direct !== null && onBasePage(ch, direct)) {
      use(base);
      out.push(direct);
      continue;
    }
    const small = ch.toLocaleLowerCase('vi');
    const lower = tcvnByte(small);
    if (lower !== null && onBasePage(small, lower)) {
      use(mode === 'tcvn3-epson' ? EPSON_TCVN3_UPPER : base);
      out.push(lower);
      continue;
    }
    use(base);
    out.push(...Buffer.from(stripDiacritics(ch).replace(/[^\x20-\x7e]/g, '?'), 'latin1'));
  }
  use(base);
  return out;
}
