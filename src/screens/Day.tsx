import { useState, type FormEvent } from 'react';
import type { DayScope, DayView, IpcError } from '../../electron/ipc/contract.ts';
import { parseDate } from '../../electron/core/local-time.ts';
import { call, failureOf } from '../api.ts';
import { vi } from '../i18n/vi.ts';
import { dateTime, money } from '../format.ts';
import { Field } from '../components/Field.tsx';
import { ErrorMessage, Message } from '../components/Message.tsx';
import { SupervisorUnlock, type Supervisor } from '../components/SupervisorUnlock.tsx';

const p2 = (n: number) => String(n).padStart(2, '0');
const displayDay = (iso: string) => iso.split('-').reverse().join('/');

/**
 * F7: the supervisor's day. Every cashier's figures for a day (today unless another is typed), the
 * shifts closed that day with their Z report and receipt list to print again, and the "trùng thu"
 * receipts waiting for a refund. Each call carries the supervisor's code + PIN (main checks it).
 */
export function Day({ onPrinted }: { onPrinted: () => void }) {
  const [supervisor, setSupervisor] = useState<Supervisor>({ code: '', pin: '' });
  const [view, setView] = useState<DayView | null>(null);
  const [dayText, setDayText] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const t = vi.day;

  /** The day typed, or main's today (its clock, not the window's) when none is. */
  const load = (text: string | null) => {
    const d = text === null ? null : parseDate(text);
    if (text !== null && d === null) return setError({ code: 'DATE_INVALID', message: t.badDate });
    call('supervisorDay', { supervisor, ...(d === null ? {} : { day: `${d.year}-${p2(d.month)}-${p2(d.day)}` }) }).then(
      (v) => {
        setView(v);
        setDayText(displayDay(v.day));
        setError(null);
      },
      (e) => setError(failureOf(e)),
    );
  };
  const print = (channel: 'zReprint' | 'receiptListPrint', scope: DayScope) => {
    const done = (text: string) => {
      setNotice(text);
      setError(null);
      onPrinted();
    };
    const fail = (e: unknown) => setError(failureOf(e));
    if (channel === 'zReprint') call('zReprint', { supervisor, scope }).then((r) => done(t.zSent(r.copyNo)), fail);
    else call('receiptListPrint', { supervisor, scope }).then((r) => done(t.listSent(r.receipts)), fail);
  };

  if (view === null) return <SupervisorUnlock title={t.title} supervisor={supervisor} onChange={setSupervisor} onUnlock={() => load(null)} submit={t.unlock} error={error} />;
  const pick = (event: FormEvent) => {
    event.preventDefault();
    setNotice(null);
    load(dayText);
  };
  return (
    <section className="day" data-testid="day">
      <h1>{t.heading(displayDay(view.day))}</h1>
      <form className="row" onSubmit={pick}>
        <Field label={t.date} value={dayText} onChange={(e) => setDayText(e.target.value)} name="day" autoFocus inputMode="numeric" />
        <button type="submit">{t.show}</button>
        <button type="button" className="secondary" onClick={() => print('zReprint', { day: view.day })}>
          {t.dayReprintZ}
        </button>
        <button type="button" className="secondary" onClick={() => print('receiptListPrint', { day: view.day })}>
          {t.dayPrintList}
        </button>
      </form>
      {notice !== null && <Message kind="ok" text={notice} />}
      <ErrorMessage error={error} />
      <div className="day-totals">
        <ByType view={view} />
        <div>
          <ByCashier view={view} />
          <Conflicts view={view} />
        </div>
      </div>
      <Closings view={view} onPrint={print} />
    </section>
  );
}

/** The parts that add up to TỔNG THU, then what was taken back out (voids, refunds), the change rounding kept, and the copies. */
function ByType({ view }: { view: DayView }) {
  const t = vi.day;
  return (
    <table data-testid="day-by-type">
      <caption>{t.byType}</caption>
      <thead>
        <tr>
          <th>{t.kind}</th>
          <th className="num">{t.count}</th>
          <th className="num">{t.amount}</th>
        </tr>
      </thead>
      <tbody>
        {view.parts.map((part) => (
          <tr key={part.key}>
            <td>{t.parts[part.key]}</td>
            <td className="num">{part.count}</td>
            <td className="num">{money(part.total)}</td>
          </tr>
        ))}
        <tr className="total">
          <td>{t.total}</td>
          <td className="num">{view.receiptCount}</td>
          <td className="num">{money(view.grandTotal)}</td>
        </tr>
        <tr>
          <td>{t.voids}</td>
          <td className="num">{view.voids.count}</td>
          <td className="num">{money(view.voids.total)}</td>
        </tr>
        <tr>
          <td>{t.refunds}</td>
          <td className="num">{view.refunds.count}</td>
          <td className="num">{money(view.refunds.total)}</td>
        </tr>
        <tr>
          <td>{t.changeRounding}</td>
          <td className="num">{view.changeRounding.count}</td>
          <td className="num">{money(view.changeRounding.total)}</td>
        </tr>
        <tr>
          <td>{t.reprints}</td>
          <td className="num">{view.reprints}</td>
          <td />
        </tr>
      </tbody>
    </table>
  );
}

