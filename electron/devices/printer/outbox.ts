/**
 * Drains the print outbox (print_jobs) into a printer, oldest job first. The payment and its job were
 * committed together before anything prints; this only moves paper.
 *
 * A job is never printed twice without saying so. The rule:
 * - Refused before any byte left (printer status says paper out / cover open / offline, or the printer
 *   cannot be reached): the job stays 'pending' with attempts+1 and last_error, and is sent again as
 *   the original on the next pass, because nothing reached the paper.
 * - In doubt after bytes started to leave (write failed midway, no confirmation afterwards, or a job
 *   found still 'sending' when a pass starts, i.e. the program died or the cable was pulled mid-job):
 *   the job becomes 'failed' (it is never sent again) and a copy of the same document is queued in the
 *   same transaction, with the next copy number, so what comes out says "BẢN SAO lần n". The customer
 *   may end up with a partial original and a marked copy, never two unmarked originals. The original
 *   row keeps copy_no 0 so the clearing file still finds the original receipt.
 * - Receipt, reprint and reconnection order jobs of a payment voided before they printed are never
 *   sent (a voided receipt must not reach the customer looking valid): they become 'failed' with
 *   reason VOIDED. The void slip of that payment prints as usual.
 * - A document that does not say what its money says (a receipt, copy, void slip or reconnection order
 *   against its payment's rows, a Z report against its journal row: ../../document-check.ts) is never
 *   sent: it is set aside ('failed', PRINT_DOCUMENT_MISMATCH) and the next job prints.
 * Every outcome is journaled ('print', 'print_failed') in the transaction that records it.
 *
 * Only the process holding the printer lease (./lease.ts) drains, and a job is claimed 'sending' only
 * from 'pending', so the app and `diemthu print` on the same data folder never both send a job, and a
 * pass never mistakes another live process's job for one left by a crash.
 */
import type { Ctx } from '../../context.ts';
import type { PrintDocument, TestPageDocument } from '../../core/documents.ts';
import { AppError, isAppError } from '../../core/errors.ts';
import { appendJournal } from '../../journal.ts';
import { checkedDocument } from '../../document-check.ts';
import { holdPrinterLease, releasePrinterLease } from './lease.ts';
import { encodeDocument, encodeTestPage } from './encode-escpos.ts';
import { renderPreviewPng } from './preview.ts';
import { statusProblem } from './status.ts';
import type { PrinterConfig, Transport } from './printer.ts';
import { FileTransport } from './transports/file.ts';

export interface Printer {
  transport: Transport;
  config: PrinterConfig;
}

interface JobRow {
  id: number;
  kind: string;
  payment_id: number | null;
  copy_no: number;
  document: string;
  attempts: number;
}

export interface DrainResult {
  printed: number[];
  /** Jobs not printed because their document disagrees with the money (PRINT_DOCUMENT_MISMATCH). */
  setAside: number[];
  /** Jobs found in doubt and replaced by a copy: [in-doubt job id, copy job id]. */
  replaced: Array<[number, number]>;
}

const errorText = (error: unknown) =>
  isAppError(error) ? `${error.code}: ${error.message}` : `PRINTER_ERROR: ${error instanceof Error ? error.message : String(error)}`;

const asAppError = (error: unknown) =>
  isAppError(error) ? error : new AppError('PRINTER_ERROR', 'Máy in gặp lỗi khi in. Hãy kiểm tra máy in và dây cáp.', { cause: errorText(error) });

/** The copy number after the last one of the same document (receipt and its reprints share numbers). */
function nextCopyNo(ctx: Ctx, job: JobRow): number {
  if (job.payment_id === null) return job.copy_no + 1;
  const kinds = job.kind === 'receipt' || job.kind === 'reprint' ? ['receipt', 'reprint'] : [job.kind];
  const { last } = ctx.sqlite
    .prepare(`SELECT MAX(copy_no) AS last FROM print_jobs WHERE payment_id = ? AND kind IN (${kinds.map(() => '?').join(', ')})`)
    .get(job.payment_id, ...kinds) as { last: number };
  return last + 1;
}

/**
 * Marks a job in doubt 'failed' and queues its marked copy; returns the copy's id, or null when the job
 * was no longer 'sending' (another pass already settled it: one copy is enough).
 */
