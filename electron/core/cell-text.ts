/**
 * Text that ends up in a cell of a CSV file someone opens in a spreadsheet (the clearing files, the
 * rejects file) or in a message: no control character (a NUL cuts it, a line break splits a record,
 * an escape sequence drives a terminal), and no formula.
 */

/** C0 and C1 control characters and DEL. */
export const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;
/** What a spreadsheet takes as the start of a formula: = + - @. */
const formulaStart = (c: number): boolean => c === 0x3d || c === 0x2b || c === 0x2d || c === 0x40;

/** Whether a spreadsheet would run this text as a formula: = + - @ first, after any spaces. */
export function startsLikeFormula(text: string): boolean {
  const first = text.charCodeAt(0);
  if (formulaStart(first)) return true;
  // Only text that starts with a space (or something unusual) is trimmed: this runs on every field of a snapshot.
  return (first <= 0x20 || first > 0x7e) && formulaStart(text.trim().charCodeAt(0));
}

/** Text as a message or a rejects file shows it: control characters as \xNN. */
export function printable(text: string): string {
  return CONTROL.test(text) ? text.replace(CONTROLS, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`) : text;
}
