import { useEffect, useState, type FormEvent } from 'react';
import type { DepositView, IpcError } from '../../electron/ipc/contract.ts';
import { parseAmount } from '../../electron/core/money.ts';
import { call, failureOf } from '../api.ts';
import { vi } from '../i18n/vi.ts';
import { dateTime, money } from '../format.ts';
import { Field } from '../components/Field.tsx';
import { ErrorMessage, Message } from '../components/Message.tsx';

const t = vi.deposit;
/** The notes a supervisor counts, largest first (shifts/deposit.ts NOTE_VALUES; the service refuses any other). */
const NOTES = [500000, 200000, 100000, 50000, 20000, 10000, 5000, 2000, 1000, 500, 200];

/**
 * The close of the day: once every shift is closed, a supervisor counts the notes going to the bank;
 * main compares them with the day's receipts less refunds, prints the slip and writes its file.
 */
export function DepositPanel() {
  const [state, setState] = useState<DepositView | null>(null);
  const [counts, setCounts] = useState<Record<number, string>>({});
  const [supervisor, setSupervisor] = useState({ code: '', pin: '' });
  const [loose, setLoose] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<IpcError | null>(null);

  useEffect(() => {
    call('depositState', {}).then(setState, (e) => setError(failureOf(e)));
  }, []);

  const make = (event: FormEvent) => {
    event.preventDefault();
    const notes = NOTES.map((value) => ({ value, count: parseAmount(counts[value] ?? '') ?? 0 }));
    const looseChange = parseAmount(loose) ?? 0;
    call('depositMake', { supervisor, notes, looseChange, ...(reason.trim() === '' ? {} : { reason }) }).then(
      (r) => {
        setState(r);
        setError(null);
      },
      (e) => setError(failureOf(e)),
    );
  };

  if (state === null) return <ErrorMessage error={error} />;
  const slip = state.slip;
  return (
    <form className="panel deposit" onSubmit={make} data-testid="deposit">
      <h2>
        {t.title} · {t.day(state.day)}
      </h2>
      {state.openShifts.length > 0 && <Message kind="warn" text={t.openShifts(state.openShifts.map((s) => `${s.shiftId} (${s.cashierCode})`).join(', '))} />}
      {state.cashiers.length === 0 ? (
        <p>{t.none}</p>
      ) : (
        <table className="receipts">
          <thead>
            <tr>
              <th>{t.cashier}</th>
              <th>{t.shifts}</th>
              <th>{t.receipts}</th>
              <th>{t.refunds}</th>
              <th>{t.handedOver}</th>
            </tr>
          </thead>
          <tbody>
            {(slip?.cashiers ?? state.cashiers).map((c) => (
              <tr key={c.cashier.code}>
                <td>
                  {c.cashier.code} · {c.cashier.name}
                </td>
                <td>{c.shiftIds.join(', ')}</td>
                <td>
                  {c.receipts} · {money(c.receiptsTotal)}
                  {c.roundingTotal > 0 ? ` (làm tròn ${money(c.roundingTotal)})` : ''}
                </td>
                <td>
                  {c.refunds} · {money(c.refundsTotal)}
                </td>
                <td>{money(c.handedOver)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {slip === null ? (
        <>
          <p>
            {t.expected}: <strong data-testid="deposit-expected">{money(state.expected)}</strong>
          </p>
          <fieldset>
            <legend>{t.notes}</legend>
            <div className="row wrap">
              {NOTES.map((value) => (
                <Field key={value} label={t.note(money(value))} value={counts[value] ?? ''} onChange={(e) => setCounts({ ...counts, [value]: e.target.value })} inputMode="numeric" autoComplete="off" />
              ))}
              <Field label={t.looseChange} value={loose} onChange={(e) => setLoose(e.target.value)} inputMode="numeric" autoComplete="off" />
            </div>
          </fieldset>
          <Field label={t.reason} value={reason} onChange={(e) => setReason(e.target.value)} autoComplete="off" />
          <div className="row">
            <Field label={vi.results.supervisorCode} value={supervisor.code} onChange={(e) => setSupervisor({ ...supervisor, code: e.target.value })} autoComplete="off" />
            <Field label={vi.results.supervisorPin} type="password" value={supervisor.pin} onChange={(e) => setSupervisor({ ...supervisor, pin: e.target.value })} autoComplete="off" />
            <button type="submit">{t.make}</button>
          </div>
        </>
      ) : (
        <div data-testid="deposit-slip">
          <Message kind="ok" text={t.made(slip.depositId)} />
          <dl className="meta">
            <div>
              <dt>{t.expected}</dt>
              <dd>{money(slip.expected)}</dd>
            </div>
            <div>
              <dt>{t.counted}</dt>
              <dd>{money(slip.counted)}</dd>
            </div>
            <div className={slip.difference === 0 ? '' : 'warn'}>
              <dt>{t.difference}</dt>
              <dd>
                {money(slip.difference)}
                {slip.reason === null ? '' : ` · ${slip.reason}`}
              </dd>
            </div>
          </dl>
          <p>
            {slip.supervisor.code} · {dateTime(slip.madeAt)}
          </p>
          {state.file !== null && <p>{t.file(state.file)}</p>}
        </div>
      )}
      <ErrorMessage error={error} />
    </form>
  );
}
