import { closeSync, openSync, readSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import { parse } from 'csv-parse/sync';
import type { Selectable } from 'kysely';
import type { BillRow } from '../bills.ts';
import type { Tables } from '../db/tables.ts';
import { AppError } from '../core/errors.ts';
import { parseAmount } from '../core/money.ts';
import { parseDate } from '../core/local-time.ts';
import { normaliseCode } from '../core/fold.ts';
import { fastFold } from './fast-fold.ts';
import { parseSimpleCsv } from './simple-csv.ts';
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
  /** Detected from the BOM, else UTF-8 if the bytes are valid UTF-8, else Windows-1258. */
  detected: SnapshotEncoding;
}

const CHUNK = 1 << 20;

function forEachChunk(path: string, onChunk: (bytes: Buffer) => void): void {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      onChunk(buf.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
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

/** One streaming pass: the file's SHA-256 (the same-file check) and its encoding. */
export function inspectFile(path: string): FileFacts {
  const hash = createHash('sha256');
  let validUtf8 = true;
  let carry: Buffer = Buffer.alloc(0);
  let size = 0;
  let head: Buffer | null = null;
  try {
    forEachChunk(path, (bytes) => {
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
  } catch (error) {
    throw new AppError('SNAPSHOT_UNREADABLE', `Không đọc được tệp ${path}.`, { cause: String(error) });
  }
  if (carry.length > 0) validUtf8 = false; // the file ends inside a sequence
  const h = (head ?? Buffer.alloc(0)) as Buffer;
  let detected: SnapshotEncoding;
  if (h.length >= 2 && h[0] === 0xff && h[1] === 0xfe) detected = 'utf16le';
  else if (validUtf8) detected = 'utf8';
  else detected = 'windows1258';
  return { sha256: hash.digest('hex'), size, detected };
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

const LF = 0x0a;
const QUOTE = 0x22;

/**
 * Index just after the last line break outside quotes, or -1: a batch of whole records ends there.
 * Works on UTF-8 bytes: `"` and LF never occur inside a multi-byte sequence.
 */
function lastRecordEnd(bytes: Buffer): number {
  let quoted = false;
  let last = -1;
  let q = bytes.indexOf(QUOTE);
  let nl = bytes.indexOf(LF);
  while (nl !== -1) {
    while (q !== -1 && q < nl) {
      quoted = !quoted;
      q = bytes.indexOf(QUOTE, q + 1);
    }
    if (!quoted) last = nl + 1;
    nl = bytes.indexOf(LF, nl + 1);
  }
  return last;
}

function countLineBreaks(record: readonly string[]): number {
  let n = 0;
  for (const field of record) {
    let at = field.indexOf('\n');
    while (at !== -1) {
      n++;
      at = field.indexOf('\n', at + 1);
    }
  }
  return n;
}

export interface ReadOptions {
  encoding: SnapshotEncoding;
  profile?: MappingProfile;
  /** Keep each row's original text (for a rejects file). */
  keepRaw?: boolean;
}

export interface SnapshotHeader {
  delimiter: Delimiter;
  columns: string[];
  unknownColumns: string[];
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** UTF-8 bytes of the file: passed through for UTF-8 (BOM dropped), transcoded by iconv-lite otherwise. */
function utf8Chunks(encoding: SnapshotEncoding) {
  if (encoding === 'utf8') {
    let first = true;
    return {
      write(bytes: Buffer): Buffer {
        if (first && bytes.length >= 3 && bytes.subarray(0, 3).equals(UTF8_BOM)) bytes = bytes.subarray(3);
        first = false;
        return bytes;
      },
      end: (): Buffer => Buffer.alloc(0),
    };
  }
  const decoder = iconv.getDecoder(encoding, { stripBOM: true });
  // cp1258 writes tone marks as combining characters; NFC of whole batches would split a letter
  // from its mark at a chunk edge, so normalisation is done per field after parsing.
  return {
    write: (bytes: Buffer): Buffer => Buffer.from(decoder.write(bytes), 'utf8'),
    end: (): Buffer => Buffer.from(decoder.end() ?? '', 'utf8'),
  };
}

/**
 * Streams the file: bytes -> UTF-8 (iconv-lite for other encodings) -> whole-record batches ->
 * csv-parse (no `cast`: conversions are done here) -> one validated row at a time to `onRow`.
 * Synchronous, so an import can run inside one better-sqlite3 transaction; memory holds one batch,
 * not the file. A bad header (missing required column) is thrown as SNAPSHOT_HEADER_INVALID.
 */
export function readSnapshot(path: string, options: ReadOptions, onRow: (row: SnapshotRow) => void): SnapshotHeader {
  const source = utf8Chunks(options.encoding);
  const nfc = options.encoding === 'windows1258';
  let pending: Buffer = Buffer.alloc(0);
  let line = 1; // physical line where the next record starts
  let header: { info: SnapshotHeader; validator: RowValidator } | null = null;

  const parseBatch = (bytes: Buffer, final: boolean): void => {
    if (header === null) {
      const nl = bytes.indexOf(LF);
      if (nl === -1 && !final) {
        pending = Buffer.from(bytes); // a copy: the read buffer is reused
        return;
      }
      const headerEnd = nl === -1 ? bytes.length : nl + 1;
      header = readHeader(bytes.subarray(0, headerEnd).toString('utf8'), options.profile);
      line = 2;
      bytes = bytes.subarray(headerEnd);
    }
    const end = final ? bytes.length : lastRecordEnd(bytes);
    if (end <= 0) {
      pending = Buffer.from(bytes);
      return;
    }
    pending = Buffer.from(bytes.subarray(end));
    // The one-pass parser takes the common batches (not when the raw text is kept: csv-parse gives it).
    let records: { record: string[]; raw?: string }[] | string[][] | null =
      options.keepRaw === true ? null : parseSimpleCsv(bytes.toString('utf8', 0, end), header.info.delimiter);
    if (records === null) {
      try {
        records = parse(bytes.subarray(0, end), {
          delimiter: header.info.delimiter,
          relax_column_count: true,
          relax_quotes: true,
          raw: options.keepRaw === true,
        }) as { record: string[]; raw?: string }[] | string[][];
      } catch (error) {
        throw new AppError('SNAPSHOT_UNREADABLE', `Tệp không đọc được như CSV gần dòng ${line}: ${(error as Error).message}`);
      }
    }
    for (const item of records) {
      const record = Array.isArray(item) ? item : item.record;
      const raw = Array.isArray(item) ? null : (item.raw ?? null);
      const start = line;
      line += 1 + countLineBreaks(record);
      if (record.length === 1 && record[0]?.trim() === '') continue; // blank line
      if (nfc) for (let i = 0; i < record.length; i++) record[i] = (record[i] ?? '').normalize('NFC');
      onRow(header.validator.validate(record, start, raw === null ? null : raw.replace(/\r?\n$/, '')));
    }
  };

  forEachChunk(path, (bytes) => {
    const next = source.write(bytes);
    parseBatch(pending.length === 0 ? next : Buffer.concat([pending, next]), false);
  });
  parseBatch(Buffer.concat([pending, source.end()]), true);
  if (header === null) throw new AppError('SNAPSHOT_EMPTY', `Tệp ${path} trống: không có dòng tiêu đề.`);
  return (header as { info: SnapshotHeader }).info;
}

function readHeader(text: string, profile: MappingProfile | undefined) {
  const delimiter = detectDelimiter(text.replace(/\r?\n$/, ''));
  const [names = []] = parse(text, { delimiter, relax_column_count: true, relax_quotes: true }) as string[][];
  const resolved = resolveHeader(names, profile);
  if (resolved.problems.length > 0) {
    const problems: Problem[] = resolved.problems.map((p) => ({ line: 1, column: p.column, value: '', reason: p.reason }));
    throw new AppError(
      'SNAPSHOT_HEADER_INVALID',
      `Dòng tiêu đề của tệp không hợp lệ:\n${problems.map(formatProblem).join('\n')}`,
      { problems, problemCount: problems.length },
    );
  }
  const info: SnapshotHeader = { delimiter, columns: names.map((n) => n.trim()), unknownColumns: resolved.unknown };
  return { info, validator: new RowValidator(resolved.index, names.length) };
}

const UNIT = /^[A-Z0-9]{4,10}$/;
const CUSTOMER = /^[A-Z0-9]{10,16}$/;
const PHONE = /^(0\d{9,10}|84\d{9,10})$/;
const DIGITS = /^\d+$/;
const p2 = (n: number) => String(n).padStart(2, '0');

/**
 * Validates one record against every per-row rule of the contract's column table. A class with the
 * current record as state rather than closures per row: this runs 600,000 times per import.
 */
class RowValidator {
  private record: string[] = [];
  private line = 0;
  private problems: Problem[] = [];
  private readonly folds = new Map<string, string>();
  // Plain fields, not parameter properties: this module also runs in the reader worker under Node's type stripping.
  private readonly index: Partial<Record<SnapshotColumn, number>>;
  private readonly width: number;

  constructor(index: Partial<Record<SnapshotColumn, number>>, width: number) {
    this.index = index;
    this.width = width;
  }

  validate(record: string[], line: number, raw: string | null): SnapshotRow {
    this.record = record;
    this.line = line;
    this.problems = [];
    if (record.length !== this.width) {
      this.bad('*', String(record.length), `số cột là ${record.length}, dòng tiêu đề có ${this.width}`);
      return { ok: false, line, problems: this.problems, raw };
    }
    const customer = this.customer();
    const bill = this.bill();
    if (this.problems.length > 0) return { ok: false, line, problems: this.problems, raw };
    return { ok: true, line, customer, nameFold: this.fold(customer.ten_khang), addrFold: this.fold(customer.dchi_khang), bill, raw };
  }

  /** fold() (fastFold) with a bounded memo: names and village addresses repeat a lot across a province. */
  private fold(text: string): string {
    let folded = this.folds.get(text);
    if (folded === undefined) {
      if (this.folds.size >= 20_000) this.folds.clear();
      folded = fastFold(text);
      this.folds.set(text, folded);
    }
    return folded;
  }

  private get(c: SnapshotColumn): string {
    const i = this.index[c];
    return i === undefined ? '' : (this.record[i] ?? '').trim();
  }

  private optional(c: SnapshotColumn): string | null {
    const v = this.get(c);
    return v === '' ? null : v;
  }

  private bad(column: string, value: string, reason: string): void {
    this.problems.push({ line: this.line, column, value, reason });
  }

  private customer(): CustomerFields {
    const ma_dviqly = this.get('MA_DVIQLY');
    if (!UNIT.test(ma_dviqly)) this.bad('MA_DVIQLY', ma_dviqly, 'mã đơn vị phải gồm 4-10 chữ cái A-Z hoặc chữ số');
    const ma_khang = this.get('MA_KHANG').toUpperCase();
    if (!CUSTOMER.test(ma_khang)) this.bad('MA_KHANG', this.get('MA_KHANG'), 'mã khách hàng phải gồm 10-16 chữ cái A-Z hoặc chữ số');
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
      ma_the: maThe === null ? null : normaliseCode(maThe),
      dthoai_sms,
      ma_sogcs: this.optional('MA_SOGCS'),
      stt: this.optional('STT'),
      so_cto: this.optional('SO_CTO'),
      tthai_cat: cut === '1' ? 1 : 0,
    };
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
    if (kind !== 'TD' && kind !== 'VC' && kind !== 'DC') this.bad('LOAI_HDON', this.get('LOAI_HDON'), 'loại hoá đơn phải là TD, VC hoặc DC');
    const ky = this.int('KY', 1, 3, 'kỳ phải là số nguyên 1-3');
    const thang = this.int('THANG', 1, 12, 'tháng phải là số nguyên 1-12');
    const nam = this.int('NAM', 1900, 2999, 'năm phải là số nguyên 4 chữ số');
    const kwh = this.get('DIEN_TTHU');
    const dien_tthu = kwh === '' ? null : parseAmount(kwh);
    if (kwh !== '' && dien_tthu === null) this.bad('DIEN_TTHU', kwh, 'điện năng phải là số nguyên >= 0');
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

  private money(c: SnapshotColumn, positive: boolean): number | null {
    const v = this.get(c);
    const n = parseAmount(v);
    if (v === '') this.bad(c, v, 'bắt buộc khi có ID_HDON');
    else if (n === null) this.bad(c, v, 'không phải số tiền nguyên (đồng)');
    else if (positive && n === 0) this.bad(c, v, 'phải lớn hơn 0');
    return n;
  }
}
