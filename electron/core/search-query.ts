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

const CODE = /^[A-Z0-9]{6,}$/;

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

/**
 * Scores one candidate. The index already guaranteed every folded word prefixes some word;
 * this only orders candidates, so it never drops one.
 */
export function scoreMatch(query: SearchQuery, name: string, address: string): MatchScore {
  const nameWords = words(name);
  const typedWords = [...nameWords, ...words(address)];
  const nameFolded = nameWords.map(fold);
  const allFolded = typedWords.map(fold);
  const score: MatchScore = { diacritics: 0, inName: 0, whole: 0 };
  query.typed.forEach((q, i) => {
    const f = query.folded[i] ?? '';
    if (typedWords.some((w) => w.startsWith(q))) score.diacritics += 1;
    if (nameFolded.some((w) => w.startsWith(f))) score.inName += 1;
    if (allFolded.includes(f)) score.whole += 1;
  });
  return score;
}

/** Better matches first (negative when `a` ranks before `b`). */
export function compareMatch(a: MatchScore, b: MatchScore): number {
  return b.diacritics - a.diacritics || b.inName - a.inName || b.whole - a.whole;
}
