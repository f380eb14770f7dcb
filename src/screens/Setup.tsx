import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import type { IpcError, SessionView, SettingsView, StatusView } from '../../electron/ipc/contract.ts';
import { formatAmount, parseAmount } from '../../electron/core/money.ts';
import { parseVatPercent } from '../format.ts';
import { call, failureOf } from '../api.ts';
import { vi } from '../i18n/vi.ts';
import { Field } from '../components/Field.tsx';
import { PrinterFields, ScannerFields } from '../components/DeviceFields.tsx';
import { ErrorMessage, Message } from '../components/Message.tsx';

type Step = 'printer' | 'scanner' | 'fee';

interface Props {
  status: StatusView;
  session: SessionView | null;
  /** The last code a scanner gave while these screens are open (the scanner step's test). */
  lastScan: string | null;
  onSession: (session: SessionView) => void;
  onDone: () => void;
}

/**
 * First run, keyboard only: the point and its first supervisor (nothing exists yet), then, as that
 * supervisor, the printer (test page), the scanner (a test scan) and the fee. Every value can be
 * changed later on the settings screen (F9).
 */
export function Setup({ status, session, lastScan, onSession, onDone }: Props) {
  // The supervisor's PIN from the first step, kept only while these screens are open (each save asks main with it).
  const [pin, setPin] = useState('');
  if (status.point === null) return <PointStep onCreated={(created, supervisorPin) => (setPin(supervisorPin), onSession(created))} />;
  if (session === null) return null;
  return <DeviceSteps supervisor={{ code: session.user.code, pin }} onPin={setPin} lastScan={lastScan} onDone={onDone} />;
}

function Panel({ title, step, children, onSubmit }: { title: string; step: string; children: ReactNode; onSubmit: (event: FormEvent) => void }) {
  return (
    <form
      className="panel setup"
      onSubmit={onSubmit}
      // Keyboard only: Enter on a list goes on too (a select never submits its form by itself).
      onKeyDown={(e) => {
        if (e.key !== 'Enter' || !(e.target instanceof HTMLSelectElement)) return;
        e.preventDefault();
        e.currentTarget.requestSubmit();
      }}
    >
      <p className="small">{step}</p>
      <h1>{title}</h1>
      {children}
    </form>
  );
}

function PointStep({ onCreated }: { onCreated: (session: SessionView, pin: string) => void }) {
  const s = vi.setup;
  const [v, setV] = useState({ pointCode: '', unitCodes: '', pointName: '', pointAddress: '', companyName: '', companyTaxCode: '', companyHotline: '', einvoiceLookup: '', code: '', name: '', pin: '', pin2: '' });
  const [error, setError] = useState<IpcError | null>(null);
  const field = (key: keyof typeof v, label: string, extra: { type?: string; autoFocus?: boolean } = {}) => (
    <Field label={label} value={v[key]} onChange={(e) => setV({ ...v, [key]: e.target.value })} name={key} autoComplete="off" {...extra} />
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (v.pin !== v.pin2) return setError({ code: 'PIN_INVALID', message: s.pinsDiffer });
    const unitCodes = v.unitCodes.split(/[\s,;]+/).filter((u) => u !== '');
    call('setupPoint', {
      pointCode: v.pointCode,
      unitCodes,
      pointName: v.pointName,
      pointAddress: v.pointAddress,
      companyName: v.companyName,
      companyTaxCode: v.companyTaxCode,
      companyHotline: v.companyHotline,
      einvoiceLookup: v.einvoiceLookup,
      supervisor: { code: v.code, name: v.name, pin: v.pin },
    }).then(
      (session) => onCreated(session, v.pin),
      (e) => setError(failureOf(e)),
    );
  };
  return (
    <Panel title={s.pointTitle} step={s.stepOf(1)} onSubmit={submit}>
      <p>{s.pointHint}</p>
      <div className="setup-columns">
        <fieldset>
          <legend>{s.point}</legend>
          {field('pointCode', s.pointCode, { autoFocus: true })}
          {field('unitCodes', s.unitCodes)}
          {field('pointName', vi.settings.pointName)}
          {field('pointAddress', vi.settings.pointAddress)}
        </fieldset>
        <fieldset>
          <legend>{s.company}</legend>
          {field('companyName', vi.settings.companyName)}
          {field('companyTaxCode', vi.settings.companyTaxCode)}
          {field('companyHotline', vi.settings.companyHotline)}
          {field('einvoiceLookup', vi.settings.einvoiceLookup)}
        </fieldset>
        <fieldset>
          <legend>{s.supervisor}</legend>
          {field('code', s.supervisorCode)}
          {field('name', s.supervisorName)}
          {field('pin', s.pin, { type: 'password' })}
          {field('pin2', s.pinAgain, { type: 'password' })}
        </fieldset>
      </div>
      <button type="submit">{s.create}</button>
      <ErrorMessage error={error} />
    </Panel>
  );
}

