import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isAppError } from '../../electron/core/errors.ts';
import { parseSmsProfile, PLACEHOLDERS, render, SMS_TYPES, TYPE_PLACEHOLDERS, worstLength, type SmsProfileJson } from '../../electron/sms/profile.ts';
import { DEFAULT_PROFILE_TEXT, defaultProfile } from './helpers.ts';

const base = (): SmsProfileJson => JSON.parse(DEFAULT_PROFILE_TEXT) as SmsProfileJson;

/** The problems a profile is refused with (it must be refused). */
function refusal(json: unknown): { code: string; problems: string[]; message: string } {
  try {
    parseSmsProfile(typeof json === 'string' ? json : JSON.stringify(json), 'p.json');
  } catch (error) {
    assert.ok(isAppError(error), String(error));
    const details = error.details as { problems?: string[] } | undefined;
    return { code: error.code, problems: details?.problems ?? [], message: error.message };
  }
  assert.fail('the profile was accepted');
}

test('the default profile loads: every type has templates, the last one always fits', () => {
  for (const type of SMS_TYPES) {
    const templates = defaultProfile[type];
    assert.ok(templates.length >= 2, `${type} has a shorter fallback`);
    const last = templates[templates.length - 1]!;
    assert.ok(worstLength(last) <= 160, `${type} ${last.id}: ${worstLength(last)}`);
    assert.ok(last.uses.every((p) => TYPE_PLACEHOLDERS[type].always.includes(p)));
  }
});

test('the last template of each type renders with the longest value of every placeholder in 160 characters', () => {
  const longest = Object.fromEntries(Object.entries(PLACEHOLDERS).map(([name, n]) => [name, '9'.repeat(n)]));
  for (const type of SMS_TYPES) {
    const always = Object.fromEntries(TYPE_PLACEHOLDERS[type].always.map((p) => [p, longest[p]]));
    const { text } = render(defaultProfile, type, always);
    assert.ok(text.length <= 160, `${type}: ${text.length}`);
  }
});

test('a template may be written with Vietnamese marks: they are folded at load', () => {
  const json = base();
  json.templates.XNTT.unshift({ id: 'CO_DAU', text: 'Điện lực đã nhận {amount} đồng của KH {code}. Số biên nhận {receipt}' });
  const profile = parseSmsProfile(JSON.stringify(json));
  const { templateId, text } = render(profile, 'XNTT', { amount: '10.000', code: 'PC12AA0000001', receipt: 'DT01-26-000001' });
  assert.equal(templateId, 'CO_DAU');
  assert.equal(text, 'Dien luc da nhan 10.000 dong cua KH PC12AA0000001. So bien nhan DT01-26-000001');
});

test('a name or address placeholder is refused as personal data', () => {
  for (const name of ['name', 'ten_khang', 'TEN_KHANG', 'dchi_khang', 'address', 'dia_chi', 'diachi']) {
    const json = base();
    json.templates.TBTD[0]!.text = `EVN: {${name}} no {amount}d`;
    const r = refusal(json);
    assert.equal(r.code, 'SMS_PROFILE_INVALID');
    assert.deepEqual(r.problems, [`mẫu TBTD_DAY_DU: {${name}} là dữ liệu cá nhân (tên, địa chỉ), không được gửi trong tin nhắn`], name);
  }
});

const GSM_HINT = 'không thuộc phần bảng GSM-7 được dùng (chữ không dấu, số, khoảng trắng và !"#%&\'()*+,-./:;<=>?)';

