import { useEffect, useState } from 'react';
import type { AboutView, IpcError } from '../../electron/ipc/contract.ts';
import { call, failureOf } from '../api.ts';
import { dateTime } from '../format.ts';
import { vi } from '../i18n/vi.ts';
import { ErrorMessage } from './Message.tsx';

/** F1 from any screen, before sign-in too: what IT and the support line ask for. Esc or F1 closes it. */
export function About({ onClose }: { onClose: () => void }) {
  const [about, setAbout] = useState<AboutView | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  useEffect(() => {
    call('about', {}).then(setAbout, (e) => setError(failureOf(e)));
  }, []);
  const a = vi.about;
  const rows: Array<[string, string]> =
    about === null
      ? []
      : [
          [a.version, about.version],
          [a.point, about.point === null ? a.noPoint : `${about.point.code} – ${about.point.name}`],
          [a.units, about.point === null ? '—' : about.point.unitCodes.join(', ')],
          [a.snapshot, about.snapshot === null ? a.noSnapshot : `${about.snapshot.fileName} (${a.importedAt} ${dateTime(about.snapshot.importedAt)})`],
          [a.dataDir, about.dataDir],
          [a.logDir, about.logDir],
          [a.databaseSize, a.megabytes(about.databaseBytes)],
        ];
  return (
    <div className="about-backdrop">
      <section className="panel about" role="dialog" aria-modal="true" aria-labelledby="about-title">
        <h1 id="about-title">{a.title}</h1>
        <dl>
          {rows.map(([term, value]) => (
            <div key={term}>
              <dt>{term}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
        {about !== null && <p className="about-support">{about.hotline === '' ? a.noHotline : a.support(about.hotline)}</p>}
        <ErrorMessage error={error} />
        <button type="button" autoFocus onClick={onClose}>
          {a.close}
        </button>
      </section>
    </div>
  );
}
