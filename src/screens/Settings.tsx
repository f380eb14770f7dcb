import { useState, type FormEvent } from 'react';
import type { IpcError, SettingsView, UserView } from '../../electron/ipc/contract.ts';
import { formatAmount, parseAmount } from '../../electron/core/money.ts';
import { parseVatPercent } from '../format.ts';
import { isAbsolutePath } from '../../electron/core/paths.ts';
import { CHANGE_STEPS } from '../../electron/core/change-rounding.ts';
import { call, failureOf } from '../api.ts';
import { vi } from '../i18n/vi.ts';
import { Field } from '../components/Field.tsx';
import { PrinterFields, ScannerFields } from '../components/DeviceFields.tsx';
import { ErrorMessage, Message } from '../components/Message.tsx';
import { SupervisorUnlock, type Supervisor } from '../components/SupervisorUnlock.tsx';
import { RestoreBackup } from '../components/RestoreBackup.tsx';

type UserRow = UserView & { active: boolean };

/** F9: supervisor only. Every save and every user added carries the supervisor's code + PIN. */
export function Settings({ onSaved }: { onSaved: () => void }) {
  const [supervisor, setSupervisor] = useState<Supervisor>({ code: '', pin: '' });
  const [values, setValues] = useState<SettingsView | null>(null);
  const [users, setUsers] = useState<UserRow[]>([]);
  const [error, setError] = useState<IpcError | null>(null);

  const unlock = () => {
    Promise.all([call('usersList', { supervisor }), call('settingsGet', {})]).then(
      ([list, settings]) => {
        setUsers(list);
        setValues(settings);
        setError(null);
      },
      (e) => setError(failureOf(e)),
    );
  };

  const s = vi.settings;
  if (values === null) return <SupervisorUnlock title={s.title} supervisor={supervisor} onChange={setSupervisor} onUnlock={unlock} submit={s.unlock} error={error} />;
  return (
    <section className="settings">
      <h1>{s.title}</h1>
      <SettingsForm initial={values} supervisor={supervisor} onSaved={onSaved} />
      <Users users={users} supervisor={supervisor} onAdded={(u) => setUsers([...users, { ...u, active: true }])} />
      <RestoreBackup supervisor={supervisor} />
    </section>
  );
}

function SettingsForm({ initial, supervisor, onSaved }: { initial: SettingsView; supervisor: Supervisor; onSaved: () => void }) {
  const [v, setV] = useState(initial);
  const [fee, setFee] = useState(formatAmount(initial.reconnectionFee));
  const [idleLock, setIdleLock] = useState(String(initial.idleLockMinutes));
  const [feeVat, setFeeVat] = useState(String(initial.reconnectionFeeVatPercent));
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const s = vi.settings;
  const done = (text: string) => {
    setNotice(text);
    setError(null);
  };
  const save = (event?: FormEvent) => {
    event?.preventDefault();
    const reconnectionFee = parseAmount(fee);
    if (reconnectionFee === null) return setNotice(s.badFee);
    const idleLockMinutes = /^\d{1,3}$/.test(idleLock.trim()) ? Number(idleLock.trim()) : null;
    if (idleLockMinutes === null || idleLockMinutes > 240) return setNotice(s.badIdleLock);
    const reconnectionFeeVatPercent = parseVatPercent(feeVat);
    if (reconnectionFeeVatPercent === null) return setNotice(s.badFeeVat);
    if (v.backupDir !== null && !isAbsolutePath(v.backupDir)) return setError(vi.common.notAbsolute(s.backupDir));
    if (v.printer.transport === 'file' && v.printer.port !== '' && !isAbsolutePath(v.printer.port)) return setError(vi.common.notAbsolute(s.port));
    call('settingsSet', { supervisor, values: { ...v, reconnectionFee, reconnectionFeeVatPercent, idleLockMinutes } }).then(
      (saved) => {
        setV(saved);
        done(s.saved);
        onSaved();
      },
      (e) => setError(failureOf(e)),
    );
  };
  const testPage = () => call('printerTestPage', {}).then(() => done(s.testSent), (e) => setError(failureOf(e)));
  const text = (key: 'pointName' | 'pointAddress' | 'companyName' | 'companyAddress' | 'companyTaxCode' | 'companyHotline' | 'einvoiceLookup', label: string) => (
    <Field label={label} value={v[key]} onChange={(e) => setV({ ...v, [key]: e.target.value })} name={key} />
  );
  return (
    <form
      className="settings-form"
      onSubmit={save}
      onKeyDown={(e) => {
        if (e.ctrlKey && e.key.toLowerCase() === 's') {
          e.preventDefault();
          save();
        }
      }}
    >
      <fieldset>
        <legend>{s.point}</legend>
        {text('pointName', s.pointName)}
        {text('pointAddress', s.pointAddress)}
        {text('companyName', s.companyName)}
        {text('companyAddress', s.companyAddress)}
        {text('companyTaxCode', s.companyTaxCode)}
        {text('companyHotline', s.companyHotline)}
        {text('einvoiceLookup', s.einvoiceLookup)}
      </fieldset>
      <fieldset>
        <legend>{s.printer}</legend>
        <PrinterFields printer={v.printer} onChange={(printer) => setV({ ...v, printer })} portLabel={s.port} />
        <button type="button" className="secondary" onClick={testPage}>
          {s.testPage}
        </button>
      </fieldset>
      <fieldset>
        <legend>{s.scanner}</legend>
        <ScannerFields scanner={v.scanner} onChange={(scanner) => setV({ ...v, scanner })} />
        <label className="check">
          <input type="checkbox" checked={v.autoCollect} onChange={(e) => setV({ ...v, autoCollect: e.target.checked })} name="auto-collect" />
          <span>{s.autoCollect}</span>
        </label>
        <Field label={s.idleLock} value={idleLock} onChange={(e) => setIdleLock(e.target.value)} inputMode="numeric" name="idle-lock" />
        <label className="field">
          <span>{s.changeRounding}</span>
          <select name="change-rounding" value={v.changeRounding} onChange={(e) => setV({ ...v, changeRounding: CHANGE_STEPS.find((step) => String(step) === e.target.value) ?? 0 })}>
            {CHANGE_STEPS.map((step) => (
              <option key={step} value={step}>
                {s.changeRoundings[step]}
              </option>
            ))}
          </select>
        </label>
      </fieldset>
      <fieldset>
        <legend>{s.feeAndBackup}</legend>
        <Field label={s.fee} value={fee} onChange={(e) => setFee(e.target.value)} inputMode="numeric" name="fee" />
        <Field label={s.feeVat} value={feeVat} onChange={(e) => setFeeVat(e.target.value)} inputMode="numeric" name="fee-vat" />
        <Field label={s.backupDir} value={v.backupDir ?? ''} onChange={(e) => setV({ ...v, backupDir: e.target.value === '' ? null : e.target.value })} name="backup-dir" />
        {v.backupSameDisk && <Message kind="warn" text={s.backupSameDisk} />}
      </fieldset>
      <button type="submit">{s.save}</button>
      {notice !== null && <Message kind="ok" text={notice} />}
      <ErrorMessage error={error} />
    </form>
  );
}

