import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { ClearingView, IpcError, ResultView, WaitingLineView } from '../../electron/ipc/contract.ts';
import { call, failureOf } from '../api.ts';
import { vi } from '../i18n/vi.ts';
import { dateTime, money } from '../format.ts';
import { Field } from '../components/Field.tsx';
import { PathForm } from '../components/PathForm.tsx';
import { ErrorMessage, Message } from '../components/Message.tsx';

const t = vi.results;
const billName = (idHdon: string) => (idHdon === '' ? t.fee : idHdon);
/** How a decision names a line: its ID_HDON, or PHI for the fee charged here (cmis/line-decisions.ts). */
const billOfLine = (idHdon: string) => (idHdon === '' ? 'PHI' : idHdon);

/** F8: CMIS's answer to a clearing batch read from its file, the batches' stages, and the lines a supervisor decides (refund or resend). */
export function Results({ onChanged }: { onChanged: () => void }) {
  const [path, setPath] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ResultView | null>(null);
  const [state, setState] = useState<ClearingView | null>(null);
  const [error, setError] = useState<IpcError | null>(null);

  const refresh = useCallback(() => call('clearingState', {}).then(setState, (e) => setError(failureOf(e))), []);
  useEffect(() => void refresh(), [refresh]);

  const read = (file: string) => {
    setBusy(true);
    setError(null);
    setResult(null);
    call('resultRead', { path: file })
      .then(
        (r) => {
          setResult(r);
          onChanged();
          return refresh();
        },
        (e) => setError(failureOf(e)),
      )
      .finally(() => setBusy(false));
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (path.trim() !== '' && !busy) read(path.trim());
  };
  // A file chosen in the dialog is read at once, as on the import screen.
  const choose = () =>
    call('chooseResultFile', {}).then(
      (r) => {
        if (r.path === null) return;
        setPath(r.path);
        read(r.path);
      },
      (e) => setError(failureOf(e)),
    );

  return (
    <section className="results">
      <h1>{t.title}</h1>
      <PathForm label={t.path} name="result-path" path={path} onPath={setPath} onChoose={choose} onSubmit={submit} chooseLabel={t.choose} submitLabel={t.read} busy={busy} />
      <ErrorMessage error={error} />
      {result !== null && <ResultLines result={result} />}
      {state !== null && <Batches state={state} />}
      {state !== null && (
        <Decisions
          waiting={state.waiting}
          onDecided={() => {
            onChanged();
            void refresh();
          }}
        />
      )}
    </section>
  );
}

function ResultLines({ result }: { result: ResultView }) {
  return (
    <div data-testid="result-lines">
      <Message kind={result.status === 'recorded' ? 'ok' : 'warn'} text={result.status === 'recorded' ? t.recorded(result.fileName, result.newCount) : t.already(result.fileName)} />
      <table className="receipts">
        <thead>
          <tr>
            <th>{t.receipt}</th>
            <th>{t.bill}</th>
            <th>{t.answer}</th>
            <th>{t.note}</th>
          </tr>
        </thead>
        <tbody>
          {result.lines.map((l) => (
            <tr key={`${l.receiptNo} ${l.idHdon}`} className={l.ketQua === 'OK' ? '' : 'rejected'}>
              <td>{l.receiptNo}</td>
              <td>{billName(l.idHdon)}</td>
              <td>{l.ketQua === 'OK' ? t.ok : `${t.rejected}: ${l.ketQua} — ${t.reasons[l.ketQua] ?? ''}`}</td>
              <td>{l.ghiChu}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {result.missing.length > 0 && (
        <div data-testid="result-missing">
          <Message kind="warn" text={t.missing(result.missing.length)} />
          <ul>
            {result.missing.map((m) => (
              <li key={`${m.receiptNo} ${m.idHdon}`}>
                {m.receiptNo} {billName(m.idHdon)}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

function Batches({ state }: { state: ClearingView }) {
  return (
    <div data-testid="batches">
      <h2>{t.batches}</h2>
      <table className="receipts">
        <thead>
          <tr>
            <th>{t.batch}</th>
            <th>{t.stage}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {state.batches.map((b) => (
            <tr key={b.batchId}>
              <td>
                {b.csvFile} · {dateTime(b.createdAt)}
              </td>
              <td data-stage={b.stage}>{t.stages[b.stage] ?? b.stage}</td>
              <td>{t.counts(b)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Decisions({ waiting, onDecided }: { waiting: WaitingLineView[]; onDecided: () => void }) {
  const [picked, setPicked] = useState<WaitingLineView | null>(null);
  const [supervisor, setSupervisor] = useState({ code: '', pin: '' });
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<IpcError | null>(null);

  const decided = (text: string) => {
    setDone(text);
    setError(null);
    setPicked(null);
    setReason('');
    setSupervisor({ code: '', pin: '' });
    onDecided();
  };
  const request = (line: WaitingLineView) => ({ receiptNo: line.receiptNo, bills: [billOfLine(line.idHdon)], supervisor });
  const refund = (event: FormEvent) => {
    event.preventDefault();
    if (picked === null) return;
    call('decideRefund', { ...request(picked), reason }).then((r) => decided(t.refunded(r.receiptNo, money(r.total))), (e) => setError(failureOf(e)));
  };
  const resend = () => {
    if (picked === null) return;
    call('decideResend', request(picked)).then((r) => decided(t.resent(r.receiptNo)), (e) => setError(failureOf(e)));
  };

  return (
    <div data-testid="decisions">
      <h2>{t.waiting}</h2>
      {done !== null && <Message kind="ok" text={done} />}
      {waiting.length === 0 ? (
        <p>{t.nothingWaiting}</p>
      ) : (
        <table className="receipts">
          <thead>
            <tr>
              <th>{t.receipt}</th>
              <th>{t.bill}</th>
              <th>{t.customer}</th>
              <th>{t.amount}</th>
              <th>{t.why}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {waiting.map((l) => (
              <tr key={`${l.receiptNo} ${l.idHdon}`} className={picked === l ? 'selected' : ''}>
                <td>{l.receiptNo}</td>
                <td>{billName(l.idHdon)}</td>
                <td>
                  {l.maKhang} · {l.tenKhang}
                </td>
                <td>{money(l.tongTien)}</td>
                <td>{l.why === 'conflict' ? t.conflict : t.cmisSaid(l.ketQua ?? '', l.ghiChu)}</td>
                <td>
                  <button type="button" className="secondary" onClick={() => setPicked(l)} aria-label={`${t.pick} ${l.receiptNo} ${billName(l.idHdon)}`}>
                    {t.pick}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {picked !== null && (
        <form className="panel" onSubmit={refund} data-testid="decision-form">
          <h3>{t.decideTitle(picked.receiptNo, billName(picked.idHdon))}</h3>
          <Field label={t.supervisorCode} value={supervisor.code} onChange={(e) => setSupervisor({ ...supervisor, code: e.target.value })} autoFocus autoComplete="off" />
          <Field label={t.supervisorPin} type="password" value={supervisor.pin} onChange={(e) => setSupervisor({ ...supervisor, pin: e.target.value })} autoComplete="off" />
          <Field label={t.reason} value={reason} onChange={(e) => setReason(e.target.value)} autoComplete="off" />
          <p>{t.refundHint}</p>
          <div className="row">
            <button type="submit">{t.refund}</button>
            {picked.canResend && (
              <button type="button" className="secondary" onClick={resend}>
                {t.resend}
              </button>
            )}
          </div>
        </form>
      )}
      <ErrorMessage error={error} />
    </div>
  );
}
