import type { SettingsView } from '../../electron/ipc/contract.ts';
import { vi } from '../i18n/vi.ts';
import { Field } from './Field.tsx';

type Printer = SettingsView['printer'];

/** A labelled list of choices, values to their Vietnamese words. */
function Choice<V extends string>({ label, value, words, onChange, autoFocus }: { label: string; value: V; words: Record<string, string>; onChange: (value: V) => void; autoFocus?: boolean }) {
  return (
    <label className="field">
      <span>{label}</span>
      <select value={value} autoFocus={autoFocus} onChange={(e) => onChange(e.target.value as V)}>
        {Object.entries(words).map(([option, word]) => (
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

export function ScannerModeField({ mode, onChange, autoFocus }: { mode: SettingsView['scannerMode']; onChange: (mode: SettingsView['scannerMode']) => void; autoFocus?: boolean }) {
  return <Choice label={vi.settings.scannerMode} value={mode} words={vi.status.scannerModes} onChange={onChange} autoFocus={autoFocus} />;
}
