import { useEffect, useState, type FormEvent } from 'react';
import type { EventPayload, ImportPreview, ImportView, IpcError } from '../../electron/ipc/contract.ts';
import { call, events, failureOf } from '../api.ts';
import { vi } from '../i18n/vi.ts';
import { money } from '../format.ts';
import { Field } from '../components/Field.tsx';
import { PathForm } from '../components/PathForm.tsx';
import { ErrorMessage, Message } from '../components/Message.tsx';

/** Morning wizard: choose the file, read it (progress), preview every count and error, confirm or cancel. */
export function Import({ active, onImported }: { active: boolean; onImported: () => void }) {
  const [path, setPath] = useState('');
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<EventPayload<'importProgress'> | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [result, setResult] = useState<ImportView | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [supervisor, setSupervisor] = useState({ code: '', pin: '' });

  useEffect(() => events().onImportProgress(setProgress), []);

  const run = <T,>(work: Promise<T>, then: (value: T) => void) => {
    setBusy(true);
    setError(null);
    work.then(then, (e) => setError(failureOf(e))).finally(() => setBusy(false));
  };
  const readFile = (file: string) => {
    setPreview(null);
    setResult(null);
    setProgress(null);
    run(call('importPreview', { path: file }), setPreview);
  };
  const check = (event?: FormEvent) => {
    event?.preventDefault();
    if (path.trim() !== '' && !busy) readFile(path.trim());
  };
  // A file chosen in the dialog is read at once: one action fewer for the cashier.
  const choose = () =>
    run(call('chooseSnapshotFile', {}), (r) => {
      if (r.path === null) return;
      setPath(r.path);
      readFile(r.path);
    });
  const cancel = () => {
    setPreview(null);
    void call('importCancel', {});
  };
  const canSkip = preview !== null && preview.errorCount > 0;
  const guarded = preview !== null && preview.guards.length > 0;
  const confirm = () => {
    if (preview === null || busy) return;
    const acceptSkipped = canSkip ? { acceptSkipped: supervisor } : {};
    // The supervisor read the reasons on screen: an older file is forced by the same confirmation.
    const confirmed = guarded ? { confirm: { ...supervisor, force: preview.guards.some((g) => g.needs === 'force') } } : {};
    setProgress(null); // the preview's last progress is not the import's
    run(call('importConfirm', { path: preview.path, ...acceptSkipped, ...confirmed }), (r) => {
      setResult(r);
      setPreview(null);
      onImported();
    });
  };

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (preview === null || !active) return;
      if (event.key === 'Enter' && event.ctrlKey) confirm();
      else if (event.key === 'Escape') cancel();
      else return;
      event.preventDefault();
      event.stopPropagation();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  });

  const t = vi.import;
  return (
    <section className="import">
      <h1>{t.title}</h1>
      <PathForm label={t.path} name="path" path={path} onPath={setPath} onChoose={choose} onSubmit={check} chooseLabel={t.choose} submitLabel={t.preview} busy={busy} />
      {busy && (
        <div className="progress" data-testid="import-progress">
          <span data-testid="import-phase">{progress === null ? t.reading : (t.phases[progress.phase] ?? t.reading)}</span>
          <progress max={progress?.totalBytes ?? 1} value={progress?.bytesRead ?? 0} />
          {progress !== null && progress.phase !== 'done' && (
            <span data-testid="import-bytes">{t.progressOf(mb(progress.bytesRead), mb(progress.totalBytes), progress.rows)}</span>
          )}
          <small>{t.stillCollecting}</small>
          <button type="button" className="secondary" onClick={() => void call('importCancel', {})}>
            {t.cancel}
          </button>
        </div>
      )}
      <ErrorMessage error={error} />
      {result !== null && <ImportDone result={result} />}
      {preview !== null && <PreviewView preview={preview} />}
      {preview !== null && !preview.alreadyImported && (
        <div className="actions">
          {guarded && (
            <div data-testid="import-guards">
              <Message kind="warn" text={t.guardsTitle} />
              <ul>
                {preview.guards.map((g) => (
                  <li key={g.code}>
                    {g.message} ({g.code})
                  </li>
                ))}
              </ul>
            </div>
          )}
          {(canSkip || guarded) && (
            <fieldset className="supervisor">
              <legend>{guarded ? t.guardsConfirm : t.acceptSkipped}</legend>
              <Field label={vi.today.supervisorCode} value={supervisor.code} onChange={(e) => setSupervisor({ ...supervisor, code: e.target.value })} name="supervisor-code" />
              <Field label={vi.today.supervisorPin} type="password" value={supervisor.pin} onChange={(e) => setSupervisor({ ...supervisor, pin: e.target.value })} name="supervisor-pin" />
            </fieldset>
          )}
          <button type="button" onClick={confirm} disabled={busy}>
            {canSkip ? t.confirmSkipping : t.confirm}
          </button>
          <button type="button" className="secondary" onClick={cancel}>
            {t.cancel}
          </button>
        </div>
      )}
    </section>
  );
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toLocaleString('vi-VN', { maximumFractionDigits: 1 });