function DeviceSteps({ supervisor, onPin, lastScan, onDone }: { supervisor: { code: string; pin: string }; onPin: (pin: string) => void; lastScan: string | null; onDone: () => void }) {
  const s = vi.setup;
  const [step, setStep] = useState<Step>('printer');
  const [settings, setSettings] = useState<SettingsView | null>(null);
  const [fee, setFee] = useState<string | null>(null);
  const [feeVat, setFeeVat] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  useEffect(() => {
    call('settingsGet', {}).then(setSettings, (e) => setError(failureOf(e)));
  }, []);
  if (settings === null) return <ErrorMessage error={error} />;
  const save = (values: Partial<SettingsView>, next: () => void) =>
    call('settingsSet', { supervisor, values }).then(
      (saved) => {
        setSettings(saved);
        setError(null);
        setNotice(null);
        next();
      },
      (e) => setError(failureOf(e)),
    );
  // Only after a restart in the middle of these screens: the PIN of the first step is asked again.
  const pinField = supervisor.pin === '' && <Field label={s.yourPin(supervisor.code)} type="password" value={supervisor.pin} onChange={(e) => onPin(e.target.value)} name="supervisor-pin" autoFocus />;
  const printer = settings.printer;
  if (step === 'printer') {
    return (
      <Panel title={s.printerTitle} step={s.stepOf(2)} onSubmit={(e) => (e.preventDefault(), save({ printer }, () => setStep('scanner')))}>
        {pinField}
        <PrinterFields printer={printer} onChange={(next) => setSettings({ ...settings, printer: next })} portLabel={s.printerPort} autoFocus={supervisor.pin !== ''} />
        <p className="small">{s.testPageHint}</p>
        <div className="row">
          <button type="button" className="secondary" onClick={() => save({ printer }, () => call('printerTestPage', {}).then(() => setNotice(s.testPageSent), (e) => setError(failureOf(e))))}>
            {vi.settings.testPage}
          </button>
          <button type="submit">{s.next}</button>
        </div>
        {notice !== null && <Message kind="ok" text={notice} />}
        <ErrorMessage error={error} />
      </Panel>
    );
  }
  if (step === 'scanner') {
    return (
      <Panel title={s.scannerTitle} step={s.stepOf(3)} onSubmit={(e) => (e.preventDefault(), save({ scanner: settings.scanner }, () => setStep('fee')))}>
        <ScannerFields scanner={settings.scanner} onChange={(scanner) => setSettings({ ...settings, scanner })} autoFocus />
        <p>{s.scanHint}</p>
        {lastScan === null ? <Message kind="warn" text={s.noScanYet} /> : <Message kind="ok" text={s.scanned(lastScan)} />}
        <button type="submit">{s.next}</button>
        <ErrorMessage error={error} />
      </Panel>
    );
  }
  const feeText = fee ?? formatAmount(settings.reconnectionFee);
  const feeVatText = feeVat ?? String(settings.reconnectionFeeVatPercent);
  const finish = (event: FormEvent) => {
    event.preventDefault();
    const reconnectionFee = parseAmount(feeText);
    if (reconnectionFee === null) return setError({ code: 'SETTING_INVALID', message: vi.settings.badFee });
    const reconnectionFeeVatPercent = parseVatPercent(feeVatText);
    if (reconnectionFeeVatPercent === null) return setError({ code: 'SETTING_INVALID', message: vi.settings.badFeeVat });
    save({ reconnectionFee, reconnectionFeeVatPercent }, () => call('setupFinish', { supervisor }).then(onDone, (e) => setError(failureOf(e))));
  };
  return (
    <Panel title={s.feeTitle} step={s.stepOf(4)} onSubmit={finish}>
      <Field label={vi.settings.fee} value={feeText} onChange={(e) => setFee(e.target.value)} inputMode="numeric" name="fee" autoFocus />
      <Field label={vi.settings.feeVat} value={feeVatText} onChange={(e) => setFeeVat(e.target.value)} inputMode="numeric" name="fee-vat" />
      <p className="small">{s.feeHint}</p>
      <button type="submit">{s.finish}</button>
      <ErrorMessage error={error} />
    </Panel>
  );
}
