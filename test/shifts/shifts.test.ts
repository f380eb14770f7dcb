import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeShift, currentShift, forceCloseShift, openShift } from '../../electron/shifts/shifts.ts';
import { collectPayment } from '../../electron/payments/collect.ts';
import { voidPayment } from '../../electron/payments/voids.ts';
import { setSettings } from '../../electron/store/settings.ts';
import { seedSnapshot } from '../helpers/seed.ts';
import { collectWorld, count, refusedWith } from '../helpers/collect-fixture.ts';

function worldWithPayments() {
  const w = collectWorld();
  seedSnapshot(w.ctx, [
    {
      maKhang: 'PC12AA0000001',
      tenKhang: 'An',
      dchiKhang: 'Huế',
      bills: [
        { idHdon: 'A', thang: 9, nam: 2026, soTien: 100_000, tienGtgt: 10_000 },
        { idHdon: 'B', thang: 10, nam: 2026, soTien: 200_000, tienGtgt: 20_000 },
        { idHdon: 'C', thang: 11, nam: 2026, soTien: 300_000, tienGtgt: 30_000 },
      ],
    },
  ]);
  for (const id of ['A', 'B', 'C']) collectPayment(w.ctx, { customer: 'PC12AA0000001', billIds: [id], cashierId: w.cashier.id, idempotencyKey: id });
  voidPayment(w.ctx, { receiptNo: 'DT0001-26-000002', reason: 'nhầm', supervisorId: w.supervisor.id });
  return w;
}

test('one open shift per cashier', () => {
  const w = collectWorld();
  assert.throws(() => openShift(w.ctx, { cashierId: w.cashier.id, openingFloat: 0 }), refusedWith('SHIFT_ALREADY_OPEN'));
  assert.throws(() => openShift(w.ctx, { cashierId: w.supervisor.id, openingFloat: -1 }), refusedWith('FLOAT_INVALID'));
  assert.throws(() => openShift(w.ctx, { cashierId: w.supervisor.id, openingFloat: 1.5 }), refusedWith('FLOAT_INVALID'));
  assert.equal(currentShift(w.ctx, w.cashier.id)?.openingFloat, 500_000);
  assert.equal(count(w.ctx, 'journal', "kind = 'shift_open'"), 1);
  w.ctx.close();
});

test('a blind close takes the count, then computes float + valid collections and the variance', () => {
  const w = worldWithPayments();
  const closed = closeShift(w.ctx, { cashierId: w.cashier.id, countedCash: 930_000 });
  const expected = 500_000 + 110_000 + 330_000; // the voided 220.000 ₫ is not in the drawer
  assert.deepEqual(
    { collected: closed.collected, expected: closed.expectedCash, counted: closed.countedCash, variance: closed.variance, forced: closed.forced },
    { collected: 440_000, expected, counted: 930_000, variance: -10_000, forced: false },
  );
  const row = w.ctx.sqlite.prepare('SELECT counted_cash, expected_cash, variance, closed_by, force_closed FROM shifts WHERE id = ?').get(closed.shiftId);
  assert.deepEqual(row, { counted_cash: 930_000, expected_cash: expected, variance: -10_000, closed_by: w.cashier.id, force_closed: 0 });
  assert.equal(currentShift(w.ctx, w.cashier.id), undefined);
  assert.throws(() => closeShift(w.ctx, { cashierId: w.cashier.id, countedCash: 0 }), refusedWith('SHIFT_NOT_OPEN'));
  assert.equal(count(w.ctx, 'journal', "kind = 'shift_close'"), 1);
  // A new shift can be opened after the close.
  assert.equal(openShift(w.ctx, { cashierId: w.cashier.id, openingFloat: 0 }).openingFloat, 0);
  w.ctx.close();
});

test('a supervisor force-closes a forgotten shift, with or without a count', () => {
  const w = worldWithPayments();
  const shift = currentShift(w.ctx, w.cashier.id)!;
  assert.throws(() => forceCloseShift(w.ctx, { shiftId: shift.id, supervisorId: w.cashier.id }), refusedWith('SUPERVISOR_REQUIRED'));
  const closed = forceCloseShift(w.ctx, { shiftId: shift.id, supervisorId: w.supervisor.id });
  assert.deepEqual([closed.forced, closed.countedCash, closed.variance, closed.expectedCash], [true, null, null, 940_000]);
  const row = w.ctx.sqlite.prepare('SELECT closed_by, force_closed FROM shifts WHERE id = ?').get(shift.id);
  assert.deepEqual(row, { closed_by: w.supervisor.id, force_closed: 1 });
  assert.throws(() => forceCloseShift(w.ctx, { shiftId: shift.id, supervisorId: w.supervisor.id }), refusedWith('SHIFT_ALREADY_CLOSED'));
  assert.throws(() => forceCloseShift(w.ctx, { shiftId: 999, supervisorId: w.supervisor.id }), refusedWith('SHIFT_NOT_FOUND'));

  const second = openShift(w.ctx, { cashierId: w.cashier.id, openingFloat: 100_000 });
  const counted = forceCloseShift(w.ctx, { shiftId: second.id, supervisorId: w.supervisor.id, countedCash: 100_500 });
  assert.equal(counted.variance, 500);
  w.ctx.close();
});

test('[#11] a float, a count or a reconnection fee past its bound is refused, so a shift\'s expected cash stays exact', () => {
  const w = collectWorld();
  assert.throws(() => openShift(w.ctx, { cashierId: w.supervisor.id, openingFloat: 100_000_000_000_001 }), refusedWith('FLOAT_INVALID'));
  assert.throws(() => openShift(w.ctx, { cashierId: w.supervisor.id, openingFloat: 9_007_199_254_740_000 }), refusedWith('FLOAT_INVALID'));
  assert.throws(() => closeShift(w.ctx, { cashierId: w.cashier.id, countedCash: 9_007_199_254_740_000 }), refusedWith('COUNT_INVALID'));
  assert.equal(currentShift(w.ctx, w.cashier.id)?.closedAt ?? null, null, 'the shift is still open');
  assert.throws(() => setSettings(w.ctx.sqlite, { reconnection_fee: 100_000_000_001 }, w.supervisor.id, w.ctx.clock()), refusedWith('SETTING_INVALID'));
  setSettings(w.ctx.sqlite, { reconnection_fee: 100_000_000_000 }, w.supervisor.id, w.ctx.clock());
  w.ctx.close();
});
