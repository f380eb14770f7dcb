import type { Sqlite } from '../store/open.ts';

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

/** The lines a batch carried, in file order. */
export function batchLines(sqlite: Sqlite, batchId: number): BatchLine[] {
  return sqlite
    .prepare(
      `SELECT l.id AS lineId, p.receipt_no AS receiptNo, COALESCE(l.id_hdon, '') AS idHdon
         FROM payments p JOIN payment_lines l ON l.payment_id = p.id
        WHERE p.batch_id = ?
        ORDER BY p.receipt_year, p.receipt_seq, l.id`,
    )
    .all(batchId) as BatchLine[];
}

const STATE = `
  SELECT b.id AS batchId, b.csv_name AS csvFile, b.created_at AS createdAt, b.status,
         (SELECT COUNT(*) FROM payments p JOIN payment_lines l ON l.payment_id = p.id WHERE p.batch_id = b.id) AS lines,
         (SELECT COUNT(*) FROM clearing_result_lines r WHERE r.batch_id = b.id) AS answered,
         (SELECT COUNT(*) FROM clearing_result_lines r WHERE r.batch_id = b.id AND r.ket_qua = 'OK') AS ok
    FROM clearing_batches b`;

interface StateRow {
  batchId: number;
  csvFile: string;
  createdAt: string;
  status: 'pending' | 'complete';
  lines: number;
  answered: number;
  ok: number;
}

function toState(r: StateRow): BatchState {
  const rejected = r.answered - r.ok;
  const decided = 0;
  const stage: BatchStage =
    r.status === 'pending' ? 'pending' : r.answered === 0 ? 'sent' : r.answered === r.lines && decided === rejected ? 'closed' : 'answered';
  return { batchId: r.batchId, csvFile: r.csvFile, createdAt: r.createdAt, stage, lines: r.lines, answered: r.answered, ok: r.ok, rejected, decided };
}

export function batchState(sqlite: Sqlite, batchId: number): BatchState {
  return toState(sqlite.prepare(`${STATE} WHERE b.id = ?`).get(batchId) as StateRow);
}

/** Every batch not closed, and the last `recent` batches whatever their stage, newest first. */
export function batchStates(sqlite: Sqlite, recent = 10): BatchState[] {
  const rows = (sqlite.prepare(`${STATE} ORDER BY b.id DESC`).all() as StateRow[]).map(toState);
  return rows.filter((s, i) => i < recent || s.stage !== 'closed');
}

const STAGES: Record<BatchStage, string> = { pending: 'đang ghi tệp', sent: 'đã gửi, chưa có kết quả', answered: 'đã có kết quả, còn việc chờ xử lý', closed: 'đã xong' };

/** One line for a person: the batch, its stage and its counts. */
export function describeBatch(s: BatchState): string {
  const waiting = s.rejected - s.decided;
  const counts = s.answered === 0 ? `${s.lines} dòng` : `${s.lines} dòng: ${s.ok} OK, ${s.rejected} bị từ chối${waiting > 0 ? ` (${waiting} chờ giám sát quyết định)` : ''}, ${s.lines - s.answered} chưa có kết quả`;
  return `Lần xuất ${s.csvFile}: ${STAGES[s.stage]} [${s.stage}]; ${counts}.`;
}
