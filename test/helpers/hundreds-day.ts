import { collectPayment } from '../../electron/payments/collect.ts';
import { closeShift } from '../../electron/shifts/shifts.ts';
import { setSettings } from '../../electron/store/settings.ts';
import { AN, BINH } from './answered-day.ts';
import { collectWorld } from './collect-fixture.ts';
import { seedSnapshot } from './seed.ts';

/**
 * A day whose cash ends in hundreds: TN01 took An's 172.853 (no change rounding then) and Bình's
 * 32.900 from 50.000 with change rounded down to 500 ₫ (17.000 back, 100 kept): 205.853 to hand over.
 */
export function hundredsDay() {
  const w = collectWorld();
  seedSnapshot(w.ctx, [
    { ...AN, bills: [{ idHdon: 'HD-A11', thang: 11, nam: 2026, soTien: 160_049, tienGtgt: 12_804 }] },
    { ...BINH, bills: [{ idHdon: 'HD-B11', thang: 11, nam: 2026, soTien: 30_463, tienGtgt: 2_437 }] },
  ]);
  collectPayment(w.ctx, { customer: AN.maKhang, cashierId: w.cashier.id, idempotencyKey: 'k-1' });
  setSettings(w.ctx.sqlite, { change_rounding: 500 }, w.head.id, w.ctx.clock());
  collectPayment(w.ctx, { customer: BINH.maKhang, cashierId: w.cashier.id, idempotencyKey: 'k-2', tendered: 50_000 });
  closeShift(w.ctx, { cashierId: w.cashier.id, countedCash: 500_000 + 205_853 });
  return w;
}

/** 200.000 + 5.000 + 500 + 200 + 153 loose: the day's 205.853 to the đồng */
export const TO_THE_DONG = { notes: [{ value: 200_000, count: 1 }, { value: 5_000, count: 1 }, { value: 500, count: 1 }, { value: 200, count: 1 }], looseChange: 153 };
