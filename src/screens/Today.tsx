import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { HourlyView, IpcError, ReceiptRow } from '../../electron/ipc/contract.ts';
import { call, failureOf } from '../api.ts';
import { vi } from '../i18n/vi.ts';
import { clock, money } from '../format.ts';
import { Field } from '../components/Field.tsx';
import { ErrorMessage, Message } from '../components/Message.tsx';
import { HourlyChart } from '../components/HourlyChart.tsx';

/** F3: the receipts of the shift; R reprints, V voids (supervisor code + PIN + reason). */
export function Today({ onChanged }: { onChanged: () => void }) {
  const [rows, setRows] = useState<ReceiptRow[]>([]);
  const [hourly, setHourly] = useState<HourlyView | null>(null);
  const [selected, setSelected] = useState(0);
  const [voiding, setVoiding] = useState<string | null>(null);
  const [reprinting, setReprinting] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<IpcError | null>(null);

  const load = useCallback(() => {
    call('todayReceipts', {}).then(setRows, (e) => setError(failureOf(e)));
    call('hourlyCollections', {}).then(setHourly, () => undefined);
  }, []);
  useEffect(load, [load]);

  const reprint = (receiptNo: string) => {
    setReprinting(null);
    call('reprint', { receiptNo }).then(
      (r) => {
        setError(null);
        setNotice(vi.today.reprinted(r.receiptNo, r.copyNo));
        onChanged();
      },
      (e) => setError(failureOf(e)),
    );
  };

  useEffect(() => {
    if (voiding !== null || reprinting !== null) return;
    const onKey = (event: KeyboardEvent) => {
      const row = rows[selected];
      const key = event.key.toLowerCase();
      if (event.key === 'ArrowDown') setSelected((i) => Math.min(rows.length - 1, i + 1));
      else if (event.key === 'ArrowUp') setSelected((i) => Math.max(0, i - 1));
      else if ((key === 'r' || key === 'v') && row !== undefined) {
        // Offered only where it can succeed: otherwise the reason, before any confirmation or PIN.
        const refusal = key === 'r' ? reprintRefusal(row) : voidRefusal(row);
        setError(refusal);
        if (refusal === null) setNotice(null);
        if (refusal === null && key === 'r') setReprinting(row.receiptNo);
        if (refusal === null && key === 'v') setVoiding(row.receiptNo);
      } else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [rows, selected, voiding, reprinting]);

  const t = vi.today;
  return (
    <section className="today">
      <h1>{t.title}</h1>
      <p className="hint">{t.hint}</p>
      {notice !== null && <Message kind="ok" text={notice} />}
      <ErrorMessage error={error} />
      {reprinting !== null && <ReprintConfirm receiptNo={reprinting} onConfirm={() => reprint(reprinting)} onCancel={() => setReprinting(null)} />}
      {voiding !== null && (
        <VoidForm
          receiptNo={voiding}
          onDone={(receiptNo) => {
            setVoiding(null);
            setError(null);
            setNotice(t.voidDone(receiptNo));
            load();
            onChanged();
          }}
          onCancel={() => setVoiding(null)}
        />
      )}
      {rows.length === 0 ? (
        <Message kind="ok" text={t.none} />
      ) : (
        <table className="receipts">
          <thead>
            <tr>
              <th>{t.receipt}</th>
              <th>{t.time}</th>
              <th>{t.customer}</th>
              <th className="num">{t.total}</th>
              <th>{t.state}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => (
              <tr key={row.receiptNo} className={`${i === selected ? 'selected' : ''} ${row.voided ? 'voided' : ''}`} onClick={() => setSelected(i)}>
                <td>{row.receiptNo}</td>
                <td>{clock(row.paidAt)}</td>
                <td>
                  {row.tenKhang} <span className="code">{row.maKhang}</span>
                  {row.reconnectionOrder && <span className="tag">{t.reconnectionOrder}</span>}
                </td>
                <td className="num">{money(row.total)}</td>
                <td>{row.voided ? `${t.voided}: ${row.voidReason ?? ''}` : row.exported ? t.exported : t.valid}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <HourlyChart data={hourly} />
    </section>
  );
}

/** The service's own refusals, said before anything is asked (same codes and sentences). */
function reprintRefusal(row: ReceiptRow): IpcError | null {
  return row.voided ? { code: 'PAYMENT_VOIDED', message: vi.today.reprintVoided(row.receiptNo) } : null;
}

function voidRefusal(row: ReceiptRow): IpcError | null {
  if (row.voided) return { code: 'PAYMENT_ALREADY_VOIDED', message: vi.today.alreadyVoided(row.receiptNo) };
  if (row.exported) return { code: 'PAYMENT_ALREADY_EXPORTED', message: vi.today.voidExported(row.receiptNo) };
  return null;
}

/** A copy counts on the Z report: R asks first. Enter prints, Esc does not. */
function ReprintConfirm({ receiptNo, onConfirm, onCancel }: { receiptNo: string; onConfirm: () => void; onCancel: () => void }) {
  return (
    <form
      className="panel"
      data-testid="reprint-confirm"
      onSubmit={(e) => {
        e.preventDefault();
        onConfirm();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onCancel();
        }
      }}
    >
      <p>{vi.today.reprintAsk(receiptNo)}</p>
      <button type="submit" autoFocus>
        {vi.today.reprintYes}
      </button>
      <button type="button" className="secondary" onClick={onCancel}>
        {vi.today.reprintNo}
      </button>
    </form>
  );
}

function VoidForm({ receiptNo, onDone, onCancel }: { receiptNo: string; onDone: (receiptNo: string) => void; onCancel: () => void }) {
  const [reason, setReason] = useState('');
  const [code, setCode] = useState('');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<IpcError | null>(null);
  const t = vi.today;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    call('voidPayment', { receiptNo, reason, supervisor: { code, pin } }).then(
      () => onDone(receiptNo),
      (e) => setError(failureOf(e)),
    );
  };
  return (
    <form
      className="panel void"
      onSubmit={submit}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onCancel();
        }
      }}
    >
      <h2>{t.voidTitle(receiptNo)}</h2>
      <Field label={t.reason} value={reason} onChange={(e) => setReason(e.target.value)} autoFocus name="reason" />
      <Field label={t.supervisorCode} value={code} onChange={(e) => setCode(e.target.value)} name="supervisor-code" autoComplete="off" />
      <Field label={t.supervisorPin} value={pin} onChange={(e) => setPin(e.target.value)} type="password" name="supervisor-pin" />
      <button type="submit">{t.confirmVoid}</button>
      <ErrorMessage error={error} />
    </form>
  );
}
