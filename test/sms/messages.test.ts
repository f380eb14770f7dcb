import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  paymentConfirmation, paymentConfirmations, periodText, sendWindow, type SmsCustomer, type SmsOutcome, type SmsPayment, type SmsRow,
} from '../../electron/sms/messages.ts';
import { defaultProfile, notices, MADE_AT } from './helpers.ts';

const payment = (over: Partial<SmsPayment> = {}): SmsPayment => ({
  receipt_no: 'DT0001-26-000123',
  ma_khang: 'PC12AA0012345',
  ma_dviqly: 'PC12AA',
  total: 1_234_567,
  paid_at: '2026-11-27T07:05:00.000Z', // 14:05 local
  dthoai_sms: '0162 123 4567',
  voided: false,
  lines: [{ ky: 1, thang: 11, nam: 2026 }],
  ...over,
});

const customer = (over: Partial<SmsCustomer> = {}): SmsCustomer => ({
  ma_dviqly: 'PC12AA',
  ma_khang: 'PC12AA0012345',
  dthoai_sms: '0912345678',
  tthai_cat: 0,
  bills: [
    { ky: 1, thang: 10, nam: 2026, dien_tthu: 120, tong_tien: 300_000, han_ttoan: '20/11/2026' },
    { ky: 1, thang: 11, nam: 2026, dien_tthu: 336, tong_tien: 934_567, han_ttoan: '15/12/2026' },
  ],
  ...over,
});

const typeOf = (o: SmsOutcome) => (o.ok ? o.row.LOAI_TIN : o.type);
const rowOf = (o: SmsOutcome | null | undefined): SmsRow => {
  assert.ok(o?.ok, JSON.stringify(o));
  return o.row;
};

test('a payment gives its confirmation: MA_TIN from the receipt, the number in 84 form, one SMS', () => {
  const row = rowOf(paymentConfirmation(defaultProfile, payment(), { madeAt: MADE_AT }));
  assert.deepEqual(row, {
    MA_TIN: 'DT0001-26-000123-XNTT',
    LOAI_TIN: 'XNTT',
    MA_MAU: 'XNTT_DAY_DU',
    MA_DVIQLY: 'PC12AA',
    MA_KHANG: 'PC12AA0012345',
    SO_DTHOAI: '84321234567',
    NOI_DUNG: 'EVN da nhan 1.234.567 dong tien dien thang 11/2026 cua ma KH PC12AA0012345 tai diem thu DT0001 luc 14:05 27/11/2026. So bien nhan DT0001-26-000123. Cam on!',
    SO_KY_TU: 155,
    SO_BAN_TIN: 1,
    GUI_TU: '27/11/2026 14:00',
    HET_HAN: '30/11/2026 14:00',
  });
});

test('a voided payment never gets a confirmation, and is not counted as skipped either', () => {
  assert.equal(paymentConfirmation(defaultProfile, payment({ voided: true }), { madeAt: MADE_AT }), null);
  const outcomes = paymentConfirmations(defaultProfile, [payment({ voided: true }), payment({ receipt_no: 'DT0001-26-000124' })], { madeAt: MADE_AT });
  assert.deepEqual(outcomes.map((o) => o.ok && o.row.MA_TIN), ['DT0001-26-000124-XNTT']);
});

test('a reconnection fee alone (no period) uses a template without the period', () => {
  const row = rowOf(paymentConfirmation(defaultProfile, payment({ lines: [{ ky: null, thang: null, nam: null }], total: 324_000 }), { madeAt: MADE_AT }));
  assert.equal(row.MA_MAU, 'XNTT_NGAN');
  assert.equal(row.NOI_DUNG, 'EVN: Da nhan 324.000d tien dien cua ma KH PC12AA0012345. So bien nhan DT0001-26-000123');
});

test('skips: no number, landline, opted out, and a record that breaks its own rules', () => {
  const skip = (o: SmsOutcome | null) => (o !== null && !o.ok ? o.reason : 'sent');
  const options = { madeAt: MADE_AT, optOut: new Set(['84321234567']) };
  assert.equal(skip(paymentConfirmation(defaultProfile, payment({ dthoai_sms: null }), options)), 'empty');
  assert.equal(skip(paymentConfirmation(defaultProfile, payment({ dthoai_sms: '02838221234' }), options)), 'landline');
  assert.equal(skip(paymentConfirmation(defaultProfile, payment(), options)), 'opted_out');
  assert.equal(skip(paymentConfirmation(defaultProfile, payment({ dthoai_sms: '0321234567' }), options)), 'opted_out');
  assert.equal(skip(paymentConfirmation(defaultProfile, payment({ dthoai_sms: '0912345678' }), options)), 'sent');
  for (const bad of [{ ma_khang: 'pc12aa0012345' }, { ma_khang: 'PC12AA{0012345}' }, { ma_dviqly: 'PC12AA-X' }, { receipt_no: 'DT0001-26-123' }, { total: 12.5 }, { total: -1 },
    { paid_at: 'hom qua' }, { paid_at: '+010000-01-01T00:00:00.000Z' }, { lines: [{ ky: 1, thang: 13, nam: 2026 }] }, { ma_khang: 'A'.repeat(17) }]) {
    assert.equal(skip(paymentConfirmation(defaultProfile, payment({ ...bad, dthoai_sms: '0912345678' }), options)), 'bad_data', JSON.stringify(bad));
  }
});

