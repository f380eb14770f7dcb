import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from './errors.ts';

/**
 * How a restore started from the app went, as the next start shows it on the login screen: the file
 * the restore left in the data folder (backups/restore-outcome.ts) and the `restoreNotice` answer.
 */
/** A payment the replaced database had and the restored backup has not: a forced restore names each (journal, outcome, CLI). */
export const droppedPayment = z.object({ receiptNo: z.string(), maKhang: z.string().nullable(), total: z.number().int(), cashierCode: z.string().nullable(), paidAt: z.string() });
export type DroppedPayment = z.infer<typeof droppedPayment>;

export const restoreOutcome = z.discriminatedUnion('ok', [
  // `dropped`: the payments a forced restore dropped (an outcome written before it was named has none listed).
  z.object({ ok: z.literal(true), file: z.string(), at: z.string(), safetyCopy: z.string().nullable(), forced: z.boolean(), dropped: z.array(droppedPayment).default([]) }),
  z.object({ ok: z.literal(false), file: z.string(), at: z.string(), code: z.custom<ErrorCode>((code) => typeof code === 'string' && ((ERROR_CODES as readonly string[]).includes(code) || code.startsWith('SCAN_'))), message: z.string() }),
]);
export type RestoreOutcome = z.infer<typeof restoreOutcome>;
