import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
import { tempDir } from '../helpers/temp-dir.ts';

import { corpus } from './helpers.ts';

function readAll(path: string, encoding?: SnapshotEncoding, profileJson?: unknown) {
  const rows: SnapshotRow[] = [];
  const header = readSnapshot(
    path,
    { encoding: encoding ?? inspectFile(path).detected, profile: profileJson === undefined ? undefined : parseProfile(profileJson), keepRaw: true },
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
  const forced = readAll(path, 'utf8').rows[0];
  assert.ok(forced?.ok);
  assert.notEqual(forced.customer.ten_khang, 'Nguyễn Thị Đào');
});

test('delimiter detection counts only delimiters outside quotes', () => {
  assert.equal(detectDelimiter('A,B,C'), ',');
  assert.equal(detectDelimiter('A;B;C'), ';');
  assert.equal(detectDelimiter('A\tB\tC'), '\t');
  assert.equal(detectDelimiter('"A,B,C,D";E;F'), ';');
});

test('quoted fields keep delimiters, doubled quotes and line breaks; line numbers are where a record starts', () => {
  const { rows } = readAll(corpus('good-quoted-multiline.csv'));
  assert.deepEqual(rows.map((r) => r.line), [2, 4, 5]);
  const [a, b, c] = rows;
  assert.ok(a?.ok && b?.ok && c?.ok);
  assert.equal(a.customer.ten_khang, 'Nguyễn Văn "Tư" An');
  assert.equal(a.customer.dchi_khang, 'Số 7, hẻm 3\nđường Phan Bội Châu, phường Thành Công, TP. Buôn Ma Thuột');
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

test('records larger than a read chunk and CRLF/LF endings stream correctly', () => {
  const long = 'Thôn 9, ' + 'x'.repeat(3 << 20);
  const path = writeCsv([HEADER, `PC12AA,PC12AA0000001,A,"${long}",1,1,11,2026,100,8,108`, 'PC12AA,PC12AA0000002,B,"Thôn 1\nxã Ea Tu",2,1,11,2026,100,8,108', 'PC12AA,PC12AA0000003,C,D,3,1,11,2026,100,8,108']);
  const { rows } = readAll(path);
  assert.deepEqual(rows.map((r) => [r.line, r.ok]), [[2, true], [3, true], [5, true]]);
  assert.ok(rows[0]?.ok && rows[0].customer.dchi_khang === long);
});

test('UTF-8 detection holds when multi-byte letters straddle read chunks', () => {
  const long = 'ễ'.repeat(700_000); // 2.1 MB of 3-byte sequences: chunk edges fall inside letters
  const path = writeCsv([HEADER, `PC12AA,PC12AA0000001,A,"${long}",1,1,11,2026,100,8,108`]);
  assert.equal(inspectFile(path).detected, 'utf8');
  const [row] = readAll(path).rows;
  assert.ok(row?.ok && row.customer.dchi_khang === long);
});
