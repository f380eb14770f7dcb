import { createHash } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import type { Selectable } from 'kysely';
import type { BillRow } from '../customers/bills.ts';
import type { Tables } from '../store/tables.ts';
import { AppError } from '../core/errors.ts';
import { CONTROL, printable, startsLikeFormula } from '../core/cell-text.ts';
import { formatAmount, MAX_BILL_AMOUNT, parseAmount } from '../core/money.ts';
import { parseDate } from '../core/local-time.ts';
import { parseExtractColumn } from './snapshot-time.ts';
import { normaliseCode } from '../core/fold.ts';
import { fastFold } from './fast-fold.ts';
import { parseRecords } from './csv-records.ts';
import { ByteCensus } from './detect-encoding.ts';
import { forEachChunk } from './regular-file.ts';
import { resolveHeader, type MappingProfile, type SnapshotColumn } from './profiles.ts';

export type SnapshotEncoding = 'utf8' | 'utf16le' | 'windows1258';
export const SNAPSHOT_ENCODINGS: readonly SnapshotEncoding[] = ['utf8', 'utf16le', 'windows1258'];
export type Delimiter = ',' | ';' | '\t';

/** One refusal, located where the record starts in the file (physical line, 1-based). */
export interface Problem {
  line: number;
  column: string;
  value: string;
  reason: string;
}

/** Characters of a value a problem keeps: enough to find it; ten thousand problems of 64 KB records would not fit in memory. */
const MAX_VALUE_SHOWN = 200;

/** A value as a problem shows it: control characters as \xNN (a message can neither break a line nor drive a terminal), at most MAX_VALUE_SHOWN characters. */
export function problemValue(value: string): string {
  const shown = printable(value);
  return shown.length > MAX_VALUE_SHOWN ? `${shown.slice(0, MAX_VALUE_SHOWN)}…` : shown;
}

export function formatProblem(p: Problem): string {
  return `dòng ${p.line}, cột ${p.column}, giá trị "${p.value}": ${p.reason}`;
}

/** A customer as the snapshot gives it: the customers row without what the import derives. */
export type CustomerFields = Omit<Selectable<Tables['customers']>, 'id' | 'name_fold' | 'addr_fold' | 'last_snapshot_id' | 'tthai_cat'> & {
  tthai_cat: 0 | 1;
};

/** A bill as the snapshot gives it: the bills row without the ids the import assigns. */
export type BillFields = Omit<BillRow, 'id' | 'customer_id'>;

/**
 * A data row of the snapshot: valid fields (with the search folds of name and address), or the
 * problems that refuse it. `raw` is the original text when asked for.
 */
export type SnapshotRow =
  | { ok: true; line: number; customer: CustomerFields; nameFold: string; addrFold: string; bill: BillFields | null; raw: string | null }
  | { ok: false; line: number; problems: Problem[]; raw: string | null };

