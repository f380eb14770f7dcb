import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { CollectView, CustomerView, HourlyView, IpcError, QuoteView } from '../../electron/ipc/contract.ts';
import { formatAmount, parseAmount } from '../../electron/core/money.ts';
import { commonAmounts } from '../tender.ts';
import { roundChange, type ChangeStep } from '../../electron/core/change-rounding.ts';
import { outcomeOfEarlier, paidNow, type CollectOutcome, type Counter } from '../counter.ts';
import { chosenIds, isChosen, periods, step, toggle } from '../selection.ts';
import { call, failureOf } from '../api.ts';
import { vi } from '../i18n/vi.ts';
import { dateTime, errorText, money, period } from '../format.ts';
import { Field } from '../components/Field.tsx';
import { ErrorMessage, Message } from '../components/Message.tsx';
import { HourlyChart } from '../components/HourlyChart.tsx';

/** How long the banner offers an undo after an automatic collect. */
const UNDO_SECONDS = 10;

interface Props {
  counter: Counter;
  autoCollect: boolean;
  /** The printer's trouble, if any: the last receipt's banner never says it printed when it did not. */
  printing: 'printing' | 'failed' | null;
  onLookup: (code: string) => void;
  /** `billIds`: the chosen bills (undefined: all); `tendered`: the cash handed over, when typed, and the step its change was shown rounded at. */
  onCollect: (customer: CustomerView, billIds?: string[], tendered?: { tendered: number; changeStep: ChangeStep }) => void;
  onUndone: (receiptNo: string) => void;
}

/** The ready-to-scan home: large and calm; a scan shows the customer, Enter collects and prints. */
export function Home({ counter, autoCollect, printing, onLookup, onCollect, onUndone }: Props) {
  const [code, setCode] = useState('');
  const [hourly, setHourly] = useState<HourlyView | null>(null);
  const lookupField = useRef<HTMLInputElement>(null);
  const customer = counter.customer;
  const done = paidNow(counter);
  useEffect(() => setCode(''), [counter.customer, counter.notFound]);
  useEffect(() => {
    call('hourlyCollections', {}).then(setHourly, () => undefined);
  }, [counter.collect]);
  // Once the customer has paid (or nobody is on screen) the next code can be typed at once.
  useEffect(() => {
    if (customer === null || done) lookupField.current?.focus();
  }, [customer, done]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (code.trim() !== '') onLookup(code.trim());
  };
  return (
    <section className={customer === null ? 'home' : 'home with-customer'}>
      <form className="ready" onSubmit={submit}>
        {customer === null && <h1 className="ready-title">{vi.home.ready}</h1>}
        {customer === null && <p>{vi.home.hint}</p>}
        <Field label={vi.home.codeLabel} value={code} onChange={(e) => setCode(e.target.value)} autoFocus={customer === null} autoComplete="off" name="lookup" ref={lookupField} />
        {autoCollect && <p className="badge">{vi.home.autoCollect}</p>}
      </form>
      {counter.notFound !== null && <Message kind="warn" text={vi.home.notFound(counter.notFound)} />}
      <ErrorMessage error={counter.error} />
      {counter.collect !== null && <Outcome outcome={counter.collect} earlier={outcomeOfEarlier(counter)} canUndo={autoCollect} printing={printing} onUndone={onUndone} />}
      {/* One card per visit: what was typed or chosen for one customer never carries over to the next. */}
      {customer !== null && <CustomerCard key={counter.visit} customer={customer} counter={counter} onCollect={onCollect} />}
      {customer === null && <HourlyChart data={hourly} />}
    </section>
  );
}

/** '-' and '+' choose periods, '*' tenders the exact amount; none is ever part of an amount. */
const STEP_KEYS: Record<string, -1 | 1> = { '-': -1, '+': 1 };
const EXACT_KEY = '*';

const isEditable = (target: EventTarget | null): boolean => target instanceof HTMLInputElement && target.type !== 'checkbox';

