/**
 * The printer the printing loop drives, opened from the settings at each pass: a change on the
 * settings screen takes effect without a restart (the transport is reopened only when the setting
 * changed), and an invalid or missing printer setting is a refusal shown in the status bar, never a
 * crash at start-up. Payments go on either way; their jobs wait in the outbox.
 */
import type { Ctx } from '../store/context.ts';
import { getSetting } from '../store/settings.ts';
import { printerPort } from './open-printer.ts';
import type { PrinterPort } from './printing.ts';

export function settingsPrinterPort(ctx: Ctx, open: (ctx: Ctx) => PrinterPort = printerPort): PrinterPort {
  let current: { key: string; port: PrinterPort } | null = null;
  const close = async () => {
    const previous = current;
    current = null;
    await previous?.port.close();
  };
  return {
    async drain() {
      const key = JSON.stringify(getSetting(ctx.sqlite, 'printer') ?? null);
      if (current?.key !== key) {
        await close();
        current = { key, port: open(ctx) };
      }
      return current.port.drain();
    },
    close,
  };
}