function ImportDone({ result }: { result: ImportView }) {
  const t = vi.import;
  if (result.alreadyImported) return <Message kind="ok" text={t.already} />;
  return (
    <>
      <Message kind="ok" text={t.done(result.billCount, money(result.billTotal))} />
      {result.skippedCount > 0 && <Message kind="warn" text={t.skipped(result.skippedCount, result.rejectsFile ?? '')} />}
    </>
  );
}

function PreviewView({ preview }: { preview: ImportPreview }) {
  const t = vi.import;
  return (
    <div className="preview" data-testid="import-preview">
      <h2>{t.summary}</h2>
      {preview.alreadyImported && <Message kind="ok" text={t.already} />}
      <dl className="meta">
        <dt>{t.file}</dt>
        <dd>{preview.fileName}</dd>
        {preview.encoding !== '' && <dt>{t.encoding}</dt>}
        {preview.encoding !== '' && (
          <dd>
            {t.encodings[preview.encoding] ?? preview.encoding} / {t.delimiters[preview.delimiter] ?? preview.delimiter}
          </dd>
        )}
        <dt>{t.rows}</dt>
        <dd>{preview.rowCount ?? '–'}</dd>
        <dt>{t.customers}</dt>
        <dd>{preview.customerCount ?? '–'}</dd>
        <dt>{t.billCount}</dt>
        <dd>{preview.billCount ?? '–'}</dd>
        <dt>{t.billTotal}</dt>
        <dd>{preview.billTotal === null ? '–' : money(preview.billTotal)}</dd>
      </dl>
      {preview.errorCount === 0 ? (
        <Message kind="ok" text={t.noErrors} />
      ) : (
        <>
          <Message kind="error" text={t.errors(preview.errorCount)} />
          <table className="errors" data-testid="import-errors">
            <thead>
              <tr>
                <th>{t.line}</th>
                <th>{t.column}</th>
                <th>{t.value}</th>
                <th>{t.problem}</th>
              </tr>
            </thead>
            <tbody>
              {preview.errors.map((p, i) => (
                <tr key={i}>
                  <td>{p.line ?? '–'}</td>
                  <td>{p.column ?? '–'}</td>
                  <td>{p.value ?? ''}</td>
                  <td>{p.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {preview.warnings.length > 0 && (
        <>
          <h3>{t.warnings}</h3>
          <ul>
            {preview.warnings.map((w, i) => (
              <li key={i}>{w}</li>
            ))}
          </ul>
        </>
      )}
      {preview.reimport.length > 0 && (
        <>
          <h3>{t.reimport}</h3>
          <table className="reimport">
            <thead>
              <tr>
                <th>{t.state}</th>
                <th className="num">{t.count}</th>
              </tr>
            </thead>
            <tbody>
              {preview.reimport.map((r) => (
                <tr key={r.state} className={r.state === 'conflict' ? 'conflict' : ''}>
                  <td>{t.states[r.state] ?? r.state}</td>
                  <td className="num">{r.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {preview.conflicts.length > 0 && (
        <>
          <h3>{t.conflicts}</h3>
          <ul>
            {preview.conflicts.map((c) => (
              <li key={c.idHdon}>
                {c.idHdon} · {c.maKhang} · {c.receiptNo ?? ''} · {t.states[c.state] ?? c.state}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
