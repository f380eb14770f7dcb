import type { Ctx } from './context.ts';
import type { Sqlite } from './open.ts';
import { AppError } from '../core/errors.ts';
import { getSetting, setSettings } from './settings.ts';
import { appendJournal } from './journal.ts';
import { rememberPoint } from './held-point.ts';

export interface PointIdentity {
  pointCode: string;
  /** The first unit the point serves. */
  unitCode: string;
  pointName: string;
  /** Every unit the point serves (a point may serve several); [unitCode] when only one was given. */
  unitCodes?: string[];
}

/** Sets the point's identity once. Re-running with the same codes is fine; other codes are refused. */
export function initPoint(ctx: Ctx, args: PointIdentity): PointIdentity {
  const pointCode = args.pointCode.trim().toUpperCase();
  const unitCodes = [...new Set((args.unitCodes ?? [args.unitCode]).map((u) => u.trim().toUpperCase()))];
  const unitCode = unitCodes[0] ?? '';
  if (!/^[A-Z0-9]{2,20}$/.test(pointCode)) throw new AppError('POINT_CODE_INVALID', `Mã điểm thu "${args.pointCode}" không hợp lệ (2-20 chữ cái A-Z hoặc số).`);
  for (const unit of unitCodes.length === 0 ? [''] : unitCodes) {
    if (!/^[A-Z0-9]{4,10}$/.test(unit)) throw new AppError('UNIT_CODE_INVALID', `Mã đơn vị "${unit}" không hợp lệ (4-10 chữ cái A-Z hoặc số).`);
  }
  const existing = getSetting(ctx.sqlite, 'point_code');
  if (existing !== undefined && existing !== pointCode) {
    throw new AppError('POINT_ALREADY_INITIALISED', `Điểm thu đã được khởi tạo với mã ${existing}; không đổi sang ${pointCode}.`);
  }
  const at = ctx.clock();
  ctx.sqlite.transaction(() => {
    setSettings(ctx.sqlite, { point_code: pointCode, unit_code: unitCode, unit_codes: unitCodes, point_name: args.pointName }, null, at);
    if (existing === undefined) appendJournal(ctx.sqlite, { kind: 'init', actorId: null, payload: { pointCode, unitCode, unitCodes }, at });
  }).immediate();
  rememberPoint(ctx.dataDir, { pointCode, unitCode });
  return { pointCode, unitCode, pointName: args.pointName, unitCodes };
}

/** The units whose snapshots the point takes: the list set at init, or the single unit of a point set up before lists. */
export function pointUnits(sqlite: Sqlite): string[] {
  const unitCode = getSetting(sqlite, 'unit_code');
  return getSetting(sqlite, 'unit_codes') ?? (unitCode === undefined ? [] : [unitCode]);
}

export function pointIdentity(ctx: Ctx): PointIdentity | undefined {
  const pointCode = getSetting(ctx.sqlite, 'point_code');
  const unitCode = getSetting(ctx.sqlite, 'unit_code');
  if (pointCode === undefined || unitCode === undefined) return undefined;
  return { pointCode, unitCode, pointName: getSetting(ctx.sqlite, 'point_name') ?? '', unitCodes: pointUnits(ctx.sqlite) };
}
