import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { libraryAnswer, mapOldPrefix, normalisePhone, OLD_MOBILE_PREFIXES, parseOptOutList } from '../../electron/sms/phone.ts';

/** The renumbering of 2018, as the issue lists it: old 4-digit prefix -> new 3-digit prefix. */
const RENUMBERED: [string, string][] = [
  ['0120', '070'], ['0121', '079'], ['0122', '077'], ['0126', '076'], ['0128', '078'],
  ['0123', '083'], ['0124', '084'], ['0125', '085'], ['0127', '081'], ['0129', '082'],
  ['0162', '032'], ['0163', '033'], ['0164', '034'], ['0165', '035'], ['0166', '036'], ['0167', '037'], ['0168', '038'], ['0169', '039'],
  ['0186', '056'], ['0188', '058'], ['0199', '059'],
];

/** Every written form of one national number (leading 0 included), as people and spreadsheets write it. */
function forms(national: string): string[] {
  const nsn = national.slice(1);
  const spaced = `${national.slice(0, 4)} ${national.slice(4, 7)} ${national.slice(7)}`;
  const dotted = `${national.slice(0, 4)}.${national.slice(4, 7)}.${national.slice(7)}`;
  return [national, `84${nsn}`, `+84${nsn}`, `0084${nsn}`, `+84 ${nsn.slice(0, 3)} ${nsn.slice(3)}`, spaced, dotted, ` ${national} `, `+84 (0)${nsn}`, nsn, `${national.slice(0, 4)}-${national.slice(4)}`];
}

test('the prefix table is exactly the renumbering of the issue', () => {
  assert.deepEqual(
    Object.entries(OLD_MOBILE_PREFIXES).map(([from, to]) => [`0${from}`, `0${to}`]).sort(),
    [...RENUMBERED].sort(),
  );
});

for (const [from, to] of RENUMBERED) {
  test(`old prefix ${from} -> ${to}, in every written form`, () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{7}$/), (rest) => {
        const expected = `84${to.slice(1)}${rest}`;
        for (const written of forms(`${from}${rest}`)) {
          assert.deepEqual(normalisePhone(written), { ok: true, msisdn: expected }, written);
        }
        // the number as it is dialled today gives the same
        assert.deepEqual(normalisePhone(`${to}${rest}`), { ok: true, msisdn: expected });
      }),
      { numRuns: 20 },
    );
  });
}

test("today's mobile prefixes in every form give 84 + 9 digits", () => {
  const prefixes = ['086', '096', '097', '098', '032', '039', '090', '093', '070', '079', '088', '091', '094', '083', '085', '092', '056', '058', '059', '087'];
  fc.assert(
    fc.property(fc.constantFrom(...prefixes), fc.stringMatching(/^\d{7}$/), (prefix, rest) => {
      for (const written of forms(`${prefix}${rest}`)) {
        assert.deepEqual(normalisePhone(written), { ok: true, msisdn: `84${prefix.slice(1)}${rest}` }, written);
      }
    }),
  );
});

test('only a 10-digit national number has an old prefix mapped', () => {
  assert.equal(mapOldPrefix('1621234567'), '321234567');
  assert.equal(mapOldPrefix('162123456'), '162123456');
  assert.equal(mapOldPrefix('16212345678'), '16212345678');
  assert.equal(mapOldPrefix('912345678'), '912345678');
});

test('landlines, service numbers, foreign, invalid and empty numbers are skipped with their reason', () => {
  const cases: [string | null, string][] = [
    [null, 'empty'], ['', 'empty'], ['   ', 'empty'], [' . - ', 'empty'],
    ['02838221234', 'landline'], ['028 3822 1234', 'landline'], ['+84 28 3822 1234', 'landline'], ['0262 3851 234', 'landline'], ['02363821234', 'landline'],
    ['1900123456', 'not_mobile'], ['1800 1234', 'not_mobile'],
    ['+1 650 253 0000', 'foreign'], ['0065 8123 4567', 'foreign'], ['+33612345678', 'foreign'],
    ['0912 345 67', 'invalid'], ['09123456789', 'invalid'], ['0501234567', 'invalid'], ['0891234567', 'invalid'], ['0521234567', 'invalid'], ['01621234', 'invalid'],
    ['0912345678 / 0987654321', 'invalid'], ['so 0912345678', 'invalid'], ['0912345678x', 'invalid'], ['+84', 'invalid'], ['0', 'invalid'], ['84', 'invalid'],
    ['0130 123 4567', 'invalid'], ['0161 123 4567', 'invalid'], ['0187 123 4567', 'invalid'],
  ];
  for (const [written, reason] of cases) assert.deepEqual(normalisePhone(written), { ok: false, reason }, String(written));
});

test('property: anything written gives either 84 + 9 digits or a reason, never throws', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.stringMatching(/^[+0-9 .()-]{0,16}$/)), (written) => {
      const result = normalisePhone(written);
      if (result.ok) assert.match(result.msisdn, /^84[35789]\d{8}$/);
      else assert.ok(['empty', 'invalid', 'foreign', 'landline', 'not_mobile'].includes(result.reason));
    }),
    { numRuns: 2000 },
  );
});

test('the opt-out list takes every written form and names the lines it cannot use', () => {
  const list = parseOptOutList('\uFEFF# so khong nhan tin\r\n0912 345 678\r\n+84 162 123 4567, khach yeu cau 12/2026\r\n\r\n02838221234\r\nabc\n0084987654321;x\n');
  assert.deepEqual([...list.numbers].sort(), ['84321234567', '84912345678', '84987654321']);
  assert.deepEqual(list.problems, [
    { line: 5, value: '02838221234', reason: 'landline' },
    { line: 6, value: 'abc', reason: 'invalid' },
  ]);
});

test('property: the prefix memo answers exactly as the library does, for numbers of every length and prefix', () => {
  fc.assert(
    fc.property(fc.stringMatching(/^[1-9]\d{5,10}$/), (digits) => {
      const nsn = mapOldPrefix(digits);
      assert.deepEqual(normalisePhone(`0${nsn}`), libraryAnswer(nsn), nsn);
    }),
    { numRuns: 20_000 },
  );
});

test('every prefix the memo keys on decides the type with the shipped metadata: three random tails per prefix and length agree', () => {
  let seed = 20261130;
  const digit = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) % 10).toString();
  const prefixes = [...Array.from({ length: 800 }, (_, i) => String(200 + i)), ...Array.from({ length: 1000 }, (_, i) => String(1000 + i))];
  for (const prefix of prefixes) {
    for (let length = 7; length <= 11; length += 1) {
      const answers = Array.from({ length: 3 }, () => {
        let nsn = prefix;
        while (nsn.length < length) nsn += digit();
        return libraryAnswer(nsn);
      });
      const kinds = answers.map((a) => (a.ok ? 'ok' : a.reason));
      assert.ok(kinds.every((k) => k === kinds[0]), `${prefix}… (${length} digits): ${kinds.join(', ')}`);
    }
  }
});