function replaceWithCopy(ctx: Ctx, job: JobRow, reason: string): number | null {
  return ctx.sqlite
    .transaction(() => {
      const failed = ctx.sqlite.prepare("UPDATE print_jobs SET status = 'failed', last_error = ? WHERE id = ? AND status = 'sending'").run(reason, job.id);
      if (failed.changes === 0) return null;
      const at = ctx.clock();
      const copyNo = nextCopyNo(ctx, job);
      const copyKind = job.kind === 'receipt' ? 'reprint' : job.kind;
      const { id } = ctx.sqlite
        .prepare('INSERT INTO print_jobs (kind, payment_id, copy_no, document, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id')
        .get(copyKind, job.payment_id, copyNo, job.document, at.toISOString()) as { id: number };
      appendJournal(ctx.sqlite, {
        kind: 'print_failed',
        actorId: null,
        payload: { jobId: job.id, kind: job.kind, paymentId: job.payment_id, error: reason, inDoubt: true, copyJobId: id, copyNo },
        at,
      });
      return id;
    })
    .immediate();
}

/** Jobs left 'sending' by a pass that never finished (run under the lease, so no live pass owns them). */
function recoverInDoubt(ctx: Ctx): Array<[number, number]> {
  const stale = ctx.sqlite.prepare("SELECT * FROM print_jobs WHERE status = 'sending' ORDER BY id").all() as JobRow[];
  return stale.flatMap((job): Array<[number, number]> => {
    const copy = replaceWithCopy(ctx, job, 'PRINT_UNCONFIRMED: Không xác nhận được lần in trước (tắt máy hoặc rút cáp khi đang in).');
    return copy === null ? [] : [[job.id, copy]];
  });
}

/** Jobs that show a payment as valid; its void slip is not one of them. */
const VALID_PAYMENT_KINDS = new Set(['receipt', 'reprint', 'reconnection_order']);
const VOIDED_REASON = 'VOIDED: Biên nhận đã bị huỷ trước khi in nên không in nữa (phiếu huỷ vẫn được in).';

function paymentVoided(ctx: Ctx, job: JobRow): boolean {
  if (job.payment_id === null || !VALID_PAYMENT_KINDS.has(job.kind)) return false;
  const row = ctx.sqlite.prepare('SELECT voided_at FROM payments WHERE id = ?').get(job.payment_id) as { voided_at: string | null } | undefined;
  return row?.voided_at != null;
}

/**
 * Claims a job for sending, renewing the lease in the same transaction. False when it must not be sent:
 * its payment was voided (the job fails with VOIDED) or it is no longer 'pending'.
 */
function claim(ctx: Ctx, job: JobRow): boolean {
  return ctx.sqlite
    .transaction(() => {
      holdPrinterLease(ctx);
      if (!paymentVoided(ctx, job)) {
        return ctx.sqlite.prepare("UPDATE print_jobs SET status = 'sending', attempts = attempts + 1 WHERE id = ? AND status = 'pending'").run(job.id).changes === 1;
      }
      failUnsent(ctx, job, VOIDED_REASON);
      return false;
    })
    .immediate();
}

/** Inside a transaction: a pending job becomes 'failed' without a byte sent, journaled (nothing when no longer pending). */
function failUnsent(ctx: Ctx, job: JobRow, reason: string): void {
  if (ctx.sqlite.prepare("UPDATE print_jobs SET status = 'failed', last_error = ? WHERE id = ? AND status = 'pending'").run(reason, job.id).changes === 1) {
    appendJournal(ctx.sqlite, {
      kind: 'print_failed',
      actorId: null,
      payload: { jobId: job.id, kind: job.kind, paymentId: job.payment_id, error: reason, inDoubt: false },
      at: ctx.clock(),
    });
  }
}

function refuse(ctx: Ctx, job: JobRow, error: AppError): never {
  ctx.sqlite
    .transaction(() => {
      const reason = errorText(error);
      ctx.sqlite.prepare('UPDATE print_jobs SET attempts = attempts + 1, last_error = ? WHERE id = ?').run(reason, job.id);
      appendJournal(ctx.sqlite, {
        kind: 'print_failed',
        actorId: null,
        payload: { jobId: job.id, kind: job.kind, paymentId: job.payment_id, error: reason, inDoubt: false },
        at: ctx.clock(),
      });
    })
    .immediate();
  throw error;
}

