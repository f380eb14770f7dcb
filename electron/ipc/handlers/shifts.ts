import { join } from 'node:path';
import { AppError } from '../../core/errors.ts';
import { isoDay } from '../../core/local-time.ts';
import { closeShift, openShift } from '../../shifts/shifts.ts';
import { printZReport, zReport, type ZScope } from '../../shifts/z-report.ts';
import { backupAfter } from '../../backups/backups.ts';
import { depositPreview, makeDeposit, showDeposit } from '../../shifts/deposit.ts';
import { writeDepositFile } from '../../shifts/deposit-file.ts';
import { lastExportDir } from '../../cmis/clearing-state.ts';
import type { DepositView } from '../contract.ts';
import { shiftView, zReportView } from '../views.ts';
import { backupViewOf, type DomainHandlers, type Till } from './deps.ts';

export function shiftHandlers(t: Till): DomainHandlers<'openShift' | 'closeShift' | 'zReport' | 'depositState' | 'depositMake'> {
  const { ctx, session } = t;
  /** Today's slip as it would be, and as it is once made. */
  const depositState = (file: string | null): DepositView => {
    const { day, cashiers, expected, openShifts, depositId } = depositPreview(ctx);
    if (depositId === null) return { day, cashiers, expected, openShifts, slip: null, file };
    const { slip: s, bankRef } = showDeposit(ctx, day);
    const slip = { depositId: s.depositId, madeAt: s.madeAt, supervisor: s.supervisor, cashiers: s.cashiers, notes: s.notes, looseChange: s.looseChange ?? null, expected: s.expected, counted: s.counted, difference: s.difference, reason: s.reason, bankRef };
    return { day, cashiers, expected, openShifts, slip, file };
  };
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

    depositState: () => {
      session.requireUser();
      return depositState(null);
    },

    // Written beside the clearing files (the last export's folder, else the data folder's exports).
    depositMake: ({ supervisor, notes, looseChange, reason }) => {
      session.requireUser();
      const made = makeDeposit(ctx, { supervisorId: t.supervisor(supervisor).id, notes, looseChange, reason: reason ?? null });
      t.printed();
      const file = writeDepositFile(ctx, { day: made.slip.day, outDir: lastExportDir(ctx.sqlite) ?? join(ctx.dataDir, 'exports') });
      return depositState(file);
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