export interface FileFacts {
  sha256: string;
  size: number;
  /**
   * From the BOM (UTF-8 or UTF-16LE), else UTF-8 when every byte sequence is valid UTF-8, else
   * Windows-1258 on positive evidence (detect-encoding.ts), else null: not guessed, refused unless
   * an operator names the encoding.
   */
  detected: SnapshotEncoding | null;
  /** Bytes that are not valid UTF-8 in a file without a UTF-16 BOM: where, and whether the file looks like damaged UTF-8. */
  notUtf8: { damagedUtf8: boolean; problems: Problem[]; lineCount: number } | null;
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Largest snapshot read: a province's is about 120 MB. */
export const MAX_SNAPSHOT_BYTES = 2 * 1024 ** 3;
/**
 * Bytes decoded to text at a time. V8 puts a string of more than 128 KB in its large-object space
 * (a mapping of its own per string): decoding a province in 1 MB pieces took 1.0-1.2 s, in 32 KB
 * pieces 0.26 s. 32 KB of UTF-8 is at most 64 KB of UTF-16, with room for the usual carried record
 * (a few hundred characters; only a record of tens of thousands takes the slow path).
 */
const TEXT_CHUNK_BYTES = 32 * 1024;
/** Longest record: a CMIS record is a few hundred characters; a longer one is a broken file (an unclosed quote, a runaway field). */
export const MAX_RECORD_CHARS = 65_536;

/** The bytes of a regular snapshot file of at most MAX_SNAPSHOT_BYTES, chunk by chunk; anything else is refused. */
function snapshotChunks(path: string, onChunk: (bytes: Buffer) => void, chunkBytes?: number): void {
  const refused = forEachChunk(path, MAX_SNAPSHOT_BYTES, onChunk, chunkBytes);
  if (refused === null) return;
  if (refused.refused === 'unreadable') throw new AppError('SNAPSHOT_UNREADABLE', `Không đọc được tệp ${path}.`, { cause: refused.cause });
  if (refused.refused === 'not-a-file') {
    throw new AppError('SNAPSHOT_NOT_A_FILE', `${path} không phải là một tệp (có thể là thư mục hoặc thiết bị): không đọc.`);
  }
  throw new AppError('SNAPSHOT_TOO_LARGE', `Tệp ${path} lớn hơn ${MAX_SNAPSHOT_BYTES / 1024 ** 3} GB: không phải bảng nợ, không đọc.`, { size: refused.size });
}

/** Bytes up to the end of the last complete UTF-8 sequence (a chunk may end inside one). */
function completeUtf8(bytes: Buffer): number {
  for (let i = bytes.length - 1; i >= 0 && i >= bytes.length - 4; i--) {
    const c = bytes[i] ?? 0;
    if ((c & 0xc0) === 0x80) continue; // continuation byte
    const size = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
    return i + size <= bytes.length ? bytes.length : i;
  }
  return bytes.length;
}

/**
 * One streaming pass: the file's SHA-256 (the same-file check) and whether it is valid UTF-8
 * (isUtf8, native). A file that is not gets a second pass (rare: legacy or damaged files) that
 * tells damaged UTF-8 from Windows-1258 and names the lines.
 */
export function inspectFile(path: string): FileFacts {
  const hash = createHash('sha256');
  let validUtf8 = true;
  let carry: Buffer = Buffer.alloc(0);
  let size = 0;
  let head: Buffer | null = null;
  snapshotChunks(path, (bytes) => {
    hash.update(bytes);
    if (head === null) head = Buffer.from(bytes.subarray(0, 3));
    size += bytes.length;
    if (validUtf8) {
      const joined = carry.length === 0 ? bytes : Buffer.concat([carry, bytes]);
      const end = completeUtf8(joined);
      validUtf8 = isUtf8(joined.subarray(0, end));
      carry = Buffer.from(joined.subarray(end));
    }
  });
  if (carry.length > 0) validUtf8 = false; // the file ends inside a sequence
  const facts = { sha256: hash.digest('hex'), size };
  const h = (head ?? Buffer.alloc(0)) as Buffer;
  if (h.length >= 2 && h[0] === 0xff && h[1] === 0xfe) return { ...facts, detected: 'utf16le', notUtf8: null };
  if (validUtf8) return { ...facts, detected: 'utf8', notUtf8: null };
  const census = new ByteCensus();
  snapshotChunks(path, (bytes) => census.write(bytes));
  const counted = census.end();
  // A UTF-8 BOM says what the file meant to be: its bad bytes are damage whatever they look like.
  const bom = h.length === 3 && h.equals(UTF8_BOM);
  const verdict = bom ? { ...counted, detected: null, damagedUtf8: true } : counted;
  const reason = verdict.damagedUtf8
    ? 'byte không hợp lệ trong một tệp UTF-8 (tệp bị hỏng hoặc có ký tự dán từ nơi khác)'
    : 'byte không phải UTF-8, và tệp không giống bảng mã Windows-1258';
  return {
    ...facts,
    detected: verdict.detected,
    notUtf8: {
      damagedUtf8: verdict.damagedUtf8,
      problems: verdict.lines.map((l) => ({ line: l.line, column: '*', value: l.bytes, reason })),
      lineCount: verdict.lineCount,
    },
  };
}

/** The delimiter of the header line: the most frequent of `,` `;` tab outside quotes (comma on a tie). */
export function detectDelimiter(headerLine: string): Delimiter {
  const counts: Record<Delimiter, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === ',' || ch === ';' || ch === '\t')) counts[ch]++;
  }
  let best: Delimiter = ',';
  for (const d of [';', '\t'] as const) if (counts[d] > counts[best]) best = d;
  return best;
}

