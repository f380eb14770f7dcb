import type { InputHTMLAttributes, Ref } from 'react';

/** A labelled input; the label is what tests and screen readers find it by. */
export function Field({ label, ...input }: { label: string; ref?: Ref<HTMLInputElement> } & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <label className="field">
      <span>{label}</span>
      <input {...input} />
    </label>
  );
}