test('GUI_TU moves to 07:00 outside 07:00-21:00 (Việt Nam time), HET_HAN is 72 hours later', () => {
  const at = (local: string) => sendWindow(new Date(`${local}+07:00`));
  assert.deepEqual(at('2026-11-27T06:59:59'), { guiTu: '27/11/2026 07:00', hetHan: '30/11/2026 07:00' });
  assert.deepEqual(at('2026-11-27T00:00:00'), { guiTu: '27/11/2026 07:00', hetHan: '30/11/2026 07:00' });
  assert.deepEqual(at('2026-11-27T07:00:00'), { guiTu: '27/11/2026 07:00', hetHan: '30/11/2026 07:00' });
  assert.deepEqual(at('2026-11-27T20:59:59'), { guiTu: '27/11/2026 20:59', hetHan: '30/11/2026 20:59' });
  assert.deepEqual(at('2026-11-27T21:00:00'), { guiTu: '28/11/2026 07:00', hetHan: '01/12/2026 07:00' });
  assert.deepEqual(at('2026-12-31T23:30:00'), { guiTu: '01/01/2027 07:00', hetHan: '04/01/2027 07:00' });
  // an export at 22:00 on 27/11 sends the day's confirmations from 07:00 the next morning
  const late = rowOf(paymentConfirmation(defaultProfile, payment(), { madeAt: new Date('2026-11-27T15:00:00.000Z') }));
  assert.deepEqual([late.GUI_TU, late.HET_HAN], ['28/11/2026 07:00', '01/12/2026 07:00']);
});

test('periods: one month, a later billing round, consecutive months, gaps, across years, at most 15 characters', () => {
  const p = (ky: number, thang: number, nam: number) => ({ ky, thang, nam });
  assert.equal(periodText([]), undefined);
  assert.equal(periodText([p(1, 11, 2026)]), '11/2026');
  assert.equal(periodText([p(2, 11, 2026)]), '11/2026 ky 2');
  assert.equal(periodText([p(1, 11, 2026), p(2, 11, 2026), p(3, 11, 2026)]), '11/2026');
  assert.equal(periodText([p(1, 11, 2026), p(1, 9, 2026), p(1, 10, 2026)]), '9-11/2026');
  assert.equal(periodText([p(1, 12, 2025), p(1, 1, 2026), p(1, 2, 2026)]), '12/2025-2/2026');
  assert.equal(periodText([p(1, 9, 2026), p(1, 11, 2026)]), '9,11/2026');
  assert.equal(periodText([p(1, 11, 2025), p(1, 2, 2026)]), '11/2025,2/2026');
  assert.equal(periodText([p(1, 1, 2026), p(1, 3, 2026), p(1, 5, 2026), p(1, 7, 2026), p(1, 9, 2026)]), '1,3,5,7,9/2026');
  assert.equal(periodText([p(1, 1, 2026), p(1, 3, 2026), p(1, 5, 2026), p(1, 7, 2026), p(1, 9, 2026), p(1, 11, 2026)]), '1-11/2026');
  assert.equal(periodText([p(1, 10, 2025), p(1, 12, 2025), p(1, 11, 2026)]), '10/2025-11/2026');
});

test('a customer with debt past its due date gets a bill notice and a reminder, a cut customer also a cut notice', () => {
  const outcomes = notices(customer({ tthai_cat: 1 }), { madeAt: MADE_AT });
  const rows = outcomes.map(rowOf);
  assert.deepEqual(rows.map((r) => [r.MA_TIN, r.MA_MAU, r.NOI_DUNG]), [
    ['PC12AA0012345-TBTD-202611K1', 'TBTD_DAY_DU', 'EVN thong bao tien dien thang 10-11/2026 cua ma KH PC12AA0012345: 1.234.567 dong (456 kWh), han thanh toan 20/11/2026. Tran trong cam on Quy khach!'],
    ['PC12AA0012345-NHACNO-20261127', 'NHACNO_DAY_DU', 'EVN nhac no: ma KH PC12AA0012345 con no 300.000 dong tien dien thang 10/2026, qua han ngay 20/11/2026. De nghi thanh toan som de tranh bi ngung cap dien.'],
    ['PC12AA0012345-TBCD-20261127', 'TBCD_DAY_DU', 'EVN: Ma KH PC12AA0012345 da bi ngung cap dien do no 1.234.567 dong tien dien thang 10-11/2026. Vui long thanh toan no va phi dong dien de duoc dong dien lai.'],
  ]);
  for (const r of rows) assert.deepEqual([r.SO_DTHOAI, r.SO_BAN_TIN, r.SO_KY_TU, r.GUI_TU], ['84912345678', 1, r.NOI_DUNG.length, '27/11/2026 14:00']);
});

