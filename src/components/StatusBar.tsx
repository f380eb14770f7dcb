import type { StatusView, SyncView } from '../../electron/ipc/contract.ts';
import { vi } from '../i18n/vi.ts';
import { date, dateTime, money } from '../format.ts';

/** Always visible: printer, scanner, snapshot date and age, unexported money, print jobs waiting, and the sync when a server is set. */
export function StatusBar({ status }: { status: StatusView | null }) {
  if (status === null) return <footer className="status" />;
  const s = vi.status;
  const snapshot = status.snapshot;
  const printerOk = status.printer.state === 'ready' || status.printer.state === 'busy';
  return (
    <footer className="status" data-testid="status-bar">
      <span className={printerOk && !status.printingToFile ? 'ok' : 'warn'} data-testid="status-printer">
        {s.printer}: {status.printingToFile ? s.printingToFile : s.printerStates[status.printer.state]}
        {status.printer.message !== null && ` (${status.printer.message})`}
      </span>
      <span className={status.scanner.state === 'offline' ? 'warn' : 'ok'}>
        {s.scanner} ({s.scannerModes[status.scanner.mode]}): {s.scannerStates[status.scanner.state]}
      </span>
      <span className={snapshot === null || snapshot.ageDays > 0 ? 'warn' : 'ok'} data-testid="status-snapshot">
        {s.snapshot}: {snapshot === null ? s.noSnapshot : date(snapshot.importedAt)}
        {snapshot !== null && snapshot.ageDays > 0 && ` – ${s.old(snapshot.ageDays)}`}
      </span>
      <span data-testid="status-unexported">
        {s.unexported}: {status.unexported.count}
        {status.unexported.total !== null && ` · ${money(status.unexported.total)}`}
      </span>
      <span className={status.printJobsWaiting > 0 ? 'warn' : 'ok'}>
        {s.jobs}: {status.printJobsWaiting}
      </span>
      {status.printJobsSetAside > 0 && (
        <span className="warn" data-testid="status-set-aside">
          {s.setAside(status.printJobsSetAside)}
        </span>
      )}
      {status.sync !== null && <SyncPart sync={status.sync} />}
      {status.session !== null && (
        <span>
          {s.cashier}: {status.session.user.name} ({status.session.user.code})
        </span>
      )}
      <span className="version" data-testid="status-version">
        {s.version(status.version)}
      </span>
    </footer>
  );
}

/** Last sync, items waiting (loud past the alarm), and what needs IT: the last error, refused items, conflicts. */
function SyncPart({ sync }: { sync: SyncView }) {
  const s = vi.status;
  const trouble = sync.alarm || sync.state === 'error' || sync.refused > 0 || sync.openConflicts > 0;
  return (
    <span className={sync.alarm ? 'alarm' : trouble ? 'warn' : 'ok'} data-testid="status-sync">
      {s.sync}: {s.syncLast(sync.lastSyncAt === null ? null : dateTime(sync.lastSyncAt))} · <span data-testid="sync-waiting">{s.syncWaiting(sync.waiting)}</span>
      {sync.lastErrorCode !== null && ` · ${s.syncError(sync.lastErrorCode)}`}
      {sync.refused > 0 && ` · ${s.syncRefused(sync.refused)}`}
      {sync.openConflicts > 0 && ` · ${s.syncConflicts(sync.openConflicts)}`}
    </span>
  );
}
