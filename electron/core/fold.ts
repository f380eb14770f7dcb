/**
 * Vietnamese folding for search: lower-case, no tone or vowel marks, đ -> d.
 * SQLite's unicode61 tokenizer removes marks but keeps đ, so we fold before indexing and querying.
 */
export function fold(text: string): string {
  return text
    .normalize('NFD')
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

/** Trimmed, upper-cased, inner spaces removed: how customer codes and card numbers are compared. */
export function normaliseCode(text: string): string {
  return text.trim().toUpperCase().replace(/\s+/g, '');
}
