import { useCallback, useEffect, useRef, useState } from 'react';
import type { CollectResult, CustomerView, IpcError, SessionView, StatusView } from '../electron/ipc/contract.ts';
import { call, events, failureOf, newIdempotencyKey } from './api.ts';
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
import { StatusBar } from './components/StatusBar.tsx';
import { Message } from './components/Message.tsx';

export type Screen = 'home' | 'search' | 'today' | 'import' | 'close' | 'settings';

const SCREEN_KEYS: Record<string, Screen> = { F2: 'search', F3: 'today', F4: 'import', F6: 'close', F9: 'settings' };
const STATUS_POLL_MS = 5000;
const NOTICE_MS = 4000;

/** What the counter shows after a scan: the customer and, once collected, the receipt. */
export interface Counter {
  customer: CustomerView | null;
  notFound: string | null;
  collected: CollectResult | null;
  error: IpcError | null;
  busy: boolean;
}

const EMPTY: Counter = { customer: null, notFound: null, collected: null, error: null, busy: false };

export function App() {
  const [session, setSession] = useState<SessionView | null | undefined>(undefined);
  const [status, setStatus] = useState<StatusView | null>(null);
  const [screen, setScreen] = useState<Screen>('home');
  const [counter, setCounter] = useState<Counter>(EMPTY);
  // One idempotency key per collect attempt: kept until that attempt succeeds or the customer changes.
  const attemptKey = useRef<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const autoCollect = status?.autoCollect ?? false;

  useEffect(() => {
    if (notice === null) return;
    const timer = setTimeout(() => setNotice(null), NOTICE_MS);
    return () => clearTimeout(timer);
  }, [notice]);

  const refreshStatus = useCallback(() => {
    call('status', {}).then(setStatus, () => undefined);
  }, []);

  useEffect(() => {
    call('session', {}).then(setSession, () => setSession(null));
    refreshStatus();
    const timer = setInterval(refreshStatus, STATUS_POLL_MS);
    const offs = [events().onStatusChanged(refreshStatus), events().onPrinterStatus(refreshStatus)];
    return () => {
      clearInterval(timer);
      for (const off of offs) off();
    };
  }, [refreshStatus]);

  const collect = useCallback(
    async (customer: CustomerView, tendered?: number) => {
      attemptKey.current ??= newIdempotencyKey();
      setCounter((c) => ({ ...c, busy: true, error: null }));
      try {
        const collected = await call('collect', {
          customerId: customer.id,
          billIds: customer.bills.map((b) => b.idHdon),
          idempotencyKey: attemptKey.current,
          ...(tendered === undefined ? {} : { tendered }),
        });
        attemptKey.current = null;
        setCounter({ ...EMPTY, customer, collected });
        refreshStatus();
      } catch (error) {
        const failure = failureOf(error);
        // The attempt's payment was voided since: pressing again is a new payment, with a new key.
        if (failure.code === 'PAYMENT_VOIDED') attemptKey.current = null;
        setCounter((c) => ({ ...c, busy: false, error: failure }));
      }
    },
    [refreshStatus],
  );

  const show = useCallback(
    (customer: CustomerView | null, code: string) => {
      attemptKey.current = null;
      setScreen('home');
      if (customer === null) return setCounter({ ...EMPTY, notFound: code });
      setCounter({ ...EMPTY, customer });
      if (autoCollect && customer.total > 0) void collect(customer);
    },
    [autoCollect, collect],
  );

  const lookup = useCallback(
    async (code: string, channel: 'lookupCode' | 'scanSubmit') => {
      try {
        show(await call(channel, { code }), code);
      } catch (error) {
        // The same card read twice in a row: the customer is already on screen.
        if (failureOf(error).code === 'SCAN_DUPLICATE') return;
        setScreen('home');
        setCounter({ ...EMPTY, error: failureOf(error) });
      }
    },
    [show],
  );

  const onWedgeScan = useCallback((code: string) => void lookup(code, 'scanSubmit'), [lookup]);
  useWedgeScanner(onWedgeScan, session?.shift != null);
  useEffect(() => events().onScan((scan) => void lookup(scan.code, 'lookupCode')), [lookup]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = SCREEN_KEYS[event.key];
      if (target !== undefined && session?.shift != null) {
        event.preventDefault();
        setScreen(target);
      } else if (event.key === 'Escape' && screen !== 'home') {
        event.preventDefault();
        setScreen('home');
      } else if (event.key === 'Escape' && screen === 'home' && counter.customer !== null && !counter.busy) {
        event.preventDefault();
        attemptKey.current = null;
        setCounter(EMPTY);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [session, screen, counter]);

  const onSession = (next: SessionView | null) => {
    setSession(next);
    setScreen('home');
    setCounter(EMPTY);
    refreshStatus();
  };

  const open = (customerId: number) => {
    call('customerDetail', { customerId }).then(
      (customer) => show(customer, ''),
      (error) => setCounter({ ...EMPTY, error: failureOf(error) }),
    );
  };

  let body;
  if (session === undefined) body = <p className="loading">{vi.common.loading}</p>;
  else if (session === null) body = <Login onLogin={onSession} />;
  else if (session.shift === null) body = <OpenShift session={session} onOpened={onSession} />;
  else if (screen === 'search') body = <Search onOpen={open} />;
  else if (screen === 'today') body = <Today onChanged={refreshStatus} />;
  else if (screen === 'import') body = <Import onImported={refreshStatus} />;
  else if (screen === 'close') body = <CloseShift onClosed={refreshStatus} onLogout={() => call('logout', {}).then(() => onSession(null))} />;
  else if (screen === 'settings') body = <Settings onSaved={refreshStatus} />;
  else
    body = (
      <Home
        counter={counter}
        autoCollect={autoCollect}
        onLookup={(code) => void lookup(code, 'lookupCode')}
        onCollect={(customer, tendered) => void collect(customer, tendered)}
        onUndone={(receiptNo) => {
          setCounter(EMPTY);
          refreshStatus();
          setNotice(vi.home.undone(receiptNo));
        }}
      />
    );

  return (
    <div className="app">
      <header className="top">
        <span className="brand">{vi.appName}</span>
        {session?.shift != null && (
          <nav className="keys">
            {Object.values(vi.keys).map((k) => (
              <span key={k}>{k}</span>
            ))}
          </nav>
        )}
      </header>
      {notice !== null && <Message kind="ok" text={notice} />}
      <main className="body">{body}</main>
      <StatusBar status={status} />
    </div>
  );
}
