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
 * - A job that cannot be printed as stored (its document unreadable: see ./job-document.ts) is set
 *   aside: claimed, 'failed' with set_aside_at and its error, never retried, and the jobs behind it
 *   print. `setAsideJob` is the one way to do it, for any check that finds a job unprintable.
 * - No step waits on the printer without end: each transport bounds its writes (./deadline.ts) and
 *   this module bounds each status read and write again, so a printer that stops reading costs one
 *   job in doubt and a PRINTER_TIMEOUT for the status bar, never a pass that does not end.
 * - A document that does not say what its money says (a receipt, copy, void slip or reconnection order
 *   against its payment's rows, a Z report against its journal row: ../../document-check.ts) is never
 *   sent: it is set aside ('failed', PRINT_DOCUMENT_MISMATCH) and the next job prints.
 * Every outcome is journaled ('print', 'print_failed') in the transaction that records it.
 *
 * Only the process holding the printer lease (./lease.ts) drains, and a job is claimed 'sending' only
 * from 'pending', so the app and `diemthu print` on the same data folder never both send a job, and a
 * pass never mistakes another live process's job for one left by a crash.
 */
import type { Ctx } from '../store/context.ts';
import { query, selectAll, selectFirst, type RowOf } from '../store/typed-query.ts';
import type { PrintDocument } from '../core/documents.ts';
import { AppError, isAppError, type ErrorCode } from '../core/errors.ts';
import { appendJournal } from '../store/journal.ts';
import { lastCopyNo } from './print-jobs.ts';
import { checkedDocument } from './document-check.ts';
import { holdPrinterLease, releasePrinterLease } from './lease.ts';
import { encodeDocument, encodeTestPage } from '../devices/printer/encode-escpos.ts';
import { renderPreviewPng } from '../devices/printer/preview.ts';
import { statusProblem } from '../devices/printer/status.ts';
import { DEFAULT_WRITE_TIMEOUT_MS, STEP_GRACE_MS, withDeadline } from '../devices/printer/deadline.ts';
import type { PrinterConfig, Transport } from '../devices/printer/printer.ts';
import { FileTransport } from '../devices/printer/transports/file.ts';

export interface Printer {
  transport: Transport;
  config: PrinterConfig;
  /**
   * The longest one device step (a status read, a job's write) may take before the pass gives up on
   * it: a backstop behind the transport's own write timeout. Default: that timeout's default + grace.
   */
  stepTimeoutMs?: number;
}

const stepTimeout = (printer: Printer) => printer.stepTimeoutMs ?? DEFAULT_WRITE_TIMEOUT_MS + STEP_GRACE_MS;

const jobRows = query.selectFrom('print_jobs').select(['id', 'kind', 'payment_id', 'copy_no', 'document', 'attempts']);
type JobRow = RowOf<typeof jobRows>;

export interface SetAside {
  jobId: number;
  code: ErrorCode;
  message: string;
}

export interface DrainResult {
  printed: number[];
  /** Jobs found in doubt and replaced by a copy: [in-doubt job id, copy job id]. */
  replaced: Array<[number, number]>;
  /** Jobs set aside by this pass: they cannot be printed as stored (the jobs behind them went on). */
  setAside: SetAside[];
}

const errorText = (error: unknown) =>
  isAppError(error) ? `${error.code}: ${error.message}` : `PRINTER_ERROR: ${error instanceof Error ? error.message : String(error)}`;

const asAppError = (error: unknown) =>
  isAppError(error) ? error : new AppError('PRINTER_ERROR', 'Máy in gặp lỗi khi in. Hãy kiểm tra máy in và dây cáp.', { cause: errorText(error) });

/** The copy number after the last one of the same document (receipt and its reprints share numbers). */
function nextCopyNo(ctx: Ctx, job: JobRow): number {
  if (job.payment_id === null) return job.copy_no + 1;
  const kinds: Array<JobRow['kind']> = job.kind === 'receipt' || job.kind === 'reprint' ? ['receipt', 'reprint'] : [job.kind];
  return lastCopyNo(ctx.sqlite, job.payment_id, kinds) + 1;
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
  const stale = selectAll(ctx.sqlite, jobRows.where('status', '=', 'sending').orderBy('id'));
  return stale.flatMap((job): Array<[number, number]> => {
    const copy = replaceWithCopy(ctx, job, 'PRINT_UNCONFIRMED: Không xác nhận được lần in trước (tắt máy hoặc rút cáp khi đang in).');
    return copy === null ? [] : [[job.id, copy]];
  });
}

/** Jobs that show a payment as valid; its void slip is not one of them. */
const VALID_PAYMENT_KINDS = new Set(['receipt', 'reprint', 'reconnection_order']);
const VOIDED_REASON = 'VOIDED: Biên nhận đã bị hủy trước khi in nên không in nữa (phiếu hủy vẫn được in).';

function paymentVoided(ctx: Ctx, job: JobRow): boolean {
  if (job.payment_id === null || !VALID_PAYMENT_KINDS.has(job.kind)) return false;
  const row = selectFirst(ctx.sqlite, query.selectFrom('payments').where('id', '=', job.payment_id).select('voided_at'));
  return row?.voided_at != null;
}

/**
 * Settles a pending job as not to be sent (inside a transaction holding the lease): 'failed' with its
 * reason, and set aside when the job itself is at fault. False when it was no longer 'pending'.
 */
function failPending(ctx: Ctx, job: Pick<JobRow, 'id' | 'kind' | 'payment_id'>, reason: string, setAside: boolean): boolean {
  const at = ctx.clock();
  const failed = ctx.sqlite
    .prepare("UPDATE print_jobs SET status = 'failed', last_error = ?, set_aside_at = ? WHERE id = ? AND status = 'pending'")
    .run(reason, setAside ? at.toISOString() : null, job.id);
  if (failed.changes === 0) return false;
  appendJournal(ctx.sqlite, {
    kind: 'print_failed',
    actorId: null,
    payload: { jobId: job.id, kind: job.kind, paymentId: job.payment_id, error: reason, inDoubt: false, ...(setAside ? { setAside: true } : {}) },
    at,
  });
  return true;
}

/**
 * Sets a pending job aside because it cannot be printed as stored: claimed under the printer lease
 * like any job, 'failed' with set_aside_at and the error (code and sentence) in last_error, journaled,
 * never retried. The status bar counts it until that document prints again. False when the job was
 * no longer 'pending'.
 */
export function setAsideJob(ctx: Ctx, job: Pick<JobRow, 'id' | 'kind' | 'payment_id'>, error: AppError): boolean {
  return ctx.sqlite
    .transaction(() => {
      holdPrinterLease(ctx);
      return failPending(ctx, job, errorText(error), true);
    })
    .immediate();
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
      failPending(ctx, job, VOIDED_REASON, false);
      return false;
    })
    .immediate();
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