/** The bytes of a job, from its document once it is checked against the money it prints. */
function jobBytes(ctx: Ctx, job: JobRow, config: PrinterConfig): Uint8Array {
  const doc = checkedDocument(ctx.sqlite, job);
  return doc.kind === 'test_page' ? encodeTestPage(doc as TestPageDocument, config.width) : encodeDocument(doc, job.copy_no, config);
}

/** A job whose document disagrees with the money: failed without a byte sent; the queue goes on. */
function setAside(ctx: Ctx, job: JobRow, error: AppError): void {
  ctx.sqlite
    .transaction(() => {
      holdPrinterLease(ctx);
      failUnsent(ctx, job, errorText(error));
    })
    .immediate();
}

async function checkStatus(transport: Transport): Promise<AppError | null> {
  if (transport.readStatus === undefined) return null;
  try {
    return statusProblem(await transport.readStatus());
  } catch (error) {
    // a one-way printer cannot be asked: it prints or it does not, as with the spooler
    return isAppError(error) && error.code === 'PRINTER_ONE_WAY' ? null : asAppError(error);
  }
}

/** Sends one job; throws the AppError the cashier should see when it did not print. */
async function printJob(ctx: Ctx, printer: Printer, job: JobRow): Promise<'printed' | 'skipped' | 'set_aside'> {
  let bytes: Uint8Array;
  try {
    bytes = jobBytes(ctx, job, printer.config);
  } catch (error) {
    if (!isAppError(error) || error.code !== 'PRINT_DOCUMENT_MISMATCH') throw error;
    setAside(ctx, job, error);
    return 'set_aside';
  }
  const before = await checkStatus(printer.transport);
  if (before !== null) refuse(ctx, job, before);
  if (!claim(ctx, job)) return 'skipped';
  try {
    const doc = JSON.parse(job.document) as PrintDocument;
    const previewPng =
      printer.transport instanceof FileTransport && printer.config.mode === 'raster'
        ? () => renderPreviewPng(doc, job.copy_no, printer.config.width)
        : undefined;
    await printer.transport.write(bytes, { id: job.id, kind: job.kind, previewPng });
  } catch (error) {
    replaceWithCopy(ctx, job, errorText(error));
    throw asAppError(error);
  }
  const after = await checkStatus(printer.transport);
  if (after !== null) {
    replaceWithCopy(ctx, job, errorText(after));
    throw after;
  }
  ctx.sqlite
    .transaction(() => {
      const at = ctx.clock();
      // still 'sending' unless our lease lapsed mid-job and another pass already queued its copy;
      // the paper came out either way, so the print is journaled
      ctx.sqlite
        .prepare("UPDATE print_jobs SET status = 'done', printed_at = ?, last_error = NULL WHERE id = ? AND status = 'sending'")
        .run(at.toISOString(), job.id);
      appendJournal(ctx.sqlite, {
        kind: 'print',
        actorId: null,
        payload: { jobId: job.id, kind: job.kind, paymentId: job.payment_id, copyNo: job.copy_no, bytes: bytes.length, transport: printer.transport.name },
        at,
      });
    })
    .immediate();
  return 'printed';
}

const running = new WeakMap<Ctx, Promise<unknown>>();

/**
 * Sends every waiting job in id order and stops at the first one that does not print (throwing its
 * AppError, PRINTER_*), so jobs never overtake each other. Passes on one ctx run one after another.
 */
export function drainOutbox(ctx: Ctx, printer: Printer): Promise<DrainResult> {
  const previous = running.get(ctx) ?? Promise.resolve();
  const pass = previous.catch(() => undefined).then(() => drainOnce(ctx, printer));
  running.set(ctx, pass);
  return pass;
}

async function drainOnce(ctx: Ctx, printer: Printer): Promise<DrainResult> {
  ctx.sqlite.transaction(() => holdPrinterLease(ctx)).immediate();
  try {
    const replaced = recoverInDoubt(ctx);
    const printed: number[] = [];
    const setAsideJobs: number[] = [];
    const next = ctx.sqlite.prepare("SELECT * FROM print_jobs WHERE status = 'pending' ORDER BY id LIMIT 1");
    for (let job = next.get() as JobRow | undefined; job !== undefined; job = next.get() as JobRow | undefined) {
      const outcome = await printJob(ctx, printer, job);
      if (outcome === 'printed') printed.push(job.id);
      if (outcome === 'set_aside') setAsideJobs.push(job.id);
    }
    return { printed, setAside: setAsideJobs, replaced };
  } finally {
    releasePrinterLease(ctx);
  }
}
