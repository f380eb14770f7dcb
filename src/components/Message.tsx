import type { IpcError } from '../../electron/ipc/contract.ts';
import { errorText } from '../format.ts';

export function Message({ kind, text }: { kind: 'ok' | 'warn' | 'error'; text: string }) {
  return (
    <div className={`msg msg-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {text}
    </div>
  );
}

/** An error from main: its Vietnamese sentence and its code. */
export function ErrorMessage({ error }: { error: IpcError | null }) {
  return error === null ? null : <Message kind="error" text={errorText(error)} />;
}
