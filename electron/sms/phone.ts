import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/**
 * Mobile numbers for SMS (contract section 6): every written form -> `84` + 9 digits, or a reason
 * to skip. The old 11-digit mobile prefixes (renumbered in 2018) are mapped first; libphonenumber-js
 * with its `max` metadata (the only one that tells a landline from an invalid number) decides the rest.
 */
export const SKIP_REASONS = ['empty', 'invalid', 'foreign', 'landline', 'not_mobile', 'opted_out', 'bad_data'] as const;
/**
 * empty: no number; invalid: not a phone number; foreign: another country's number; landline: a
 * fixed line; not_mobile: a valid number that takes no SMS (1800/1900 numbers, VoIP, pagers);
 * opted_out: in the opt-out list; bad_data: a record whose codes break their own rules.
 */
export type SkipReason = (typeof SKIP_REASONS)[number];

/** Old prefix (national significant number, no 0) -> today's, per the 2018 renumbering. */
export const OLD_MOBILE_PREFIXES: Readonly<Record<string, string>> = {
  '120': '70', '121': '79', '122': '77', '126': '76', '128': '78', // MobiFone
  '123': '83', '124': '84', '125': '85', '127': '81', '129': '82', // VinaPhone
  '162': '32', '163': '33', '164': '34', '165': '35', '166': '36', '167': '37', '168': '38', '169': '39', // Viettel
  '186': '56', '188': '58', // Vietnamobile
  '199': '59', // Gmobile
};

/** The reasons a written number alone gives. */
export type PhoneSkip = Exclude<SkipReason, 'opted_out' | 'bad_data'>;
export type PhoneResult = { ok: true; msisdn: string } | { ok: false; reason: PhoneSkip };

/** Separators people and spreadsheets put in numbers. */
const SEPARATORS = /[\s.\-()/\u00a0]/g;

/**
 * The national significant number (no country code, no trunk 0) of a written number, or a reason.
 * Forms: `0…`, `84…`, `+84…`, `0084…`, and the bare 9/10 digits a spreadsheet leaves after eating
 * the leading zero. `+84 (0)9…` is read too.
 */
function nationalNumber(raw: string): { nsn: string } | { reason: PhoneSkip } {
  const text = raw.replace(SEPARATORS, '');
  if (text === '') return { reason: 'empty' };
  if (!/^\+?\d+$/.test(text)) return { reason: 'invalid' };
  let nsn: string;
  if (text.startsWith('+84')) nsn = text.slice(3);
  else if (text.startsWith('0084')) nsn = text.slice(4);
  else if (text.startsWith('+') || text.startsWith('00')) return { reason: 'foreign' };
  else if (text.startsWith('0')) nsn = text.slice(1);
  else if (text.startsWith('84') && text.length >= 11) nsn = text.slice(2);
  else nsn = text;
  if (nsn.startsWith('0')) nsn = nsn.slice(1);
  return { nsn };
}

/** `162xxxxxxx` -> `32xxxxxxx`: only a 10-digit number with an old prefix (no live number has one). */
export function mapOldPrefix(nsn: string): string {
  if (nsn.length !== 10) return nsn;
  const to = OLD_MOBILE_PREFIXES[nsn.slice(0, 3)];
  return to === undefined ? nsn : to + nsn.slice(3);
}

type LibraryType = ReturnType<NonNullable<ReturnType<typeof parsePhoneNumberFromString>>['getType']>;

/** A national number (old prefix mapped) as the library alone judges it. */
export function libraryAnswer(nsn: string): PhoneResult {
  const parsed = parsePhoneNumberFromString(`+84${nsn}`);
  const type = parsed?.country === 'VN' ? parsed.getType() : undefined;
  return answer(type, parsed?.nationalNumber ?? '');
}

function answer(type: LibraryType, nationalNumber: string): PhoneResult {
  if (type === undefined) return { ok: false, reason: 'invalid' };
  if (type === 'MOBILE') return /^\d{9}$/.test(nationalNumber) ? { ok: true, msisdn: `84${nationalNumber}` } : { ok: false, reason: 'invalid' };
  return { ok: false, reason: type === 'FIXED_LINE' ? 'landline' : 'not_mobile' };
}

/**
 * The library's types by a prefix and the length: its Việt Nam patterns (max metadata) decide the type
 * from the length and at most three leading digits (`2(0[3-9]|…)`, `52[238]`, `89[6-9]`, `99[013-9]`,
 * `672`…), four for numbers starting with 1 (`121[0-3]`, `1800`, `12(0[13]|28)`, `1900`); any digits
 * follow. So a province's numbers cost a few dozen library calls, and the evening's confirmations of
 * one batch no longer pay one call (~200 µs) per number. Only answers for numbers the library keeps as given are remembered, and never for a number
 * starting with 0 (the library may strip it as a trunk prefix, depending on later digits).
 * test/sms/phone.test.ts holds this against libraryAnswer.
 */
const typeByPrefix = new Map<string, LibraryType>();

export function normalisePhone(raw: string | null | undefined): PhoneResult {
  const national = nationalNumber(raw ?? '');
  if ('reason' in national) return { ok: false, reason: national.reason };
  const nsn = mapOldPrefix(national.nsn);
  const key = nsn.startsWith('0') ? null : `${nsn.length}:${nsn.slice(0, nsn.startsWith('1') ? 4 : 3)}`;
  if (key !== null && typeByPrefix.has(key)) return answer(typeByPrefix.get(key), nsn);
  const parsed = parsePhoneNumberFromString(`+84${nsn}`);
  const type = parsed?.country === 'VN' ? parsed.getType() : undefined;
  if (key !== null && (parsed === undefined || parsed.nationalNumber === nsn)) typeByPrefix.set(key, type);
  return answer(type, parsed?.nationalNumber ?? '');
}

export interface OptOutList {
  numbers: ReadonlySet<string>;
  /** Lines that hold no mobile number (1-based), listed so the company can correct its file. */
  problems: { line: number; value: string; reason: PhoneSkip }[];
}

/**
 * The opt-out list: a text file with one number per line in any accepted form. Blank lines and
 * lines starting with `#` are ignored; a line may carry more after a comma, semicolon or tab (a
 * spreadsheet export with a note column): only the first field is the number.
 */
export function parseOptOutList(text: string): OptOutList {
  const numbers = new Set<string>();
  const problems: OptOutList['problems'] = [];
  text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/)
    .forEach((line, i) => {
      const value = (line.split(/[,;\t]/)[0] ?? '').trim();
      if (value === '' || value.startsWith('#')) return;
      const phone = normalisePhone(value);
      if (phone.ok) numbers.add(phone.msisdn);
      else problems.push({ line: i + 1, value, reason: phone.reason });
    });
  return { numbers, problems };
}
