/**
 * Last-resort undo of Telex input-method artefacts (UniKey/EVKey) in a code typed or pasted while Telex was on,
 * for when only `KeyboardEvent.key` or text is available. The wedge detector prefers `KeyboardEvent.code`, which
 * Telex cannot rewrite; this covers the keys an input method injects without a physical code.
 *
 * Telex writes a modified letter from its base letter followed by modifier keys, then a tone key:
 * AA->Â, EE->Ê, OO->Ô, DD->Đ, AW->Ă, OW->Ơ, UW->Ư; tones S (sắc), F (huyền), R (hỏi), X (ngã), J (nặng).
 * Each Vietnamese letter maps back to exactly those keys, so `PC12ÂĐÊ` becomes `PC12AADDEE`.
 */

/** Letter modifiers, typed right after the base letter; `null` = the base letter again (AA, EE, OO). */
const MODIFIERS: Readonly<Record<string, { key: string | null; bases: string }>> = {
  '\u0302': { key: null, bases: 'AEO' }, // circumflex
  '\u0306': { key: 'W', bases: 'A' }, // breve
  '\u031B': { key: 'W', bases: 'OU' }, // horn
};
/** Tone keys, typed last. */
const TONES: Readonly<Record<string, string>> = { '\u0301': 'S', '\u0300': 'F', '\u0309': 'R', '\u0303': 'X', '\u0323': 'J' };
const VOWELS = 'AEIOUY';

export interface TelexUnfoldOptions {
  /**
   * Ư comes from either `UW` or a lone `W` (Telex turns W alone into Ư). Without context `UW` is assumed;
   * the wedge passes `loneW` when the input method produced Ư without erasing a U first.
   */
  loneW?: boolean;
}

/** The Telex keys that produce one character: 'Â' -> 'AA', 'ấ' -> 'aas', 'Đ' -> 'DD'; other characters unchanged. */
export function unfoldTelexChar(char: string, options: TelexUnfoldOptions = {}): string {
  if (char === 'Đ') return 'DD';
  if (char === 'đ') return 'dd';
  const [base = char, ...marks] = char.normalize('NFD');
  const baseUpper = base.toUpperCase();
  if (marks.length === 0 || !VOWELS.includes(baseUpper)) return char;
  const cased = (key: string): string => (base === baseUpper ? key : key.toLowerCase());
  let modifier = '';
  let tone = '';
  for (const mark of marks) {
    const mod = MODIFIERS[mark];
    const toneKey = TONES[mark];
    if (mod !== undefined && mod.bases.includes(baseUpper) && modifier === '') modifier = mod.key === null ? base : cased(mod.key);
    else if (toneKey !== undefined && tone === '') tone = cased(toneKey);
    else return char; // not a letter Telex produces: leave it for validation to reject
  }
  const loneW = options.loneW === true && baseUpper === 'U' && modifier !== '';
  return (loneW ? '' : base) + modifier + tone;
}

/** Maps every Telex-composed letter of `text` back to the keys that were pressed: 'PC12ÂĐÊ' -> 'PC12AADDEE'. */
export function unfoldTelex(text: string): string {
  let out = '';
  for (const char of text.normalize('NFC')) out += unfoldTelexChar(char);
  return out;
}
