import type { FormEvent } from 'react';
import type { IpcError } from '../../electron/ipc/contract.ts';
import { vi } from '../i18n/vi.ts';
import { Field } from './Field.tsx';
import { ErrorMessage } from './Message.tsx';

export type Supervisor = { code: string; pin: string };

/** A supervisor-only screen's first step: code + PIN (checked by main on every call the screen makes). */
export function SupervisorUnlock({
  title,
  supervisor,
  onChange,
  onUnlock,
  submit,
  error,
}: {
  title: string;
  supervisor: Supervisor;
  onChange: (supervisor: Supervisor) => void;
  onUnlock: () => void;
  submit: string;
  error: IpcError | null;
}) {
  const unlock = (event: FormEvent) => {
    event.preventDefault();
    onUnlock();
  };
  return (
    <form className="panel narrow" onSubmit={unlock}>
      <h1>{title}</h1>
      <Field label={vi.today.supervisorCode} value={supervisor.code} onChange={(e) => onChange({ ...supervisor, code: e.target.value })} autoFocus name="supervisor-code" autoComplete="off" />
      <Field label={vi.today.supervisorPin} type="password" value={supervisor.pin} onChange={(e) => onChange({ ...supervisor, pin: e.target.value })} name="supervisor-pin" />
      <button type="submit">{submit}</button>
      <ErrorMessage error={error} />
    </form>
  );
}
