/** Display forms: money `1.234.567 ₫`, dates dd/MM/yyyy in Việt Nam time (the core's rules). */
import { formatDong } from '../electron/core/money.ts';
import { formatDate, formatDateTime, localParts } from '../electron/core/local-time.ts';
import type { BillView, IpcError, StatusView } from '../electron/ipc/contract.ts';

export const money = formatDong;
export const date = (iso: string): string => formatDate(new Date(iso));
export const dateTime = (iso: string): string => formatDateTime(new Date(iso));

export function clock(iso: string): string {
  const t = localParts(new Date(iso));
  return `${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`;
}

export function period(bill: Pick<BillView, 'ky' | 'thang' | 'nam'>): string {
  return `Kỳ ${bill.ky} · ${String(bill.thang).padStart(2, '0')}/${bill.nam}`;
}

/** Every error the cashier sees: the sentence, then its code for a support call. */
export function errorText(error: IpcError): string {
  return `${error.message} (${error.code})`;
}

/**
 * Where the printing stands, from the status: jobs waiting while the printer reports a fault is a
 * failure to say loudly; jobs waiting otherwise are printing; none waiting claims nothing.
 */
export function printTrouble(status: StatusView | null): 'printing' | 'failed' | null {
  if (status === null || status.printJobsWaiting === 0) return null;
  return ['offline', 'paper_out', 'error'].includes(status.printer.state) ? 'failed' : 'printing';
}

/** The reconnection fee's VAT rate as typed (whole per cent, 0-10 as the settings record allows), or null. */
export function parseVatPercent(text: string): number | null {
  const t = text.trim();
  return /^\d{1,2}$/.test(t) && Number(t) <= 10 ? Number(t) : null;
}
