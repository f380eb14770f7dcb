import type { Sqlite } from '../store/open.ts';
import { query, selectFirst, selectOne } from '../store/typed-query.ts';
import { AppError } from '../core/errors.ts';
import { formatDateTime, formatDate } from '../core/local-time.ts';
import { getSetting } from '../store/settings.ts';
import { outstandingTotals } from './snapshots.ts';
import { isOlder, type ExtractTime } from './snapshot-time.ts';

/**
 * Contract section 4, "which snapshot is it": what a new snapshot needs before it replaces the
 * current one. Older than the current: refused unless a supervisor forces it. Turning many
 * outstanding bills into "cleared elsewhere", or listing few of the current customers: a
 * supervisor confirms. A dry run lists them; an import without the supervisor is refused.
 */
export type GuardCode = 'SNAPSHOT_OLDER' | 'SNAPSHOT_CLEARS_MANY' | 'SNAPSHOT_FEWER_CUSTOMERS';

export interface SnapshotGuard {
  code: GuardCode;
  /** `force`: only `--force` with a supervisor; `confirmation`: a supervisor's code and PIN. */
  needs: 'force' | 'confirmation';
  message: string;
}

/** The snapshot in force before an import, as the guards compare with it. */
export interface CurrentSnapshot {
  id: number;
  fileName: string;
  /** null for a snapshot imported before extract times were kept: not compared. */
  extract: ExtractTime | null;
  customers: number;
  /** Its bills with no valid payment here. */
  outstanding: number;
}

/** Read inside the import's transaction, before its snapshot row is written. */
export function currentForGuards(sqlite: Sqlite): CurrentSnapshot | null {
  const row = selectFirst(
    sqlite,
    query.selectFrom('snapshots').select(['id', 'file_name', 'extracted_at', 'extract_source', 'customer_count']).orderBy('id', 'desc').limit(1),
  );
  if (row === undefined) return null;
  const extract = row.extracted_at === null || row.extract_source === null ? null : { at: row.extracted_at, source: row.extract_source };
  return { id: row.id, fileName: row.file_name, extract, customers: row.customer_count, outstanding: outstandingTotals(sqlite).count };
}

/** How an extract time reads, with where it came from ("not verified" for the file's own time). */
export function describeExtract(time: ExtractTime): string {
  const at = new Date(time.at);
  if (time.source === 'name_day') return `ngày ${formatDate(at)} (theo tên tệp)`;
  if (time.source === 'name_minute') return `${formatDateTime(at).slice(0, 16)} (theo tên tệp)`;
  if (time.source === 'column') return `${formatDateTime(at).slice(0, 16)} (theo cột NGAY_TRICH)`;
  return `${formatDateTime(at).slice(0, 16)} (giờ sửa tệp, chưa xác minh)`;
}

/**
 * The guards a new snapshot `sid` (already written in the open transaction) meets against `current`.
 * `clearedElsewhere`: bills of the current snapshot, unpaid here, that the new one no longer lists.
 */
export function snapshotGuards(sqlite: Sqlite, current: CurrentSnapshot | null, next: { sid: number; extract: ExtractTime; clearedElsewhere: number }): SnapshotGuard[] {
  if (current === null) return [];
  const guards: SnapshotGuard[] = [];
  if (current.extract !== null && isOlder(next.extract, current.extract)) {
    guards.push({
      code: 'SNAPSHOT_OLDER',
      needs: 'force',
      message: `bảng nợ này trích lúc ${describeExtract(next.extract)}, cũ hơn bảng đang dùng (${current.fileName}, trích lúc ${describeExtract(current.extract)})`,
    });
  }
  const clearedPercent = getSetting(sqlite, 'snapshot_cleared_confirm_percent') ?? 10;
  if (current.outstanding > 0 && next.clearedElsewhere * 100 > clearedPercent * current.outstanding) {
    guards.push({
      code: 'SNAPSHOT_CLEARS_MANY',
      needs: 'confirmation',
      message: `${next.clearedElsewhere} trong ${current.outstanding} hóa đơn đang nợ (${percent(next.clearedElsewhere, current.outstanding)}, ngưỡng ${clearedPercent}%) sẽ thành "đã gạch nợ nơi khác"`,
    });
  }
  const customersPercent = getSetting(sqlite, 'snapshot_customers_confirm_percent') ?? 90;
  if (current.customers > 0) {
    // Customers of the current snapshot the new one did not list still point at it.
    const left = selectOne(sqlite, query.selectFrom('customers').where('last_snapshot_id', '=', current.id).select((eb) => eb.fn.countAll<number>().as('n'))).n;
    const listed = current.customers - left;
    if (listed * 100 < customersPercent * current.customers) {
      guards.push({
        code: 'SNAPSHOT_FEWER_CUSTOMERS',
        needs: 'confirmation',
        message: `bảng nợ chỉ có ${listed} trong ${current.customers} khách hàng hiện có (${percent(listed, current.customers)}, ngưỡng ${customersPercent}%)`,
      });
    }
  }
  return guards;
}

function percent(part: number, whole: number): string {
  return `${(Math.round((part * 1000) / whole) / 10).toLocaleString('vi-VN')}%`;
}

/**
 * Refuses an import whose guards the supervisor has not met: SNAPSHOT_OLDER while an older file is
 * not forced, else SNAPSHOT_CONFIRMATION_REQUIRED. Every guard is listed, with how to go on.
 */
export function enforceGuards(guards: SnapshotGuard[], fileName: string, supervisor: { forced: boolean } | null): void {
  const unmet = guards.filter((g) => supervisor === null || (g.needs === 'force' && !supervisor.forced));
  if (unmet.length === 0) return;
  const older = unmet.find((g) => g.code === 'SNAPSHOT_OLDER');
  const how = older
    ? `Nếu đúng là cần dùng tệp cũ hơn, người giám sát nhập lại với --force --supervisor <mã> (PIN trong DIEMTHU_SUPERVISOR_PIN).`
    : `Nếu tệp đúng, người giám sát xác nhận: nhập lại với --supervisor <mã> (PIN trong DIEMTHU_SUPERVISOR_PIN).`;
  throw new AppError(
    older ? 'SNAPSHOT_OLDER' : 'SNAPSHOT_CONFIRMATION_REQUIRED',
    `Tệp ${fileName} chưa được nhập, cơ sở dữ liệu không thay đổi: ${guards.map((g) => g.message).join('; ')}. ${how}`,
    { guards },
  );
}

/** A snapshot holding rows of units the point does not serve (the neighbouring unit's file): refused whole. */
export function unitNotServed(fileName: string, units: readonly string[], found: { unit: string; line: number }[], count: number, byName: boolean): AppError {
  const where = byName ? 'theo tên tệp' : `${count} dòng, ví dụ ${found.map((f) => `dòng ${f.line} (${f.unit})`).join(', ')}`;
  const others = [...new Set(found.map((f) => f.unit))].join(', ');
  return new AppError(
    'SNAPSHOT_UNIT_NOT_SERVED',
    `Tệp ${fileName} có dữ liệu của đơn vị ${others} (${where}), không phải đơn vị của điểm thu này (${units.join(', ')}): tệp bị từ chối, cơ sở dữ liệu không thay đổi. Hãy kiểm tra đã lấy đúng tệp của đơn vị mình.`,
    { units, found, count },
  );
}