/**
 * The first line with something in it (blank lines before the header are skipped): where it starts,
 * its line number and its text, for the delimiter. null text: not in `text` yet.
 */
function findHeaderLine(text: string, final: boolean): { from: number; lines: number; header: string | null } {
  let from = 0;
  let lines = 0;
  for (;;) {
    let quoted = false;
    let end = -1;
    for (let i = from; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x22) quoted = !quoted;
      else if (!quoted && (c === 0x0a || c === 0x0d)) {
        end = i;
        break;
      }
    }
    if (end === -1) return { from, lines, header: final && text.slice(from).trim() !== '' ? text.slice(from) : null };
    const line = text.slice(from, end);
    if (line.trim() !== '') return { from, lines, header: line };
    if (text.charCodeAt(end) === 0x0d && end + 1 === text.length && !final) return { from, lines, header: null };
    from = end + (text.charCodeAt(end) === 0x0d && text.charCodeAt(end + 1) === 0x0a ? 2 : 1);
    lines++;
  }
}

export interface ReadOptions {
  encoding: SnapshotEncoding;
  profile?: MappingProfile;
  /** Keep each row's original text (for a rejects file). */
  keepRaw?: boolean;
  /**
   * false: rows come without their search folds ('' in nameFold and addrFold). The reader's worker
   * makes them itself, once per customer rather than per row (parallel-read.ts).
   */
  folds?: boolean;
}

export interface SnapshotHeader {
  delimiter: Delimiter;
  columns: string[];
  unknownColumns: string[];
  /** NGAY_TRICH of the rows (ISO UTC), when the file has the column and a valid row. */
  extractedAt: string | null;
}

/**
 * Text of the file as it streams. UTF-8 is decoded up to the last line feed of the bytes at hand (a
 * line feed is never part of a multi-byte sequence), the rest carried as bytes: each piece of text
 * then usually starts a record, so the reader parses it as it is instead of joining it to the end
 * of the previous one (flattening that joined string cost about as much as decoding it). The BOM is
 * dropped. Other encodings go through iconv-lite.
 */
function textDecoder(encoding: SnapshotEncoding): { write(bytes: Buffer): string; end(): string } {
  if (encoding === 'utf8') {
    let carry: Buffer = Buffer.alloc(0);
    let first = true;
    const decode = (bytes: Buffer, end: number): string => {
      const text = bytes.toString('utf8', 0, end);
      if (!first || text === '') return text;
      first = false;
      return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    };
    return {
      write(bytes: Buffer): string {
        const joined = carry.length === 0 ? bytes : Buffer.concat([carry, bytes]);
        const lf = joined.lastIndexOf(0x0a);
        // No line feed (a file of CR line ends, or a record longer than the chunk): up to the last whole character.
        const end = lf === -1 ? completeUtf8(joined) : lf + 1;
        carry = Buffer.from(joined.subarray(end)); // a copy: the chunk's buffer is reused
        return decode(joined, end);
      },
      end: (): string => decode(carry, carry.length),
    };
  }
  // cp1258 writes tone marks as combining characters; NFC of whole chunks would split a letter
  // from its mark at a chunk edge, so normalisation is done per field after parsing.
  const decoder = iconv.getDecoder(encoding, { stripBOM: true });
  return { write: (bytes) => decoder.write(bytes), end: () => decoder.end() ?? '' };
}

function recordTooLarge(line: number): AppError {
  return new AppError(
    'SNAPSHOT_RECORD_TOO_LARGE',
    `Dòng ${line} của tệp dài quá ${MAX_RECORD_CHARS.toLocaleString('vi-VN')} ký tự (một trường quá dài, hoặc một dấu ngoặc kép mở mà không đóng): tệp bị từ chối, cơ sở dữ liệu không thay đổi.`,
    { line },
  );
}