function Users({ users, supervisor, onAdded }: { users: UserRow[]; supervisor: Supervisor; onAdded: (user: UserView) => void }) {
  const empty = { code: '', name: '', role: 'cashier' as UserView['role'], pin: '' };
  const [user, setUser] = useState(empty);
  const [second, setSecond] = useState<Supervisor>({ code: '', pin: '' });
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const s = vi.settings;
  const add = (event: FormEvent) => {
    event.preventDefault();
    const secondSupervisor = user.role === 'supervisor' && second.code.trim() !== '' ? { secondSupervisor: second } : {};
    call('userAdd', { supervisor, user, ...secondSupervisor }).then(
      (added) => {
        onAdded(added);
        setUser(empty);
        setSecond({ code: '', pin: '' });
        setNotice(s.added(added.name));
        setError(null);
      },
      (e) => setError(failureOf(e)),
    );
  };
  return (
    <form className="users" onSubmit={add}>
      <h2>{s.users}</h2>
      <table>
        <thead>
          <tr>
            <th>{s.userCode}</th>
            <th>{s.userName}</th>
            <th>{s.role}</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id} className={u.active ? '' : 'voided'}>
              <td>{u.code}</td>
              <td>{u.name}</td>
              <td>{s.roles[u.role]}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <fieldset className="row">
        <legend>{s.addUser}</legend>
        <Field label={s.userCode} value={user.code} onChange={(e) => setUser({ ...user, code: e.target.value })} name="new-code" />
        <Field label={s.userName} value={user.name} onChange={(e) => setUser({ ...user, name: e.target.value })} name="new-name" />
        <label className="field">
          <span>{s.role}</span>
          <select value={user.role} onChange={(e) => setUser({ ...user, role: e.target.value === 'supervisor' ? 'supervisor' : 'cashier' })}>
            <option value="cashier">{s.roles.cashier}</option>
            <option value="supervisor">{s.roles.supervisor}</option>
          </select>
        </label>
        <Field label={s.newPin} type="password" value={user.pin} onChange={(e) => setUser({ ...user, pin: e.target.value })} name="new-pin" />
        {user.role === 'supervisor' && (
          <>
            <Field label={s.secondSupervisorCode} value={second.code} onChange={(e) => setSecond({ ...second, code: e.target.value })} name="second-code" autoComplete="off" title={s.secondSupervisorHint} />
            <Field label={s.secondSupervisorPin} type="password" value={second.pin} onChange={(e) => setSecond({ ...second, pin: e.target.value })} name="second-pin" />
          </>
        )}
        <button type="submit">{s.add}</button>
      </fieldset>
      {notice !== null && <Message kind="ok" text={notice} />}
      <ErrorMessage error={error} />
    </form>
  );
}
