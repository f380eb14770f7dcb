/**
 * The point's first run from the app (the installed app has no CLI at hand): its identity, the receipt
 * header and the first supervisor, all or nothing. The devices and the fee follow on the setup screens,
 * done by that supervisor; until they finish, `setup_pending` keeps every other screen closed.
 */
import type { Ctx } from '../store/context.ts';
import { AppError } from '../core/errors.ts';
import { getSetting, setSettings } from '../store/settings.ts';
import { initPoint } from '../store/point.ts';
import { query, selectFirst } from '../store/typed-query.ts';
import { addUser, type User } from './users.ts';

export interface FirstRun {
  pointCode: string;
  unitCodes: string[];
  pointName: string;
  pointAddress: string;
  companyName: string;
  companyTaxCode: string;
  companyHotline: string;
  einvoiceLookup: string;
  supervisor: { code: string; name: string; pin: string };
}

export function setUpPoint(ctx: Ctx, args: FirstRun): User {
  const { sqlite } = ctx;
  if (getSetting(sqlite, 'point_code') !== undefined || selectFirst(sqlite, query.selectFrom('users').select('id').limit(1)) !== undefined) {
    throw new AppError('POINT_ALREADY_INITIALISED', 'Điểm thu đã được cài đặt; các thông tin được sửa ở màn hình Cài đặt (F9) bởi giám sát viên.');
  }
  return sqlite
    .transaction(() => {
      initPoint(ctx, { pointCode: args.pointCode, unitCode: args.unitCodes[0] ?? '', unitCodes: args.unitCodes, pointName: args.pointName.trim() });
      const user = addUser(ctx, { ...args.supervisor, role: 'supervisor', approvedBy: [] });
      const header = {
        point_address: args.pointAddress.trim(),
        company_name: args.companyName.trim(),
        company_tax_code: args.companyTaxCode.trim(),
        company_hotline: args.companyHotline.trim(),
        einvoice_lookup: args.einvoiceLookup.trim(),
        setup_pending: true,
      };
      setSettings(sqlite, header, user.id, ctx.clock());
      return user;
    })
    .immediate();
}

/** The setup screens are done: the counter opens. */
export function finishSetup(ctx: Ctx, supervisor: User): void {
  if (supervisor.role !== 'supervisor') throw new AppError('SUPERVISOR_REQUIRED', 'Chỉ giám sát viên hoàn tất cài đặt.');
  setSettings(ctx.sqlite, { setup_pending: false }, supervisor.id, ctx.clock());
}
