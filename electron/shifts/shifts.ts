import type { Ctx } from '../store/context.ts';
import { query, selectFirst, selectOne } from '../store/typed-query.ts';
import { AppError, type ErrorCode } from '../core/errors.ts';
import { assertDong, formatDong, MAX_CASH_AMOUNT } from '../core/money.ts';
import { isoDay } from '../core/local-time.ts';
import { appendJournal } from '../store/journal.ts';
import { userById } from '../users/users.ts';

export interface Shift {
  id: number;
  cashierId: number;
  openedAt: string;
  openingFloat: number;
  closedAt: string | null;
}

export interface ShiftClose {
  shiftId: number;
  cashierId: number;
  openingFloat: number;
  collected: number; // valid payments of the shift
  rounded: number; // change roundings its valid payments kept in the drawer
  refunded: number; // refunds paid out of the shift's drawer
  expectedCash: number; // float + collected + rounded - refunded
  countedCash: number | null;
  variance: number | null; // counted - expected
  closedAt: string;
  forced: boolean;
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}

function checkAmount(value: number, code: ErrorCode, what: string): void {
  try {
    assertDong(value);
  } catch {
    throw new AppError(code, `${what} phải là số đồng nguyên, không âm.`);
  }
  if (value < 0) throw new AppError(code, `${what} phải là số đồng nguyên, không âm.`);
  if (value > MAX_CASH_AMOUNT) throw new AppError(code, `${what} không được quá ${formatDong(MAX_CASH_AMOUNT)}.`);
}

/** A day with its deposit slip is over: no shift opens or closes in it (migration 0009 says so too). */
function assertDayOpen(ctx: Ctx, at: Date): void {
  const day = isoDay(at);
  if (selectFirst(ctx.sqlite, query.selectFrom('deposits').select('id').where('day', '=', day)) !== undefined) {
    throw new AppError('DEPOSIT_DAY_CLOSED', `Ngày ${day} đã lập bảng kê nộp tiền: không mở hay đóng ca trong ngày này nữa. Hãy báo người giám sát.`);
  }
}

const shiftRows = query
  .selectFrom('shifts')
  .select(['id', 'cashier_id as cashierId', 'opened_at as openedAt', 'opening_float as openingFloat', 'closed_at as closedAt']);

export function currentShift(ctx: Ctx, cashierId: number): Shift | undefined {
  return selectFirst(ctx.sqlite, shiftRows.where('cashier_id', '=', cashierId).where('closed_at', 'is', null));
}

/** Opens the cashier's shift. One open shift per cashier: the partial unique index says so. */
export function openShift(ctx: Ctx, args: { cashierId: number; openingFloat: number }): Shift {
  checkAmount(args.openingFloat, 'FLOAT_INVALID', 'Tiền đầu ca');
  if (userById(ctx, args.cashierId) === undefined) throw new AppError('USER_NOT_FOUND', 'Không có người dùng này.');
  const at = ctx.clock();
  try {
    return ctx.sqlite
      .transaction(() => {
        assertDayOpen(ctx, at);
        const { id } = ctx.sqlite
          .prepare('INSERT INTO shifts (cashier_id, opened_at, opening_float) VALUES (?, ?, ?) RETURNING id')
          .get(args.cashierId, at.toISOString(), args.openingFloat) as { id: number };
        appendJournal(ctx.sqlite, { kind: 'shift_open', actorId: args.cashierId, payload: { shiftId: id, openingFloat: args.openingFloat }, at });
        return { id, cashierId: args.cashierId, openedAt: at.toISOString(), openingFloat: args.openingFloat, closedAt: null };
      })
      .immediate();
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('SHIFT_ALREADY_OPEN', 'Thu ngân này đang có một ca mở; hãy đóng ca đó trước.');
    throw error;
  }
}

/**
 * Blind close: the counted cash is the input; the expected amount is computed (float + valid
 * payments of the shift + the change roundings they kept - refunds paid out of its drawer) and shown
 * only in the result. The variance is recorded.
 */
export function closeShift(ctx: Ctx, args: { cashierId: number; countedCash: number }): ShiftClose {
  checkAmount(args.countedCash, 'COUNT_INVALID', 'Số tiền đếm được');
  return ctx.sqlite
    .transaction(() => {
      const shift = currentShift(ctx, args.cashierId);
      if (shift === undefined) throw new AppError('SHIFT_NOT_OPEN', 'Thu ngân này không có ca đang mở.');
      return close(ctx, shift, args.cashierId, args.countedCash, false);
    })
    .immediate();
}

/** A supervisor closes a forgotten shift, with or without a cash count. */
export function forceCloseShift(ctx: Ctx, args: { shiftId: number; supervisorId: number; countedCash?: number | null }): ShiftClose {
  const counted = args.countedCash ?? null;
  if (counted !== null) checkAmount(counted, 'COUNT_INVALID', 'Số tiền đếm được');
  const supervisor = userById(ctx, args.supervisorId);
  if (supervisor?.role !== 'supervisor') throw new AppError('SUPERVISOR_REQUIRED', 'Chỉ người giám sát được đóng ca thay thu ngân.');
  return ctx.sqlite
    .transaction(() => {
      const shift = selectFirst(ctx.sqlite, shiftRows.where('id', '=', args.shiftId));
      if (shift === undefined) throw new AppError('SHIFT_NOT_FOUND', `Không có ca số ${args.shiftId}.`);
      if (shift.closedAt !== null) throw new AppError('SHIFT_ALREADY_CLOSED', `Ca số ${args.shiftId} đã đóng.`);
      return close(ctx, shift, args.supervisorId, counted, true);
    })
    .immediate();
}

function close(ctx: Ctx, shift: Shift, closedBy: number, counted: number | null, forced: boolean): ShiftClose {
  const at = ctx.clock();
  assertDayOpen(ctx, at);
  const { collected, rounded } = selectOne(
    ctx.sqlite,
    query
      .selectFrom('payments')
      .where('shift_id', '=', shift.id)
      .where('voided_at', 'is', null)
      .select((eb) => [eb.fn.coalesce(eb.fn.sum<number>('total'), eb.lit(0)).as('collected'), eb.fn.coalesce(eb.fn.sum<number>('change_rounding'), eb.lit(0)).as('rounded')]),
  );
  const { refunded } = selectOne(
    ctx.sqlite,
    query
      .selectFrom('refunds as r')
      .innerJoin('refund_lines as x', 'x.refund_id', 'r.id')
      .where('r.shift_id', '=', shift.id)
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('x.amount'), eb.lit(0)).as('refunded')),
  );
  const expectedCash = shift.openingFloat + collected + rounded - refunded;
  const variance = counted === null ? null : counted - expectedCash;
  ctx.sqlite
    .prepare(
      `UPDATE shifts SET closed_at = ?, counted_cash = ?, expected_cash = ?, variance = ?, closed_by = ?, force_closed = ?
        WHERE id = ? AND closed_at IS NULL`,
    )
    .run(at.toISOString(), counted, expectedCash, variance, closedBy, forced ? 1 : 0, shift.id);
  const result: ShiftClose = {
    shiftId: shift.id,
    cashierId: shift.cashierId,
    openingFloat: shift.openingFloat,
    collected,
    rounded,
    refunded,
    expectedCash,
    countedCash: counted,
    variance,
    closedAt: at.toISOString(),
    forced,
  };
  appendJournal(ctx.sqlite, { kind: 'shift_close', actorId: closedBy, payload: { ...result }, at });
  return result;
}
