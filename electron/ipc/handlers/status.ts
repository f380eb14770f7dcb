import { dayRange, isoDay } from '../../core/local-time.ts';
import { currentSnapshot, paidNotExported } from '../../cmis/snapshots.ts';
import { countSetAside, countWaiting } from '../../printing/print-jobs.ts';
import { pointIdentity } from '../../store/point.ts';
import { getSetting } from '../../store/settings.ts';
import { VERSION } from '../../core/version.ts';
import type { AboutView, StatusView } from '../contract.ts';
import { databaseBytes, logsDir } from '../../store/data-dir.ts';
import { readSettingsView } from '../settings-view.ts';
import { syncStatus } from '../../sync/loop.ts';
import { syncView } from '../views.ts';
import type { DomainHandlers, Till } from './deps.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The status bar: point, snapshot and its age, what waits for export, for the printer and for the sync server, devices, session. */
export function statusHandlers(t: Till): DomainHandlers<'status' | 'about'> {
  const { ctx } = t;
  return {
    status: (): StatusView => {
      const point = pointIdentity(ctx);
      const snapshot = currentSnapshot(ctx.sqlite);
      const today = dayRange(isoDay(ctx.clock())).start.getTime();
      const snapshotDay = snapshot === null ? null : dayRange(isoDay(new Date(snapshot.extract?.at ?? snapshot.importedAt))).start.getTime();
      return {
        version: VERSION,
        point: point === undefined ? null : { code: point.pointCode, name: point.pointName, unitCode: point.unitCode },
        snapshot:
          snapshot === null || snapshotDay === null
            ? null
            : {
                id: snapshot.id,
                fileName: snapshot.fileName,
                importedAt: snapshot.importedAt,
                day: isoDay(new Date(snapshot.importedAt)),
                ageDays: Math.max(0, Math.round((today - snapshotDay) / DAY_MS)),
              },
        unexported: t.blind() ? { ...paidNotExported(ctx.sqlite), total: null } : paidNotExported(ctx.sqlite),
        printJobsWaiting: countWaiting(ctx),
        printJobsSetAside: countSetAside(ctx.sqlite),
        printer: t.printing.status(),
        printingToFile: readSettingsView(ctx).printer.transport === 'file',
        scanner: t.scanner.status(),
        autoCollect: readSettingsView(ctx).autoCollect,
        setupPending: getSetting(ctx.sqlite, 'setup_pending') ?? false,
        session: t.sessionView(),
        sync: syncView(syncStatus(ctx.sqlite, ctx.clock())),
      };
    },

    about: (): AboutView => {
      const point = pointIdentity(ctx);
      const snapshot = currentSnapshot(ctx.sqlite);
      return {
        version: VERSION,
        dataDir: ctx.dataDir,
        logDir: logsDir(ctx.dataDir),
        databaseBytes: databaseBytes(ctx.dataDir),
        point: point === undefined ? null : { code: point.pointCode, name: point.pointName, unitCodes: point.unitCodes ?? [point.unitCode] },
        snapshot: snapshot === null ? null : { fileName: snapshot.fileName, importedAt: snapshot.importedAt },
        hotline: getSetting(ctx.sqlite, 'company_hotline') ?? '',
      };
    },
  };
}
