import type { Command } from '../command.ts';
import { AppError } from '../../core/errors.ts';
import { formatDong } from '../../core/money.ts';
import { formatDateTime } from '../../core/local-time.ts';
import { collectPayment, type CollectResult } from '../../payments/collect.ts';
import { requireUser } from '../../users/users.ts';
import { amountOption, requireOption } from '../cli-input.ts';

/**
 * No PIN here: the cashier proved who they are when opening the shift, and collecting needs that
 * open shift. A retry with the same --key returns the first receipt instead of collecting twice.
 */
export const collectCommand: Command = {
  name: 'collect',
  usage: 'collect <MA_KHANG | mã thẻ> --cashier <mã> [--bills <ID_HDON,...>] [--key <mã chống trùng>] [--tendered <đồng>]',
  options: { cashier: { type: 'string' }, bills: { type: 'string' }, key: { type: 'string' }, tendered: { type: 'string' } },
  run({ positionals, values, open }) {
    const customer = positionals.join(' ').trim();
    if (customer === '') throw new AppError('CLI_BAD_ARGS', 'Cần mã khách hàng hoặc mã thẻ.');
    const cashierCode = requireOption(values, 'cashier', 'mã thu ngân');
    const billIds = typeof values.bills === 'string' ? values.bills.split(',').map((s) => s.trim()).filter((s) => s !== '') : undefined;
    const tendered = values.tendered === undefined ? undefined : amountOption(values, 'tendered', 'tiền khách đưa');
    const ctx = open();
    const cashier = requireUser(ctx, cashierCode);
    const idempotencyKey = typeof values.key === 'string' ? values.key : ctx.newId();
    const result = collectPayment(ctx, {
      customer,
      cashierId: cashier.id,
      idempotencyKey,
      ...(billIds !== undefined ? { billIds } : {}),
      ...(tendered !== undefined ? { tendered } : {}),
    });
    return { json: { ...result, idempotencyKey }, text: receiptText(result) };
  },
};

function receiptText(r: CollectResult): string {
  const lines = [
    `${r.replayed ? 'Lần thu này đã được ghi trước đó (cùng mã chống trùng): ' : 'Đã thu: '}biên nhận ${r.receiptNo} lúc ${formatDateTime(new Date(r.paidAt))}`,
    `Khách hàng: ${r.customer.maKhang}  ${r.customer.tenKhang}`,
    ...r.lines.map((l) =>
      l.idHdon === null
        ? `  Phí đóng điện lại                   ${formatDong(l.tongTien)}`
        : `  ${l.idHdon}  ${l.loaiHdon} kỳ ${l.ky} ${String(l.thang).padStart(2, '0')}/${l.nam}  ${formatDong(l.tongTien)}`,
    ),
    `Tổng cộng: ${formatDong(r.total)}`,
  ];
  if (r.tendered !== null) lines.push(`Khách đưa: ${formatDong(r.tendered)}  Trả lại: ${formatDong(r.change ?? 0)}`);
  if (r.changeRounding > 0) lines.push(`Làm tròn tiền trả lại: ${formatDong(r.changeRounding)}`);
  if (r.reconnectionOrderId !== null) lines.push(`Đã lập lệnh đóng điện lại số ${r.reconnectionOrderId}.`);
  return lines.join('\n');
}
