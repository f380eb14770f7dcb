import type { Ctx } from './context.ts';
import { AppError } from '../core/errors.ts';
import { getSetting, setSettings } from './settings.ts';
import { appendJournal } from './journal.ts';
import { rememberPoint } from './held-point.ts';

export interface PointIdentity {
  pointCode: string;
  unitCode: string;
  pointName: string;
}

/** Sets the point's identity once. Re-running with the same codes is fine; other codes are refused. */
export function initPoint(ctx: Ctx, args: PointIdentity): PointIdentity {
  const pointCode = args.pointCode.trim().toUpperCase();
  const unitCode = args.unitCode.trim().toUpperCase();
  if (!/^[A-Z0-9]{2,20}$/.test(pointCode)) throw new AppError('POINT_CODE_INVALID', `Mã điểm thu "${args.pointCode}" không hợp lệ (2-20 chữ cái A-Z hoặc số).`);
  if (!/^[A-Z0-9]{4,10}$/.test(unitCode)) throw new AppError('UNIT_CODE_INVALID', `Mã đơn vị "${args.unitCode}" không hợp lệ (4-10 chữ cái A-Z hoặc số).`);
  const existing = getSetting(ctx.sqlite, 'point_code');
  if (existing !== undefined && existing !== pointCode) {
    throw new AppError('POINT_ALREADY_INITIALISED', `Điểm thu đã được khởi tạo với mã ${existing}; không đổi sang ${pointCode}.`);
  }
  const at = ctx.clock();
  ctx.sqlite.transaction(() => {
    setSettings(ctx.sqlite, { point_code: pointCode, unit_code: unitCode, point_name: args.pointName }, null, at);
    if (existing === undefined) appendJournal(ctx.sqlite, { kind: 'init', actorId: null, payload: { pointCode, unitCode }, at });
  }).immediate();
  rememberPoint(ctx.dataDir, { pointCode, unitCode });
  return { pointCode, unitCode, pointName: args.pointName };
}

export function pointIdentity(ctx: Ctx): PointIdentity | undefined {
  const pointCode = getSetting(ctx.sqlite, 'point_code');
  const unitCode = getSetting(ctx.sqlite, 'unit_code');
  if (pointCode === undefined || unitCode === undefined) return undefined;
  return { pointCode, unitCode, pointName: getSetting(ctx.sqlite, 'point_name') ?? '' };
}
