import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chosenIds, periods, step, toggle } from '../../src/selection.ts';
import { checkSelection } from '../../electron/core/collection-rules.ts';
import type { BillView } from '../../electron/ipc/contract.ts';

let id = 0;
const bill = (loaiHdon: BillView['loaiHdon'], thang: number, nam = 2026): BillView => {
  id += 1;
  return { id, idHdon: `HD${id}`, loaiHdon, ky: 1, thang, nam, dienTthu: null, soTien: 1000, tienGtgt: 80, tongTien: 1080, hanTtoan: null };
};
// Oldest first, as the card lists them: a TD and a VC of one period, a DC fee, then newer periods.
const bills = [bill('TD', 8), bill('VC', 8), bill('DC', 9), bill('TD', 9), bill('TD', 10)];

test('[#10] the choice is the oldest periods: a TD and VC of one period go together, the DC bill is always in', () => {
  assert.deepEqual(periods(bills).length, 3);
  assert.deepEqual(chosenIds(bills, 3), bills.map((b) => b.idHdon));
  assert.deepEqual(chosenIds(bills, 1), ['HD1', 'HD2', 'HD3']);
  assert.deepEqual(chosenIds(bills, 2), ['HD1', 'HD2', 'HD3', 'HD4']);
});

test('[#10] keys step one period and stay between one and all; a click never makes a gap', () => {
  assert.equal(step(bills, 3, 1), 3);
  assert.equal(step(bills, 1, -1), 1);
  assert.equal(step(bills, 3, -1), 2);
  assert.equal(toggle(bills, 3, bills[1]!), 1, 'unchoosing an August bill leaves out every newer period, August stays (one period at least)');
  assert.equal(toggle(bills, 3, bills[3]!), 1, 'unchoosing September leaves out October too');
  assert.equal(toggle(bills, 1, bills[4]!), 3, 'choosing October takes September');
  assert.equal(toggle(bills, 2, bills[2]!), 2, 'the DC box does nothing');
});

test('[#10] every choice the card can reach by keys and clicks is one the collection rules accept', () => {
  const seen = new Set<number>();
  for (let kept = 1; kept <= periods(bills).length; kept += 1) {
    for (const next of [step(bills, kept, -1), step(bills, kept, 1), ...bills.map((b) => toggle(bills, kept, b))]) seen.add(next);
  }
  assert.deepEqual([...seen].sort(), [1, 2, 3]);
  for (const kept of seen) assert.equal(checkSelection(bills, chosenIds(bills, kept)).ok, true, `kept ${kept}`);
});
