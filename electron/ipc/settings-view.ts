/**
 * The settings screen's view over the settings table: a few keys renamed, the printer and scanner
 * records given their shape. Unknown fields stored in those records (set by the CLI or a later
 * version) are kept when the screen saves.
 */
import type { Ctx } from '../store/context.ts';
import { getSetting, setSettings, type SettingKey, type SettingValue } from '../store/settings.ts';
import { PRINTER_DEFAULTS, printerRecord, recordFields, SCANNER_DEFAULTS, scannerRecord } from '../core/settings-records.ts';
import type { SettingsView } from './contract.ts';
import { backupsOnSameDisk } from '../backups/backups.ts';

export function readSettingsView(ctx: Ctx): SettingsView {
  const printer = recordFields(printerRecord, getSetting(ctx.sqlite, 'printer'));
  const scanner = recordFields(scannerRecord, getSetting(ctx.sqlite, 'scanner'));
  return {
    pointName: getSetting(ctx.sqlite, 'point_name') ?? '',
    companyName: getSetting(ctx.sqlite, 'company_name') ?? '',
    companyAddress: getSetting(ctx.sqlite, 'company_address') ?? '',
    pointAddress: getSetting(ctx.sqlite, 'point_address') ?? '',
    companyTaxCode: getSetting(ctx.sqlite, 'company_tax_code') ?? '',
    companyHotline: getSetting(ctx.sqlite, 'company_hotline') ?? '',
    einvoiceLookup: getSetting(ctx.sqlite, 'einvoice_lookup') ?? '',
    reconnectionFee: getSetting(ctx.sqlite, 'reconnection_fee') ?? 0,
    reconnectionFeeVatPercent: getSetting(ctx.sqlite, 'reconnection_fee_vat_percent') ?? 0,
    backupDir: getSetting(ctx.sqlite, 'backup_dir') ?? null,
    backupSameDisk: backupsOnSameDisk(ctx),
    autoCollect: getSetting(ctx.sqlite, 'auto_collect') ?? false,
    idleLockMinutes: getSetting(ctx.sqlite, 'idle_lock_minutes') ?? 0,
    changeRounding: getSetting(ctx.sqlite, 'change_rounding') ?? 0,
    // Each field on its own: one odd stored value does not reset the others.
    printer: {
      transport: printer.transport ?? PRINTER_DEFAULTS.transport,
      port: printer.port ?? PRINTER_DEFAULTS.port,
      width: printer.width ?? PRINTER_DEFAULTS.width,
      mode: printer.mode ?? PRINTER_DEFAULTS.mode,
    },
    scanner: { ...SCANNER_DEFAULTS, ...scanner },
  };
}

export function writeSettingsView(ctx: Ctx, values: Partial<SettingsView>, actorId: number): void {
  const changes: { [K in SettingKey]?: SettingValue<K> } = {};
  if (values.pointName !== undefined) changes.point_name = values.pointName;
  if (values.companyName !== undefined) changes.company_name = values.companyName;
  if (values.companyAddress !== undefined) changes.company_address = values.companyAddress;
  if (values.pointAddress !== undefined) changes.point_address = values.pointAddress;
  if (values.companyTaxCode !== undefined) changes.company_tax_code = values.companyTaxCode;
  if (values.companyHotline !== undefined) changes.company_hotline = values.companyHotline;
  if (values.einvoiceLookup !== undefined) changes.einvoice_lookup = values.einvoiceLookup;
  if (values.reconnectionFee !== undefined) changes.reconnection_fee = values.reconnectionFee;
  if (values.reconnectionFeeVatPercent !== undefined) changes.reconnection_fee_vat_percent = values.reconnectionFeeVatPercent;
  if (values.backupDir !== undefined) changes.backup_dir = values.backupDir;
  if (values.autoCollect !== undefined) changes.auto_collect = values.autoCollect;
  if (values.idleLockMinutes !== undefined) changes.idle_lock_minutes = values.idleLockMinutes;
  if (values.changeRounding !== undefined) changes.change_rounding = values.changeRounding;
  if (values.printer !== undefined) changes.printer = { ...(getSetting(ctx.sqlite, 'printer') ?? {}), ...values.printer };
  if (values.scanner !== undefined) changes.scanner = { ...(getSetting(ctx.sqlite, 'scanner') ?? {}), ...values.scanner };
  if (Object.keys(changes).length > 0) setSettings(ctx.sqlite, changes, actorId, ctx.clock());
}
