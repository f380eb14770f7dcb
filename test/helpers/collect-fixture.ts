import { join } from 'node:path';
import { openContext, type Ctx } from '../../electron/store/context.ts';
import { sequentialIds, type Clock } from '../../electron/core/clock.ts';
import { initPoint } from '../../electron/store/point.ts';
import { addUser, type Role, type User } from '../../electron/users/users.ts';
import { openShift } from '../../electron/shifts/shifts.ts';
import { tempDir } from './temp-dir.ts';

/** Cheap scrypt for tests that only need users to exist (the PIN tests use the real cost). */
export const TEST_PIN_COST = { N: 2 ** 10, r: 8, p: 1 };

export interface PointWorld {
  ctx: Ctx;
  /** The moment the clock shows now; set it to move time. */
  now: { at: Date };
  /** Adds a user with PIN 111111, approved by `approvers` (none: the point's first user). */
  user(code: string, role: Role, approvers: User[]): User;
}

export interface CollectWorld extends PointWorld {
  /** The point's first supervisor: approved the cashier and the supervisor below. */
  head: User;
  cashier: User;
  /** Added by the head, like the cashier: the one who voids the cashier's payments. */
  supervisor: User;
}

/** An initialised point DT0001 with no user yet, cheap PIN hashes. The clock moves one second per reading from `start`. */
export function pointWorld(start = new Date('2026-11-27T02:00:00.000Z'), pointCode = 'DT0001'): PointWorld {
  const now = { at: start };
  const clock: Clock = () => {
    const at = now.at;
    now.at = new Date(at.getTime() + 1000);
    return at;
  };
  const ctx = openContext(join(tempDir(), 'data'), { clock, newId: sequentialIds('key'), pinCost: TEST_PIN_COST });
  initPoint(ctx, { pointCode, unitCode: 'PC12AA', pointName: 'Điểm thu số 1' });
  const user = (code: string, role: Role, approvers: User[]) =>
    addUser(ctx, { code, name: `Người dùng ${code}`, role, pin: '111111', approvedBy: approvers.map((a) => a.id) });
  return { ctx, now, user };
}

/**
 * A point as it normally runs: a head supervisor GS00 (PIN 246800) who added a cashier TN01 (PIN
 * 123456, open shift with a 500.000 ₫ float) and a deputy supervisor GS01 (PIN 987654).
 */
export function collectWorld(start?: Date, pointCode?: string): CollectWorld {
  const w = pointWorld(start, pointCode);
  const add = (code: string, name: string, role: Role, pin: string, approvers: User[]) =>
    addUser(w.ctx, { code, name, role, pin, approvedBy: approvers.map((a) => a.id) });
  const head = add('GS00', 'Hoàng Văn Trưởng', 'supervisor', '246800', []);
  const cashier = add('TN01', 'Nguyễn Thị Thu', 'cashier', '123456', [head]);
  const supervisor = add('GS01', 'Trần Văn Giám', 'supervisor', '987654', [head]);
  openShift(w.ctx, { cashierId: cashier.id, openingFloat: 500_000 });
  return { ...w, head, cashier, supervisor };
}

/** Row count of a table, for "nothing new was written" checks. */
export function count(ctx: Ctx, table: string, where = '1 = 1'): number {
  return (ctx.sqlite.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`).get() as { n: number }).n;
}

/** For assert.throws: the error is an AppError with this code. */
export function refusedWith(code: string): (error: unknown) => boolean {
  return (error: unknown) => (error as { code?: string }).code === code;
}
