/**
 * Message text: GSM-7 only, so one SMS holds 160 characters (contract section 6).
 *
 * We allow only the part of the GSM 03.38 basic set that is plain ASCII (letters, digits, space and
 * `!"#%&'()*+,-./:;<=>?`): each is one septet, and gateways pass them unchanged. Left out on
 * purpose: the extension characters (`{}[]~^|\€`, two septets each), `@` (septet 0x00, which some
 * gateways treat as the end of the text), `$` and `_` (their GSM code differs from ASCII), line
 * breaks and the non-ASCII basic letters (`é`, `ñ`, `£`...), which folding removes anyway.
 */
export const MAX_SEPTETS = 160;

const SAFE = /^[A-Za-z0-9 !"#%&'()*+,\-./:;<=>?]*$/;
const UNSAFE_CHAR = /[^A-Za-z0-9 !"#%&'()*+,\-./:;<=>?]/gu;

/**
 * Vietnamese without marks: NFD, combining marks dropped, đ -> d, Đ -> D. Other characters stay as
 * they are (an en dash, a curly quote, a tab): the caller refuses them with `unsafeCharacters`,
 * so what a template says is what the customer reads.
 */
export function foldMarks(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .normalize('NFC');
}

export function isSafeText(text: string): boolean {
  return SAFE.test(text);
}

/** The distinct characters of a text outside the allowed set, in order of appearance. */
export function unsafeCharacters(text: string): string[] {
  return [...new Set(text.match(UNSAFE_CHAR) ?? [])];
}

/** Septets of a text made of allowed characters only (one each). */
export function septets(text: string): number {
  if (!isSafeText(text)) throw new RangeError(`not GSM-7 safe text: ${JSON.stringify(text)}`);
  return text.length;
}
