import { join } from 'node:path';
import { openContext, type Ctx } from '../../electron/context.ts';
import { sequentialIds, type Clock } from '../../electron/core/clock.ts';
import { initPoint } from '../../electron/point.ts';
import { addUser, type User } from '../../electron/users.ts';
import { openShift } from '../../electron/shifts.ts';
import { tempDir } from './temp-dir.ts';

/** Cheap scrypt for tests that only need users to exist (the PIN tests use the real cost). */
export const TEST_PIN_COST = { N: 2 ** 10, r: 8, p: 1 };

export interface CollectWorld {
  ctx: Ctx;
  cashier: User;
  supervisor: User;
  /** The moment the clock shows now; set it to move time. */
  now: { at: Date };
}

/**
 * An initialised point DT0001 with a cashier (PIN 1234, open shift with a 500.000 ₫ float) and a
 * supervisor (PIN 9876). The clock moves one second per reading from `start`.
 */
export function collectWorld(start = new Date('2026-11-27T02:00:00.000Z')): CollectWorld {
  const now = { at: start };
  const clock: Clock = () => {
    const at = now.at;
    now.at = new Date(at.getTime() + 1000);
    return at;
  };
  const ctx = openContext(join(tempDir(), 'data'), { clock, newId: sequentialIds('key') });
  initPoint(ctx, { pointCode: 'DT0001', unitCode: 'PC12AA', pointName: 'Điểm thu số 1' });
  const cashier = addUser(ctx, { code: 'TN01', name: 'Nguyễn Thị Thu', role: 'cashier', pin: '1234' }, TEST_PIN_COST);
  const supervisor = addUser(ctx, { code: 'GS01', name: 'Trần Văn Giám', role: 'supervisor', pin: '9876' }, TEST_PIN_COST);
  openShift(ctx, { cashierId: cashier.id, openingFloat: 500_000 });
  return { ctx, cashier, supervisor, now };
}

/** Row count of a table, for "nothing new was written" checks. */
export function count(ctx: Ctx, table: string, where = '1 = 1'): number {
  return (ctx.sqlite.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`).get() as { n: number }).n;
}

/** For assert.throws: the error is an AppError with this code. */
export function refusedWith(code: string): (error: unknown) => boolean {
  return (error: unknown) => (error as { code?: string }).code === code;
}
