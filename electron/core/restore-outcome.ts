import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from './errors.ts';

/**
 * How a restore started from the app went, as the next start shows it on the login screen: the file
 * the restore left in the data folder (backups/restore-outcome.ts) and the `restoreNotice` answer.
 */
export const restoreOutcome = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), file: z.string(), at: z.string(), safetyCopy: z.string().nullable(), forced: z.boolean() }),
  z.object({ ok: z.literal(false), file: z.string(), at: z.string(), code: z.custom<ErrorCode>((code) => typeof code === 'string' && ((ERROR_CODES as readonly string[]).includes(code) || code.startsWith('SCAN_'))), message: z.string() }),
]);
export type RestoreOutcome = z.infer<typeof restoreOutcome>;
