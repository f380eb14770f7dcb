import { AppError } from '../../core/errors.ts';
import { isoDay } from '../../core/local-time.ts';
import { closeShift, openShift } from '../../shifts/shifts.ts';
import { printZReport, zReport, type ZScope } from '../../shifts/z-report.ts';
import { backupAfter } from '../../backups/backups.ts';
import { shiftView, zReportView } from '../views.ts';
import { backupViewOf, type DomainHandlers, type Till } from './deps.ts';

export function shiftHandlers(t: Till): DomainHandlers<'openShift' | 'closeShift' | 'zReport'> {
  const { ctx, session } = t;
  return {
    openShift: ({ openingFloat }) => {
      const user = session.requireUser();
      const shift = shiftView(openShift(ctx, { cashierId: user.id, openingFloat }));
      t.changed();
      return shift;
    },

    closeShift: async ({ countedCash }) => {
      const user = session.requireUser();
      const closed = await t.admit(() => closeShift(ctx, { cashierId: user.id, countedCash }));
      session.shiftClosed(closed.shiftId);
      const { report } = printZReport(ctx, { shiftId: closed.shiftId });
      t.printed();
      return { ...zReportView(report), backup: backupViewOf(await backupAfter(ctx)) };
    },

    zReport: ({ scope, print }) => {
      const user = session.requireUser();
      let zScope: ZScope;
      if (scope === 'day') zScope = { day: isoDay(ctx.clock()) };
      else {
        const shiftId = t.shiftInView(user);
        if (shiftId === null) throw new AppError('NO_SHIFT', 'Không có ca nào để lập báo cáo Z.');
        zScope = { shiftId };
      }
      if (!print) return zReportView(zReport(ctx, zScope));
      const { report } = printZReport(ctx, zScope);
      t.printed();
      return zReportView(report);
    },
  };
}
