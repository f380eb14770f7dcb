import { z } from 'zod';
import type { Sqlite } from './open.ts';
import { AppError } from '../core/errors.ts';
import { MAX_BILL_AMOUNT } from '../core/money.ts';
import { appendJournal } from './journal.ts';
import { idleLockMinutes, syncSettings } from '../core/settings-records.ts';
import { changeStep } from '../core/change-rounding.ts';

/** Every setting with its schema and default. Stored as JSON in the settings table. */
export const settingSchemas = {
  point_code: z.string().regex(/^[A-Z0-9]{2,20}$/),
  unit_code: z.string().regex(/^[A-Z0-9]{4,10}$/),
  /** Every unit the point serves (contract section 4); unit_code is the first. Absent on points set up with one unit. */
  unit_codes: z.array(z.string().regex(/^[A-Z0-9]{4,10}$/)).min(1).max(50),
  /** A new snapshot turning more than this share of the outstanding bills into "cleared elsewhere" needs a supervisor. */
  snapshot_cleared_confirm_percent: z.number().int().min(0).max(100),
  /** A new snapshot listing fewer than this share of the current customers needs a supervisor. */
  snapshot_customers_confirm_percent: z.number().int().min(0).max(100),
  /** Past this age the current snapshot is shown as old (status, customer card). */
  snapshot_age_warning_hours: z.number().int().min(1).max(24 * 365),
  point_name: z.string().max(120),
  company_name: z.string().max(120),
  company_address: z.string().max(200),
  /** Where the point is (printed on receipts); company_address is the company's. */
  point_address: z.string().max(200),
  /** The company's tax code (mã số thuế), printed on receipts: 10 digits, or 10-3 for a branch. */
  company_tax_code: z.string().regex(/^(\d{10}(-\d{3})?)?$/),
  company_hotline: z.string().max(40),
  /** Where a customer looks up the e-invoice (a web address and how), printed on receipts. */
  einvoice_lookup: z.string().max(200),
  /** Set up from the app's first-run screens and not finished: nothing but those screens opens. */
  setup_pending: z.boolean(),
  reconnection_fee: z.number().int().nonnegative().max(MAX_BILL_AMOUNT),
  /** The VAT rate (%) inside the settings fee, which stays the amount charged: the receipt splits it like a DC bill. */
  reconnection_fee_vat_percent: z.number().int().min(0).max(10),
  backup_dir: z.string().nullable(),
  backup_keep: z.number().int().min(1).max(1000),
  auto_collect: z.boolean(),
  idle_lock_minutes: idleLockMinutes,
  /** Change handed back is rounded down to this many đồng (0: not rounded); the rest stays in the drawer, recorded on the payment. */
  change_rounding: changeStep,
  // Kept as written (a field of a later version survives); readers take their fields through core/settings-records.ts.
  printer: z.record(z.string(), z.unknown()),
  scanner: z.record(z.string(), z.unknown()),
  sync: syncSettings, // none: the point works alone
  /** The SMS template profile's JSON as checked by `diemthu sms profile`; null: the shipped default. */
  sms_profile: z.string().max(1_000_000).nullable(),
  /** Numbers (84 + 9 digits) that never get a message, from `diemthu sms opt-out <file>`. */
  sms_opt_out: z.array(z.string().regex(/^84\d{9}$/)).max(1_000_000),
} as const;

export type SettingKey = keyof typeof settingSchemas;
export type SettingValue<K extends SettingKey> = z.infer<(typeof settingSchemas)[K]>;

export const settingDefaults: { [K in SettingKey]: SettingValue<K> | undefined } = {
  point_code: undefined,
  unit_code: undefined,
  unit_codes: undefined,
  snapshot_cleared_confirm_percent: 10,
  snapshot_customers_confirm_percent: 90,
  snapshot_age_warning_hours: 24,
  point_name: '',
  company_name: 'CÔNG TY ĐIỆN LỰC',
  company_address: '',
  point_address: '',
  company_tax_code: '',
  company_hotline: '',
  einvoice_lookup: '',
  setup_pending: false,
  reconnection_fee: 0,
  // CMIS's own DC bills carry 8 % (300.000 + 24.000 in the snapshots the company sent us).
  reconnection_fee_vat_percent: 8,
  backup_dir: null,
  backup_keep: 30,
  auto_collect: false,
  idle_lock_minutes: 10,
  change_rounding: 0,
  printer: { transport: 'file', width: 576, mode: 'raster' },
  scanner: { mode: 'wedge' },
  sync: undefined,
  sms_profile: null,
  sms_opt_out: [],
};

export function getSetting<K extends SettingKey>(sqlite: Sqlite, key: K): SettingValue<K> | undefined {
  const row = sqlite.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
  if (row === undefined) return settingDefaults[key];
  return settingSchemas[key].parse(JSON.parse(row.value)) as SettingValue<K>;
}

/** A setting that must exist (e.g. the point code after init). */
export function requireSetting<K extends SettingKey>(sqlite: Sqlite, key: K): SettingValue<K> {
  const value = getSetting(sqlite, key);
  if (value === undefined) {
    throw new AppError('NOT_INITIALISED', 'Điểm thu chưa được khởi tạo. Hãy chạy "diemthu init --point <mã điểm thu> --unit <mã đơn vị>".');
  }
  return value;
}

/** Writes settings and journals the change in one transaction. */
export function setSettings(
  sqlite: Sqlite,
  values: { [K in SettingKey]?: SettingValue<K> },
  actorId: number | null,
  at: Date,
): void {
  const parsed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    const schema = settingSchemas[key as SettingKey];
    if (schema === undefined) throw new AppError('SETTING_UNKNOWN', `Không có thiết lập "${key}".`);
    const result = schema.safeParse(value);
    if (!result.success) throw new AppError('SETTING_INVALID', `Giá trị của thiết lập "${key}" không hợp lệ.`, { key });
    parsed[key] = result.data;
  }
  const upsert = sqlite.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  sqlite.transaction(() => {
    for (const [key, value] of Object.entries(parsed)) upsert.run(key, JSON.stringify(value));
    appendJournal(sqlite, { kind: 'settings', actorId, payload: { changed: parsed }, at });
  }).immediate();
}
