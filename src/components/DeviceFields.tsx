import type { SettingsView } from '../../electron/ipc/contract.ts';
import { SCANNER_BAUD_RATES } from '../../electron/core/settings-records.ts';
import { vi } from '../i18n/vi.ts';
import { Field } from './Field.tsx';

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

/** The printer's settings, as the settings screen (F9) and the first run show them. */
export function PrinterFields({ printer, onChange, portLabel, autoFocus }: { printer: Printer; onChange: (printer: Printer) => void; portLabel: string; autoFocus?: boolean }) {
  const s = vi.settings;
  return (
    <>
      <Choice label={s.transport} value={printer.transport} words={s.transports} onChange={(transport) => onChange({ ...printer, transport })} autoFocus={autoFocus} />
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