test('a reminder only after the due date: the due day itself is not overdue', () => {
  const due = (han: string) => customer({ bills: [{ ky: 1, thang: 10, nam: 2026, dien_tthu: 100, tong_tien: 250_000, han_ttoan: han }] });
  const types = (c: SmsCustomer) => notices(c, { madeAt: MADE_AT }).map(typeOf);
  assert.deepEqual(types(due('27/11/2026')), ['TBTD']);
  assert.deepEqual(types(due('26/11/2026')), ['TBTD', 'NHACNO']);
  assert.deepEqual(types(due('1/12/2025')), ['TBTD', 'NHACNO']);
  // "today" is Việt Nam's: 27/11 17:30 UTC is already 28/11 00:30 there
  assert.deepEqual(notices(due('27/11/2026'), { madeAt: new Date('2026-11-27T17:30:00Z') }).map(typeOf), ['TBTD', 'NHACNO']);
  assert.deepEqual(types(customer({ bills: [] })), []);
  assert.deepEqual(types(customer({ bills: [], tthai_cat: 1 })), ['TBCD']);
});

test('a cut customer with nothing owed in the snapshot gets the cut notice without amount or period', () => {
  const [row] = notices(customer({ bills: [], tthai_cat: 1 }), { madeAt: MADE_AT }).map(rowOf);
  assert.equal(row?.MA_MAU, 'TBCD_NGAN');
  assert.equal(row?.NOI_DUNG, 'EVN: Ma KH PC12AA0012345 da bi ngung cap dien do no tien dien. Vui long thanh toan de duoc dong dien lai.');
});

test('without kWh or due date the bill notice falls back to a template that does not need them', () => {
  const bills = [{ ky: 2, thang: 11, nam: 2026, dien_tthu: null, tong_tien: 99_000, han_ttoan: null }];
  const [row] = notices(customer({ bills }), { madeAt: MADE_AT }).map(rowOf);
  assert.deepEqual([row?.MA_TIN, row?.MA_MAU, row?.NOI_DUNG], ['PC12AA0012345-TBTD-202611K2', 'TBTD_NGAN', 'EVN: Ma KH PC12AA0012345 can thanh toan 99.000d tien dien thang 11/2026 ky 2.']);
});

test('--types chooses the notices; a skipped customer counts one skip per notice it would have had', () => {
  const c = customer({ tthai_cat: 1 });
  assert.deepEqual(notices(c, { madeAt: MADE_AT, types: ['TBCD'] }).map(typeOf), ['TBCD']);
  const skipped = notices({ ...c, dthoai_sms: '0236 3821 234' }, { madeAt: MADE_AT, types: ['TBTD', 'TBCD'] });
  assert.deepEqual(skipped, [
    { ok: false, type: 'TBTD', maKhang: 'PC12AA0012345', reason: 'landline' },
    { ok: false, type: 'TBCD', maKhang: 'PC12AA0012345', reason: 'landline' },
  ]);
  const bad = notices(customer({ bills: [{ ky: 1, thang: 10, nam: 2026, dien_tthu: 1, tong_tien: 1, han_ttoan: '31/02/2026' }] }), { madeAt: MADE_AT });
  assert.deepEqual(bad.map((o) => !o.ok && o.reason), ['bad_data']);
  const huge = customer({ bills: [{ ky: 1, thang: 10, nam: 2026, dien_tthu: 1, tong_tien: Number.MAX_SAFE_INTEGER, han_ttoan: null }, { ky: 1, thang: 11, nam: 2026, dien_tthu: 1, tong_tien: 1, han_ttoan: null }] });
  assert.deepEqual(notices(huge, { madeAt: MADE_AT }).map((o) => !o.ok && o.reason), ['bad_data']);
});

test('made again the same day, or the next day, a customer gets the same bill notice id; reminders are one a day', () => {
  const ids = (madeAt: Date) => notices(customer(), { madeAt }).map((o) => rowOf(o).MA_TIN);
  assert.deepEqual(ids(MADE_AT), ids(new Date('2026-11-27T13:59:00Z')));
  assert.deepEqual(ids(new Date('2026-11-28T02:00:00Z')), ['PC12AA0012345-TBTD-202611K1', 'PC12AA0012345-NHACNO-20261128']);
});

test('the customer record may carry its name and address: they never reach the text', () => {
  const withPersonal = { ...customer({ tthai_cat: 1 }), ten_khang: 'Nguyễn Văn An', dchi_khang: 'Số 12 đường Lê Duẩn, phường Tân Lợi' };
  for (const o of notices(withPersonal, { madeAt: MADE_AT })) {
    const text = rowOf(o).NOI_DUNG.toLowerCase();
    for (const word of ['nguyen', 'van an', 'le duan', 'tan loi', 'so 12']) assert.ok(!text.includes(word), text);
  }
});
