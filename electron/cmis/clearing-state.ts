import { sql } from 'kysely';
import type { Sqlite } from '../store/open.ts';
import { query, selectAll, selectFirst, selectOne, type RowOf } from '../store/typed-query.ts';

/**
 * Where a clearing batch stands in the round trip with CMIS (contract section 5): `pending` while its
 * files are being written, `sent` once written and not answered, `answered` once CMIS's result came
 * in but some line is missing from it or waits for a supervisor's decision, `closed` when every line
 * is OK or decided.
 */
export type BatchStage = 'pending' | 'sent' | 'answered' | 'closed';

export interface BatchState {
  batchId: number;
  csvFile: string;
  createdAt: string;
  stage: BatchStage;
  lines: number;
  answered: number;
  ok: number;
  /** Answered with something else than OK. */
  rejected: number;
  /** Rejected lines a supervisor has decided (refund or resend). */
  decided: number;
}

export interface BatchLine {
  lineId: number;
  receiptNo: string;
  /** '' for a locally charged fee. */
  idHdon: string;
}

/** The lines each batch carried: its payments' lines and the lines resent in it (contract section 5). */
export const carried = query
  .selectFrom('payments as p')
  .innerJoin('payment_lines as l', 'l.payment_id', 'p.id')
  .select(['l.id as line_id', 'p.receipt_year', 'p.receipt_seq', 'p.receipt_no', 'l.id_hdon', 'l.tong_tien', 'p.batch_id'])
  .unionAll(
    query
      .selectFrom('resends as s')
      .innerJoin('resend_lines as x', 'x.resend_id', 's.id')
      .innerJoin('payment_lines as l', 'l.id', 'x.payment_line_id')
      .innerJoin('payments as p', 'p.id', 'l.payment_id')
      .select(['l.id as line_id', 'p.receipt_year', 'p.receipt_seq', 'p.receipt_no', 'l.id_hdon', 'l.tong_tien', 's.batch_id']),
  )
  .as('c');

/** The lines a batch carried, in file order (resent lines, of older receipts, first). */
export function batchLines(sqlite: Sqlite, batchId: number): BatchLine[] {
  return selectAll(
    sqlite,
    query
      .selectFrom(carried)
      .where('c.batch_id', '=', batchId)
      .select((eb) => ['c.line_id as lineId', 'c.receipt_no as receiptNo', eb.fn.coalesce('c.id_hdon', sql.lit('')).as('idHdon')])
      .orderBy('c.receipt_year')
      .orderBy('c.receipt_seq')
      .orderBy('c.line_id'),
  );
}

const states = query.selectFrom('clearing_batches as b').select((eb) => {
  const results = () => eb.selectFrom('clearing_result_lines as r').whereRef('r.batch_id', '=', 'b.id');
  const count = eb.fn.countAll<number>().as('n');
  return [
    'b.id as batchId',
    'b.csv_name as csvFile',
    'b.created_at as createdAt',
    'b.status',
    eb.selectFrom(carried).whereRef('c.batch_id', '=', 'b.id').select(count).$asScalar().$notNull().as('lines'),
    results().select(count).$asScalar().$notNull().as('answered'),
    results().where('r.ket_qua', '=', 'OK').select(count).$asScalar().$notNull().as('ok'),
    // a rejected line is decided by its refund, or by the resend of a line of the batch's own payments
    results()
      .where('r.ket_qua', '<>', 'OK')
      .where((w) =>
        w.or([
          w.exists(w.selectFrom('refund_lines as f').whereRef('f.payment_line_id', '=', 'r.payment_line_id').select(sql.lit(1).as('one'))),
          w.exists(
            w
              .selectFrom('resend_lines as x')
              .innerJoin('payment_lines as l', 'l.id', 'x.payment_line_id')
              .innerJoin('payments as p', 'p.id', 'l.payment_id')
              .whereRef('x.payment_line_id', '=', 'r.payment_line_id')
              .whereRef('p.batch_id', '=', 'b.id')
              .select(sql.lit(1).as('one')),
          ),
        ]),
      )
      .select(count)
      .$asScalar()
      .$notNull()
      .as('decided'),
  ];
});

type StateRow = RowOf<typeof states>;

function toState(r: StateRow): BatchState {
  const rejected = r.answered - r.ok;
  const decided = r.decided;
  const stage: BatchStage =
    r.status === 'pending' ? 'pending' : r.answered === 0 ? 'sent' : r.answered === r.lines && decided === rejected ? 'closed' : 'answered';
  return { batchId: r.batchId, csvFile: r.csvFile, createdAt: r.createdAt, stage, lines: r.lines, answered: r.answered, ok: r.ok, rejected, decided };
}

export function batchState(sqlite: Sqlite, batchId: number): BatchState {
  return toState(selectOne(sqlite, states.where('b.id', '=', batchId)));
}

/** Every batch not closed, and the last `recent` batches whatever their stage, newest first. */
export function batchStates(sqlite: Sqlite, recent = 10): BatchState[] {
  const rows = selectAll(sqlite, states.orderBy('b.id', 'desc')).map(toState);
  return rows.filter((s, i) => i < recent || s.stage !== 'closed');
}

const STAGES: Record<BatchStage, string> = { pending: 'đang ghi tệp', sent: 'đã gửi, chưa có kết quả', answered: 'đã có kết quả, còn việc chờ xử lý', closed: 'đã xong' };

/** One line for a person: the batch, its stage and its counts. */
export function describeBatch(s: BatchState): string {
  const waiting = s.rejected - s.decided;
  const counts = s.answered === 0 ? `${s.lines} dòng` : `${s.lines} dòng: ${s.ok} OK, ${s.rejected} bị từ chối${waiting > 0 ? ` (${waiting} chờ giám sát quyết định)` : ''}, ${s.lines - s.answered} chưa có kết quả`;
  return `Lần xuất ${s.csvFile}: ${STAGES[s.stage]} [${s.stage}]; ${counts}.`;
}

/** The folder the last clearing files were written to (the USB stick), or null before any export. */
export function lastExportDir(sqlite: Sqlite): string | null {
  const last = query.selectFrom('clearing_batches').where('status', '=', 'complete').where('out_dir', 'is not', null).select('out_dir').orderBy('id', 'desc').limit(1);
  return selectFirst(sqlite, last)?.out_dir ?? null;
}
