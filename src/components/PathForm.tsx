import type { FormEvent } from 'react';
import { Field } from './Field.tsx';

/** A file's path: typed, or chosen in the shell's dialog (the screen reads it at once), then read with Enter. */
export function PathForm(props: {
  label: string;
  name: string;
  path: string;
  onPath: (path: string) => void;
  onChoose: () => void;
  onSubmit: (event: FormEvent) => void;
  chooseLabel: string;
  submitLabel: string;
  busy: boolean;
}) {
  return (
    <form onSubmit={props.onSubmit} className="row">
      <Field label={props.label} value={props.path} onChange={(e) => props.onPath(e.target.value)} autoFocus name={props.name} autoComplete="off" />
      <button type="button" className="secondary" onClick={props.onChoose}>
        {props.chooseLabel}
      </button>
      <button type="submit" disabled={props.busy}>
        {props.submitLabel}
      </button>
    </form>
  );
}
