import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collected, collecting, EMPTY_COUNTER, outcomeOfEarlier, paidNow, undone, visit } from '../../src/counter.ts';
import type { CollectView, CustomerView } from '../../electron/ipc/contract.ts';

const customer = (maKhang: string, tenKhang: string): CustomerView => ({
  id: Number(maKhang.slice(-3)),
  maKhang,
  tenKhang,
  dchiKhang: '',
  maSogcs: null,
  stt: null,
  soCto: null,
  cut: false,
  maThe: null,
  dthoaiSms: null,
  bills: [],
  officePaid: [],
  billsTotal: 100_000,
  reconnectionFee: 0,
  total: 100_000,
});
const A = customer('PC12AA0000001', 'Nguyễn Văn An');
const B = customer('PC12AA0000002', 'Trần Thị Hoa');
const receipt = (receiptNo: string): CollectView => ({ paymentId: 1, receiptNo, paidAt: '2026-11-27T03:00:00.000Z', total: 100_000, tendered: null, change: null, changeRounding: 0, reconnectionOrder: false });

test('[#21] an outcome for an earlier visit is announced beside the customer on screen, never over it', () => {
  let c = visit(EMPTY_COUNTER, 1, { customer: A }, false);
  c = collecting(c, 1);
  assert.equal(c.busy, true);
  c = visit(c, 2, { customer: B }, false); // B scanned while A's collect is in flight
  assert.equal(c.busy, false, "B's card is not busy with A's collect");
  assert.equal(collecting(c, 1), c, 'a collect of visit 1 does not touch visit 2');
  c = collected(c, { visit: 1, customer: A, result: receipt('DT01-26-000001') });
  assert.equal(c.customer, B);
  assert.equal(paidNow(c), false, 'B still has to pay');
  assert.equal(outcomeOfEarlier(c), true, 'the receipt names A');
  // B's own collect keeps A's banner until B's outcome replaces it.
  c = collecting(c, 2);
  assert.equal(c.collect?.customer.maKhang, A.maKhang);
  c = collected(c, { visit: 2, customer: B, error: { code: 'BILL_ALREADY_PAID', message: 'x' } });
  assert.deepEqual([c.busy, paidNow(c), outcomeOfEarlier(c)], [false, false, false], 'a refusal on its own visit: B can try again');
});

test('[#21] an outcome that arrives while the next scan is being looked up stays on screen with it', () => {
  let c = visit(EMPTY_COUNTER, 1, { customer: A }, false);
  c = collected(collecting(c, 1), { visit: 1, customer: A, result: receipt('DT01-26-000001') });
  assert.equal(paidNow(c), true);
  const kept = visit(c, 2, { customer: B }, true);
  assert.equal(kept.customer, B);
  assert.equal(outcomeOfEarlier(kept), true, 'A named: it had not been seen before B replaced the card');
  const read = visit(c, 2, { customer: B }, false);
  assert.equal(read.collect, null, 'an outcome already on screen when the next scan was made goes with that scan');
});

test('[#21] undoing an earlier receipt removes its banner and keeps the customer on screen', () => {
  let c = visit(EMPTY_COUNTER, 1, { customer: A }, false);
  c = collecting(c, 1);
  c = visit(c, 2, { customer: B }, false);
  c = collected(c, { visit: 1, customer: A, result: receipt('DT01-26-000001') });
  const after = undone(c, 'DT01-26-000001', 3);
  assert.equal(after.customer, B);
  assert.equal(after.collect, null);
  assert.equal(undone(c, 'DT01-26-000999', 3), c, 'another receipt: nothing changes');
  const own = undone(collected(visit(EMPTY_COUNTER, 5, { customer: A }, false), { visit: 5, customer: A, result: receipt('DT01-26-000002') }), 'DT01-26-000002', 6);
  assert.deepEqual(own, { ...EMPTY_COUNTER, visit: 6 }, 'its own visit: the counter is cleared, as before');
});
