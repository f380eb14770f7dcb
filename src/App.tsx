import { useCallback, useEffect, useRef, useState } from 'react';
import type { CustomerView, SessionView, StatusView } from '../electron/ipc/contract.ts';
import type { ChangeStep } from '../electron/core/change-rounding.ts';
import { call, events, failureOf, newIdempotencyKey } from './api.ts';
import { collected, collecting, EMPTY_COUNTER, undone, visit, type Counter } from './counter.ts';
import { vi } from './i18n/vi.ts';
import { useWedgeScanner } from './scan/use-wedge.ts';
import { Login } from './screens/Login.tsx';
import { OpenShift } from './screens/OpenShift.tsx';
import { Home } from './screens/Home.tsx';
import { Search } from './screens/Search.tsx';
import { Today } from './screens/Today.tsx';
import { Import } from './screens/Import.tsx';
import { CloseShift } from './screens/CloseShift.tsx';
import { Settings } from './screens/Settings.tsx';
import { Results } from './screens/Results.tsx';
import { Day } from './screens/Day.tsx';
import { Setup } from './screens/Setup.tsx';
import { StatusBar } from './components/StatusBar.tsx';
import { About } from './components/About.tsx';
import { Message } from './components/Message.tsx';
import { dateTime, printTrouble } from './format.ts';

export type Screen = 'home' | 'search' | 'today' | 'import' | 'close' | 'day' | 'results' | 'settings';

const SCREEN_KEYS: Record<string, Screen> = { F2: 'search', F3: 'today', F4: 'import', F6: 'close', F7: 'day', F8: 'results', F9: 'settings' };
const STATUS_POLL_MS = 5000;
const NOTICE_MS = 4000;
/** Use of the counter without a call (typing an amount, choosing bills) is told to main at most this often. */
const ACTIVITY_PING_MS = 5_000;

