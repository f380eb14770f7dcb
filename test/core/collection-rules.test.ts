import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkSelection, comparePeriod, reconnectionDecision, type PeriodBill } from '../../electron/core/collection-rules.ts';

const bill = (idHdon: string, nam: number, thang: number, ky = 1, loaiHdon: PeriodBill['loaiHdon'] = 'TD'): PeriodBill => ({ idHdon, loaiHdon, nam, thang, ky });

/** Period bills with pairwise different periods, in random order. */
const distinctPeriodBills = fc
  .uniqueArray(fc.record({ nam: fc.integer({ min: 2020, max: 2027 }), thang: fc.integer({ min: 1, max: 12 }), ky: fc.integer({ min: 1, max: 3 }) }), {
    minLength: 1,
    maxLength: 8,
    selector: (p) => `${p.nam}-${p.thang}-${p.ky}`,
  })
  .map((periods) => periods.map((p, i) => bill(`B${i}`, p.nam, p.thang, p.ky, i % 3 === 0 ? 'VC' : 'TD')));

test('property: the accepted selections are exactly the oldest-k prefixes', () => {
  fc.assert(
    fc.property(distinctPeriodBills, fc.func(fc.boolean()), (bills, pick) => {
      const chosen = bills.filter((b) => pick(b.idHdon)).map((b) => b.idHdon);
      const oldestFirst = [...bills].sort(comparePeriod).map((b) => b.idHdon);
      const isPrefix = chosen.length > 0 && oldestFirst.slice(0, chosen.length).every((id) => chosen.includes(id));
      const check = checkSelection(bills, chosen);
      assert.equal(check.ok, isPrefix);
      if (check.ok) {
        assert.deepEqual(check.bills.map((b) => b.idHdon), oldestFirst.slice(0, chosen.length));
        assert.equal(check.settlesAll, chosen.length === bills.length);
      }
    }),
  );
});

test('property: DC bills never change whether a set of period bills is accepted', () => {
  fc.assert(
    fc.property(distinctPeriodBills, fc.func(fc.boolean()), fc.integer({ min: 0, max: 3 }), fc.func(fc.boolean()), (bills, pick, dcCount, pickDc) => {
      const fees = Array.from({ length: dcCount }, (_, i) => bill(`DC${i}`, 2020 + i, 1, 1, 'DC'));
      const chosenPeriod = bills.filter((b) => pick(b.idHdon)).map((b) => b.idHdon);
      const chosenFees = fees.filter((b) => pickDc(b.idHdon)).map((b) => b.idHdon);
      const without = checkSelection(bills, chosenPeriod);
      const withFees = checkSelection([...bills, ...fees], [...chosenPeriod, ...chosenFees]);
      const expected = chosenPeriod.length === 0 ? chosenFees.length > 0 : without.ok;
      assert.equal(withFees.ok, expected);
    }),
  );
});

test('bills of the same period may be paid one without the other', () => {
  const bills = [bill('TD10', 2026, 10), bill('VC10', 2026, 10, 1, 'VC'), bill('TD11', 2026, 11)];
  assert.equal(checkSelection(bills, ['VC10']).ok, true);
  assert.deepEqual(checkSelection(bills, ['VC10', 'TD11']), { ok: false, problem: { code: 'BILL_ORDER', idHdon: 'TD11', olderUnpaid: 'TD10' } });
});

test('period order is year, then month, then round: December before the next January', () => {
  const bills = [bill('JAN', 2027, 1), bill('DEC-2', 2026, 12, 2), bill('DEC-1', 2026, 12, 1)];
  assert.deepEqual(checkSelection(bills, ['JAN']), { ok: false, problem: { code: 'BILL_ORDER', idHdon: 'JAN', olderUnpaid: 'DEC-1' } });
  const all = checkSelection(bills, undefined);
  assert.ok(all.ok);
  assert.deepEqual(all.bills.map((b) => b.idHdon), ['DEC-1', 'DEC-2', 'JAN']);
});

test('empty, duplicate and unknown selections are refused', () => {
  const bills = [bill('A', 2026, 1)];
  assert.deepEqual(checkSelection([], undefined), { ok: false, problem: { code: 'NOTHING_TO_COLLECT' } });
  assert.deepEqual(checkSelection(bills, []), { ok: false, problem: { code: 'NOTHING_TO_COLLECT' } });
  assert.deepEqual(checkSelection(bills, ['A', 'A']), { ok: false, problem: { code: 'BILL_DUPLICATE', idHdon: 'A' } });
  assert.deepEqual(checkSelection(bills, ['Z']), { ok: false, problem: { code: 'BILL_NOT_OUTSTANDING', idHdon: 'Z' } });
});

test('reconnection: only a cut-off customer settling everything; snapshot DC bill first, else settings fee', () => {
  const base = { cutOff: true, settlesAll: true, snapshotFee: false, settingsFee: 120_000 };
  assert.equal(reconnectionDecision({ ...base, cutOff: false }), null);
  assert.equal(reconnectionDecision({ ...base, settlesAll: false }), null);
  assert.deepEqual(reconnectionDecision(base), { feeSource: 'settings', feeLine: 120_000 });
  assert.deepEqual(reconnectionDecision({ ...base, snapshotFee: true }), { feeSource: 'snapshot', feeLine: null });
  assert.deepEqual(reconnectionDecision({ ...base, settingsFee: 0 }), { feeSource: 'settings', feeLine: null });
});
