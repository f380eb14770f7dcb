import { createHash } from 'node:crypto';
import type { Ctx } from '../store/context.ts';
import type { Sqlite } from '../store/open.ts';
import { getSetting, requireSetting } from '../store/settings.ts';
import { sql } from 'kysely';
import { query, selectFirst, selectOne } from '../store/typed-query.ts';
import type { Tables } from '../store/tables.ts';
import type { PrintDocument, PrintHeader, TestPageDocument } from '../core/documents.ts';

export type PrintJobKind = 'receipt' | 'reprint' | 'void_slip' | 'z_report' | 'test_page' | 'reconnection_order' | 'refund' | 'deposit_slip' | 'receipt_list';

export interface NewPrintJob {
  kind: PrintJobKind;
  paymentId: number | null;
  copyNo: number; // 0 = original
  document: PrintDocument;
  at: Date;
}

/**
 * Puts a job in the print outbox. Call it inside the transaction of the change being printed: the
 * job commits with it, and the printer drains the outbox only after the commit.
 */
export function enqueuePrintJob(sqlite: Sqlite, job: NewPrintJob): number {
  const row = sqlite
    .prepare('INSERT INTO print_jobs (kind, payment_id, copy_no, document, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id')
    .get(job.kind, job.paymentId, job.copyNo, documentText(job.document), job.at.toISOString()) as { id: number };
  return row.id;
}

/** The header every printed document carries, from the settings. */
export function printHeader(sqlite: Sqlite): PrintHeader {
  return {
    companyName: getSetting(sqlite, 'company_name') ?? '',
    companyAddress: getSetting(sqlite, 'company_address') ?? '',
    pointCode: requireSetting(sqlite, 'point_code'),
    pointName: getSetting(sqlite, 'point_name') ?? '',
    companyTaxCode: getSetting(sqlite, 'company_tax_code') ?? '',
    companyHotline: getSetting(sqlite, 'company_hotline') ?? '',
    pointAddress: getSetting(sqlite, 'point_address') ?? '',
    einvoiceLookup: getSetting(sqlite, 'einvoice_lookup') ?? '',
  };
}

/** Queues a test page (the settings screen) in its own transaction. */
export function queueTestPage(ctx: Ctx): number {
  const at = ctx.clock();
  const document: TestPageDocument = { kind: 'test_page', header: printHeader(ctx.sqlite), printedAt: at.toISOString() };
  return ctx.sqlite.transaction(() => enqueuePrintJob(ctx.sqlite, { kind: 'test_page', paymentId: null, copyNo: 0, document, at })).immediate();
}

/** Jobs still to print: a failed job is settled (its copy is queued, or its payment was voided), so only pending and sending ones wait. */
export function countWaiting(ctx: Ctx): number {
  const row = selectFirst(
    ctx.sqlite,
    query
      .selectFrom('print_jobs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '<>', 'done')
      .where('status', '<>', 'failed'),
  );
  return row?.n ?? 0;
}

// A receipt and its reprints are one document; every other kind is its own.
const family = (alias: 'j' | 'later') => sql.raw(`CASE WHEN ${alias}.kind IN ('receipt', 'reprint') THEN 'receipt' ELSE ${alias}.kind END`);

/**
 * Jobs set aside (they could not be printed as stored) whose document has not come out on paper
 * since: no later printed job of the same payment and document, or, for a job without a payment (a Z
 * report, a test page), of the same kind. What the status bar warns about until a supervisor acts.
 */
export function countSetAside(sqlite: Sqlite): number {
  return selectOne(
    sqlite,
    query
      .selectFrom('print_jobs as j')
      .where('j.set_aside_at', 'is not', null)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('print_jobs as later')
              .whereRef('later.id', '>', 'j.id')
              .where('later.status', '=', 'done')
              .whereRef('later.payment_id', 'is', 'j.payment_id')
              .where(sql<boolean>`${family('later')} = ${family('j')}`)
              .select('later.id'),
          ),
        ),
      )
      .select((eb) => eb.fn.countAll<number>().as('n')),
  ).n;
}

/** A document as print_jobs.document stores it (copies of a job keep the same text). */
function documentText(document: PrintDocument): string {
  return JSON.stringify(document);
}

/** SHA-256 of a document's stored text, or of the text itself. */
export function documentSha256(document: PrintDocument | string): string {
  return createHash('sha256').update(typeof document === 'string' ? document : documentText(document)).digest('hex');
}

/** The last copy number of a payment's document (a receipt and its reprints share numbers); 0 before any. */
export function lastCopyNo(sqlite: Sqlite, paymentId: number, kinds: ReadonlyArray<Tables['print_jobs']['kind']>): number {
  return (
    selectOne(
      sqlite,
      query
        .selectFrom('print_jobs')
        .where('payment_id', '=', paymentId)
        .where('kind', 'in', [...kinds])
        .select((eb) => eb.fn.max('copy_no').as('last')),
    ).last ?? 0
  );
}