/**
 * C0 and C1 control characters but line breaks, and U+FFFD (a byte the decoder could not read): a
 * record holding one, or a line break (inside quotes), is checked field by field.
 */
const SUSPECT = /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffd]/;
const SUSPECT_UNLESS_TAB = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffd]/;

/**
 * Streams the file: bytes -> text (cut at line feeds, or iconv-lite for other encodings) -> records
 * (csv-records.ts, any line ending, blank lines skipped) -> one validated row at a time to `onRow`
 * (with the record's length in characters), and after each chunk the bytes read so far to `onBytes`
 * (the import's progress). Synchronous, so an import can run inside one
 * better-sqlite3 transaction; memory holds one chunk and one unfinished record (at most
 * MAX_RECORD_CHARS, else SNAPSHOT_RECORD_TOO_LARGE), not the file. A bad header (missing required
 * column) is thrown as SNAPSHOT_HEADER_INVALID.
 */
export function readSnapshot(
  path: string,
  options: ReadOptions,
  onRow: (row: SnapshotRow, chars: number) => void,
  onBytes?: (bytesRead: number) => void,
): SnapshotHeader {
  const decoder = textDecoder(options.encoding);
  const nfc = options.encoding === 'windows1258';
  let pending = '';
  let line = 1; // physical line where `pending` starts
  let delimiter: Delimiter | null = null;
  let suspect = SUSPECT;
  let header: { info: SnapshotHeader; validator: RowValidator } | null = null;

  const feed = (input: string, final: boolean): void => {
    let text = input;
    if (delimiter === null) {
      const found = findHeaderLine(text, final);
      line += found.lines;
      text = text.slice(found.from);
      if (found.header === null) {
        pending = final ? '' : text;
        if (pending.length > MAX_RECORD_CHARS) throw recordTooLarge(line);
        return;
      }
      delimiter = detectDelimiter(found.header);
      if (delimiter === '\t') suspect = SUSPECT_UNLESS_TAB;
    }
    // One scan of the whole text; records are looked at one by one only when it holds something suspect.
    const suspectText = suspect.test(text);
    const parsed = parseRecords(text, delimiter, line, final, (fields, at, start, end, breaks) => {
      if (end - start > MAX_RECORD_CHARS) throw recordTooLarge(at);
      if (fields.length === 1 && (fields[0] ?? '').trim() === '') return; // a line of spaces
      if (header === null) {
        header = readHeader(fields, at, delimiter ?? ',', options.profile);
        return;
      }
      if (nfc) for (let i = 0; i < fields.length; i++) fields[i] = (fields[i] ?? '').normalize('NFC');
      const raw = options.keepRaw === true || suspectText ? text.slice(start, end) : null;
      onRow(header.validator.validate(fields, at, options.keepRaw === true ? raw : null, breaks > 0 || (raw !== null && suspectText && suspect.test(raw)), options.folds !== false), end - start);
    });
    if (parsed.unclosedQuote) {
      throw new AppError('SNAPSHOT_UNREADABLE', `Tệp không đọc được như CSV: dấu ngoặc kép mở ở dòng ${parsed.line} không được đóng đến cuối tệp.`, { line: parsed.line });
    }
    pending = text.slice(parsed.consumed);
    line = parsed.line;
    if (pending.length > MAX_RECORD_CHARS) throw recordTooLarge(line);
  };

  let bytesRead = 0;
  snapshotChunks(
    path,
    (bytes) => {
      feed(pending + decoder.write(bytes), false);
      bytesRead += bytes.length;
      onBytes?.(bytesRead);
    },
    TEXT_CHUNK_BYTES,
  );
  feed(pending + decoder.end(), true);
  if (header === null) throw new AppError('SNAPSHOT_EMPTY', `Tệp ${path} trống: không có dòng tiêu đề.`);
  const done = header as { info: SnapshotHeader; validator: RowValidator };
  return { ...done.info, extractedAt: done.validator.extractedAt };
}

