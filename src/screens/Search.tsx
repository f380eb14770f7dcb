import { useEffect, useState, type KeyboardEvent } from 'react';
import type { CustomerHitView, IpcError } from '../../electron/ipc/contract.ts';
import { call, failureOf } from '../api.ts';
import { vi } from '../i18n/vi.ts';
import { money } from '../format.ts';
import { Field } from '../components/Field.tsx';
import { ErrorMessage, Message } from '../components/Message.tsx';

const DEBOUNCE_MS = 120;

/** F2: code, name or address without accents; the rows show what tells same-named customers apart. */
export function Search({ onOpen }: { onOpen: (customerId: number) => void }) {
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<CustomerHitView[] | null>(null);
  const [selected, setSelected] = useState(0);
  const [error, setError] = useState<IpcError | null>(null);

  useEffect(() => {
    if (query.trim() === '') return setHits(null);
    let current = true;
    const timer = setTimeout(() => {
      call('findCustomers', { query, limit: 30 }).then(
        (found) => {
          if (!current) return;
          setHits(found);
          setSelected(0);
          setError(null);
        },
        (e) => current && setError(failureOf(e)),
      );
    }, DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [query]);

  const onKey = (event: KeyboardEvent) => {
    if (hits === null || hits.length === 0) return;
    if (event.key === 'ArrowDown') setSelected((i) => Math.min(hits.length - 1, i + 1));
    else if (event.key === 'ArrowUp') setSelected((i) => Math.max(0, i - 1));
    else if (event.key === 'Enter') {
      const hit = hits[selected];
      if (hit !== undefined) onOpen(hit.id);
    } else return;
    event.preventDefault();
  };

  const s = vi.search;
  return (
    <section className="search" onKeyDown={onKey}>
      <h1>{s.title}</h1>
      <Field label={s.placeholder} value={query} onChange={(e) => setQuery(e.target.value)} autoFocus autoComplete="off" name="query" />
      <p className="hint">{s.hint}</p>
      <ErrorMessage error={error} />
      {hits !== null && hits.length === 0 && <Message kind="warn" text={s.none} />}
      {hits !== null && hits.length > 0 && (
        <ul className="hits" role="listbox" aria-label={s.title}>
          {hits.map((hit, i) => (
            <li key={hit.id} role="option" aria-selected={i === selected} className={i === selected ? 'selected' : ''} onClick={() => onOpen(hit.id)}>
              <div className="hit-name">
                <strong>{hit.tenKhang}</strong> <span className="code">{hit.maKhang}</span>
                {hit.cut && <span className="tag">{s.cut}</span>}
              </div>
              <div className="hit-meta">
                <span>{hit.dchiKhang}</span>
                <span>
                  {vi.home.meta.book}: {hit.maSogcs ?? '–'}/{hit.stt ?? '–'}
                </span>
                <span>
                  {vi.home.meta.meter}: {hit.soCto ?? '–'}
                </span>
                <span className="debt">{s.debt(hit.outstandingCount, money(hit.total))}</span>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
