/**
 * The printer the settings name (settings key `printer`, edited on the settings screen):
 *   { transport: 'file' | 'usb' | 'serial' | 'tcp' | 'spooler', port, width: 384 | 576, mode }
 * where `port` is: file -> output folder ('' = <dataDir>/receipts); usb -> "vid:pid" in hex ("0416:5011");
 * serial -> "COM3" or "COM3@115200" ('/dev/ttyUSB0' on Linux); tcp -> "host" or "host:port" (9100);
 * spooler -> the Windows printer name. Optional `status: false` for a TCP or serial printer that does not
 * answer DLE EOT (jobs are then sent without asking, as on the spooler). Optional `writeTimeoutMs`
 * (100..600000): how long a job's bytes may wait for the printer before it counts as jammed (default
 * 10 s, 30 s on the spooler).
 */
import type { Ctx } from '../store/context.ts';
import { AppError } from '../core/errors.ts';
import { isAbsolutePath } from '../core/paths.ts';
import { getSetting } from '../store/settings.ts';
import { PRINTER_DEFAULTS, printerRecord, recordFields } from '../core/settings-records.ts';
import { drainOutbox, type DrainResult, type Printer } from './outbox.ts';
import { DEFAULT_SPOOLER_TIMEOUT_MS, DEFAULT_WRITE_TIMEOUT_MS, STEP_GRACE_MS } from '../devices/printer/deadline.ts';
import type { PaperWidth, PrintMode, Transport } from '../devices/printer/printer.ts';
import { FileTransport, receiptsDir } from '../devices/printer/transports/file.ts';
import { SerialTransport } from '../devices/printer/transports/serial.ts';
import { SpoolerTransport } from '../devices/printer/transports/spooler.ts';
import { TcpTransport } from '../devices/printer/transports/tcp.ts';
import { UsbTransport } from '../devices/printer/transports/usb.ts';

const invalid = (what: string) => new AppError('PRINTER_SETTING_INVALID', `Thiết lập máy in không hợp lệ: ${what}.`);

export interface TransportOptions {
  /** false for a printer that does not answer DLE EOT. */
  statusQueries?: boolean;
  /** The bound of each write (default: 10 s, 30 s on the spooler). */
  writeTimeoutMs?: number;
}

/** The write bound a transport kind gets when the setting names none. */
export const defaultWriteTimeout = (transport: string): number => (transport === 'spooler' ? DEFAULT_SPOOLER_TIMEOUT_MS : DEFAULT_WRITE_TIMEOUT_MS);

export function transportFor(transport: string, port: string, dataDir: string, options: TransportOptions = {}): Transport {
  const statusQueries = options.statusQueries ?? true;
  const writeTimeoutMs = options.writeTimeoutMs ?? defaultWriteTimeout(transport);
  switch (transport) {
    case 'file':
      if (port !== '' && !isAbsolutePath(port)) throw invalid('thư mục máy in tệp phải là đường dẫn đầy đủ');
      return new FileTransport(port === '' ? receiptsDir(dataDir) : port, writeTimeoutMs);
    case 'tcp': {
      const m = /^([^:\s]+)(?::(\d{1,5}))?$/.exec(port.trim());
      if (m === null) throw invalid('địa chỉ máy in mạng phải là "máy:cổng"');
      return new TcpTransport({ host: m[1]!, port: m[2] === undefined ? 9100 : Number(m[2]), statusQueries, writeTimeoutMs });
    }
    case 'serial': {
      const m = /^([^@\s]+)(?:@(\d+))?$/.exec(port.trim());
      if (m === null) throw invalid('cổng COM phải là "COM3" hoặc "COM3@9600"');
      return new SerialTransport({ path: m[1]!, baudRate: m[2] === undefined ? 9600 : Number(m[2]), statusQueries, writeTimeoutMs });
    }
    case 'usb': {
      const m = /^([0-9a-f]{4}):([0-9a-f]{4})$/i.exec(port.trim());
      if (m === null) throw invalid('máy in USB phải là "VID:PID", ví dụ 0416:5011');
      return new UsbTransport({ vendorId: parseInt(m[1]!, 16), productId: parseInt(m[2]!, 16), writeTimeoutMs });
    }
    case 'spooler':
      if (port.trim() === '') throw invalid('chưa chọn máy in của Windows');
      return new SpoolerTransport(port.trim(), undefined, writeTimeoutMs);
    default:
      throw invalid(`không có kiểu kết nối "${transport}"`);
  }
}

function writeTimeoutSetting(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const parsed = printerRecord.writeTimeoutMs.safeParse(value);
  if (!parsed.success) throw invalid('thời gian chờ máy in (writeTimeoutMs) phải từ 100 đến 600000 mili giây');
  return parsed.data;
}

export function printerFromSettings(ctx: Ctx): Printer {
  const s = getSetting(ctx.sqlite, 'printer') ?? {};
  const fields = recordFields(printerRecord, s);
  const width: PaperWidth = fields.width ?? PRINTER_DEFAULTS.width;
  const mode: PrintMode = fields.mode ?? PRINTER_DEFAULTS.mode;
  // A transport this program does not know is refused by name (transportFor), not taken for a file.
  const kind = typeof s.transport === 'string' ? s.transport : PRINTER_DEFAULTS.transport;
  const writeTimeoutMs = writeTimeoutSetting(s.writeTimeoutMs) ?? defaultWriteTimeout(kind);
  const transport = transportFor(kind, typeof s.port === 'string' ? s.port : '', ctx.dataDir, { statusQueries: fields.status !== false, writeTimeoutMs });
  return { transport, config: { width, mode }, stepTimeoutMs: writeTimeoutMs + STEP_GRACE_MS };
}

/** What the printing loop (electron/printing.ts) drives: drain the outbox, close the transport. */
export function printerPort(ctx: Ctx, printer: Printer = printerFromSettings(ctx)): { drain(): Promise<DrainResult>; close(): Promise<void> } {
  return { drain: () => drainOutbox(ctx, printer), close: () => printer.transport.close() };
}