export function App() {
  const [session, setSession] = useState<SessionView | null | undefined>(undefined);
  const [status, setStatus] = useState<StatusView | null>(null);
  const [screen, setScreen] = useState<Screen>('home');
  const [counter, setCounter] = useState<Counter>(EMPTY_COUNTER);
  const visits = useRef(0);
  // One idempotency key per collect attempt of a visit: kept until it succeeds; a new visit gets a new one.
  const attempt = useRef<{ visit: number; key: string } | null>(null);
  // Collect outcomes so far: one that arrives while a scan is being looked up stays on screen with it.
  const outcomes = useRef(0);
  const [notice, setNotice] = useState<string | null>(null);
  /** F1: the About box, over any screen (the login too). */
  const [about, setAbout] = useState(false);
  /** Why the login screen is shown during a shift: Ctrl+L, or main's idle lock. */
  const [locked, setLocked] = useState<'key' | 'idle' | null>(null);
  // Bumped at each sign-in and sign-out: a status answer asked for before it says nothing about this session.
  const epoch = useRef(0);
  const signedIn = useRef(false);
  const lastPing = useRef(Number.NEGATIVE_INFINITY);
  // The import screen stays mounted once opened: a scan shows the customer while the file goes on loading, F4 comes back to it.
  const [importOpened, setImportOpened] = useState(false);
  useEffect(() => {
    if (screen === 'import') setImportOpened(true);
  }, [screen]);
  const onShift = session?.shift != null;
  /** First run: only the setup screens open; a scan is the scanner step's test. */
  const settingUp = status !== null && (status.point === null || status.setupPending);
  const [setupScan, setSetupScan] = useState<string | null>(null);
  const autoCollect = status?.autoCollect ?? false;

  useEffect(() => {
    if (notice === null) return;
    const timer = setTimeout(() => setNotice(null), NOTICE_MS);
    return () => clearTimeout(timer);
  }, [notice]);

  const refreshStatus = useCallback(() => {
    const asked = epoch.current;
    call('status', {}).then((next) => {
      setStatus(next);
      // Main ended this session (the idle lock): the counter shows the lock, the shift stays open.
      if (next.session === null && signedIn.current && asked === epoch.current) {
        epoch.current += 1;
        signedIn.current = false;
        setSession(null);
        setLocked('idle');
        setScreen('home');
        setCounter((c) => visit(c, ++visits.current, {}, false));
      }
    }, () => undefined);
  }, []);

  useEffect(() => {
    if (session == null) return;
    const used = () => {
      const now = performance.now();
      if (now - lastPing.current < ACTIVITY_PING_MS) return;
      lastPing.current = now;
      call('activity', {}).catch(() => undefined);
    };
    const kinds = ['keydown', 'pointerdown', 'input'] as const;
    for (const kind of kinds) window.addEventListener(kind, used, true);
    return () => {
      for (const kind of kinds) window.removeEventListener(kind, used, true);
    };
  }, [session]);

  useEffect(() => {
    call('session', {}).then(
      (current) => {
        signedIn.current = current !== null;
        setSession(current);
      },
      () => setSession(null),
    );
    refreshStatus();
    const timer = setInterval(refreshStatus, STATUS_POLL_MS);
    const offs = [events().onStatusChanged(refreshStatus), events().onPrinterStatus(refreshStatus)];
    return () => {
      clearInterval(timer);
      for (const off of offs) off();
    };
  }, [refreshStatus]);

  // A collect belongs to the visit it started from: its outcome never replaces a customer scanned since.
  const collect = useCallback(
    async (visitNo: number, customer: CustomerView, billIds?: string[], tender?: { tendered: number; changeStep: ChangeStep }) => {
      if (attempt.current?.visit !== visitNo) attempt.current = { visit: visitNo, key: newIdempotencyKey() };
      const key = attempt.current.key;
      const who = { maKhang: customer.maKhang, tenKhang: customer.tenKhang };
      setCounter((c) => collecting(c, visitNo));
      try {
        const result = await call('collect', {
          customerId: customer.id,
          ...(billIds === undefined ? {} : { billIds }),
          idempotencyKey: key,
          ...tender,
        });
        if (attempt.current?.key === key) attempt.current = null;
        outcomes.current += 1;
        setCounter((c) => collected(c, { visit: visitNo, customer: who, result }));
        refreshStatus();
      } catch (error) {
        const failure = failureOf(error);
        // The attempt's payment was voided since: pressing again is a new payment, with a new key.
        if (failure.code === 'PAYMENT_VOIDED' && attempt.current?.key === key) attempt.current = null;
        outcomes.current += 1;
        setCounter((c) => collected(c, { visit: visitNo, customer: who, error: failure }));
      }
    },
    [refreshStatus],
  );

  /** A new visit; `seen` is the number of collect outcomes when its scan or search was made. */
  const show = useCallback(
    (shown: Partial<Pick<Counter, 'customer' | 'notFound' | 'error'>>, seen: number) => {
      const visitNo = ++visits.current;
      const keepOutcome = outcomes.current !== seen;
      setScreen('home');
      setCounter((c) => visit(c, visitNo, shown, keepOutcome));
      // Exactly the bills on the card: a bill taken elsewhere since the lookup refuses the collect, never a smaller total.
      if (shown.customer != null && autoCollect && shown.customer.total > 0) void collect(visitNo, shown.customer, shown.customer.bills.map((b) => b.idHdon));
    },
    [autoCollect, collect],
  );

  const lookup = useCallback(
    async (code: string, channel: 'lookupCode' | 'scanSubmit') => {
      const seen = outcomes.current;
      try {
        const customer = await call(channel, { code });
        show(customer === null ? { notFound: code } : { customer }, seen);
      } catch (error) {
        // The same card read twice in a row: the customer is already on screen.
        if (failureOf(error).code === 'SCAN_DUPLICATE') return;
        show({ error: failureOf(error) }, seen);
      }
    },
    [show],
  );

  /** Nothing on screen (Esc, login, logout): a visit of its own, so late outcomes still name their customer. */
  const clear = useCallback(() => {
    const visitNo = ++visits.current;
    setCounter((c) => visit(c, visitNo, {}, false));
  }, []);

  // Without an open shift the counter does not look anyone up: a scan says why, and offers nothing to collect.
  const scanned = useCallback(
    (code: string, channel: 'lookupCode' | 'scanSubmit') => {
      if (settingUp) setSetupScan(code);
      else if (onShift) void lookup(code, channel);
      else setNotice(vi.home.noShift);
    },
    [settingUp, onShift, lookup],
  );
  const onWedgeScan = useCallback((code: string) => scanned(code, 'scanSubmit'), [scanned]);
  useWedgeScanner(onWedgeScan, session != null);
  useEffect(() => events().onScan((scan) => scanned(scan.code, 'lookupCode')), [scanned]);

  /** Ctrl+L: during a shift a lock (the shift stays open for the cashier's return), else a logout. */
  const lock = () => {
    const during = onShift;
    call('logout', {}).then(() => {
      onSession(null);
      setLocked(during ? 'key' : null);
    }, () => undefined);
  };

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = SCREEN_KEYS[event.key];
      if (event.key === 'F1' || (event.key === 'Escape' && about)) {
        event.preventDefault();
        setAbout(event.key === 'F1' && !about);
      } else if (event.ctrlKey && event.key.toLowerCase() === 'l' && session != null) {
        // Lock at any time: the session ends in main, the shift stays open for the cashier's return.
        event.preventDefault();
        lock();
      } else if (target !== undefined && onShift) {
        event.preventDefault();
        setScreen(target);
      } else if ((target === 'day' || target === 'settings') && session != null && !settingUp && screen !== 'close') {
        // The supervisor's day and the settings need no shift: a supervisor signs in to reprint a closed
        // shift's Z report, or to restore a backup after the day's deposit closed it to new shifts.
        event.preventDefault();
        setScreen(target);
      } else if (target !== undefined) {
        event.preventDefault(); // no shift open: the counter's screens are closed
      } else if (event.key === 'Escape' && screen !== 'home') {
        event.preventDefault();
        setScreen('home');
      } else if (event.key === 'Escape' && screen === 'home' && counter.customer !== null && !counter.busy) {
        event.preventDefault();
        clear();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [session, onShift, settingUp, screen, counter, clear, lock, about]);

  const onSession = (next: SessionView | null) => {
    epoch.current += 1;
    signedIn.current = next !== null;
    lastPing.current = Number.NEGATIVE_INFINITY;
    if (next !== null) setLocked(null);
    setSession(next);
    setScreen('home');
    clear();
    refreshStatus();
  };

  const open = (customerId: number) => {
    const seen = outcomes.current;
    call('customerDetail', { customerId }).then(
      (customer) => show({ customer }, seen),
      (error) => show({ error: failureOf(error) }, seen),
    );
  };

  const shiftClosed = () => {
    setSession((s) => (s === null || s === undefined ? s : { ...s, shift: null }));
    clear();
    refreshStatus();
  };

  let body;
  if (session === undefined || status === null) body = <p className="loading">{vi.common.loading}</p>;
  else if (status.point === null || (settingUp && session !== null)) {
    body = <Setup status={status} session={session} lastScan={setupScan} onSession={onSession} onDone={refreshStatus} />;
  }
  else if (session === null) body = <Login onLogin={onSession} notice={locked === null ? null : locked === 'idle' ? vi.home.idleLocked : vi.home.locked} />;
  // The shift just closed: its report and export stay on screen, the counter's keys and scans are off.
  else if (session.shift === null && screen === 'close') body = <CloseShift onClosed={refreshStatus} onLogout={lock} />;
  else if (screen === 'day') body = <Day onPrinted={refreshStatus} />;
  else if (screen === 'settings') body = <Settings onSaved={refreshStatus} />;
  else if (session.shift === null) body = <OpenShift session={session} onOpened={onSession} />;
  else if (screen === 'search') body = <Search onOpen={open} />;
  else if (screen === 'today') body = <Today onChanged={refreshStatus} />;
  else if (screen === 'import') body = null;
  else if (screen === 'close') body = <CloseShift onClosed={shiftClosed} onLogout={lock} />;
  else if (screen === 'results') body = <Results onChanged={refreshStatus} />;
  else
    body = (
      <Home
        counter={counter}
        autoCollect={autoCollect}
        printing={printTrouble(status)}
        onLookup={(code) => void lookup(code, 'lookupCode')}
        onCollect={(customer, billIds, tender) => void collect(counter.visit, customer, billIds, tender)}
        onUndone={(receiptNo) => {
          const visitNo = ++visits.current;
          setCounter((c) => undone(c, receiptNo, visitNo));
          refreshStatus();
          setNotice(vi.home.undone(receiptNo));
        }}
      />
    );

  return (
    <div className="app">
      <header className="top">
        <span className="brand">{vi.appName}</span>
        {onShift && (
          <nav className="keys">
            {Object.values(vi.keys).map((k) => (
              <span key={k}>{k}</span>
            ))}
          </nav>
        )}
      </header>
      {printTrouble(status) === 'failed' && status !== null && (
        <div data-testid="printer-alert">
          <Message kind="error" text={vi.status.printerAlert(vi.status.printerStates[status.printer.state] ?? status.printer.state, status.printJobsWaiting, status.printer.message)} />
        </div>
      )}
      {status?.sync?.alarm === true && status.sync.oldestWaiting !== null && (
        <div data-testid="sync-alarm">
          <Message
            kind="error"
            text={vi.status.syncAlarm(status.sync.waiting, status.sync.alarmMinutes, dateTime(status.sync.oldestWaiting), status.sync.lastErrorMessage)}
          />
        </div>
      )}
      {notice !== null && <Message kind="ok" text={notice} />}
      <main className="body">
        {body}
        {session?.shift != null && importOpened && (
          <div hidden={screen !== 'import'}>
            <Import active={screen === 'import'} onImported={refreshStatus} />
          </div>
        )}
      </main>
      <StatusBar status={status} />
      {about && <About onClose={() => setAbout(false)} />}
    </div>
  );
}
