/**
 * The printer the settings name (settings key `printer`, edited on the settings screen):
 *   { transport: 'file' | 'usb' | 'serial' | 'tcp' | 'spooler', port, width: 384 | 576, mode }
 * where `port` is: file -> output folder ('' = <dataDir>/receipts); usb -> "vid:pid" in hex ("0416:5011");
 * serial -> "COM3" or "COM3@115200" ('/dev/ttyUSB0' on Linux); tcp -> "host" or "host:port" (9100);
 * spooler -> the Windows printer name. Optional `status: false` for a TCP or serial printer that does not
 * answer DLE EOT (jobs are then sent without asking, as on the spooler).
 */
import type { Ctx } from '../../context.ts';
import { AppError } from '../../core/errors.ts';
import { isAbsolutePath } from '../../core/paths.ts';
import { getSetting } from '../../settings.ts';
import { drainOutbox, type DrainResult, type Printer } from './outbox.ts';
import type { PaperWidth, PrintMode, Transport } from './printer.ts';
import { FileTransport, receiptsDir } from './transports/file.ts';
import { SerialTransport } from './transports/serial.ts';
import { SpoolerTransport } from './transports/spooler.ts';
import { TcpTransport } from './transports/tcp.ts';
import { UsbTransport } from './transports/usb.ts';

const MODES: PrintMode[] = ['raster', 'tcvn3-epson', 'tcvn3-xprinter', 'ascii'];

const invalid = (what: string) => new AppError('PRINTER_SETTING_INVALID', `Thiết lập máy in không hợp lệ: ${what}.`);

export function transportFor(transport: string, port: string, dataDir: string, statusQueries = true): Transport {
  switch (transport) {
    case 'file':
      if (port !== '' && !isAbsolutePath(port)) throw invalid('thư mục máy in tệp phải là đường dẫn đầy đủ');
      return new FileTransport(port === '' ? receiptsDir(dataDir) : port);
    case 'tcp': {
      const m = /^([^:\s]+)(?::(\d{1,5}))?$/.exec(port.trim());
      if (m === null) throw invalid('địa chỉ máy in mạng phải là "máy:cổng"');
      return new TcpTransport({ host: m[1]!, port: m[2] === undefined ? 9100 : Number(m[2]), statusQueries });
    }
    case 'serial': {
      const m = /^([^@\s]+)(?:@(\d+))?$/.exec(port.trim());
      if (m === null) throw invalid('cổng COM phải là "COM3" hoặc "COM3@9600"');
      return new SerialTransport({ path: m[1]!, baudRate: m[2] === undefined ? 9600 : Number(m[2]), statusQueries });
    }
    case 'usb': {
      const m = /^([0-9a-f]{4}):([0-9a-f]{4})$/i.exec(port.trim());
      if (m === null) throw invalid('máy in USB phải là "VID:PID", ví dụ 0416:5011');
      return new UsbTransport({ vendorId: parseInt(m[1]!, 16), productId: parseInt(m[2]!, 16) });
    }
    case 'spooler':
      if (port.trim() === '') throw invalid('chưa chọn máy in của Windows');
      return new SpoolerTransport(port.trim());
    default:
      throw invalid(`không có kiểu kết nối "${transport}"`);
  }
}

export function printerFromSettings(ctx: Ctx): Printer {
  const s = getSetting(ctx.sqlite, 'printer') ?? {};
  const width: PaperWidth = s.width === 384 ? 384 : 576;
  const mode = MODES.includes(s.mode as PrintMode) ? (s.mode as PrintMode) : 'raster';
  const transport = transportFor(typeof s.transport === 'string' ? s.transport : 'file', typeof s.port === 'string' ? s.port : '', ctx.dataDir, s.status !== false);
  return { transport, config: { width, mode } };
}

/** What the printing loop (electron/printing.ts) drives: drain the outbox, close the transport. */
export function printerPort(ctx: Ctx, printer: Printer = printerFromSettings(ctx)): { drain(): Promise<DrainResult>; close(): Promise<void> } {
  return { drain: () => drainOutbox(ctx, printer), close: () => printer.transport.close() };
}
