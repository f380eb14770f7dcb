import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectPayment } from '../../electron/payments/collect.ts';
import { exportClearing } from '../../electron/cmis/write-clearing.ts';
import { importResult } from '../../electron/cmis/import-result.ts';
import { refundLines } from '../../electron/payments/refunds.ts';
import { closeShift, openShift } from '../../electron/shifts/shifts.ts';
import { setSettings } from '../../electron/store/settings.ts';
import { collectWorld } from './collect-fixture.ts';
import { seedSnapshot } from './seed.ts';
import { tempDir } from './temp-dir.ts';

export const AN = { maKhang: 'PC12AA0000001', tenKhang: 'Lê Văn An', dchiKhang: '12 Lý Thường Kiệt' };
export const BINH = { maKhang: 'PC12AA0000002', tenKhang: 'Trần Thị Bình', dchiKhang: '3 Hùng Vương' };
export const R1 = 'DT0001-26-000001';
export const R2 = 'DT0001-26-000002';

/** A point whose first batch went out (An: HD-A10 108.000 + HD-A11 97.200; Bình: HD-B11 54.000); `result` writes CMIS's answer file. */
export function sentDay() {
  const w = collectWorld();
  seedSnapshot(w.ctx, [
    { ...AN, bills: [{ idHdon: 'HD-A10', thang: 10, nam: 2026, soTien: 100_000, tienGtgt: 8_000 }, { idHdon: 'HD-A11', thang: 11, nam: 2026, soTien: 90_000, tienGtgt: 7_200 }] },
    { ...BINH, bills: [{ idHdon: 'HD-B11', thang: 11, nam: 2026, soTien: 50_000, tienGtgt: 4_000 }] },
  ]);
  collectPayment(w.ctx, { customer: AN.maKhang, cashierId: w.cashier.id, idempotencyKey: 'k-1' });
  collectPayment(w.ctx, { customer: BINH.maKhang, cashierId: w.cashier.id, idempotencyKey: 'k-2' });
  const dir = tempDir();
  const first = exportClearing(w.ctx, { outDir: join(dir, 'usb1') });
  assert.equal(first.code, 'EXPORTED');
  const result = (name: string, lines: string[]) => {
    const folder = join(dir, `kq-${name}-${lines.length}`);
    mkdirSync(folder, { recursive: true });
    const path = join(folder, name);
    writeFileSync(path, ['SO_BIENNHAN,ID_HDON,KET_QUA,GHI_CHU', ...lines].join('\r\n') + '\r\n');
    return path;
  };
  return { ...w, dir, result };
}

/** sentDay, and CMIS answered its batch. */
export function answered(answers: string[]) {
  const w = sentDay();
  importResult(w.ctx, w.result('KQGACHNO_DT0001_20261127_01.csv', answers));
  return w;
}


export const CUONG = { maKhang: 'PC12AA0000003', tenKhang: 'Phạm Văn Cường', dchiKhang: '5 Trần Phú' };
/** 100.000 + 50.000 + 2 x 20.000 + 5.000: the day's 195.000 */
export const EXACT = [{ value: 100_000, count: 1 }, { value: 50_000, count: 1 }, { value: 20_000, count: 2 }, { value: 5_000, count: 1 }];

/**
 * A day at the point: TN01 took R1 (205.200) and R2 (54.000) and paid back HD-A11 (97.200, CMIS had
 * it paid at the bank); TN02 took Cường's 33.000. TN02's shift is still open unless `close`. With
 * `rounded`, Cường handed over 40.500 with change rounded down to 1.000 ₫: 7.000 back, 500 kept in TN02's drawer.
 */
export function closedDay(close = true, rounded = false) {
  const w = answered([`${R1},HD-A10,OK,`, `${R1},HD-A11,DA_GACH,Đã thu qua ngân hàng`, `${R2},HD-B11,OK,`]);
  refundLines(w.ctx, { receiptNo: R1, bills: ['HD-A11'], reason: 'Khách đã trả ở ngân hàng', supervisorId: w.supervisor.id, cashierId: w.cashier.id });
  const tn02 = w.user('TN02', 'cashier', [w.head]);
  seedSnapshot(w.ctx, [
    { ...AN, bills: [{ idHdon: 'HD-A10', thang: 10, nam: 2026, soTien: 100_000, tienGtgt: 8_000 }, { idHdon: 'HD-A11', thang: 11, nam: 2026, soTien: 90_000, tienGtgt: 7_200 }] },
    { ...BINH, bills: [{ idHdon: 'HD-B11', thang: 11, nam: 2026, soTien: 50_000, tienGtgt: 4_000 }] },
    { ...CUONG, bills: [{ idHdon: 'HD-C11', thang: 11, nam: 2026, soTien: 30_000, tienGtgt: 3_000 }] },
  ]);
  openShift(w.ctx, { cashierId: tn02.id, openingFloat: 200_000 });
  if (rounded) setSettings(w.ctx.sqlite, { change_rounding: 1000 }, w.head.id, w.ctx.clock());
  collectPayment(w.ctx, { customer: CUONG.maKhang, cashierId: tn02.id, idempotencyKey: 'k-3', ...(rounded ? { tendered: 40_500 } : {}) });
  closeShift(w.ctx, { cashierId: w.cashier.id, countedCash: 500_000 + 259_200 - 97_200 });
  if (close) closeShift(w.ctx, { cashierId: tn02.id, countedCash: rounded ? 233_500 : 233_000 });
  return { ...w, tn02 };
}

