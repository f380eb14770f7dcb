import { useState, type FormEvent } from 'react';
import type { IpcError, SessionView } from '../../electron/ipc/contract.ts';
import { call, failureOf } from '../api.ts';
import { vi } from '../i18n/vi.ts';
import { Field } from '../components/Field.tsx';
import { ErrorMessage, Message } from '../components/Message.tsx';

/** `notice`: why the login shows (the screen was locked during a shift). */
export function Login({ onLogin, notice }: { onLogin: (session: SessionView) => void; notice: string | null }) {
  const [code, setCode] = useState('');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<IpcError | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    call('login', { code, pin }).then(onLogin, (e) => {
      setPin('');
      setError(failureOf(e));
    });
  };
  return (
    <form className="panel narrow" onSubmit={submit}>
      <h1>{vi.login.title}</h1>
      {notice !== null && <Message kind="warn" text={notice} />}
      <Field label={vi.login.code} value={code} onChange={(e) => setCode(e.target.value)} autoFocus autoComplete="off" name="code" />
      <Field label={vi.login.pin} value={pin} onChange={(e) => setPin(e.target.value)} type="password" inputMode="numeric" name="pin" />
      <button type="submit">{vi.login.submit}</button>
      <ErrorMessage error={error} />
    </form>
  );
}
