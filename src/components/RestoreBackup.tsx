import { useState, type FormEvent } from 'react';
import type { IpcError, RestorePreviewView } from '../../electron/ipc/contract.ts';
import { call, failureOf } from '../api.ts';
import { dateTime } from '../format.ts';
import { vi } from '../i18n/vi.ts';
import { Field } from './Field.tsx';
import { ErrorMessage, Message } from './Message.tsx';
import type { Supervisor } from './SupervisorUnlock.tsx';

/**
 * Settings: restore the point's data from a backup. The file is checked and described first (nothing
 * changes); the confirm asks the supervisor's code and PIN again, and an older backup needs "force",
 * as `diemthu restore --force --supervisor`. Then the app closes, restores and opens again.
 */
export function RestoreBackup({ supervisor }: { supervisor: Supervisor }) {
  const [preview, setPreview] = useState<RestorePreviewView | null>(null);
  const [force, setForce] = useState(false);
  const [confirmer, setConfirmer] = useState<Supervisor>({ code: '', pin: '' });
  const [restarting, setRestarting] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);
  const r = vi.restore;
  const failed = (e: unknown) => setError(failureOf(e));

  const choose = () => {
    setError(null);
    // A new pick forgets the last preview and its force: a refused file must not leave the previous one confirmable.
    setPreview(null);
    setForce(false);
    call('chooseBackupFile', {})
      .then(({ path }) => (path === null ? null : call('restorePreview', { supervisor, path })))
      .then((shown) => {
        if (shown === null) return;
        setPreview(shown);
        setForce(false);
      }, failed);
  };
  const confirm = (event: FormEvent) => {
    event.preventDefault();
    if (preview === null) return;
    call('restoreConfirm', { supervisor: confirmer, path: preview.file, force, expect: preview.journalHead }).then(() => {
      setError(null);
      setRestarting(true);
    }, (e) => {
      setConfirmer({ ...confirmer, pin: '' });
      failed(e);
    });
  };

  return (
    <form className="restore" onSubmit={confirm} aria-label={r.title}>
      <h2>{r.title}</h2>
      <p className="small">{r.hint}</p>
      <button type="button" className="secondary" onClick={choose} disabled={restarting}>
        {r.choose}
      </button>
      {preview !== null && (
        <>
          <dl className="facts" data-testid="restore-preview">
            {facts(preview).map(([term, value]) => (
              <div key={term}>
                <dt>{term}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
          {preview.older ? <Message kind="warn" text={r.older(preview.behindBy)} /> : <Message kind="ok" text={r.notOlder} />}
          {preview.older && (
            <label className="check">
              <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} name="restore-force" />
              <span>{r.force}</span>
            </label>
          )}
          <fieldset className="row">
            <Field label={r.confirmCode} value={confirmer.code} onChange={(e) => setConfirmer({ ...confirmer, code: e.target.value })} name="restore-code" autoComplete="off" />
            <Field label={r.confirmPin} type="password" inputMode="numeric" value={confirmer.pin} onChange={(e) => setConfirmer({ ...confirmer, pin: e.target.value })} name="restore-pin" />
            <button type="submit" disabled={restarting || (preview.older && !force)}>
              {r.confirm}
            </button>
          </fieldset>
        </>
      )}
      {restarting && <Message kind="warn" text={r.restarting} />}
      <ErrorMessage error={error} />
    </form>
  );
}

function facts(preview: RestorePreviewView): [string, string][] {
  const r = vi.restore;
  const receipts = preview.receipts.toLocaleString('vi-VN') + (preview.lastReceiptNo === null ? '' : ` (${r.lastReceipt(preview.lastReceiptNo)})`);
  const journal = preview.journalRows.toLocaleString('vi-VN') + (preview.currentJournalRows === null ? '' : ` (${r.current(preview.currentJournalRows)})`);
  return [
    [r.file, preview.file],
    [r.point, preview.pointCode ?? '—'],
    [r.upTo, preview.lastEntryAt === null ? '—' : dateTime(preview.lastEntryAt)],
    [r.receipts, receipts],
    [r.journal, journal],
  ];
}