function CustomerCard({ customer, counter, onCollect }: { customer: CustomerView; counter: Counter; onCollect: Props['onCollect'] }) {
  const [tendered, setTendered] = useState('');
  const [kept, setKept] = useState(() => periods(customer.bills).length);
  const [quote, setQuote] = useState<{ key: string; value: QuoteView } | null>(null);
  const [quoteError, setQuoteError] = useState<IpcError | null>(null);
  const h = vi.home;
  const done = paidNow(counter);
  const open = customer.bills.length > 0 && !done;
  const ids = chosenIds(customer.bills, kept);
  const key = ids.join(' ');
  // A refused collect asks the quote again: a setting changed since (CHANGE_ROUNDING_CHANGED) shows its new change.
  const refused = counter.collect !== null && 'error' in counter.collect ? counter.collect : null;

  // The total of the chosen bills comes from main (fee and reconnection rules included), for exactly this choice.
  useEffect(() => {
    if (customer.bills.length === 0) return;
    let current = true;
    call('quote', { customerId: customer.id, billIds: key.split(' ') }).then(
      (value) => {
        if (!current) return;
        setQuote({ key, value });
        setQuoteError(null);
      },
      (e) => current && setQuoteError(failureOf(e)),
    );
    return () => {
      current = false;
    };
  }, [customer.id, customer.bills.length, key, refused]);

  const q = quote?.key === key ? quote.value : null;
  const exactTotal = q === null ? null : formatAmount(q.total);
  /** A quick key: true when `ch` was one. */
  const quickKey = (ch: string): boolean => {
    const delta = STEP_KEYS[ch];
    if (delta !== undefined) setKept((k) => step(customer.bills, k, delta));
    else if (ch === EXACT_KEY && exactTotal !== null) setTendered(exactTotal);
    else return ch === EXACT_KEY;
    return true;
  };
  const quick = useRef(quickKey);
  quick.current = quickKey;
  useEffect(() => {
    if (!open) return;
    // Outside a field (a box clicked, or keys the scanner detector gave back): the keys still work.
    const onKey = (event: KeyboardEvent) => {
      if (isEditable(event.target) || !quick.current(event.key)) return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open]);

  // In the field the keys arrive as typed text (the scanner detector gives held keys back that way).
  const onTendered = (value: string) => {
    const typed = [...value].filter((ch) => !quickKey(ch)).join('');
    if (!value.includes(EXACT_KEY)) setTendered(typed);
  };

  const given = tendered.trim() === '' ? undefined : parseAmount(tendered);
  // The change as the payment will record it: rounded down at the quote's step, which the collect sends back.
  const change = given === undefined || given === null || q === null ? null : roundChange(q.total, given, q.changeStep);
  const collectNow = () => {
    if (done || counter.busy || q === null || q.total === 0 || given === null || (change !== null && change.change < 0)) return;
    onCollect(customer, q.billIds, given === undefined ? undefined : { tendered: given, changeStep: q.changeStep });
  };
  // Enter before the total of this choice is in (just after a scan): it collects when the total comes, for that choice only.
  const [enterFor, setEnterFor] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (q === null && quoteError === null) setEnterFor(key);
    else collectNow();
  };
  useEffect(() => {
    if (enterFor === null || q === null) return;
    setEnterFor(null);
    if (enterFor === key) collectNow();
    // Runs when the awaited total arrives (collectNow reads this render).
  }, [enterFor, q]);
  return (
    <form className="customer" onSubmit={submit} data-testid="customer">
      <header className="who">
        <h2>{customer.tenKhang}</h2>
        <p className="address">{customer.dchiKhang}</p>
      </header>
      <div className="info">
        <dl className="meta">
          <dt>{h.meta.code}</dt>
          <dd data-testid="ma-khang">{customer.maKhang}</dd>
          <dt>{h.meta.book}</dt>
          <dd>
            {customer.maSogcs ?? '–'} / {customer.stt ?? '–'}
          </dd>
          <dt>{h.meta.meter}</dt>
          <dd>{customer.soCto ?? '–'}</dd>
          {customer.maThe !== null && <dt>{h.meta.card}</dt>}
          {customer.maThe !== null && <dd>{customer.maThe}</dd>}
        </dl>
        {customer.cut && <Message kind="warn" text={h.cut} />}
        {customer.officePaid.length > 0 && (
          <div className="office-paid" data-testid="office-paid">
            <p className="small">
              <strong>{h.officePaid}</strong>
            </p>
            {customer.officePaid.map((o) => (
              <Message key={o.bill.id} kind="warn" text={`${period(o.bill)} · ${money(o.bill.tongTien)}: ${o.notice}`} />
            ))}
          </div>
        )}
        {customer.bills.length === 0 && !done && <Message kind="ok" text={h.noDebt} />}
        {open && (
          <div className="bills-scroll">
            <table className="bills">
              <caption>
                {h.bills} <span className="hint">{h.chooseHint}</span>
              </caption>
              <thead>
                <tr>
                  <th>{h.choose}</th>
                  <th>{h.period}</th>
                  <th>{h.type}</th>
                  <th className="num">{h.kwh}</th>
                  <th className="num">{h.amount}</th>
                  <th className="num">{h.vat}</th>
                  <th className="num">{h.total}</th>
                  <th>{h.due}</th>
                </tr>
              </thead>
              <tbody>
                {customer.bills.map((b) => {
                  const chosen = isChosen(customer.bills, kept, b);
                  return (
                    <tr key={b.id} className={chosen ? '' : 'left-out'}>
                      <td>
                        <input type="checkbox" checked={chosen} disabled={b.loaiHdon === 'DC'} onChange={() => setKept((k) => toggle(customer.bills, k, b))} aria-label={period(b)} />
                      </td>
                      <td>{period(b)}</td>
                      <td>{b.loaiHdon}</td>
                      <td className="num">{b.dienTthu ?? '–'}</td>
                      <td className="num">{money(b.soTien)}</td>
                      <td className="num">{money(b.tienGtgt)}</td>
                      <td className="num">{money(b.tongTien)}</td>
                      <td>{b.hanTtoan ?? '–'}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </div>
      {open && (
        <div className="pay">
          {q !== null && q.fee > 0 && (
            <p>
              {h.billsTotal}: {money(q.billsTotal)} · {h.reconnectionFee}: <strong data-testid="reconnection-fee">{money(q.fee)}</strong>
            </p>
          )}
          {customer.cut && q !== null && !q.reconnectionOrder && <Message kind="warn" text={h.partialCut} />}
          <p className="grand">
            <span>{h.grandTotal}</span>
            {q === null ? <strong data-testid="grand-total-pending">{h.quoting}</strong> : <strong data-testid="grand-total">{money(q.total)}</strong>}
          </p>
          <ErrorMessage error={quoteError} />
          <Field label={h.tendered} value={tendered} onChange={(e) => onTendered(e.target.value)} autoFocus inputMode="numeric" name="tendered" autoComplete="off" />
          {q !== null && (
            <div className="quick-amounts">
              <button type="button" className="secondary" onClick={() => exactTotal !== null && setTendered(exactTotal)}>
                {h.exact}
              </button>
              {commonAmounts(q.total).map((amount) => (
                <button type="button" className="secondary" key={amount} onClick={() => setTendered(formatAmount(amount))}>
                  {money(amount)}
                </button>
              ))}
            </div>
          )}
          {change !== null && change.change >= 0 && (
            <p className="change">
              {h.change}: <strong data-testid="change">{money(change.change)}</strong>
              {change.rounding > 0 && (
                <>
                  {' · '}
                  <span data-testid="change-rounding">{h.rounded(money(change.rounding))}</span>
                </>
              )}
            </p>
          )}
          {change !== null && change.change < 0 && <Message kind="warn" text={h.tooLittle} />}
          {/* Never `disabled`: a form whose submit button is disabled ignores Enter, and an Enter before the total waits for it. */}
          <button type="submit" className="collect" aria-disabled={counter.busy || q === null}>
            {counter.busy ? h.collecting : h.collect}
          </button>
        </div>
      )}
    </form>
  );
}

/**
 * The last collect's outcome, naming its customer: "the earlier customer" when another one has been
 * scanned since (that one stays on screen below). A refusal is an alert: that customer has not paid.
 */
function Outcome({ outcome, earlier, canUndo, printing, onUndone }: { outcome: CollectOutcome; earlier: boolean; canUndo: boolean; printing: Props['printing']; onUndone: (receiptNo: string) => void }) {
  const { tenKhang, maKhang } = outcome.customer;
  if ('error' in outcome) return <Message kind="error" text={vi.home.notCollected(tenKhang, maKhang, earlier, errorText(outcome.error))} />;
  return <CollectedBanner collected={outcome.result} who={vi.home.customerOf(tenKhang, maKhang, earlier)} canUndo={canUndo} printing={printing} onUndone={onUndone} />;
}

/**
 * After a collect: the receipt number. In auto-collect mode the banner offers an undo for a few
 * seconds; an undo is a void, and the file contract allows voids only by a supervisor, so it asks
 * for the supervisor's code and PIN (the countdown stops once the undo is started).
 */
function CollectedBanner({ collected, who, canUndo, printing, onUndone }: { collected: CollectView; who: string; canUndo: boolean; printing: Props['printing']; onUndone: (receiptNo: string) => void }) {
  const [left, setLeft] = useState(UNDO_SECONDS);
  const [undoing, setUndoing] = useState(false);
  useEffect(() => {
    if (!canUndo || undoing || left === 0) return;
    const timer = setTimeout(() => setLeft(left - 1), 1000);
    return () => clearTimeout(timer);
  }, [canUndo, undoing, left]);
  useEffect(() => {
    if (!canUndo || left === 0) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey && event.key.toLowerCase() === 'z') {
        event.preventDefault();
        setUndoing(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [canUndo, left]);
  return (
    <div className="collected" role="status" data-testid="collected">
      <p>{vi.home.collected(collected.receiptNo, money(collected.total))}</p>
      {collected.change !== null && (
        <p className="change-given">
          {vi.home.change}: <strong data-testid="change-given">{money(collected.change)}</strong>
          {collected.changeRounding > 0 && (
            <>
              {' · '}
              <span data-testid="change-rounding-given">{vi.home.rounded(money(collected.changeRounding))}</span>
            </>
          )}
        </p>
      )}
      {collected.reconnectionOrder && <p>{vi.home.reconnectionOrder}</p>}
      {printing === 'printing' && <p className="small">{vi.home.printing}</p>}
      {printing === 'failed' && <p className="not-printed">{vi.home.notPrinted}</p>}
      <p className="small">
        {who} · {dateTime(collected.paidAt)}
      </p>
      {canUndo && !undoing && left > 0 && (
        <button type="button" className="undo" onClick={() => setUndoing(true)}>
          {vi.home.undo(left)}
        </button>
      )}
      {undoing && <UndoForm receiptNo={collected.receiptNo} onUndone={onUndone} />}
    </div>
  );
}

function UndoForm({ receiptNo, onUndone }: { receiptNo: string; onUndone: (receiptNo: string) => void }) {
  const [code, setCode] = useState('');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<IpcError | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    call('voidPayment', { receiptNo, reason: vi.home.undoReason, supervisor: { code, pin } }).then(
      () => onUndone(receiptNo),
      (e) => setError(failureOf(e)),
    );
  };
  return (
    <form onSubmit={submit} className="row undo-form">
      <p className="small">{vi.home.undoHint}</p>
      <Field label={vi.today.supervisorCode} value={code} onChange={(e) => setCode(e.target.value)} autoFocus name="supervisor-code" autoComplete="off" />
      <Field label={vi.today.supervisorPin} type="password" value={pin} onChange={(e) => setPin(e.target.value)} name="supervisor-pin" />
      <button type="submit">{vi.home.confirmUndo}</button>
      <ErrorMessage error={error} />
    </form>
  );
}
