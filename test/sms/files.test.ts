import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { paymentConfirmations, SMS_COLUMNS, type SmsCustomer, type SmsOutcome, type SmsPayment } from '../../electron/sms/messages.ts';
import { noticeFileName, paymentFileName, smsFile } from '../../electron/sms/files.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { defaultProfile, notices, MADE_AT } from './helpers.ts';

const dir = tempDir();

const payments: SmsPayment[] = [3, 1, 2, 4, 5].map((seq) => ({
  receipt_no: `DT0001-26-00000${seq}`,
  ma_khang: `PC12AA000000${seq}`,
  ma_dviqly: 'PC12AA',
  total: 100_000 * seq,
  paid_at: `2026-11-27T0${seq}:00:00.000Z`,
  dthoai_sms: seq === 4 ? '02838221234' : seq === 5 ? null : `091234567${seq}`,
  voided: seq === 2,
  lines: [{ ky: 1, thang: 11, nam: 2026 }],
}));

const customers: SmsCustomer[] = ['PC12AA0000009', 'PC12AA0000001', 'PC12AA0000005'].map((ma_khang, i) => ({
  ma_dviqly: 'PC12AA',
  ma_khang,
  dthoai_sms: i === 2 ? '+84 (0) 86 000 0000' : `098765432${i}`,
  tthai_cat: i === 0 ? 1 : 0,
  bills: [{ ky: 1, thang: 10, nam: 2026, dien_tthu: 88, tong_tien: 200_000 + i, han_ttoan: '10/11/2026' }],
}));

/** The file as a spreadsheet or the gateway reads it: bytes written to disk, read back, parsed. */
function readBack(bytes: Uint8Array, name: string): { raw: Buffer; records: Record<string, string>[] } {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  const raw = readFileSync(path);
  return { raw, records: parse(raw, { bom: true, columns: true, record_delimiter: '\r\n' }) as Record<string, string>[] };
}

test('TINNHAN: UTF-8 with BOM, CRLF, the contract columns, rows in receipt order, read back as written', () => {
  const file = smsFile(paymentConfirmations(defaultProfile, payments, { madeAt: MADE_AT }));
  const { raw, records } = readBack(file.bytes, paymentFileName('DT0001', '20261127', 3));
  assert.deepEqual([...raw.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const text = raw.toString('utf8').slice(1);
  assert.equal(text.split('\r\n')[0], SMS_COLUMNS.join(','));
  assert.ok(text.endsWith('\r\n') && !/[^\r]\n/.test(text), 'every line ends in CRLF');
  assert.deepEqual(records.map((r) => r.MA_TIN), ['DT0001-26-000001-XNTT', 'DT0001-26-000003-XNTT']);
  assert.deepEqual(records, file.rows.map((r) => Object.fromEntries(SMS_COLUMNS.map((c) => [c, String(r[c])]))));
  assert.ok(text.includes(',EVN da nhan 100.000 dong tien dien thang 11/2026 cua ma KH PC12AA0000001 tai diem thu DT0001 luc 08:00 27/11/2026. So bien nhan DT0001-26-000001. Cam on!,153,1,'));
  assert.deepEqual(file.summary, {
    messages: { XNTT: 2, TBTD: 0, NHACNO: 0, TBCD: 0 },
    skipped: { empty: 1, invalid: 0, foreign: 0, landline: 1, not_mobile: 0, opted_out: 0, bad_data: 0 },
    segments: 2,
  });
});

test('THONGBAO: the same customers in any order give the same bytes; rows by customer, then type', () => {
  const make = (list: SmsCustomer[]) => smsFile(list.flatMap((c) => notices(c, { madeAt: MADE_AT })));
  const file = make(customers);
  assert.deepEqual(Buffer.from(make([...customers].reverse()).bytes), Buffer.from(file.bytes));
  const { raw, records } = readBack(file.bytes, noticeFileName('PC12AA', '20261127'));
  // a text with commas is quoted; no cell starts like a spreadsheet formula
  assert.ok(raw.toString('utf8').includes(',"EVN thong bao tien dien thang 10/2026 cua ma KH PC12AA0000001: 200.001 dong (88 kWh), han thanh toan 10/11/2026. Tran trong cam on Quy khach!",'));
  for (const r of records) for (const cell of Object.values(r)) assert.doesNotMatch(cell, /^[=+\-@]/);
  assert.deepEqual(records.map((r) => [r.MA_TIN, r.SO_DTHOAI]), [
    ['PC12AA0000001-NHACNO-20261127', '84987654321'],
    ['PC12AA0000001-TBTD-202610K1', '84987654321'],
    ['PC12AA0000005-NHACNO-20261127', '84860000000'],
    ['PC12AA0000005-TBTD-202610K1', '84860000000'],
    ['PC12AA0000009-NHACNO-20261127', '84987654320'],
    ['PC12AA0000009-TBCD-20261127', '84987654320'],
    ['PC12AA0000009-TBTD-202610K1', '84987654320'],
  ]);
  assert.deepEqual(file.summary.messages, { XNTT: 0, TBTD: 3, NHACNO: 3, TBCD: 1 });
  assert.equal(file.summary.segments, 7);
});

test('an empty set of messages is a header-only file; two messages with one MA_TIN are refused', () => {
  const empty = smsFile([]);
  assert.equal(Buffer.from(empty.bytes).toString('utf8'), `\uFEFF${SMS_COLUMNS.join(',')}\r\n`);
  const twice: SmsOutcome[] = [...notices(customers[1]!, { madeAt: MADE_AT }), ...notices(customers[1]!, { madeAt: MADE_AT })];
  assert.throws(() => smsFile(twice), /two messages with MA_TIN PC12AA0000001-NHACNO-20261127/);
});

test('file names follow the contract', () => {
  assert.equal(paymentFileName('DT0001', '20261127', 3), 'TINNHAN_DT0001_20261127_03.csv');
  assert.equal(noticeFileName('PC12AA', '20261127'), 'THONGBAO_PC12AA_20261127.csv');
});