function ByCashier({ view }: { view: DayView }) {
  const t = vi.day;
  return (
    <table data-testid="day-by-cashier">
      <caption>{t.byCashier}</caption>
      <thead>
        <tr>
          <th>{t.cashier}</th>
          <th className="num">{t.receipts}</th>
          <th className="num">{t.amount}</th>
          <th className="num">{t.voids}</th>
          <th className="num">{t.reprints}</th>
          <th className="num">{t.refunds}</th>
        </tr>
      </thead>
      <tbody>
        {view.cashiers.length === 0 && (
          <tr>
            <td colSpan={6}>{t.noneCollected}</td>
          </tr>
        )}
        {view.cashiers.map((c) => (
          <tr key={c.code}>
            <td>
              {c.name} <span className="code">{c.code}</span>
            </td>
            <td className="num">{c.receipts}</td>
            <td className="num">{money(c.total)}</td>
            <td className="num">{c.voids.count === 0 ? '0' : `${c.voids.count} (${money(c.voids.total)})`}</td>
            <td className="num">{c.reprints}</td>
            <td className="num">{c.refunds.count === 0 ? '0' : `${c.refunds.count} (${money(c.refunds.total)})`}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Closings({ view, onPrint }: { view: DayView; onPrint: (channel: 'zReprint' | 'receiptListPrint', scope: DayScope) => void }) {
  const t = vi.day;
  return (
    <table data-testid="day-closings">
      <caption>{t.closings}</caption>
      <thead>
        <tr>
          <th>{t.shift}</th>
          <th>{t.cashier}</th>
          <th>{t.opened}</th>
          <th>{t.closed}</th>
          <th className="num">{t.receipts}</th>
          <th className="num">{t.amount}</th>
          <th className="num">{t.variance}</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {view.closings.length === 0 && (
          <tr>
            <td colSpan={8}>{t.noClosings}</td>
          </tr>
        )}
        {view.closings.map((s) => (
          <tr key={s.shiftId} data-shift={s.shiftId}>
            <td>{s.shiftId}</td>
            <td>
              {s.cashier.name} <span className="code">{s.cashier.code}</span>
            </td>
            <td>{dateTime(s.openedAt)}</td>
            <td>{dateTime(s.closedAt)}</td>
            <td className="num">{s.receipts}</td>
            <td className="num">{money(s.total)}</td>
            <td className="num">{s.variance === null ? '-' : money(s.variance)}</td>
            <td>
              <button type="button" className="secondary" onClick={() => onPrint('zReprint', { shiftId: s.shiftId })}>
                {t.reprintZ}
              </button>
              <button type="button" className="secondary" onClick={() => onPrint('receiptListPrint', { shiftId: s.shiftId })}>
                {t.printList}
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Conflicts({ view }: { view: DayView }) {
  const t = vi.day;
  return (
    <section data-testid="day-conflicts">
      <h2>{t.conflicts}</h2>
      <p className="hint">{t.conflictsHint}</p>
      {view.conflicts.length === 0 ? (
        <Message kind="ok" text={t.noConflicts} />
      ) : (
        <table>
          <thead>
            <tr>
              <th>{t.customer}</th>
              <th>{t.receipt}</th>
              <th>{t.bills}</th>
              <th className="num">{t.amount}</th>
            </tr>
          </thead>
          <tbody>
            {view.conflicts.map((c) => (
              <tr key={c.receiptNo}>
                <td>
                  {c.tenKhang} <span className="code">{c.maKhang}</span>
                </td>
                <td>{c.receiptNo}</td>
                <td>{c.bills.map((b) => `${b.idHdon} (${b.loaiHdon} ${p2(b.thang)}/${b.nam})`).join(', ')}</td>
                <td className="num">{money(c.amount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
