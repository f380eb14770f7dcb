import { mock, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { main } from '../../electron/cli/diemthu.ts';
import { openContext } from '../../electron/store/context.ts';
import { getSetting } from '../../electron/store/settings.ts';
import { sendWindow } from '../../electron/sms/messages.ts';
import { compactDate } from '../../electron/core/local-time.ts';
import { captureIo } from '../helpers/capture-io.ts';
import { tempDir } from '../helpers/temp-dir.ts';

// `sms notices` stamps its files with the machine's clock: a fixed one, so the day and GUI_TU read before the run are the run's.
mock.timers.enable({ apis: ['Date'], now: new Date('2026-11-27T07:00:00Z') });

const HEADER = 'MA_DVIQLY,MA_KHANG,TEN_KHANG,DCHI_KHANG,DTHOAI_SMS,TTHAI_CAT,ID_HDON,LOAI_HDON,KY,THANG,NAM,DIEN_TTHU,SO_TIEN,TIEN_GTGT,TONG_TIEN,HAN_TTOAN';
const row = (unit: string, ma: string, phone: string, cut: 0 | 1, id: string, thang: number, due: string) =>
  `${unit},${ma},Khách ${ma.slice(-2)},Số ${ma.slice(-1)} Lê Lợi,${phone},${cut},${id},${id === '' ? '' : 'TD'},${id === '' ? '' : 1},${id === '' ? '' : thang},${id === '' ? '' : 2026},${id === '' ? '' : 150},${id === '' ? '' : 100000},${id === '' ? '' : 8000},${id === '' ? '' : 108000},${due}`;

// Due dates far in the past and far ahead: the reminders do not depend on the day the test runs.
const PAST = '15/10/2020';
const AHEAD = '15/12/2099';
const SNAPSHOT = [
  HEADER,
  row('PC12AA', 'PC12AA0000001', '0905123456', 0, 'A1', 9, PAST), // overdue: TBTD + NHACNO
  row('PC12AA', 'PC12AA0000001', '0905123456', 0, 'A2', 10, AHEAD),
  row('PC12AA', 'PC12AA0000002', '01681234567', 1, 'B1', 10, AHEAD), // cut, old prefix 0168 -> 038: TBTD + TBCD
  row('PC12AA', 'PC12AA0000003', '', 0, 'C1', 10, AHEAD), // no phone: one skip
  row('PC12AA', 'PC12AA0000004', '02438251234', 1, 'D1', 10, PAST), // landline, three notices called for: three skips
  row('PC12BB', 'PC12BB0000005', '0912345678', 1, '', 0, ''), // another unit, cut, owes nothing: TBCD only
];

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo();
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

test('sms notices: THONGBAO per unit from a snapshot that is not imported, with counts, skips by reason and segments', async () => {
  const root = tempDir();
  const file = join(root, 'no.csv');
  fs.writeFileSync(file, SNAPSHOT.join('\r\n') + '\r\n');
  const out = join(root, 'out');
  const dataDir = join(root, 'data');
  const before = Date.now();
  const r = await cli(['sms', 'notices', file, '--out', out, '--data-dir', dataDir, '--json']);
  assert.equal(r.code, 0, r.err);
  const value = (JSON.parse(r.out) as { value: { customerCount: number; billCount: number; files: { unitCode: string; path: string; messages: Record<string, number>; skipped: Record<string, number>; segments: number }[] } }).value;
  assert.equal(fs.existsSync(join(dataDir, 'diemthu.sqlite')), false, 'nothing imported, no database made');
  assert.equal(value.customerCount, 5);
  assert.equal(value.billCount, 5);
  const day = compactDate(new Date(before));
  assert.deepEqual(value.files.map((f) => [f.unitCode, f.path]), [['PC12AA', join(out, `THONGBAO_PC12AA_${day}.csv`)], ['PC12BB', join(out, `THONGBAO_PC12BB_${day}.csv`)]]);
  const [aa, bb] = value.files;
  assert.deepEqual(aa!.messages, { XNTT: 0, TBTD: 2, NHACNO: 1, TBCD: 1 });
  assert.deepEqual(aa!.skipped, { empty: 1, invalid: 0, foreign: 0, landline: 3, not_mobile: 0, opted_out: 0, bad_data: 0 });
  assert.equal(aa!.segments, 4);
  assert.deepEqual(bb!.messages, { XNTT: 0, TBTD: 0, NHACNO: 0, TBCD: 1 });

  const rows = parse(fs.readFileSync(aa!.path, 'utf8').slice(1), { columns: true }) as Record<string, string>[];
  assert.deepEqual(rows.map((x) => [x.MA_TIN, x.SO_DTHOAI]), [
    [`PC12AA0000001-NHACNO-${day}`, '84905123456'],
    ['PC12AA0000001-TBTD-202610K1', '84905123456'],
    [`PC12AA0000002-TBCD-${day}`, '84381234567'],
    ['PC12AA0000002-TBTD-202610K1', '84381234567'],
  ]);
  assert.match(rows[0]!.NOI_DUNG!, /108\.000 dong tien dien thang 9\/2026, qua han ngay 15\/10\/2020/);
  assert.match(rows[1]!.NOI_DUNG!, /thang 9-10\/2026 cua ma KH PC12AA0000001: 216\.000 dong \(300 kWh\), han thanh toan 15\/10\/2020/);
  const window = sendWindow(new Date(before));
  assert.equal(rows[0]!.GUI_TU, window.guiTu);

  // --types keeps only those; the text summary says the same figures.
  const cut = await cli(['sms', 'notices', file, '--out', join(root, 'cut'), '--types', 'TBCD', '--data-dir', dataDir]);
  assert.equal(cut.code, 0, cut.err);
  assert.match(cut.out, /THONGBAO_PC12AA_\d{8}\.csv: TBTD 0, NHACNO 0, TBCD 1; 1 bản tin; bỏ qua: số cố định 1/);
  assert.equal((await cli(['sms', 'notices', file, '--out', out, '--types', 'TBTD,XNTT'])).code, 2);
});

test('sms notices refuses what the import refuses (a customer whose rows disagree, a bill listed twice, a bad row) and writes nothing', async () => {
  const root = tempDir();
  const cases: [string, string[], RegExp][] = [
    ['phone differs on a later, not adjacent row', [SNAPSHOT[1]!, SNAPSHOT[3]!, SNAPSHOT[2]!.replace('0905123456', '0905999999')], /dòng 4, cột DTHOAI_SMS, giá trị "0905999999": khác với dòng 2 của cùng khách hàng PC12AA0000001/],
    ['name differs', [SNAPSHOT[1]!, SNAPSHOT[2]!.replace('Khách 01', 'Khách khác')], /dòng 3, cột TEN_KHANG.*khác với dòng 2/],
    ['a bill twice', [SNAPSHOT[1]!, SNAPSHOT[3]!.replace(',B1,', ',A1,')], /dòng 3, cột ID_HDON, giá trị "A1": trùng ID_HDON/],
    ['a bad amount', [SNAPSHOT[1]!.replace(',108000,', ',abc,')], /dòng 2, cột TONG_TIEN/],
  ];
  for (const [name, rows, message] of cases) {
    const file = join(root, `${name}.csv`);
    fs.writeFileSync(file, [HEADER, ...rows].join('\r\n') + '\r\n');
    const out = join(root, name);
    const r = await cli(['sms', 'notices', file, '--out', out]);
    assert.equal(r.code, 2, name);
    assert.match(r.err, /\[SNAPSHOT_INVALID\]/, name);
    assert.match(r.err, message, name);
    assert.equal(fs.existsSync(out), false, name);
  }
  const empty = join(root, 'empty.csv');
  fs.writeFileSync(empty, HEADER + '\r\n');
  assert.match((await cli(['sms', 'notices', empty, '--out', join(root, 'e')])).err, /\[SNAPSHOT_NO_ROWS\]/);
});

test('sms opt-out and sms profile: a supervisor sets them, a bad profile is refused before anything is stored', async () => {
  const root = tempDir();
  const dataDir = join(root, 'data');
  const run = async (args: string[], pin?: string) => {
    const io = captureIo(pin === undefined ? {} : { DIEMTHU_PIN: pin });
    const code = await main([...args, '--data-dir', dataDir, '--json'], io);
    return { code, value: code === 0 ? (JSON.parse(io.out()) as { value: Record<string, unknown> }).value : null, err: io.err() };
  };
  assert.equal((await run(['init', '--point', 'DT0001', '--unit', 'PC12AA'])).code, 0);
  assert.equal((await run(['user', 'add', 'GS01', '--name', 'Giám sát', '--role', 'supervisor'], '987654')).code, 0);
  const list = join(root, 'tu-choi.txt');
  fs.writeFileSync(list, '# từ chối nhận tin\n0905 123 456\n+84 168 123 4567, gọi điện từ chối\n024 3825 1234\n');
  assert.equal((await run(['sms', 'opt-out', list, '--supervisor', 'GS01'], '000000')).code, 2, 'a wrong PIN sets nothing');
  const set = await run(['sms', 'opt-out', list, '--supervisor', 'GS01'], '987654');
  assert.equal(set.code, 0, set.err);
  assert.equal(set.value!.numbers, 2);
  assert.deepEqual(set.value!.problems, [{ line: 4, value: '024 3825 1234', reason: 'landline' }]);

  const bad = join(root, 'bad.json');
  fs.writeFileSync(bad, JSON.stringify({ formatVersion: 1, templates: { XNTT: [{ id: 'X', text: 'Chao {ten_khang}' }], TBTD: [{ id: 'T', text: '{code}' }], NHACNO: [{ id: 'N', text: '{code}' }], TBCD: [{ id: 'C', text: '{code}' }] } }));
  const refused = await run(['sms', 'profile', bad, '--supervisor', 'GS01'], '987654');
  assert.equal(refused.code, 2);
  assert.match(refused.err, /\[SMS_PROFILE_INVALID\].*dữ liệu cá nhân/);
  const ctx = openContext(dataDir);
  try {
    assert.deepEqual(getSetting(ctx.sqlite, 'sms_opt_out'), ['84381234567', '84905123456']);
    assert.equal(getSetting(ctx.sqlite, 'sms_profile'), null);
  } finally {
    ctx.close();
  }
});
