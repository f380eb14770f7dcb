/**
 * Characters that show nothing: zero-width space and joiners, word joiner, BOM, soft hyphen,
 * variation selectors... (Unicode's Default_Ignorable_Code_Point). Text pasted from chat or a
 * spreadsheet carries them, and a code or word holding one looks right but matches nothing.
 */
const INVISIBLE = /\p{Default_Ignorable_Code_Point}/gu;
const NOT_ASCII = /[^\u0000-\u007f]/;

/**
 * Text as typed, scanned or pasted, made comparable: invisible characters removed and
 * compatibility forms folded (NFKC: full-width "ＰＣ１２" -> "PC12", ligatures, superscripts).
 */
export function cleanText(text: string): string {
  return NOT_ASCII.test(text) ? text.replace(INVISIBLE, '').normalize('NFKC') : text;
}

/**
 * Vietnamese folding for search: lower-case, no tone or vowel marks, đ -> d, nothing invisible,
 * compatibility forms folded. SQLite's unicode61 tokenizer removes marks but keeps đ, so we fold
 * before indexing and querying.
 */
export function fold(text: string): string {
  return text
    .replace(INVISIBLE, '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase();
}

/** Words of a text for matching: folded or not, split on anything that is not a letter or digit. */
export function words(text: string): string[] {
  return text
    .toLowerCase()
    .normalize('NFC')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '');
}

/**
 * How customer codes and card numbers are compared, wherever they come from (scan, typed code,
 * the snapshot's MA_KHANG and MA_THE): cleanText(), trimmed, upper-cased, inner spaces removed.
 */
export function normaliseCode(text: string): string {
  return cleanText(text).trim().toUpperCase().replace(/\s+/g, '');
}
