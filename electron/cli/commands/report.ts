import type { Command } from '../command.ts';
import { AppError } from '../../core/errors.ts';
import { formatDong } from '../../core/money.ts';
import { formatDateTime, isoDay } from '../../core/local-time.ts';
import type { ZReportDocument } from '../../core/documents.ts';
import { printZReport, type ZScope } from '../../shifts/z-report.ts';
import { supervisorDay, type SupervisorDay } from '../../shifts/day.ts';
import { printReceiptList, receiptList } from '../../shifts/receipt-list.ts';
import type { ReceiptListDocument } from '../../core/documents.ts';

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

/** The supervisor's day for the terminal: by cashier, the shifts closed, the conflicts to refund. */
function dayText(d: SupervisorDay): string {
  const r = d.report;
  return [
    `NGÀY ${d.day}: ${r.receiptCount} biên nhận, ${formatDong(r.grandTotal)}`,
    `Tiền điện (TD): ${r.counts?.TD ?? 0}, ${formatDong(r.totalsByType.TD)}; vô công (VC): ${r.counts?.VC ?? 0}, ${formatDong(r.totalsByType.VC)}; đóng cắt (DC): ${r.counts?.DC ?? 0}, ${formatDong(r.totalsByType.DC)}; phí đóng điện lại tại quầy: ${r.counts?.fees ?? 0}, ${formatDong(r.feesCollected)}`,
    ...d.cashiers.map(
      (c) => `  ${c.code} ${c.name}: ${c.receipts} biên nhận ${formatDong(c.total)}; hủy ${c.voids} (${formatDong(c.voidedTotal)}); in lại ${c.reprints}; hoàn ${c.refunds} (${formatDong(c.refundedTotal)})`,
    ),
    `Ca đã đóng trong ngày: ${d.closings.length}`,
    ...d.closings.map((s) => `  ca ${s.shiftId} ${s.cashier.code}: đóng ${formatDateTime(new Date(s.closedAt))}, ${s.receipts} biên nhận ${formatDong(s.total)}`),
    `Trùng thu – cần hoàn tiền: ${d.conflicts.length}`,
    ...d.conflicts.map((c) => `  ${c.receiptNo} ${c.maKhang} ${c.tenKhang}: ${c.bills.map((b) => b.idHdon).join(', ')} = ${formatDong(c.amount)}`),
  ].join('\n');
}

function receiptListText(l: ReceiptListDocument): string {
  return [
    `BẢNG KÊ BIÊN NHẬN ${l.scope === 'shift' ? `CA SỐ ${l.shiftId}` : `NGÀY ${l.day}`}`,
    ...l.receipts.map((r) => `${r.receiptNo}  ${formatDateTime(new Date(r.paidAt))}  ${r.cashierCode}  ${r.maKhang}  ${r.voided ? 'HỦY' : formatDong(r.total)}`),
    `Hợp lệ: ${l.validCount}, ${formatDong(l.validTotal)}; hủy: ${l.voidedCount}`,
  ].join('\n');
}

export const reportCommand: Command = {
  name: 'report',
  usage: [
    'report [--shift <số ca> | --date yyyy-mm-dd]   (báo cáo Z, mặc định: hôm nay; cũng được gửi ra máy in)',
    'report day [--date yyyy-mm-dd]   (trong ngày: theo thu ngân, theo loại hóa đơn, ca đã đóng, trùng thu cần hoàn tiền)',
    'report receipts --shift <số ca> | --date yyyy-mm-dd [--print]   (bảng kê biên nhận)',
  ].join('\n       '),
  options: { shift: { type: 'string' }, date: { type: 'string' }, print: { type: 'boolean' } },
  run({ positionals, values, open }) {
    if (values.shift !== undefined && values.date !== undefined) throw new AppError('CLI_BAD_ARGS', 'Chỉ dùng một trong --shift hoặc --date.');
    const what = positionals[0];
    if (what !== undefined && what !== 'day' && what !== 'receipts') throw new AppError('CLI_BAD_ARGS', `Không có báo cáo "${what}" (day hoặc receipts).`);
    if (what === 'day' && values.shift !== undefined) throw new AppError('CLI_BAD_ARGS', 'report day chỉ nhận --date.');
    if (what === 'receipts' && values.shift === undefined && values.date === undefined) throw new AppError('CLI_BAD_ARGS', 'Cần --shift <số ca> hoặc --date yyyy-mm-dd.');
    if (what !== 'receipts' && values.print !== undefined) throw new AppError('CLI_BAD_ARGS', '--print chỉ dùng với report receipts.');
    const ctx = open();
    const scope = scopeOf(values, isoDay(ctx.clock()));
    if (what === 'day') {
      const day = supervisorDay(ctx, 'day' in scope ? scope.day : isoDay(ctx.clock()));
      return { json: day, text: dayText(day) };
    }
    if (what === 'receipts') {
      if (values.print !== true) {
        const list = receiptList(ctx, scope);
        return { json: { list, printJobId: null }, text: receiptListText(list) };
      }
      const { list, printJobId } = printReceiptList(ctx, scope, null);
      return { json: { list, printJobId }, text: `${receiptListText(list)}\nĐã gửi bảng kê ra máy in.` };
    }
    const { report, printJobId } = printZReport(ctx, scope);
    return { json: { report, printJobId }, text: zReportText(report) };
  },
};
