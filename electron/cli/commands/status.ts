import type { Command } from '../command.ts';
import { formatDong } from '../../core/money.ts';
import { formatDateTime } from '../../core/local-time.ts';
import { pointIdentity } from '../../store/point.ts';
import { currentSnapshot, customerCount, openConflicts, outstandingTotals, paidNotExported } from '../../cmis/snapshots.ts';

export const statusCommand: Command = {
  name: 'status',
  usage: 'status',
  options: {},
  run({ open }) {
    const ctx = open();
    const point = pointIdentity(ctx) ?? null;
    const snapshot = currentSnapshot(ctx.sqlite);
    const status = {
      point,
      snapshot:
        snapshot === null
          ? null
          : { id: snapshot.id, fileName: snapshot.fileName, sha256: snapshot.sha256, importedAt: snapshot.importedAt, reimport: snapshot.reimport },
      customers: customerCount(ctx.sqlite),
      outstanding: outstandingTotals(ctx.sqlite),
      paidNotExported: paidNotExported(ctx.sqlite),
      conflicts: openConflicts(ctx.sqlite),
    };
    const lines = [
      point === null ? 'Điểm thu: chưa khởi tạo.' : `Điểm thu ${point.pointCode} (đơn vị ${point.unitCode})${point.pointName === '' ? '' : ` — ${point.pointName}`}`,
      snapshot === null
        ? 'Dữ liệu nợ: chưa nhập.'
        : `Dữ liệu nợ: ${snapshot.fileName}, nhập lúc ${formatDateTime(new Date(snapshot.importedAt))}, SHA-256 ${snapshot.sha256}`,
      `Khách hàng: ${status.customers}`,
      `Hóa đơn còn nợ: ${status.outstanding.count}, tổng ${formatDong(status.outstanding.total)}`,
      `Đã thu chưa xuất: ${status.paidNotExported.count} phiếu, tổng ${formatDong(status.paidNotExported.total)}`,
      `Xung đột (thu ở đây nhưng CMIS đã gạch nợ nơi khác): ${status.conflicts.length}`,
      ...status.conflicts.map((c) => `  ${c.maKhang} ${c.tenKhang}: hóa đơn ${c.idHdon} (${c.thang}/${c.nam}), ${formatDong(c.tongTien)}, biên nhận ${c.receiptNo ?? ''}`),
    ];
    return { json: status, text: lines.join('\n') };
  },
};
