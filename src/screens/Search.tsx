import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { CustomerHitView, IpcError } from '../../electron/ipc/contract.ts';
import { call, failureOf } from '../api.ts';
import { vi } from '../i18n/vi.ts';
import { money } from '../format.ts';
import { Field } from '../components/Field.tsx';
import { ErrorMessage, Message } from '../components/Message.tsx';

const DEBOUNCE_MS = 120;

/**
 * F2: code, name or address without accents; the rows show what tells same-named customers apart.
 * Rows are kept with the query they answer: Enter opens a row only from the results of exactly what
 * is typed, and waits for them (showing so) when they are not in yet.
 */
export function Search({ onOpen }: { onOpen: (customerId: number) => void }) {
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<{ query: string; hits: CustomerHitView[] } | null>(null);
  const [selected, setSelected] = useState(0);
  const [error, setError] = useState<IpcError | null>(null);
  /** Enter was pressed for this query before its results came: open its first row when they do. */
  const [waiting, setWaiting] = useState<string | null>(null);
  const field = useRef<HTMLInputElement>(null);
  const asked = useRef(0);

  const search = useCallback((q: string) => {
    const ask = ++asked.current;
    call('findCustomers', { query: q, limit: 30 }).then(
      (found) => {
        if (ask !== asked.current) return; // an older question answered late
        setResults({ query: q, hits: found });
        setSelected(0);
        setError(null);
      },
      (e) => ask === asked.current && setError(failureOf(e)),
    );
  }, []);

  useEffect(() => {
    const q = query.trim();
    setWaiting((w) => (w === q ? w : null)); // typed on since Enter: that Enter is void
    if (q === '') {
      asked.current += 1;
      setResults(null);
      return;
    }
    const timer = setTimeout(() => search(q), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [query, search]);

  useEffect(() => {
    if (waiting === null || results?.query !== waiting) return;
    setWaiting(null);
    const first = results.hits[0];
    if (first !== undefined) onOpen(first.id);
  }, [waiting, results, onOpen]);

  const hits = results?.hits ?? null;
  const onKey = (event: KeyboardEvent) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      // What the field holds now (the last keys may not have reached the state yet).
      const typed = (field.current?.value ?? query).trim();
      if (typed === '') return;
      const hit = results?.query === typed ? results.hits[selected] : undefined;
      if (hit !== undefined) onOpen(hit.id);
      else if (results?.query !== typed) {
        setWaiting(typed);
        search(typed);
      }
      return;
    }
    if (hits === null || hits.length === 0) return;
    if (event.key === 'ArrowDown') setSelected((i) => Math.min(hits.length - 1, i + 1));
    else if (event.key === 'ArrowUp') setSelected((i) => Math.max(0, i - 1));
    else return;
    event.preventDefault();
  };

  const s = vi.search;
  return (
    <section className="search" onKeyDown={onKey}>
      <h1>{s.title}</h1>
      <Field label={s.placeholder} value={query} onChange={(e) => setQuery(e.target.value)} autoFocus autoComplete="off" name="query" ref={field} />
      <p className="hint">{s.hint}</p>
      {waiting !== null && <Message kind="warn" text={s.searching} />}
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
