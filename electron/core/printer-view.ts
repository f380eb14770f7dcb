/**
 * The printer as the status bar shows it: the contract's `printerView` (electron/ipc/contract.ts)
 * validates it, printing/ produces it. Here, in core, so both import it without importing each other.
 * The bytes a printer answers to DLE EOT are devices/printer/status.ts's EscposStatus.
 */
export const PRINTER_STATES = ['ready', 'busy', 'offline', 'paper_out', 'error', 'unknown'] as const;
export type PrinterState = (typeof PRINTER_STATES)[number];

export interface PrinterView {
  state: PrinterState;
  /** `[CODE] sentence` of the last refusal, or null. */
  message: string | null;
}
