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

/**
 * A scorer for one query, its patterns compiled once: candidates are scored by the hundred per
 * keystroke. The index already guaranteed every folded word prefixes some word; scoring only
 * orders candidates, it never drops one.
 */
export function matchScorer(query: SearchQuery): (c: Candidate) => MatchScore {
  const patterns = query.typed.map((typed, i) => {
    const folded = escapeRegExp(query.folded[i] ?? '');
    return {
      typed: new RegExp(NOT_AFTER_WORD + escapeRegExp(typed), 'u'),
      prefix: new RegExp(NOT_AFTER_WORD + folded, 'u'),
      whole: new RegExp(NOT_AFTER_WORD + folded + NOT_BEFORE_WORD, 'u'),
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
