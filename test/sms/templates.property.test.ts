import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SegmentedMessage } from 'sms-segments-calculator';
import { formatReceiptNo } from '../../electron/core/receipt-number.ts';
import { fold } from '../../electron/core/fold.ts';
import { formatDate } from '../../electron/core/local-time.ts';
import { noticeBuilder, paymentConfirmation, type SmsCustomer, type SmsOutcome, type SmsPayment } from '../../electron/sms/messages.ts';
import { SMS_TYPES, type SmsProfile, type SmsType } from '../../electron/sms/profile.ts';
import { defaultProfile, notices } from './helpers.ts';

// Property (issue item 1): for any amount up to 10^12 đồng, any customer code, period and point code,
// every message type renders to exactly one GSM-7 SMS, counted by an independent segment counter
// (Twilio's sms-segments-calculator), and never carries the customer's name or address.

const code = fc.stringMatching(/^[A-Z0-9]{10,16}$/);
const unit = fc.stringMatching(/^[A-Z0-9]{4,10}$/);
const point = fc.stringMatching(/^[A-Z0-9]{2,20}$/);
const amount = fc.integer({ min: 0, max: 1_000_000_000_000 });
const period = fc.record({ ky: fc.integer({ min: 1, max: 3 }), thang: fc.integer({ min: 1, max: 12 }), nam: fc.integer({ min: 2000, max: 2099 }) });
const instant = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true });
const mobile = fc.tuple(fc.constantFrom('0162', '0199', '0120', '090', '086', '070', '059', '+84 98', '84 32'), fc.stringMatching(/^\d{7}$/)).map(([p, rest]) => `${p}${rest}`);
const personal = fc.record({
  ten_khang: fc.constantFrom('Nguyễn Văn An', 'Trần Thị Hạnh', "H'Hen Niê", 'Y Bhin Êban', 'Lê Đức Thắng', 'Phạm Thị Thu Trang'),
  dchi_khang: fc.constantFrom('Số 12 đường Lê Duẩn, phường Tân Lợi', 'Buôn Ko Tam, xã Ea Tu', 'Thôn 3, xã Hòa Thắng', "thị trấn M'Đrắk"),
});
const bill = fc.record({
  ky: fc.integer({ min: 1, max: 3 }),
  thang: fc.integer({ min: 1, max: 12 }),
  nam: fc.integer({ min: 2000, max: 2099 }),
  dien_tthu: fc.option(fc.integer({ min: 0, max: 1_000_000_000 })),
  tong_tien: fc.integer({ min: 1, max: 1_000_000_000_000 }),
  han_ttoan: fc.option(instant.map(formatDate)),
});

const payment = fc.record({
  point,
  year: fc.integer({ min: 2000, max: 2099 }),
  seq: fc.integer({ min: 1, max: 999_999 }),
  ma_khang: code,
  ma_dviqly: unit,
  total: amount,
  paid_at: instant.map((d) => d.toISOString()),
  dthoai_sms: mobile,
  periods: fc.array(fc.oneof(period, fc.constant({ ky: null, thang: null, nam: null })), { minLength: 0, maxLength: 24 }),
  personal,
}).map((p): SmsPayment & { ten_khang: string; dchi_khang: string } => ({
  receipt_no: formatReceiptNo({ pointCode: p.point, year: p.year, seq: p.seq }),
  ma_khang: p.ma_khang,
  ma_dviqly: p.ma_dviqly,
  total: p.total,
  paid_at: p.paid_at,
  dthoai_sms: p.dthoai_sms,
  voided: false,
  lines: p.periods,
  ...p.personal,
}));

const customer = fc.record({
  ma_khang: code,
  ma_dviqly: unit,
  dthoai_sms: mobile,
  tthai_cat: fc.constantFrom<0 | 1>(0, 1),
  bills: fc.array(bill, { minLength: 0, maxLength: 24 }),
}).chain((c) => personal.map((p): SmsCustomer & { ten_khang: string; dchi_khang: string } => ({ ...c, ...p })));

/** Every outcome is a message of one GSM-7 segment holding neither name nor address. */
function assertOneSms(outcomes: SmsOutcome[], who: { ten_khang: string; dchi_khang: string }, seen: Set<SmsType>): void {
  for (const o of outcomes) {
    assert.ok(o.ok, JSON.stringify(o));
    const text = o.row.NOI_DUNG;
    const sms = new SegmentedMessage(text);
    assert.equal(sms.encodingName, 'GSM-7', text);
    assert.equal(sms.segmentsCount, 1, text);
    assert.deepEqual(sms.getNonGsmCharacters(), []);
    assert.equal(o.row.SO_KY_TU, text.length);
    assert.equal(o.row.SO_BAN_TIN, 1);
    const folded = fold(text);
    for (const secret of [who.ten_khang, who.dchi_khang]) assert.ok(!folded.includes(fold(secret)), `${secret} in ${text}`);
    seen.add(o.row.LOAI_TIN);
  }
}

test('property: every message type renders to exactly one GSM-7 SMS, without name or address', () => {
  const seen = new Set<SmsType>();
  fc.assert(
    fc.property(payment, customer, instant, (p, c, madeAt) => {
      assertOneSms([paymentConfirmation(defaultProfile, p, { madeAt })!], p, seen);
      assertOneSms(notices(c, { madeAt }), c, seen);
    }),
    { numRuns: 1000 },
  );
  assert.deepEqual([...seen].sort(), [...SMS_TYPES].sort(), 'every type was produced');
});

test('property: the shortest template of each type alone takes every value', () => {
  const lastOnly: SmsProfile = {
    XNTT: defaultProfile.XNTT.slice(-1),
    TBTD: defaultProfile.TBTD.slice(-1),
    NHACNO: defaultProfile.NHACNO.slice(-1),
    TBCD: defaultProfile.TBCD.slice(-1),
  };
  const seen = new Set<SmsType>();
  fc.assert(
    fc.property(payment, customer, instant, (p, c, madeAt) => {
      assertOneSms([paymentConfirmation(lastOnly, p, { madeAt })!], p, seen);
      assertOneSms(noticeBuilder(lastOnly, { madeAt })(c), c, seen);
    }),
    { numRuns: 300 },
  );
  // the extremes the load check assumes: longest amount, code, point and receipt number
  const extreme: SmsPayment & { ten_khang: string; dchi_khang: string } = {
    receipt_no: formatReceiptNo({ pointCode: 'W'.repeat(20), year: 2099, seq: 999_999 }),
    ma_khang: 'W'.repeat(16),
    ma_dviqly: 'W'.repeat(10),
    total: Number.MAX_SAFE_INTEGER,
    paid_at: '2099-12-31T16:59:00.000Z',
    dthoai_sms: '0912345678',
    voided: false,
    lines: [{ ky: 3, thang: 12, nam: 2098 }, { ky: 3, thang: 10, nam: 2099 }, { ky: 3, thang: 12, nam: 2099 }],
    ten_khang: 'Nguyễn Văn An',
    dchi_khang: 'Thôn 1',
  };
  assertOneSms([paymentConfirmation(lastOnly, extreme, { madeAt: new Date() })!], extreme, seen);
});
