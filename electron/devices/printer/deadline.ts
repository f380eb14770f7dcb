/**
 * Every step that waits on a printer has a deadline. A printer that accepts a connection and then
 * stops reading (a jam, a hung network card, a spooler stuck on a driver dialog, a share that stopped
 * answering) would otherwise leave a write waiting forever, and with it the outbox pass and every
 * receipt behind it. The transports bound their own writes and tear their link down when the time is
 * up; the outbox bounds each step again (a backstop for a transport that does not).
 *
 * The printer setting `writeTimeoutMs` sets the bound; the Windows spooler gets longer by default,
 * since each job starts PowerShell and compiles a few lines of C#.
 */
import { AppError } from '../../core/errors.ts';

export const DEFAULT_WRITE_TIMEOUT_MS = 10_000;
export const DEFAULT_SPOOLER_TIMEOUT_MS = 30_000;
/** What a status read (three DLE EOT round trips) and a grace period add to a write's bound in the outbox. */
export const STEP_GRACE_MS = 15_000;

export function printerTimeout(ms: number): AppError {
  const seconds = Math.max(1, Math.round(ms / 1000));
  return new AppError(
    'PRINTER_TIMEOUT',
    `Máy in không nhận dữ liệu trong ${seconds} giây. Hãy kiểm tra máy in (giấy, nắp, cáp, mạng); biên nhận đang in dở sẽ được in lại với dấu BẢN SAO.`,
    { timeoutMs: ms },
  );
}

/**
 * Settles as `work` does, or rejects with PRINTER_TIMEOUT after `ms`, calling `onTimeout` first (close
 * the socket, the port, the child) so the link is rebuilt on the next job. A late outcome of `work` is
 * then ignored.
 */
export function withDeadline<T>(work: Promise<T>, ms: number, onTimeout: () => void = () => {}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      try {
        onTimeout();
      } finally {
        reject(printerTimeout(ms));
      }
    }, ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