function readHeader(names: string[], line: number, delimiter: Delimiter, profile: MappingProfile | undefined) {
  const resolved = resolveHeader(names, profile);
  if (resolved.problems.length > 0) {
    const problems: Problem[] = resolved.problems.map((p) => ({ line, column: p.column, value: '', reason: p.reason }));
    throw new AppError(
      'SNAPSHOT_HEADER_INVALID',
      `Dòng tiêu đề của tệp không hợp lệ:\n${problems.map(formatProblem).join('\n')}`,
      { problems, problemCount: problems.length },
    );
  }
  const info: SnapshotHeader = { delimiter, columns: names.map((n) => n.trim()), unknownColumns: resolved.unknown, extractedAt: null };
  return { info, validator: new RowValidator(resolved.index, names.length) };
}

const UNIT = /^[A-Z0-9]{4,10}$/;
const CUSTOMER = /^[A-Z0-9]{10,16}$/;
const PHONE = /^(0\d{9,10}|84\d{9,10})$/;
const DIGITS = /^\d+$/;
const p2 = (n: number) => String(n).padStart(2, '0');
/** A whole number too long for parseAmount (past 2^53): over every bound. */
const overBound = (text: string): boolean => /^\d{16,}$/.test(text.replace(/[., \u00a0]/g, ''));
/** Columns that hold numbers (their own rules refuse anything else); every other column is text. */
const NUMBER_COLUMNS: ReadonlySet<SnapshotColumn> = new Set(['KY', 'THANG', 'NAM', 'DIEN_TTHU', 'SO_TIEN', 'TIEN_GTGT', 'TONG_TIEN']);

/**
 * Validates one record against every per-row rule of the contract's column table. A class with the
 * current record as state rather than closures per row: this runs 600,000 times per import.
 */
class RowValidator {
  private record: string[] = [];
  private line = 0;
  private problems: Problem[] = [];
  // Plain fields, not parameter properties: this module also runs in the reader worker under Node's type stripping.
  private readonly index: Partial<Record<SnapshotColumn, number>>;
  private readonly width: number;
  /** The file's columns that the contract knows, with their field index; those of them that hold text. */
  private readonly columns: [SnapshotColumn, number][];
  private readonly textColumns: [SnapshotColumn, number][];
  /** NGAY_TRICH of the first row that had a valid one (ISO UTC), and its text and line. */
  private extract: { at: string; text: string; line: number } | null = null;

  constructor(index: Partial<Record<SnapshotColumn, number>>, width: number) {
    this.index = index;
    this.width = width;
    this.columns = Object.entries(index) as [SnapshotColumn, number][];
    this.textColumns = this.columns.filter(([column]) => !NUMBER_COLUMNS.has(column));
  }

  /** `suspect`: the record holds a control character or U+FFFD somewhere (one test per record, not per field). */
  validate(record: string[], line: number, raw: string | null, suspect: boolean, folds: boolean): SnapshotRow {
    this.record = record;
    this.line = line;
    this.problems = [];
    if (record.length !== this.width) {
      this.bad('*', String(record.length), `số cột là ${record.length}, dòng tiêu đề có ${this.width}`);
      return { ok: false, line, problems: this.problems, raw };
    }
    this.screen(suspect);
    const customer = this.customer();
    const bill = this.bill();
    this.extractTime();
    if (this.problems.length > 0) return { ok: false, line, problems: this.problems, raw };
    return { ok: true, line, customer, nameFold: folds ? fastFold(customer.ten_khang) : '', addrFold: folds ? fastFold(customer.dchi_khang) : '', bill, raw };
  }

  /**
   * Contract section 1: no control character in a field (a NUL or a line break would reach the
   * clearing file), no text field starting like a spreadsheet formula, nothing the decoder could
   * not read. Columns the file has but the contract does not are never stored, so not checked.
   */
  private screen(suspect: boolean): void {
    if (suspect) {
      for (const [column, i] of this.columns) {
        const v = (this.record[i] ?? '').trim();
        if (CONTROL.test(v)) this.bad(column, v, 'có ký tự điều khiển (xuống dòng, tab, NUL...) trong ô: CMIS không xuất ký tự này');
        else if (v.includes('\ufffd')) this.bad(column, v, 'có ký tự không giải mã được (\ufffd): tệp có thể sai bảng mã');
      }
    }
    for (const [column, i] of this.textColumns) {
      const value = this.record[i] ?? '';
      if (value !== '' && startsLikeFormula(value)) {
        const v = value.trim();
        this.bad(column, v, `bắt đầu bằng "${v[0] ?? ''}": bảng tính sẽ hiểu là công thức; CMIS không xuất giá trị như vậy`);
      }
    }
  }

