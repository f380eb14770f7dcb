import { fold, normaliseCode, words } from './fold.ts';

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
  const code = normaliseCode(text);
  // words() splits like the index tokenizer does ("H'Hen" -> "h", "hen"), so each word is one token.
  const typed = words(text);
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

const NOT_AFTER_WORD = '(?<![\\p{L}\\p{N}])';
const NOT_BEFORE_WORD = '(?![\\p{L}\\p{N}])';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Matches where `word` begins a word of a text: a word prefix, as the index matches it. */
function wordPrefix(word: string): RegExp {
  return new RegExp(NOT_AFTER_WORD + escapeRegExp(word), 'u');
}

/** Whether every folded word prefixes a word of the folded name or address: the index's test, on one row. */
export function prefixFilter(folded: string[]): (nameFold: string, addrFold: string) => boolean {
  const patterns = folded.map(wordPrefix);
  return (nameFold, addrFold) => {
    const text = `${nameFold}\n${addrFold}`;
    return patterns.every((p) => p.test(text));
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
 * A scorer for one query, its patterns compiled once: candidates are scored by the hundred per
 * keystroke. The index already guaranteed every folded word prefixes some word; scoring only
 * orders candidates, it never drops one.
 */
export function matchScorer(query: SearchQuery): (c: Candidate) => MatchScore {
  const patterns = query.typed.map((typed, i) => {
    const folded = query.folded[i] ?? '';
    return {
      typed: wordPrefix(typed),
      prefix: wordPrefix(folded),
      whole: new RegExp(NOT_AFTER_WORD + escapeRegExp(folded) + NOT_BEFORE_WORD, 'u'),
    };
  });
  return (c) => {
    const text = `${c.name}\n${c.address}`.toLowerCase();
    const folded = `${c.nameFold}\n${c.addrFold}`;
    const score: MatchScore = { diacritics: 0, inName: 0, whole: 0 };
    for (const p of patterns) {
      if (p.typed.test(text)) score.diacritics += 1;
      if (p.prefix.test(c.nameFold)) score.inName += 1;
      if (p.whole.test(folded)) score.whole += 1;
    }
    return score;
  };
}

/** Better matches first (negative when `a` ranks before `b`). */
export function compareMatch(a: MatchScore, b: MatchScore): number {
  return b.diacritics - a.diacritics || b.inName - a.inName || b.whole - a.whole;
}
