/**
 * `diemthu verify`: SQLite's integrity_check, the journal's hash chain, and the money tables held
 * against the journal (payments, lines, voids, refunds, resends, export marks, receipt counters, batches), the schema
 * against the migrations, the stored print documents against the money they print, and the journal
 * heads kept outside the journal (manifests, Z reports) against the journal.
 */
import type { Ctx } from '../store/context.ts';
import type { Sqlite } from '../store/open.ts';
import { query, selectAll, selectFirst } from '../store/typed-query.ts';
import { isAppError } from '../core/errors.ts';
import type { ZReportDocument } from '../core/documents.ts';
import { checkedDocument } from '../printing/document-check.ts';
import type { StoredJob } from '../printing/job-document.ts';
import { paymentStates } from '../payments/payment-state.ts';
import { verifyJournal, type ChainCheck } from '../store/journal.ts';
import { requireSetting } from '../store/settings.ts';
import { checkAnchors, manifestAnchors, type Anchor } from './anchors.ts';
import { reconcileBatches } from './batches.ts';
import { reconcileCounters } from './counters.ts';
import { reconcileDecisions } from './decisions.ts';
import { foldRow, newLedger } from './ledger.ts';
import { reconcilePayments } from './payments.ts';
import { Problems, type VerifyProblem } from './problems.ts';
import { checkSchema } from './schema.ts';

export type { VerifyProblem } from './problems.ts';

export interface VerifyOptions {
  /** A folder of clearing manifests (the USB stick): each must be a batch of this database, its journal head still in the journal. */
  manifestsDir?: string;
  /** Journal heads from printed Z reports: each must still be in the journal. */
  anchors?: string[];
}

export interface VerifyResult {
  ok: boolean;
  integrity: string;
  journal: ChainCheck;
  /** The first 200 problems found (beyond the chain and integrity_check); `problemCount` counts them all. */
  problems: VerifyProblem[];
  problemCount: number;
  checked: { payments: number; printJobs: number; anchors: number };
}

export function verifyStore(ctx: Ctx, options: VerifyOptions = {}): VerifyResult {
  const { sqlite } = ctx;
  const rows = sqlite.pragma('integrity_check') as { integrity_check: string }[];
  const integrity = rows.map((r) => r.integrity_check).join('; ');
  const problems = new Problems();
  checkSchema(sqlite, problems);
  const ledger = newLedger();
  const journal = verifyJournal(sqlite, { onRow: (row) => foldRow(ledger, row, problems) });
  const payments = reconcilePayments(sqlite, ledger, { all: true }, problems);
  reconcileCounters(sqlite, ledger, problems);
  reconcileDecisions(sqlite, ledger, problems);
  const anchors: Anchor[] = reconcileBatches(sqlite, ledger, problems);
  const printJobs = checkDocuments(sqlite, problems, anchors);
  if (options.manifestsDir !== undefined) anchors.push(...manifestAnchors(sqlite, options.manifestsDir, requireSetting(sqlite, 'point_code'), ledger.carried.batches, problems));
  // Typed from the paper, where the hash is printed in groups over several lines.
  for (const hash of options.anchors ?? []) anchors.push({ source: 'Mã kiểm tra nhật ký đã in', id: null, hash: hash.replace(/\s+/g, '').toLowerCase() });
  checkAnchors(sqlite, anchors, problems);
  return {
    ok: integrity === 'ok' && journal.ok && problems.count === 0,
    integrity,
    journal,
    problems: problems.list,
    problemCount: problems.count,
    checked: { payments, printJobs, anchors: anchors.length },
  };
}

/** Every print job's document against its money, a thousand at a time (documents are kilobytes each); Z reports' heads go to `anchors`. */
function checkDocuments(sqlite: Sqlite, problems: Problems, anchors: Anchor[]): number {
  const page = (afterId: number): StoredJob[] =>
    selectAll(sqlite, query.selectFrom('print_jobs').where('id', '>', afterId).select(['id', 'kind', 'payment_id', 'document']).orderBy('id').limit(1000));
  let checked = 0;
  for (let jobs = page(0); jobs.length > 0; jobs = page(jobs[jobs.length - 1]!.id)) {
    const states = paymentStates(sqlite, [...new Set(jobs.flatMap((j) => (j.payment_id === null ? [] : [j.payment_id])))]);
    for (const job of jobs) {
      checked++;
      try {
        checkedDocument(sqlite, job, states);
      } catch (error) {
        if (!isAppError(error)) throw error;
        problems.add('DOCUMENT_MISMATCH', error.message);
      }
      if (job.kind === 'z_report') anchors.push(...zReportAnchor(job));
    }
  }
  return checked;
}

/** The head a stored Z report names (even one that fails its own check: the head is still evidence). */
function zReportAnchor(job: StoredJob): Anchor[] {
  try {
    const doc = JSON.parse(job.document) as Partial<ZReportDocument>;
    return typeof doc.chainHead === 'string' && Number.isSafeInteger(doc.chainHeadId)
      ? [{ source: `Báo cáo Z (bản in ${job.id})`, id: doc.chainHeadId!, hash: doc.chainHead }]
      : [];
  } catch {
    return [];
  }
}

/**
 * What the export checks before a new batch takes its payments, in time proportional to one day's
 * work rather than to the whole history: the schema, the journal since the last export (chain and
 * money events), and every payment that batch would write or list as voided against those rows.
 */
export function exportCheck(sqlite: Sqlite): { list: VerifyProblem[]; count: number } {
  const problems = new Problems(20);
  checkSchema(sqlite, problems);
  // The last export row, found from the end: only the rows since then are read.
  const afterId = selectFirst(sqlite, query.selectFrom('journal').where('kind', '=', 'export').select('id').orderBy('id', 'desc').limit(1))?.id ?? 0;
  const ledger = newLedger(true);
  const chain = verifyJournal(sqlite, { afterId, onRow: (row) => foldRow(ledger, row, problems) });
  if (!chain.ok) problems.add('JOURNAL_BROKEN', `Nhật ký bị sửa từ dòng ${chain.firstBadId}.`);
  reconcilePayments(sqlite, ledger, { all: false, segmentIds: [...ledger.payments.keys()] }, problems);
  return { list: problems.list, count: problems.count };
}
