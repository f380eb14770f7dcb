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

// The lines a batch carried: its payments' lines and the lines resent in it (contract section 5).
const CARRIED = `
  SELECT l.id AS line_id, p.receipt_year, p.receipt_seq, p.receipt_no, l.id_hdon, p.batch_id AS batch_id FROM payments p JOIN payment_lines l ON l.payment_id = p.id
  UNION ALL
  SELECT l.id, p.receipt_year, p.receipt_seq, p.receipt_no, l.id_hdon, s.batch_id FROM resends s JOIN resend_lines x ON x.resend_id = s.id
    JOIN payment_lines l ON l.id = x.payment_line_id JOIN payments p ON p.id = l.payment_id`;

/** The lines a batch carried, in file order (resent lines, of older receipts, first). */
export function batchLines(sqlite: Sqlite, batchId: number): BatchLine[] {
  return sqlite
    .prepare(`SELECT line_id AS lineId, receipt_no AS receiptNo, COALESCE(id_hdon, '') AS idHdon FROM (${CARRIED}) WHERE batch_id = ? ORDER BY receipt_year, receipt_seq, line_id`)
    .all(batchId) as BatchLine[];
}

const STATE = `
  SELECT b.id AS batchId, b.csv_name AS csvFile, b.created_at AS createdAt, b.status,
         (SELECT COUNT(*) FROM (${CARRIED}) c WHERE c.batch_id = b.id) AS lines,
         (SELECT COUNT(*) FROM clearing_result_lines r WHERE r.batch_id = b.id) AS answered,
         (SELECT COUNT(*) FROM clearing_result_lines r WHERE r.batch_id = b.id AND r.ket_qua = 'OK') AS ok,
         -- a rejected line is decided by its refund, or by the resend of a line of the batch's own payments
         (SELECT COUNT(*) FROM clearing_result_lines r WHERE r.batch_id = b.id AND r.ket_qua <> 'OK'
             AND (EXISTS (SELECT 1 FROM refund_lines f WHERE f.payment_line_id = r.payment_line_id)
                  OR EXISTS (SELECT 1 FROM resend_lines x JOIN payment_lines l ON l.id = x.payment_line_id JOIN payments p ON p.id = l.payment_id
                              WHERE x.payment_line_id = r.payment_line_id AND p.batch_id = b.id))) AS decided
    FROM clearing_batches b`;

interface StateRow {
  batchId: number;
  csvFile: string;
  createdAt: string;
  status: 'pending' | 'complete';
  lines: number;
  answered: number;
  ok: number;
  decided: number;
}

function toState(r: StateRow): BatchState {
  const rejected = r.answered - r.ok;
  const decided = r.decided;
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

/** The folder the last clearing files were written to (the USB stick), or null before any export. */
export function lastExportDir(sqlite: Sqlite): string | null {
  return (sqlite.prepare("SELECT out_dir FROM clearing_batches WHERE status = 'complete' AND out_dir IS NOT NULL ORDER BY id DESC LIMIT 1").pluck().get() as string | undefined) ?? null;
}
