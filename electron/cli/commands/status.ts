import type { Command } from '../command.ts';
import { formatDong } from '../../core/money.ts';
import { formatDateTime } from '../../core/local-time.ts';
import { pointIdentity } from '../../store/point.ts';
import { currentSnapshot, customerCount, openConflicts, outstandingTotals, paidNotExported, snapshotAge } from '../../cmis/snapshots.ts';
import { describeExtract } from '../../cmis/snapshot-guards.ts';
import { getSetting } from '../../store/settings.ts';
import { batchStates, describeBatch } from '../../cmis/clearing-state.ts';
import { syncStatus } from '../../sync/loop.ts';
import { openSyncConflicts } from '../../sync/pulled.ts';
import { VERSION } from '../../core/version.ts';

export const statusCommand: Command = {
  name: 'status',
  usage: 'status',
  options: {},
  run({ open }) {
    const ctx = open();
    const point = pointIdentity(ctx) ?? null;
    const snapshot = currentSnapshot(ctx.sqlite);
    const age = snapshot === null ? null : snapshotAge(snapshot, ctx.clock(), getSetting(ctx.sqlite, 'snapshot_age_warning_hours') ?? 24);
    const status = {
      version: VERSION,
      point,
      snapshot:
        snapshot === null
          ? null
          : {
              id: snapshot.id, fileName: snapshot.fileName, sha256: snapshot.sha256, importedAt: snapshot.importedAt, reimport: snapshot.reimport,
              extract: snapshot.extract, age,
            },
      customers: customerCount(ctx.sqlite),
      outstanding: outstandingTotals(ctx.sqlite),
      paidNotExported: paidNotExported(ctx.sqlite),
      conflicts: openConflicts(ctx.sqlite),
      /** Every clearing batch not closed with CMIS, and the last ten. */
      batches: batchStates(ctx.sqlite),
      // Paid here and at another point too, as the sync server found (the later receipt is the refund case).
      syncConflicts: openSyncConflicts(ctx.sqlite),
      sync: syncStatus(ctx.sqlite, ctx.clock()),
    };
    const lines = [
      `Điểm Thu phiên bản ${VERSION}`,
      point === null ? 'Điểm thu: chưa khởi tạo.' : `Điểm thu ${point.pointCode} (đơn vị ${point.unitCode})${point.pointName === '' ? '' : ` — ${point.pointName}`}`,
      snapshot === null
        ? 'Dữ liệu nợ: chưa nhập.'
        : `Dữ liệu nợ: ${snapshot.fileName}, nhập lúc ${formatDateTime(new Date(snapshot.importedAt))}, SHA-256 ${snapshot.sha256}`,
      ...(age === null ? [] : [`Tuổi dữ liệu nợ: ${age.hours} giờ (${snapshot?.extract === null || snapshot === null ? 'tính từ lúc nhập' : `trích ${describeExtract(snapshot.extract)}`})${age.old ? ' — CŨ, hãy nhập bảng nợ mới' : ''}`]),
      `Khách hàng: ${status.customers}`,
      `Hóa đơn còn nợ: ${status.outstanding.count}, tổng ${formatDong(status.outstanding.total)}`,
      `Đã thu chưa xuất: ${status.paidNotExported.count} phiếu, tổng ${formatDong(status.paidNotExported.total)}`,
      `Xung đột (thu ở đây nhưng CMIS đã gạch nợ nơi khác): ${status.conflicts.length}`,
      ...status.conflicts.map((c) => `  ${c.maKhang} ${c.tenKhang}: hóa đơn ${c.idHdon} (${c.thang}/${c.nam}), ${formatDong(c.tongTien)}, biên nhận ${c.receiptNo ?? ''}`),
      ...status.batches.map(describeBatch),
      `Trùng thu giữa các điểm thu (máy chủ): ${status.syncConflicts.length}`,
      ...status.syncConflicts.map((c) => `  hóa đơn ${c.idHdon}: biên nhận ${c.receiptNo} (${c.pointCode}) thu sau biên nhận ${c.heldBy ?? ''} (${c.heldByPoint ?? ''}): hoàn tiền biên nhận ${c.receiptNo}`),
      `Đồng bộ: ${status.sync.state === 'off' ? 'chưa cài đặt máy chủ' : `lần cuối ${status.sync.lastSyncAt === null ? 'chưa có' : formatDateTime(new Date(status.sync.lastSyncAt))}, ${status.sync.waiting} mục chờ gửi${status.sync.alarm ? ' (QUÁ LÂU)' : ''}${status.sync.lastErrorCode === null ? '' : `, lỗi [${status.sync.lastErrorCode}] ${status.sync.lastErrorMessage ?? ''}`}`}`,
    ];
    return { json: status, text: lines.join('\n') };
  },
};
