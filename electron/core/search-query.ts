import { cleanText, fold, normaliseCode, words } from './fold.ts';

/** What a search box text asks for: a code to try, and words for the name/address index. */
export interface SearchQuery {
  /** Upper-cased code when the text looks like a customer code or card number, else null. */
  code: string | null;
  /** Query words as typed (lower case, NFC, diacritics kept): used to rank exact-diacritic matches first. */
  typed: string[];
  /** The same words folded (no marks, đ -> d): what the index holds. */
  folded: string[];
}

/** Customer codes (PC12AA0012345) and card numbers carry digits: "NGUYEN" is a name, not a code. */
const CODE = /^(?=.*[0-9])[A-Z0-9]{6,}$/;

export function parseSearchQuery(text: string): SearchQuery {
  // Pasted text: a zero-width space would split a word in two, full-width letters would fold to nothing known.
  const clean = cleanText(text);
  const code = normaliseCode(clean);
  // words() splits like the index tokenizer does ("H'Hen" -> "h", "hen"), so each word is one token.
  const typed = words(clean);
  return { code: CODE.test(code) ? code : null, typed, folded: typed.map(fold) };
}

/** FTS5 MATCH expression: every folded word is a word prefix, all required, in any column. */
export function ftsPrefixQuery(folded: string[]): string {
  return folded.map((w) => `"${w.replaceAll('"', '""')}"*`).join(' ');
}

/** How well a candidate's name and address match the typed words; compared by `compareMatch`. */
export interface MatchScore {
  /** Query words that are a prefix of a word with exactly the typed diacritics. */
  diacritics: number;
  /** Query words found (folded) in the name rather than only in the address. */
  inName: number;
  /** Query words equal to a whole word (folded), not only its prefix. */
  whole: number;
}

export interface Candidate {
  name: string;
  address: string;
  nameFold: string;
  addrFold: string;
}

const WORD_CHAR = /^[\p{L}\p{N}]$/u;

/** Whether the character ending just before `end` (a code point, surrogate pairs included) is a letter or digit. */
function wordCharBefore(text: string, end: number): boolean {
  if (end <= 0) return false;
  const code = text.charCodeAt(end - 1);
  if (code < 0x80) return (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a);
  const start = code >= 0xdc00 && code <= 0xdfff && end >= 2 ? end - 2 : end - 1;
  return WORD_CHAR.test(String.fromCodePoint(text.codePointAt(start) ?? code));
}

function wordCharAt(text: string, at: number): boolean {
  if (at >= text.length) return false;
  const code = text.codePointAt(at) ?? 0;
  if (code < 0x80) return (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a);
  return WORD_CHAR.test(String.fromCodePoint(code));
}

/**
 * Whether `word` begins a word of `text` (a word prefix, as the index matches it), and with `whole`
 * also ends one. Plain string search: a regex per query word would be compiled on every keystroke.
 */
export function hasWord(text: string, word: string, whole = false): boolean {
  for (let i = text.indexOf(word); i !== -1; i = text.indexOf(word, i + 1)) {
    if (!wordCharBefore(text, i) && !(whole && wordCharAt(text, i + word.length))) return true;
  }
  return false;
}

/** Whether every folded word prefixes a word of the folded name or address: the index's test, on one row. */
export function prefixFilter(folded: string[]): (nameFold: string, addrFold: string) => boolean {
  return (nameFold, addrFold) => {
    const text = `${nameFold}\n${addrFold}`;
    return folded.every((w) => hasWord(text, w));
  };
}

/**
 * How many of the folded texts hold a word starting with each prefix: every prefix of every word,
 * each text counted once. Built once per sample, so rating a query word is one lookup.
 */
export function prefixCounts(texts: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const text of texts) {
    const prefixes = new Set<string>();
    for (const w of words(text)) for (let n = 1; n <= w.length; n++) prefixes.add(w.slice(0, n));
    for (const p of prefixes) counts.set(p, (counts.get(p) ?? 0) + 1);
  }
  return counts;
}

/** A word prefixing a word of at least this share of customers may be checked on rows instead of in the index... */
export const DENSE_WORD = 0.5;
/**
 * ...when the other words are expected to match fewer customers than this: then FTS5 walks their
 * whole doclists, seeking in the dense word's one at every step. When they match more, the index
 * finds enough rows early, and intersecting the dense word too costs less than checking rows.
 */
export const SPARSE_MATCHES = 2000;

/**
 * Which words the index intersects and which are checked on the rows it returns, from each word's
 * share of the `customers` (estimated). "h yam ks": the index takes "yam ks" (~80 customers) and
 * "h" (in 96% of customers) is checked on those rows, instead of ~80 seeks into a 470,000-entry doclist.
 * The rarest word always stays in the index.
 */
export function splitWords(folded: string[], density: (word: string) => number, customers: number): { indexed: string[]; checked: string[] } {
  const rated = folded.map((word) => ({ word, density: density(word) }));
  const rarest = rated.reduce<{ word: string; density: number } | undefined>((a, b) => (a === undefined || b.density < a.density ? b : a), undefined);
  const dense = rated.filter((r) => r !== rarest && r.density >= DENSE_WORD);
  const rest = rated.filter((r) => !dense.includes(r));
  const expected = rest.reduce((n, r) => n * r.density, customers);
  if (dense.length === 0 || expected >= SPARSE_MATCHES) return { indexed: folded, checked: [] };
  return { indexed: rest.map((r) => r.word), checked: dense.map((r) => r.word) };
}

/**
 * A scorer for one query: candidates are scored by the hundred per keystroke. The index already
 * guaranteed every folded word prefixes some word; scoring only orders candidates, it never drops one.
 */
export function matchScorer(query: SearchQuery): (c: Candidate) => MatchScore {
  return (c) => {
    const text = `${c.name}\n${c.address}`.toLowerCase();
    const folded = `${c.nameFold}\n${c.addrFold}`;
    const score: MatchScore = { diacritics: 0, inName: 0, whole: 0 };
    query.typed.forEach((typed, i) => {
      const word = query.folded[i] ?? '';
      if (hasWord(text, typed)) score.diacritics += 1;
      if (hasWord(c.nameFold, word)) score.inName += 1;
      if (hasWord(folded, word, true)) score.whole += 1;
    });
    return score;
  };
}

/** Better matches first (negative when `a` ranks before `b`). */
export function compareMatch(a: MatchScore, b: MatchScore): number {
  return b.diacritics - a.diacritics || b.inName - a.inName || b.whole - a.whole;
}