function jobBytes(doc: PrintDocument, copyNo: number, config: PrinterConfig): Uint8Array {
  return doc.kind === 'test_page' ? encodeTestPage(doc, config.width) : encodeDocument(doc, copyNo, config);
}

/**
 * The job's document, or the AppError that makes it unprintable as stored (the job is then set aside):
 * unreadable, or not saying what its money says.
 */
function printable(ctx: Ctx, job: JobRow): PrintDocument | AppError {
  try {
    return checkedDocument(ctx.sqlite, job);
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
}

async function checkStatus(printer: Printer): Promise<AppError | null> {
  const { transport } = printer;
  if (transport.readStatus === undefined) return null;
  try {
    return statusProblem(await withDeadline(transport.readStatus(), stepTimeout(printer)));
  } catch (error) {
    // a one-way printer cannot be asked: it prints or it does not, as with the spooler
    return isAppError(error) && error.code === 'PRINTER_ONE_WAY' ? null : asAppError(error);
  }
}

/** Sends one job (false: not sent, see claim); throws the AppError the cashier should see when it did not print. */
async function printJob(ctx: Ctx, printer: Printer, job: JobRow, doc: PrintDocument): Promise<boolean> {
  const bytes = jobBytes(doc, job.copy_no, printer.config);
  const before = await checkStatus(printer);
  if (before !== null) refuse(ctx, job, before);
  if (!claim(ctx, job)) return false;
  try {
    const previewPng =
      printer.transport instanceof FileTransport && printer.config.mode === 'raster'
        ? () => renderPreviewPng(doc, job.copy_no, printer.config.width)
        : undefined;
    await withDeadline(printer.transport.write(bytes, { id: job.id, kind: job.kind, previewPng }), stepTimeout(printer));
  } catch (error) {
    replaceWithCopy(ctx, job, errorText(error));
    throw asAppError(error);
  }
  const after = await checkStatus(printer);
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
  return true;
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
    const setAside: SetAside[] = [];
    const next = () => selectFirst(ctx.sqlite, jobRows.where('status', '=', 'pending').orderBy('id').limit(1));
    for (let job = next(); job !== undefined; job = next()) {
      const doc = printable(ctx, job);
      if (doc instanceof AppError) {
        if (setAsideJob(ctx, job, doc)) setAside.push({ jobId: job.id, code: doc.code, message: doc.message });
      } else if (await printJob(ctx, printer, job, doc)) {
        printed.push(job.id);
      }
    }
    return { printed, replaced, setAside };
  } finally {
    releasePrinterLease(ctx);
  }
}
