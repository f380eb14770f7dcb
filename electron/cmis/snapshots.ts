import type { InferResult } from 'kysely';
import type { Sqlite } from '../store/open.ts';
import { query, selectAll, selectFirst, selectOne } from '../store/typed-query.ts';
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

const SNAPSHOT_COLUMNS = [
  'id', 'file_name', 'sha256', 'imported_at', 'encoding', 'delimiter', 'row_count', 'customer_count', 'bill_count', 'bill_total',
  'skipped_count', 'rejects_file', 'warnings', 'reimport_summary', 'extracted_at', 'extract_source',
] as const;
const snapshotRows = query.selectFrom('snapshots').select(SNAPSHOT_COLUMNS);
type SnapshotRow = InferResult<typeof snapshotRows>[number];

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

/** The id of the snapshot in force, as a subquery. */
const currentSnapshotId = query.selectFrom('snapshots').select((eb) => eb.fn.max('id').as('id'));

/** The snapshot in force (the latest imported), or null before the first import. */
export function currentSnapshot(sqlite: Sqlite): SnapshotInfo | null {
  const row = selectFirst(sqlite, snapshotRows.orderBy('id', 'desc').limit(1));
  return row === undefined ? null : toInfo(row);
}

export function snapshotById(sqlite: Sqlite, id: number): SnapshotInfo | null {
  const row = selectFirst(sqlite, snapshotRows.where('id', '=', id));
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
  return selectOne(
    sqlite,
    query
      .selectFrom('bills as b')
      .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.coalesce(eb.fn.sum<number>('b.tong_tien'), eb.lit(0)).as('total')])
      .where('b.last_snapshot_id', '=', currentSnapshotId)
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('payment_lines as l').select('l.id').whereRef('l.bill_id', '=', 'b.id').where('l.voided', '=', 0)))),
  );
}

/** Valid payments not yet in a clearing batch (what the next export will carry). */
export function paidNotExported(sqlite: Sqlite): CountTotal {
  return selectOne(
    sqlite,
    query
      .selectFrom('payments')
      .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.coalesce(eb.fn.sum<number>('total'), eb.lit(0)).as('total')])
      .where('batch_id', 'is', null)
      .where('voided_at', 'is', null),
  );
}

export function customerCount(sqlite: Sqlite): number {
  return selectOne(sqlite, query.selectFrom('customers').select((eb) => eb.fn.countAll<number>().as('n'))).n;
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

/** A bill with its customer and the receipt of its live payment line, if any. */
const billRows = query
  .selectFrom('bills as b')
  .innerJoin('customers as c', 'c.id', 'b.customer_id')
  .select(['b.id as billId', 'b.id_hdon as idHdon', 'c.ma_khang as maKhang', 'c.ten_khang as tenKhang', 'b.loai_hdon as loaiHdon', 'b.ky', 'b.thang', 'b.nam', 'b.tong_tien as tongTien']);

/** The re-import table of a snapshot: every bill whose state is not simply "outstanding". */
export function reimportTable(sqlite: Sqlite, snapshotId: number): BillStateRow[] {
  return selectAll(
    sqlite,
    billRows
      .innerJoin('snapshot_bill_states as s', 's.bill_id', 'b.id')
      .leftJoin('payment_lines as l', (join) => join.onRef('l.bill_id', '=', 'b.id').on('l.voided', '=', 0))
      .leftJoin('payments as p', 'p.id', 'l.payment_id')
      .select(['s.state', 'p.receipt_no as receiptNo'])
      .where('s.snapshot_id', '=', snapshotId)
      .orderBy('s.state').orderBy('c.ma_khang').orderBy('b.nam').orderBy('b.thang').orderBy('b.ky'),
  );
}

/**
 * Conflicts still open now: bills paid here, not exported, that the current snapshot no longer lists
 * (the customer may have paid twice; listed for refund). Live, so an export, a void or a refund clears them.
 */
export function openConflicts(sqlite: Sqlite): BillStateRow[] {
  return selectAll(
    sqlite,
    billRows
      .innerJoin('payment_lines as l', 'l.bill_id', 'b.id')
      .innerJoin('payments as p', 'p.id', 'l.payment_id')
      .select((eb) => [eb.val('conflict').as('state'), 'p.receipt_no as receiptNo'])
      .where('l.voided', '=', 0)
      .where('p.batch_id', 'is', null)
      .where('b.last_snapshot_id', '<', currentSnapshotId)
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('refund_lines as f').select('f.payment_line_id').whereRef('f.payment_line_id', '=', 'l.id'))))
      .orderBy('p.receipt_no').orderBy('b.id_hdon'),
  );
}