/** Profiles one edit away from the default, and every problem each is refused with. */
const REFUSED: { name: string; edit: (t: SmsProfileJson['templates']) => void; problems: string[] }[] = [
  {
    name: 'an unknown placeholder, or one the type does not have, is refused and the usable ones are named',
    edit: (t) => {
      t.TBCD[0]!.text = 'EVN: KH {code} {phone}';
      t.TBTD[1]!.text = 'EVN: KH {code} bien nhan {receipt}';
      t.NHACNO[0]!.text = 'EVN: KH {code} {} {Code}';
    },
    problems: [
      'mẫu TBTD_GON: không có chỗ điền {receipt} cho loại TBTD (dùng được: {amount}, {code}, {unit}, {period}, {kwh}, {due})',
      'mẫu NHACNO_DAY_DU: không có chỗ điền {} cho loại NHACNO (dùng được: {amount}, {code}, {unit}, {period}, {due})',
      'mẫu NHACNO_DAY_DU: không có chỗ điền {Code} cho loại NHACNO (dùng được: {amount}, {code}, {unit}, {period}, {due})',
      'mẫu TBCD_DAY_DU: không có chỗ điền {phone} cho loại TBCD (dùng được: {code}, {unit}, {amount}, {period})',
    ],
  },
  {
    name: 'characters outside the safe GSM-7 set are refused, extension characters included',
    edit: (t) => {
      t.XNTT[0]!.text = 'EVN: [KH {code}] {amount}€ ~ @evn_cskh $';
      t.TBTD[0]!.text = 'EVN: “Tien dien” – {amount}d\nKH {code}';
      t.NHACNO[0]!.text = 'EVN: {amount {code}}';
    },
    problems: [
      `mẫu XNTT_DAY_DU: ký tự "[" "]" "€" "~" "@" "_" "$" ${GSM_HINT}`,
      `mẫu TBTD_DAY_DU: ký tự "“" "”" "–" "\\n" ${GSM_HINT}`,
      `mẫu NHACNO_DAY_DU: ký tự "{" "}" ${GSM_HINT}`,
    ],
  },
  {
    name: 'a last template that could overflow, or that needs a value a message may lack, is refused',
    edit: (t) => {
      t.XNTT.splice(0, t.XNTT.length, { id: 'XNTT_KY', text: 'EVN: Da nhan {amount}d tien dien thang {period}, KH {code}. So BN {receipt}' });
      t.TBTD.push({ id: 'TBTD_DAI', text: `EVN: KH {code} tien dien {amount}d ${'x'.repeat(110)}` });
    },
    problems: [
      'mẫu cuối của loại XNTT (XNTT_KY) chỉ được dùng chỗ điền luôn có giá trị, không dùng {period}',
      'mẫu cuối của loại TBTD (TBTD_DAI) phải luôn vừa một tin nhắn: với giá trị dài nhất nó dài 168 ký tự (tối đa 160)',
    ],
  },
  {
    name: 'fixed text longer than one SMS, a formula start and a repeated id are refused',
    edit: (t) => {
      t.TBTD[0]!.text = `EVN ${'a'.repeat(160)} {code}`;
      t.TBCD[0]!.text = '=HYPERLINK("x") {code}';
      t.NHACNO[0]!.id = 'TBTD_GON';
    },
    problems: [
      'mẫu TBTD_DAY_DU: riêng phần chữ cố định đã dài 165 ký tự (tối đa 160)',
      'mã mẫu TBTD_GON dùng hai lần',
      'mẫu TBCD_DAY_DU: không được bắt đầu bằng = + - @ (bảng tính đọc đó là công thức)',
    ],
  },
];

for (const c of REFUSED) {
  test(c.name, () => {
    const json = base();
    c.edit(json.templates);
    const r = refusal(json);
    assert.equal(r.code, 'SMS_PROFILE_INVALID');
    assert.deepEqual(r.problems, c.problems);
    assert.equal(r.message, `Hồ sơ mẫu tin nhắn p.json không hợp lệ: ${c.problems.join('; ')}.`);
  });
}

test('a file that is not JSON, or not a profile, is refused with a Vietnamese sentence', () => {
  assert.equal(refusal('{"formatVersion": 1,').code, 'SMS_PROFILE_UNREADABLE');
  const wrong = [
    { formatVersion: 2, templates: base().templates },
    { formatVersion: 1, templates: { ...base().templates, TBCD: [] } },
    { formatVersion: 1, templates: { XNTT: base().templates.XNTT } },
    { ...base(), extra: true },
    { formatVersion: 1, templates: { ...base().templates, XNTT: [{ id: 'xntt thuong', text: 'EVN {code}' }] } },
    [],
  ];
  for (const json of wrong) {
    const r = refusal(json);
    assert.equal(r.code, 'SMS_PROFILE_INVALID', JSON.stringify(json).slice(0, 80));
    assert.match(r.message, /^Hồ sơ mẫu tin nhắn p\.json không hợp lệ: trường "/);
  }
});

test('render takes the first template whose values are there and that fits', () => {
  const values = { amount: '1.234.567', code: 'PC12AA0012345', unit: 'PC12AA', period: '11/2026' };
  assert.equal(render(defaultProfile, 'TBTD', { ...values, kwh: '456', due: '15/12/2026' }).templateId, 'TBTD_DAY_DU');
  assert.equal(render(defaultProfile, 'TBTD', { ...values, due: '15/12/2026' }).templateId, 'TBTD_KHONG_KWH');
  assert.equal(render(defaultProfile, 'TBTD', values).templateId, 'TBTD_NGAN');
  assert.equal(render(defaultProfile, 'TBTD', { ...values, amount: '9.007.199.254.740.991', kwh: '9.007.199.254.740.991', due: '15/12/2026' }).templateId, 'TBTD_GON');
});
