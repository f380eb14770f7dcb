import type { Sqlite } from '../store/open.ts';
import type { ExtractSource, ExtractTime } from './snapshot-time.ts';

/** Counts of the contract's re-import table ("what a new snapshot does"), stored in snapshots.reimport_summary. */
export interface ReimportSummary {
  outstanding: number;
  paid_waiting_export: number;
  exported_still_open: number;
  cleared_elsewhere: number;
  cleared: number;
  conflict: number;
}

export interface SnapshotInfo {
  id: number;
  fileName: string;
  sha256: string;
  importedAt: string;
  encoding: string;
  delimiter: string;
  rowCount: number;
  customerCount: number;
  billCount: number;
  billTotal: number;
  skippedCount: number;
  rejectsFile: string | null;
  warnings: string[];
  reimport: ReimportSummary;
  /** When CMIS made it (contract section 4); null for a snapshot imported before this was kept. */
  extract: ExtractTime | null;
}

interface SnapshotRow {
  id: number;
  file_name: string;
  sha256: string;
  imported_at: string;
  encoding: string;
  delimiter: string;
  row_count: number;
  customer_count: number;
  bill_count: number;
  bill_total: number;
  skipped_count: number;
  rejects_file: string | null;
  warnings: string;
  reimport_summary: string;
  extracted_at: string | null;
  extract_source: ExtractSource | null;
}

function toInfo(row: SnapshotRow): SnapshotInfo {
  return {
    id: row.id,
    fileName: row.file_name,
    sha256: row.sha256,
    importedAt: row.imported_at,
    encoding: row.encoding,
    delimiter: row.delimiter,
    rowCount: row.row_count,
    customerCount: row.customer_count,
    billCount: row.bill_count,
    billTotal: row.bill_total,
    skippedCount: row.skipped_count,
    rejectsFile: row.rejects_file,
    warnings: JSON.parse(row.warnings) as string[],
    reimport: JSON.parse(row.reimport_summary) as ReimportSummary,
    extract: row.extracted_at === null || row.extract_source === null ? null : { at: row.extracted_at, source: row.extract_source },
  };
}

/** The snapshot in force (the latest imported), or null before the first import. */
export function currentSnapshot(sqlite: Sqlite): SnapshotInfo | null {
  const row = sqlite.prepare('SELECT * FROM snapshots ORDER BY id DESC LIMIT 1').get() as SnapshotRow | undefined;
  return row === undefined ? null : toInfo(row);
}

export function snapshotById(sqlite: Sqlite, id: number): SnapshotInfo | null {
  const row = sqlite.prepare('SELECT * FROM snapshots WHERE id = ?').get(id) as SnapshotRow | undefined;
  return row === undefined ? null : toInfo(row);
}

/** How old the current snapshot is: from its extract time (its import time for one from before that was kept). */
export interface SnapshotAge {
  since: string;
  source: ExtractSource | 'imported';
  hours: number;
  /** Past the snapshot_age_warning_hours setting: the cashier is warned on every customer card. */
  old: boolean;
}

export function snapshotAge(snapshot: SnapshotInfo, now: Date, warningHours: number): SnapshotAge {
  const since = snapshot.extract?.at ?? snapshot.importedAt;
  const hours = Math.max(0, Math.floor((now.getTime() - Date.parse(since)) / 3_600_000));
  return { since, source: snapshot.extract?.source ?? 'imported', hours, old: hours >= warningHours };
}

export interface CountTotal {
  count: number;
  total: number;
}

/** Bills of the current snapshot with no valid payment here. */
export function outstandingTotals(sqlite: Sqlite): CountTotal {
  return sqlite
    .prepare(
      `SELECT COUNT(*) AS count, COALESCE(SUM(b.tong_tien), 0) AS total
         FROM bills b
        WHERE b.last_snapshot_id = (SELECT MAX(id) FROM snapshots)
          AND NOT EXISTS (SELECT 1 FROM payment_lines l WHERE l.bill_id = b.id AND l.voided = 0)`,
    )
    .get() as CountTotal;
}

/** Valid payments not yet in a clearing batch (what the next export will carry). */
export function paidNotExported(sqlite: Sqlite): CountTotal {
  return sqlite
    .prepare('SELECT COUNT(*) AS count, COALESCE(SUM(total), 0) AS total FROM payments WHERE batch_id IS NULL AND voided_at IS NULL')
    .get() as CountTotal;
}

export function customerCount(sqlite: Sqlite): number {
  return (sqlite.prepare('SELECT COUNT(*) AS n FROM customers').get() as { n: number }).n;
}

export interface BillStateRow {
  billId: number;
  idHdon: string;
  state: string;
  maKhang: string;
  tenKhang: string;
  loaiHdon: string;
  ky: number;
  thang: number;
  nam: number;
  tongTien: number;
  receiptNo: string | null;
}

const STATE_ROWS = `
  SELECT b.id AS billId, b.id_hdon AS idHdon, s.state, c.ma_khang AS maKhang, c.ten_khang AS tenKhang,
         b.loai_hdon AS loaiHdon, b.ky, b.thang, b.nam, b.tong_tien AS tongTien, p.receipt_no AS receiptNo
    FROM snapshot_bill_states s
    JOIN bills b ON b.id = s.bill_id
    JOIN customers c ON c.id = b.customer_id
    LEFT JOIN payment_lines l ON l.bill_id = b.id AND l.voided = 0
    LEFT JOIN payments p ON p.id = l.payment_id`;

/** The re-import table of a snapshot: every bill whose state is not simply "outstanding". */
export function reimportTable(sqlite: Sqlite, snapshotId: number): BillStateRow[] {
  return sqlite.prepare(`${STATE_ROWS} WHERE s.snapshot_id = ? ORDER BY s.state, c.ma_khang, b.nam, b.thang, b.ky`).all(snapshotId) as BillStateRow[];
}

/**
 * Conflicts still open now: bills paid here, not exported, that the current snapshot no longer lists
 * (the customer may have paid twice; listed for refund). Live, so an export, a void or a refund clears them.
 */
export function openConflicts(sqlite: Sqlite): BillStateRow[] {
  return sqlite
    .prepare(
      `SELECT b.id AS billId, b.id_hdon AS idHdon, 'conflict' AS state, c.ma_khang AS maKhang, c.ten_khang AS tenKhang,
              b.loai_hdon AS loaiHdon, b.ky, b.thang, b.nam, b.tong_tien AS tongTien, p.receipt_no AS receiptNo
         FROM payment_lines l
         JOIN payments p ON p.id = l.payment_id
         JOIN bills b ON b.id = l.bill_id
         JOIN customers c ON c.id = b.customer_id
        WHERE l.voided = 0 AND p.batch_id IS NULL
          AND b.last_snapshot_id < (SELECT MAX(id) FROM snapshots)
          AND NOT EXISTS (SELECT 1 FROM refund_lines f WHERE f.payment_line_id = l.id)
        ORDER BY p.receipt_no, b.id_hdon`,
    )
    .all() as BillStateRow[];
}
