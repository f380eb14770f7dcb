/**
 * The shape of the settings records `printer` and `scanner`, one schema each, read by the printer
 * (printing/open-printer.ts), the runtime (app/runtime.ts, the scanner) and the settings screen (the
 * contract and ipc/settings-view.ts). The store keeps a record as written (store/settings.ts: any JSON
 * object, so a field set by a later version survives); each reader takes the fields it needs through
 * these schemas, field by field, so one odd stored value does not reset the others.
 */
import { z } from 'zod';

export const PRINTER_TRANSPORTS = ['file', 'usb', 'serial', 'tcp', 'spooler'] as const;
export const PRINT_MODES = ['raster', 'tcvn3-epson', 'tcvn3-xprinter', 'ascii'] as const;
export const SCANNER_MODES = ['wedge', 'hid', 'serial'] as const;
/** The rates serial barcode scanners are set to (9600 out of the box). */
export const SCANNER_BAUD_RATES = [9600, 19200, 38400, 57600, 115200] as const;

/** What a scanner may be set to add around a code: a few printable characters (it still ends each code with CR/LF). */
const scannerAffix = z.string().max(16).regex(/^[\x21-\x7e]*$/);

/** Settings key `printer`. */
export const printerRecord = {
  transport: z.enum(PRINTER_TRANSPORTS),
  /** Serial port, host:port, spooler name or output folder ('' = <data-dir>/receipts). */
  port: z.string().max(200),
  /** 58 mm / 80 mm paper. */
  width: z.union([z.literal(384), z.literal(576)]),
  mode: z.enum(PRINT_MODES),
  /** false for a TCP or serial printer that does not answer DLE EOT. */
  status: z.boolean(),
  /** How long a job's bytes may wait for the printer before it counts as jammed. */
  writeTimeoutMs: z.number().int().min(100).max(600_000),
};

/** Settings key `scanner`. path, baudRate, prefix and suffix are the serial scanner's. */
export const scannerRecord = {
  mode: z.enum(SCANNER_MODES),
  /** COM3, /dev/ttyACM0; '' = not chosen yet. */
  path: z.string().max(200),
  baudRate: z.literal(SCANNER_BAUD_RATES),
  prefix: scannerAffix,
  suffix: scannerAffix,
};

export const SCANNER_DEFAULTS = { mode: 'wedge', path: '', baudRate: 9600, prefix: '', suffix: '' } as const;

export const PRINTER_DEFAULTS = { transport: 'file', port: '', width: 576, mode: 'raster' } as const;

/** Each field of a stored record that parses; the others are left out. */
export function recordFields<S extends Record<string, z.ZodType>>(schema: S, stored: Record<string, unknown> | undefined): { [K in keyof S]?: z.output<S[K]> } {
  const out: { [K in keyof S]?: z.output<S[K]> } = {};
  for (const key of Object.keys(schema) as Array<keyof S & string>) {
    const parsed = schema[key]!.safeParse(stored?.[key]);
    if (parsed.success) out[key] = parsed.data as z.output<S[typeof key]>;
  }
  return out;
}

/**
 * The point's sync settings (one `sync` setting; none: the point works alone). The token is not in
 * the database, which every backup copies: the setting names the file that holds it (readable by the
 * program's user only, like pin.key). The fingerprint is the server certificate's SHA-256 as
 * `diemthu-server serve` printed it; without it the certificate must chain to a trusted authority.
 */
export const syncSettings = z
  .object({
    serverUrl: z.string().regex(/^https:\/\/[^\s/]+(\/\S*)?$/),
    tokenFile: z.string().min(1).max(1000),
    fingerprint: z
      .string()
      .regex(/^([0-9A-Fa-f]{2}:?){31}[0-9A-Fa-f]{2}$/)
      .nullable(),
    /** Seconds between background syncs while everything goes well. */
    intervalSeconds: z.number().int().min(5).max(3600),
    /** Minutes an item may wait before the status bar raises the alarm. */
    alarmMinutes: z.number().int().min(1).max(7 * 24 * 60),
  })
  .strict();
export type SyncSettings = z.infer<typeof syncSettings>;

export const SYNC_DEFAULTS = { intervalSeconds: 60, alarmMinutes: 30 } as const;

/** The counter locks after this many minutes nobody used it (0: never); the shift stays open. */
export const idleLockMinutes = z.number().int().min(0).max(240);
