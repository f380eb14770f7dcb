import { useEffect, useState, type FormEvent } from 'react';
import type { IpcError, RestoreNoticeView, SessionView } from '../../electron/ipc/contract.ts';
import { call, failureOf } from '../api.ts';
import { dateTime, errorText, money } from '../format.ts';
import { vi } from '../i18n/vi.ts';
import { Field } from '../components/Field.tsx';
import { ErrorMessage, Message } from '../components/Message.tsx';

/**
 * `notice`: why the login shows (the screen was locked during a shift). A temporary PIN set by a
 * supervisor (PIN_CHANGE_REQUIRED) turns the form into the change of PIN; anyone may change theirs.
 */
export function Login({ onLogin, notice }: { onLogin: (session: SessionView) => void; notice: string | null }) {
  const [code, setCode] = useState('');
  const [pin, setPin] = useState('');
  const [changing, setChanging] = useState(false);
  const [newPin, setNewPin] = useState({ first: '', again: '' });
  const [error, setError] = useState<IpcError | null>(null);
  const [restored, setRestored] = useState<RestoreNoticeView | null>(null);
  useEffect(() => {
    call('restoreNotice', {}).then(setRestored, () => setRestored(null));
  }, []);
  const l = vi.login;
  const refused = (e: unknown) => {
    const failure = failureOf(e);
    setPin('');
    setError(failure);
    if (failure.code === 'PIN_CHANGE_REQUIRED') setChanging(true);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!changing) return void call('login', { code, pin }).then(onLogin, refused);
    if (newPin.first !== newPin.again) return setError({ code: 'PIN_INVALID', message: l.pinsDiffer });
    call('changePin', { code, pin, newPin: newPin.first })
      .then(() => call('login', { code, pin: newPin.first }))
      .then(onLogin, refused);
  };
  return (
    <form className="panel narrow" onSubmit={submit}>
      <h1>{changing ? l.changeTitle : l.title}</h1>
      {notice !== null && <Message kind="warn" text={notice} />}
      <RestoreNotice outcome={restored} />
      {changing && <p className="small">{l.changeHint}</p>}
      <Field label={l.code} value={code} onChange={(e) => setCode(e.target.value)} autoFocus autoComplete="off" name="code" />
      <Field label={l.pin} value={pin} onChange={(e) => setPin(e.target.value)} type="password" inputMode="numeric" name="pin" />
      {changing && (
        <>
          <Field label={l.newPin} value={newPin.first} onChange={(e) => setNewPin({ ...newPin, first: e.target.value })} type="password" inputMode="numeric" name="new-pin" />
          <Field label={l.newPinAgain} value={newPin.again} onChange={(e) => setNewPin({ ...newPin, again: e.target.value })} type="password" inputMode="numeric" name="new-pin-again" />
        </>
      )}
      <div className="row">
        <button type="submit">{changing ? l.changeSubmit : l.submit}</button>
        <button type="button" className="secondary" onClick={() => (setChanging(!changing), setError(null))}>
          {changing ? l.cancelChange : l.changePin}
        </button>
      </div>
      <ErrorMessage error={error} />
    </form>
  );
}

/** How the restore started from the settings went, shown after the app opened again. */
function RestoreNotice({ outcome }: { outcome: RestoreNoticeView | null }) {
  const r = vi.restore;
  if (outcome === null) return null;
  if (!outcome.ok) {
    const said = outcome.code === 'RESTORE_NOT_CONFIRMED' ? r.unconfirmed(outcome.file) : r.failed(outcome.file);
    return <Message kind="error" text={`${said} ${errorText(outcome)}`} />;
  }
  return (
    <div data-testid="restore-notice">
      <Message kind="ok" text={r.done(outcome.file, dateTime(outcome.at))} />
      {outcome.forced && <Message kind="warn" text={r.doneForced} />}
      {outcome.dropped.length > 0 && (
        <Message kind="warn" text={r.dropped(outcome.dropped.map((p) => `${p.receiptNo} (${p.maKhang ?? '?'}, ${money(p.total)}, ${p.cashierCode ?? '?'}, ${dateTime(p.paidAt)})`))} />
      )}
      {outcome.safetyCopy !== null && <p className="small">{r.safetyCopy(outcome.safetyCopy)}</p>}
    </div>
  );
}
