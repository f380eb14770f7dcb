import { z } from 'zod';
import type { Sqlite } from './open.ts';
import { AppError } from '../core/errors.ts';
import { MAX_BILL_AMOUNT } from '../core/money.ts';
import { appendJournal } from './journal.ts';

/** Every setting with its schema and default. Stored as JSON in the settings table. */
export const settingSchemas = {
  point_code: z.string().regex(/^[A-Z0-9]{2,20}$/),
  unit_code: z.string().regex(/^[A-Z0-9]{4,10}$/),
  point_name: z.string().max(120),
  company_name: z.string().max(120),
  company_address: z.string().max(200),
  reconnection_fee: z.number().int().nonnegative().max(MAX_BILL_AMOUNT),
  backup_dir: z.string().nullable(),
  backup_keep: z.number().int().min(1).max(1000),
  auto_collect: z.boolean(),
  // Kept as written (a field of a later version survives); readers take their fields through core/settings-records.ts.
  printer: z.record(z.string(), z.unknown()),
  scanner: z.record(z.string(), z.unknown()),
} as const;

export type SettingKey = keyof typeof settingSchemas;
export type SettingValue<K extends SettingKey> = z.infer<(typeof settingSchemas)[K]>;

export const settingDefaults: { [K in SettingKey]: SettingValue<K> | undefined } = {
  point_code: undefined,
  unit_code: undefined,
  point_name: '',
  company_name: 'CÔNG TY ĐIỆN LỰC',
  company_address: '',
  reconnection_fee: 0,
  backup_dir: null,
  backup_keep: 30,
  auto_collect: false,
  printer: { transport: 'file', width: 576, mode: 'raster' },
  scanner: { mode: 'wedge' },
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
