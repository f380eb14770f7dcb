import { useEffect, useState } from 'react';
import type { DevicesView, SettingsView } from '../../electron/ipc/contract.ts';
import { SCANNER_BAUD_RATES } from '../../electron/core/settings-records.ts';
import { vi } from '../i18n/vi.ts';
import { call, failureOf } from '../api.ts';
import { errorText } from '../format.ts';
import { Field } from './Field.tsx';
import { Message } from './Message.tsx';

type Printer = SettingsView['printer'];
type Scanner = SettingsView['scanner'];

const BAUD_WORDS = Object.fromEntries(SCANNER_BAUD_RATES.map((rate) => [String(rate), rate.toLocaleString('vi-VN')]));

/** A labelled list of choices, values to their Vietnamese words (a value without its word does not compile). */
function Choice<V extends string>({ label, value, words, onChange, autoFocus }: { label: string; value: V; words: Record<V, string>; onChange: (value: V) => void; autoFocus?: boolean }) {
  return (
    <label className="field">
      <span>{label}</span>
      <select value={value} autoFocus={autoFocus} onChange={(e) => onChange(e.target.value as V)}>
        {Object.entries<string>(words).map(([option, word]) => (
          <option key={option} value={option}>
            {word}
          </option>
        ))}
      </select>
    </label>
  );
}

type Listing = DevicesView['serialPorts'];

/**
 * What main found plugged in (serial ports or USB printers), as a list that fills the port field below it;
 * the field stays for manual entry, and a listing that failed says why in a sentence.
 */
function FoundDevices({ kind, value, onPick }: { kind: keyof DevicesView; value: string; onPick: (port: string) => void }) {
  const s = vi.settings;
  const [listing, setListing] = useState<Listing | null>(null);
  const look = () => {
    setListing(null);
    call('deviceList', {}).then(
      (found) => setListing(found[kind]),
      (e) => setListing({ ok: false, message: errorText(failureOf(e)) }),
    );
  };
  useEffect(look, [kind]);
  const again = (
    <button type="button" className="secondary" onClick={look}>
      {s.lookAgain}
    </button>
  );
  if (listing === null) return <p className="small">{s.looking}</p>;
  if (!listing.ok)
    return (
      <div className="row">
        <Message kind="warn" text={listing.message} />
        {again}
      </div>
    );
  if (listing.devices.length === 0)
    return (
      <div className="row">
        <Message kind="warn" text={s.noneFound[kind]} />
        {again}
      </div>
    );
  return (
    <div className="row">
      <label className="field">
        <span>{s.found[kind]}</span>
        <select value={listing.devices.some((d) => d.port === value) ? value : ''} onChange={(e) => e.target.value !== '' && onPick(e.target.value)}>
          <option value="">{s.manualEntry}</option>
          {listing.devices.map((d) => (
            <option key={d.port} value={d.port}>
              {d.label}
            </option>
          ))}
        </select>
      </label>
      {again}
    </div>
  );
}

/** The printer's settings, as the settings screen (F9) and the first run show them. */
export function PrinterFields({ printer, onChange, portLabel, autoFocus }: { printer: Printer; onChange: (printer: Printer) => void; portLabel: string; autoFocus?: boolean }) {
  const s = vi.settings;
  return (
    <>
      <Choice label={s.transport} value={printer.transport} words={s.transports} onChange={(transport) => onChange({ ...printer, transport })} autoFocus={autoFocus} />
      {printer.transport === 'usb' && <FoundDevices kind="usbPrinters" value={printer.port} onPick={(port) => onChange({ ...printer, port })} />}
      {printer.transport === 'serial' && <FoundDevices kind="serialPorts" value={printer.port} onPick={(port) => onChange({ ...printer, port })} />}
      <Field label={portLabel} value={printer.port} onChange={(e) => onChange({ ...printer, port: e.target.value })} name="printer-port" />
      <Choice label={s.width} value={printer.width === 384 ? '384' : '576'} words={s.widths} onChange={(width) => onChange({ ...printer, width: width === '384' ? 384 : 576 })} />
      <Choice label={s.mode} value={printer.mode} words={s.modes} onChange={(mode) => onChange({ ...printer, mode })} />
    </>
  );
}

/** The scanner's settings: its kind, and for a serial scanner the port, the rate and what it adds around a code. */
export function ScannerFields({ scanner, onChange, autoFocus }: { scanner: Scanner; onChange: (scanner: Scanner) => void; autoFocus?: boolean }) {
  const s = vi.settings;
  return (
    <>
      <Choice label={s.scannerMode} value={scanner.mode} words={s.scannerModes} onChange={(mode) => onChange({ ...scanner, mode })} autoFocus={autoFocus} />
      {scanner.mode === 'serial' && (
        <>
          <FoundDevices kind="serialPorts" value={scanner.path} onPick={(path) => onChange({ ...scanner, path })} />
          <Field label={s.scannerPort} value={scanner.path} onChange={(e) => onChange({ ...scanner, path: e.target.value })} name="scanner-port" autoComplete="off" />
          <Choice
            label={s.baudRate}
            value={String(scanner.baudRate)}
            words={BAUD_WORDS}
            onChange={(rate) => onChange({ ...scanner, baudRate: SCANNER_BAUD_RATES.find((r) => String(r) === rate) ?? scanner.baudRate })}
          />
          <Field label={s.scannerPrefix} value={scanner.prefix} onChange={(e) => onChange({ ...scanner, prefix: e.target.value })} name="scanner-prefix" autoComplete="off" title={s.scannerAffixHint} />
          <Field label={s.scannerSuffix} value={scanner.suffix} onChange={(e) => onChange({ ...scanner, suffix: e.target.value })} name="scanner-suffix" autoComplete="off" title={s.scannerAffixHint} />
        </>
      )}
    </>
  );
}