  get extractedAt(): string | null {
    return this.extract?.at ?? null;
  }

  /** Contract section 4: NGAY_TRICH, when the file has it, is a time and the same on every row. */
  private extractTime(): void {
    if (this.index.NGAY_TRICH === undefined) return;
    const text = this.get('NGAY_TRICH');
    const at = parseExtractColumn(text);
    if (at === null) this.bad('NGAY_TRICH', text, 'thời điểm trích phải có dạng dd/MM/yyyy HH:mm và có thật');
    else if (this.extract === null) this.extract = { at, text, line: this.line };
    else if (this.extract.at !== at) {
      this.bad('NGAY_TRICH', text, `khác với dòng ${this.extract.line} ("${this.extract.text}"): mọi dòng của một bảng nợ có cùng thời điểm trích`);
    }
  }

  private get(c: SnapshotColumn): string {
    const i = this.index[c];
    return i === undefined ? '' : (this.record[i] ?? '').trim();
  }

  private optional(c: SnapshotColumn): string | null {
    const v = this.get(c);
    return v === '' ? null : v;
  }

  /** One problem per cell: a field refused by screen() is not refused again by its column's own rule. */
  private bad(column: string, value: string, reason: string): void {
    for (const p of this.problems) if (p.column === column) return;
    this.problems.push({ line: this.line, column, value: problemValue(value), reason });
  }

  private customer(): CustomerFields {
    // Codes as every lookup compares them (normaliseCode): a zero-width space or full-width letters pasted into CMIS change nothing.
    const ma_dviqly = this.code('MA_DVIQLY', UNIT, 'mã đơn vị phải gồm 4-10 chữ cái A-Z hoặc chữ số');
    const ma_khang = this.code('MA_KHANG', CUSTOMER, 'mã khách hàng phải gồm 10-16 chữ cái A-Z hoặc chữ số');
    const ten_khang = this.get('TEN_KHANG').normalize('NFC');
    if (ten_khang === '') this.bad('TEN_KHANG', '', 'tên khách hàng trống');
    const dchi_khang = this.get('DCHI_KHANG').normalize('NFC');
    if (dchi_khang === '') this.bad('DCHI_KHANG', '', 'địa chỉ trống');
    const maThe = this.optional('MA_THE');
    const phoneText = this.optional('DTHOAI_SMS');
    const dthoai_sms = phoneText === null ? null : phoneText.replace(/[\s.-]/g, '');
    if (phoneText !== null && !PHONE.test(dthoai_sms ?? '')) this.bad('DTHOAI_SMS', phoneText, 'số điện thoại phải là chữ số, bắt đầu bằng 0 hoặc 84');
    const cut = this.get('TTHAI_CAT');
    if (cut !== '' && cut !== '0' && cut !== '1') this.bad('TTHAI_CAT', cut, 'chỉ nhận 0 hoặc 1');
    return {
      ma_dviqly,
      ma_khang,
      ten_khang,
      dchi_khang,
      ma_the: maThe === null ? null : normaliseCode(maThe) || null,
      dthoai_sms,
      ma_sogcs: this.optional('MA_SOGCS'),
      stt: this.optional('STT'),
      so_cto: this.optional('SO_CTO'),
      tthai_cat: cut === '1' ? 1 : 0,
    };
  }

  /** A code through normaliseCode (a code already in its final form, the usual case, skips it), checked against its pattern. */
  private code(c: SnapshotColumn, pattern: RegExp, reason: string): string {
    const text = this.get(c);
    if (pattern.test(text)) return text;
    const code = normaliseCode(text);
    if (!pattern.test(code)) this.bad(c, text, reason);
    return code;
  }

