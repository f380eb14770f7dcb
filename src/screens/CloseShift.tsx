import { useState, type FormEvent } from 'react';
import type { BackupView, ExportView, IpcError, ZReportView } from '../../electron/ipc/contract.ts';
import { DepositPanel } from './Deposit.tsx';
import { parseAmount } from '../../electron/core/money.ts';
import { isAbsolutePath } from '../../electron/core/paths.ts';
import { call, failureOf } from '../api.ts';
import { vi } from '../i18n/vi.ts';
import { dateTime, money } from '../format.ts';
import { Field } from '../components/Field.tsx';
import { ErrorMessage, Message } from '../components/Message.tsx';

/** Evening: blind count, then the Z report (expected cash only now), then the clearing files to a folder. */
export function CloseShift({ onClosed, onLogout }: { onClosed: () => void; onLogout: () => void }) {
  const [counted, setCounted] = useState('');
  const [report, setReport] = useState<ZReportView | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [bad, setBad] = useState(false);
  const [printed, setPrinted] = useState(false);
  const [backup, setBackup] = useState<BackupView | null>(null);
  const t = vi.close;

  const close = (event: FormEvent) => {
    event.preventDefault();
    const countedCash = parseAmount(counted);
    setBad(countedCash === null);
    if (countedCash === null) return;
    call('closeShift', { countedCash }).then(
      (z) => {
        setReport(z);
        setBackup(z.backup);
        setError(null);
        onClosed();
      },
      (e) => setError(failureOf(e)),
    );
  };
  const printZ = () =>
    call('zReport', { scope: 'shift', print: true }).then(
      () => setPrinted(true),
      (e) => setError(failureOf(e)),
    );

  return (
    <section className="close">
      <h1>{t.title}</h1>
      {report === null ? (
        <form onSubmit={close} className="panel narrow">
          <p>{t.blind}</p>
          <Field label={t.counted} value={counted} onChange={(e) => setCounted(e.target.value)} autoFocus inputMode="numeric" name="counted" />
          <button type="submit">{t.submit}</button>
          {bad && <Message kind="error" text={vi.openShift.badAmount} />}
        </form>
      ) : (
        <>
          <Message kind="warn" text={t.closedHint} />
          <ZReport report={report} />
          {backup !== null && <BackupMessage backup={backup} />}
          <button type="button" className="secondary" onClick={printZ}>
            {t.printZ}
          </button>
          {printed && <Message kind="ok" text={t.zPrinted} />}
          <ExportPanel />
          <DepositPanel />
          <button type="button" className="secondary" onClick={onLogout}>
            {t.logout}
          </button>
        </>
      )}
      <ErrorMessage error={error} />
    </section>
  );
}

export function ZReport({ report }: { report: ZReportView }) {
  const t = vi.close;
  const rows: Array<[string, string]> = [
    [t.receipts, String(report.receiptCount)],
    [t.range, `${report.firstReceipt ?? '–'} – ${report.lastReceipt ?? '–'}`],
    [t.byType, `${money(report.totalsByType.TD)} / ${money(report.totalsByType.VC)} / ${money(report.totalsByType.DC)}`],
    [t.fees, money(report.feesCollected)],
    [t.grand, money(report.grandTotal)],
    [t.voids, `${report.voids.count} · ${money(report.voids.total)}`],
    [t.reprints, String(report.reprints)],
    [t.changeRounding, `${report.changeRounding.count} · ${money(report.changeRounding.total)}`],
    [t.refunds, `${report.refunds.count} · ${money(report.refunds.total)}`],
  ];
  if (report.openingFloat !== null) rows.push([t.float, money(report.openingFloat)]);
  if (report.expectedCash !== null) rows.push([t.expected, money(report.expectedCash)]);
  if (report.countedCash !== null) rows.push([t.countedCash, money(report.countedCash)]);
  if (report.variance !== null) rows.push([t.variance, money(report.variance)]);
  return (
    <div className="zreport" data-testid="z-report">
      <h2>
        {t.zTitle} · {report.cashier?.name ?? ''} · {report.openedAt === null ? report.day : dateTime(report.openedAt)}
        {report.closedAt !== null && ` – ${dateTime(report.closedAt)}`}
      </h2>
      <dl className="meta">
        {rows.map(([label, value]) => (
          <div key={label} className={label === t.variance && report.variance !== 0 ? 'warn' : ''}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

function ExportPanel() {
  const [dir, setDir] = useState('');
  const [result, setResult] = useState<ExportView | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const t = vi.close;
  const run = (event?: FormEvent) => {
    event?.preventDefault();
    if (dir.trim() === '') return;
    if (!isAbsolutePath(dir.trim())) return setError(vi.common.notAbsolute(t.exportDir));
    call('exportClearing', { outDir: dir.trim() }).then(
      (r) => {
        setResult(r);
        setError(null);
      },
      (e) => setError(failureOf(e)),
    );
  };
  const choose = () => call('chooseExportFolder', {}).then((r) => r.path !== null && setDir(r.path), (e) => setError(failureOf(e)));
  return (
    <form
      className="panel export"
      onSubmit={run}
      onKeyDown={(e) => {
        if (e.ctrlKey && e.key.toLowerCase() === 'e') {
          e.preventDefault();
          run();
        }
      }}
    >
      <h2>{t.exportTitle}</h2>
      <div className="row">
        <Field label={t.exportDir} value={dir} onChange={(e) => setDir(e.target.value)} name="out-dir" autoFocus />
        <button type="button" className="secondary" onClick={choose}>
          {t.chooseDir}
        </button>
        <button type="submit">{t.export}</button>
      </div>
      {result !== null && result.nothingToExport && <Message kind="ok" text={t.nothing} />}
      {result !== null && !result.nothingToExport && (
        <div className="exported" data-testid="exported">
          <Message kind="ok" text={t.exported(result.rowCount, money(result.total))} />
          <ul>
            {result.files.map((f) => (
              <li key={f}>
                <code>{f}</code>
              </li>
            ))}
          </ul>
          {result.backup !== null && <BackupMessage backup={result.backup} />}
        </div>
      )}
      <ErrorMessage error={error} />
    </form>
  );
}

/** The backup that follows a close or an export: where it went, or why it failed (the close/export stands). */
function BackupMessage({ backup }: { backup: BackupView }) {
  return backup.ok ? <Message kind="ok" text={vi.close.backedUp(backup.file ?? '')} /> : <Message kind="error" text={backup.message ?? ''} />;
}
