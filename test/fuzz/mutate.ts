/**
 * A seeded mutator of snapshot files (issue 12 item 5): from a file of the fixture corpus, a file that
 * is almost right. Structural mutations work on the parsed rows of a valid file (columns duplicated or
 * missing, numbers at and past 2^53, impossible dates, duplicated rows); byte mutations on the bytes
 * (flips, truncation mid-row and mid-character, NULs, huge fields, mixed line endings and encodings,
 * stray quotes and BOMs). The same seed always gives the same bytes, so a failure can be replayed.
 */
import iconv from 'iconv-lite';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { rng } from '../../fixtures/generate-snapshot.ts';


type Random = () => number;
const int = (r: Random, n: number) => Math.floor(r() * n);
const pick = <T>(r: Random, items: readonly T[]): T => items[int(r, items.length)]!;

const NUMERIC = ['KY', 'THANG', 'NAM', 'DIEN_TTHU', 'SO_TIEN', 'TIEN_GTGT', 'TONG_TIEN', 'STT', 'TTHAI_CAT'];
const ODD_NUMBERS = ['9007199254740991', '9007199254740992', '9007199254740993', '99999999999999999999', '1e20', '-1', '1.5', '1,000', '0x10', '', ' 12', '١٢٣', 'NaN', 'Infinity'];
const ODD_DATES = ['31/02/2026', '00/13/2026', '2026-02-30', '32/01/2026', '29/02/2027', '1/1/0', '20/10/99999', 'hôm qua'];

type Rows = string[][];
const structural: Array<(r: Random, rows: Rows) => void> = [
  function duplicateColumn(r, rows) {
    const k = int(r, rows[0]!.length);
    for (const row of rows) row.splice(k, 0, row[k] ?? '');
  },
  function dropColumn(r, rows) {
    const k = int(r, rows[0]!.length);
    for (const row of rows) row.splice(k, 1);
  },
  function dropCellInOneRow(r, rows) {
    if (rows.length > 1) rows[1 + int(r, rows.length - 1)]!.pop();
  },
  function oddNumber(r, rows) {
    const k = rows[0]!.indexOf(pick(r, NUMERIC));
    if (k >= 0 && rows.length > 1) rows[1 + int(r, rows.length - 1)]![k] = pick(r, ODD_NUMBERS);
  },
  function impossibleDate(r, rows) {
    const header = rows[0]!;
    const row = rows.length > 1 ? rows[1 + int(r, rows.length - 1)]! : undefined;
    if (row === undefined) return;
    const due = header.indexOf('HAN_TTOAN');
    if (due >= 0 && r() < 0.6) row[due] = pick(r, ODD_DATES);
    else {
      const month = header.indexOf('THANG');
      if (month >= 0) row[month] = pick(r, ['0', '13', '-1', '99']);
    }
  },
  function duplicateRow(r, rows) {
    if (rows.length > 1) rows.splice(1 + int(r, rows.length - 1), 0, [...rows[1 + int(r, rows.length - 1)]!]);
  },
  function renameHeader(r, rows) {
    const header = rows[0]!;
    header[int(r, header.length)] = pick(r, ['', 'MA_KHANG', 'TONG TIEN', 'ma_khang ', 'X']);
  },
  function headerOnly(_r, rows) {
    rows.splice(1);
  },
  function oneRowOfOtherUnit(r, rows) {
    const k = rows[0]!.indexOf('MA_DVIQLY');
    if (k >= 0 && rows.length > 1) rows[1 + int(r, rows.length - 1)]![k] = pick(r, ['PC99ZZ', '', 'pc12aa']);
  },
];

const LINE_ENDINGS = ['\n', '\r\n', '\r'];
const bytewise: Array<(r: Random, b: Buffer) => Buffer> = [
  function flipBytes(r, b) {
    const out = Buffer.from(b);
    for (let n = 1 + int(r, 5); n > 0 && out.length > 0; n--) out[int(r, out.length)] = int(r, 256);
    return out;
  },
  function truncate(r, b) {
    return b.subarray(0, int(r, b.length + 1));
  },
  function insertNuls(r, b) {
    const at = int(r, b.length + 1);
    return Buffer.concat([b.subarray(0, at), Buffer.alloc(1 + int(r, 3)), b.subarray(at)]);
  },
  function hugeField(r, b) {
    const text = b.toString('latin1');
    const at = text.indexOf(',', int(r, text.length));
    const size = pick(r, [5_000, 70_000, 300_000]);
    return at < 0 ? b : Buffer.concat([b.subarray(0, at + 1), Buffer.alloc(size, pick(r, ['x', '9', '"'])), b.subarray(at + 1)]);
  },
  function mixedLineEndings(r, b) {
    const lines = b.toString('latin1').split(/\r\n|\r|\n/);
    return Buffer.from(lines.map((l, i) => (i === lines.length - 1 ? l : l + pick(r, LINE_ENDINGS))).join(''), 'latin1');
  },
  function reencode(r, b) {
    const text = b.toString('utf8');
    const encoding = pick(r, ['utf16le', 'utf16be', 'windows1258', 'latin1', 'windows1252']);
    const bytes = iconv.encode(text, encoding, { addBOM: r() < 0.5 });
    return r() < 0.5 ? bytes : Buffer.concat([b.subarray(0, b.length >> 1), bytes.subarray(bytes.length >> 1)]); // half one, half the other
  },
  function strayQuote(r, b) {
    const at = int(r, b.length + 1);
    return Buffer.concat([b.subarray(0, at), Buffer.from('"'), b.subarray(at)]);
  },
  function bom(r, b) {
    const mark = pick(r, [Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from([0xff, 0xfe]), Buffer.from([0xfe, 0xff])]);
    const at = r() < 0.5 ? 0 : int(r, b.length + 1);
    return Buffer.concat([b.subarray(0, at), mark, b.subarray(at)]);
  },
];

export interface Mutated {
  bytes: Buffer;
  /** The mutations applied, in order, for the report. */
  steps: string[];
}

/**
 * One mutated file from a base. `parsable` bases (valid UTF-8 CSV) may get structural mutations;
 * every base gets one to three byte mutations, or none at all one time in ten (structure alone).
 */
export function mutate(seed: number, base: Buffer, parsable: boolean): Mutated {
  const r = rng(seed);
  const steps: string[] = [];
  let bytes = base;
  if (parsable && r() < 0.6) {
    const rows = parse(base.toString('utf8'), { relax_column_count: true, bom: true }) as Rows;
    const delimiter = r() < 0.8 ? ',' : ';';
    for (let n = 1 + int(r, 2); n > 0; n--) {
      const m = pick(r, structural);
      m(r, rows);
      steps.push(m.name);
    }
    bytes = Buffer.from(stringify(rows, { delimiter, record_delimiter: pick(r, LINE_ENDINGS) }), 'utf8');
    if (r() < 0.1) return { bytes, steps };
  }
  for (let n = 1 + int(r, 3); n > 0; n--) {
    const m = pick(r, bytewise);
    bytes = m(r, bytes);
    steps.push(m.name);
  }
  return { bytes, steps };
}