  private bill(): BillFields | null {
    const id_hdon = this.get('ID_HDON');
    if (id_hdon === '') {
      for (const c of ['SO_TIEN', 'TIEN_GTGT', 'TONG_TIEN'] as const) {
        const v = this.get(c);
        if (v !== '') this.bad(c, v, 'có số tiền nhưng không có ID_HDON (dòng không nợ để trống các cột tiền)');
      }
      return null;
    }
    const kind = this.get('LOAI_HDON').toUpperCase() || 'TD';
    if (kind !== 'TD' && kind !== 'VC' && kind !== 'DC') this.bad('LOAI_HDON', this.get('LOAI_HDON'), 'loại hóa đơn phải là TD, VC hoặc DC');
    const ky = this.int('KY', 1, 3, 'kỳ phải là số nguyên 1-3');
    const thang = this.int('THANG', 1, 12, 'tháng phải là số nguyên 1-12');
    const nam = this.int('NAM', 1900, 2999, 'năm phải là số nguyên 4 chữ số');
    const kwh = this.get('DIEN_TTHU');
    const dien_tthu = kwh === '' ? null : parseAmount(kwh);
    if (kwh !== '' && dien_tthu === null) this.bad('DIEN_TTHU', kwh, overBound(kwh) ? `vượt quá ${formatAmount(MAX_BILL_AMOUNT)} kWh` : 'điện năng phải là số nguyên >= 0');
    else if (dien_tthu !== null && dien_tthu > MAX_BILL_AMOUNT) this.bad('DIEN_TTHU', kwh, `vượt quá ${formatAmount(MAX_BILL_AMOUNT)} kWh`);
    const so_tien = this.money('SO_TIEN', true);
    const tien_gtgt = this.money('TIEN_GTGT', false);
    const tong_tien = this.money('TONG_TIEN', false);
    if (so_tien !== null && tien_gtgt !== null && tong_tien !== null && so_tien + tien_gtgt !== tong_tien) {
      this.bad('TONG_TIEN', this.get('TONG_TIEN'), `phải bằng SO_TIEN + TIEN_GTGT (${so_tien} + ${tien_gtgt} = ${so_tien + tien_gtgt})`);
    }
    const due = this.get('HAN_TTOAN');
    const date = due === '' ? null : parseDate(due);
    if (due !== '' && date === null) this.bad('HAN_TTOAN', due, 'ngày phải có dạng dd/MM/yyyy và có thật');
    return {
      id_hdon,
      loai_hdon: kind as BillFields['loai_hdon'],
      ky,
      thang,
      nam,
      dien_tthu,
      so_tien: so_tien ?? 0,
      tien_gtgt: tien_gtgt ?? 0,
      tong_tien: tong_tien ?? 0,
      han_ttoan: date === null ? null : `${p2(date.day)}/${p2(date.month)}/${date.year}`,
    };
  }

  private int(c: SnapshotColumn, min: number, max: number, reason: string): number {
    const v = this.get(c);
    const n = DIGITS.test(v) ? Number(v) : NaN;
    if (!(n >= min && n <= max)) this.bad(c, v, v === '' ? 'bắt buộc khi có ID_HDON' : reason);
    return n;
  }

  /** An amount of one bill: whole đồng, at most MAX_BILL_AMOUNT (so no sum of a snapshot's bills can lose a đồng). null when refused. */
  private money(c: SnapshotColumn, positive: boolean): number | null {
    const v = this.get(c);
    const n = parseAmount(v);
    if (v === '') this.bad(c, v, 'bắt buộc khi có ID_HDON');
    else if ((n === null && overBound(v)) || (n !== null && n > MAX_BILL_AMOUNT)) {
      this.bad(c, v, `vượt quá ${formatAmount(MAX_BILL_AMOUNT)} đồng, giới hạn của một hóa đơn`);
      return null;
    } else if (n === null) this.bad(c, v, 'không phải số tiền nguyên (đồng)');
    else if (positive && n === 0) this.bad(c, v, 'phải lớn hơn 0');
    return n;
  }
}
