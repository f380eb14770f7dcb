import { fold } from '../core/fold.ts';

/**
 * fold() (core/fold.ts) as one pass over a per-character table: the import folds every name and
 * address of a province, and NFD + two regex passes cost three times as much. The table holds only
 * characters whose fold is context-free, so folding char by char equals folding the whole text:
 * below U+2000 (Latin, Vietnamese), nothing that decomposes to Σ (Σ, and Ϲ under NFKD: its lower case
 * depends on the letters around it), no combining
 * mark but U+0300-U+036F (fold removes those, so canonical reordering cannot show), and no
 * character whose own fold keeps a mark. Any other character sends the whole text to fold().
 */
const LIMIT = 0x2000;
const TABLE: (string | undefined)[] = [];
for (let c = 0; c < LIMIT; c++) {
  const ch = String.fromCharCode(c);
  if (ch.normalize('NFKD').includes('\u03a3') || (/\p{M}/u.test(ch) && (c < 0x300 || c > 0x36f))) continue;
  const folded = fold(ch);
  if (!/\p{M}/u.test(folded)) TABLE[c] = folded;
}

export function fastFold(text: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80 && (c < 0x41 || c > 0x5a)) continue; // ASCII that folds to itself
    const folded = c < LIMIT ? TABLE[c] : undefined;
    if (folded === undefined) return fold(text);
    out += text.slice(from, i) + folded;
    from = i + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}
