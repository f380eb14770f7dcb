import { useState, type FormEvent } from 'react';
import type { IpcError, SessionView } from '../../electron/ipc/contract.ts';
import { parseAmount } from '../../electron/core/money.ts';
import { call, failureOf } from '../api.ts';
import { vi } from '../i18n/vi.ts';
import { Field } from '../components/Field.tsx';
import { ErrorMessage, Message } from '../components/Message.tsx';

export function OpenShift({ session, onOpened }: { session: SessionView; onOpened: (session: SessionView | null) => void }) {
  const [float, setFloat] = useState('0');
  const [error, setError] = useState<IpcError | null>(null);
  const [bad, setBad] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const openingFloat = parseAmount(float);
    setBad(openingFloat === null);
    if (openingFloat === null) return;
    call('openShift', { openingFloat }).then(
      (shift) => onOpened({ ...session, shift }),
      (e) => setError(failureOf(e)),
    );
  };
  return (
    <form className="panel narrow" onSubmit={submit}>
      <h1>{vi.openShift.title}</h1>
      <p>
        {session.user.name} ({session.user.code})
      </p>
      <Field label={vi.openShift.float} value={float} onChange={(e) => setFloat(e.target.value)} autoFocus name="float" inputMode="numeric" />
      <button type="submit">{vi.openShift.submit}</button>
      <button type="button" className="secondary" onClick={() => call('logout', {}).then(() => onOpened(null))}>
        {vi.openShift.logout}
      </button>
      {bad && <Message kind="error" text={vi.openShift.badAmount} />}
      <ErrorMessage error={error} />
    </form>
  );
}
