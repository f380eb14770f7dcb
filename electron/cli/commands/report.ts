import type { Command } from '../command.ts';
import { AppError } from '../../core/errors.ts';
import { formatDong } from '../../core/money.ts';
import { formatDateTime, isoDay } from '../../core/local-time.ts';
import type { ZReportDocument } from '../../core/documents.ts';
import { printZReport, type ZScope } from '../../shifts/z-report.ts';

function scopeOf(values: Record<string, unknown>, today: string): ZScope {
  if (typeof values.shift === 'string') {
    if (!/^\d+$/.test(values.shift)) throw new AppError('CLI_BAD_ARGS', `Số ca "${values.shift}" không hợp lệ.`);
    return { shiftId: Number(values.shift) };
  }
  return { day: typeof values.date === 'string' ? values.date : today };
}

/** The Z report as plain lines for the terminal (the printer renders the same document). */
export function zReportText(r: ZReportDocument): string {
  const money = (n: number | null) => (n === null ? '-' : formatDong(n));
  const when = (iso: string | null) => (iso === null ? '-' : formatDateTime(new Date(iso)));
  return [
    `BÁO CÁO Z ${r.scope === 'shift' ? `CA SỐ ${r.shiftId}` : `NGÀY ${r.day}`} - ${r.header.pointCode} ${r.header.pointName}`.trim(),
    ...(r.cashier === null ? [] : [`Thu ngân: ${r.cashier.code} ${r.cashier.name}; mở ca ${when(r.openedAt)}; đóng ca ${when(r.closedAt)}`]),
    `Số biên nhận hợp lệ: ${r.receiptCount}; từ ${r.firstReceipt ?? '-'} đến ${r.lastReceipt ?? '-'}`,
    `Tiền điện (TD): ${money(r.totalsByType.TD)}; vô công (VC): ${money(r.totalsByType.VC)}; đóng cắt (DC): ${money(r.totalsByType.DC)}`,
    `Phí đóng điện thu tại quầy: ${money(r.feesCollected)}`,
    `TỔNG THU: ${money(r.grandTotal)}`,
    `Hủy: ${r.voids.count} biên nhận, ${money(r.voids.total)}${r.voids.receipts.length > 0 ? ` (${r.voids.receipts.join(', ')})` : ''}`,
    `In lại: ${r.reprints}`,
    ...(r.refunds === undefined ? [] : [`Hoàn tiền: ${r.refunds.count} phiếu, ${money(r.refunds.total)}`]),
    ...(r.changeRounding === undefined ? [] : [`Làm tròn tiền trả lại: ${r.changeRounding.count} biên nhận, ${money(r.changeRounding.total)}`]),
    ...(r.scope === 'shift'
      ? [`Tiền đầu ca: ${money(r.openingFloat)}; tiền phải có: ${money(r.expectedCash)}; tiền đếm được: ${money(r.countedCash)}; chênh lệch: ${money(r.variance)}`]
      : []),
    `Đầu chuỗi nhật ký: dòng ${r.chainHeadId}, ${r.chainHead}`,
    `Lập lúc ${when(r.generatedAt)}`,
  ].join('\n');
}

export const reportCommand: Command = {
  name: 'report',
  usage: 'report [--shift <số ca> | --date yyyy-mm-dd]   (mặc định: hôm nay; báo cáo cũng được gửi ra máy in)',
  options: { shift: { type: 'string' }, date: { type: 'string' } },
  run({ values, open }) {
    if (values.shift !== undefined && values.date !== undefined) throw new AppError('CLI_BAD_ARGS', 'Chỉ dùng một trong --shift hoặc --date.');
    const ctx = open();
    const { report, printJobId } = printZReport(ctx, scopeOf(values, isoDay(ctx.clock())));
    return { json: { report, printJobId }, text: zReportText(report) };
  },
};
