/**
 * Real-time status (DLE EOT n, Epson ESC/POS). Each reply is one byte whose bits 1 and 4 are always 1 and
 * bits 0 and 7 always 0, which is how a status byte is told from other data coming back.
 *   n=1 printer:  bit 3 offline
 *   n=2 offline cause: bit 2 cover open, bit 5 printing stopped by paper end, bit 6 error
 *   n=4 roll paper sensor: bits 2-3 paper near end, bits 5-6 paper end
 */
import { AppError } from '../../core/errors.ts';

export const DLE_EOT = (n: 1 | 2 | 3 | 4): Uint8Array => Uint8Array.of(0x10, 0x04, n);

export interface EscposStatus {
  online: boolean;
  coverOpen: boolean;
  paperOut: boolean;
  paperNearEnd: boolean;
  error: boolean;
}

export const isStatusByte = (byte: number): boolean => (byte & 0x93) === 0x12;

export function parseStatus(printer: number, offlineCause: number, paper: number): EscposStatus {
  for (const byte of [printer, offlineCause, paper]) {
    if (!isStatusByte(byte)) throw new AppError('PRINTER_STATUS_GARBLED', 'Máy in trả lời trạng thái không đúng chuẩn ESC/POS.', { byte });
  }
  return {
    online: (printer & 0x08) === 0,
    coverOpen: (offlineCause & 0x04) !== 0,
    paperOut: (paper & 0x60) === 0x60 || (offlineCause & 0x20) !== 0,
    paperNearEnd: (paper & 0x0c) === 0x0c,
    error: (offlineCause & 0x40) !== 0,
  };
}

/** The refusal to show the cashier, or null when the printer can print. */
export function statusProblem(status: EscposStatus): AppError | null {
  if (status.paperOut) return new AppError('PRINTER_PAPER_OUT', 'Máy in hết giấy. Hãy thay cuộn giấy rồi in lại.');
  if (status.coverOpen) return new AppError('PRINTER_COVER_OPEN', 'Nắp máy in đang mở. Hãy đóng nắp rồi in lại.');
  if (status.error) return new AppError('PRINTER_ERROR', 'Máy in báo lỗi. Hãy tắt, bật lại máy in rồi in lại.');
  if (!status.online) return new AppError('PRINTER_OFFLINE', 'Máy in đang ngoại tuyến. Hãy kiểm tra máy in rồi in lại.');
  return null;
}

/**
 * Matches status bytes coming back on a two-way link to the queries sent, one at a time. Transports
 * feed it every byte they receive; bytes that are not status bytes (e.g. a stray ASB) are ignored.
 */
export class StatusReader {
  private waiting: { resolve: (byte: number) => void; reject: (error: Error) => void; timer: NodeJS.Timeout } | null = null;

  feed(bytes: Uint8Array): void {
    for (const byte of bytes) {
      if (this.waiting === null || !isStatusByte(byte)) continue;
      const { resolve, timer } = this.waiting;
      clearTimeout(timer);
      this.waiting = null;
      resolve(byte);
    }
  }

  fail(error: Error): void {
    if (this.waiting === null) return;
    clearTimeout(this.waiting.timer);
    this.waiting.reject(error);
    this.waiting = null;
  }

  private ask(send: (bytes: Uint8Array) => Promise<void>, n: 1 | 2 | 4, timeoutMs: number): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = null;
        reject(new AppError('PRINTER_NO_REPLY', 'Máy in không trả lời. Hãy kiểm tra máy in đã bật và cáp đã cắm.'));
      }, timeoutMs);
      this.waiting = { resolve, reject, timer };
      send(DLE_EOT(n)).catch((error: Error) => this.fail(error));
    });
  }

  async read(send: (bytes: Uint8Array) => Promise<void>, timeoutMs = 1000): Promise<EscposStatus> {
    const printer = await this.ask(send, 1, timeoutMs);
    const offlineCause = await this.ask(send, 2, timeoutMs);
    const paper = await this.ask(send, 4, timeoutMs);
    return parseStatus(printer, offlineCause, paper);
  }
}

/**
 * For printers that never answer DLE EOT (settings: printer.status = false): the outbox then sends
 * without asking, as it does on the one-way spooler.
 */
export const oneWay = (): Promise<EscposStatus> =>
  Promise.reject(new AppError('PRINTER_ONE_WAY', 'Máy in này được đặt là không trả lời trạng thái.'));
