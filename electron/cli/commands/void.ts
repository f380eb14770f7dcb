import type { Command } from '../command.ts';
import { AppError } from '../../core/errors.ts';
import { formatDong } from '../../core/money.ts';
import { requireSupervisor } from '../../users/users.ts';
import { voidPayment } from '../../payments/voids.ts';
import { requireOption, signIn } from '../cli-input.ts';

export const voidCommand: Command = {
  name: 'void',
  usage: 'void <số biên nhận> --reason "<lý do>" --supervisor <mã>   (PIN giám sát từ DIEMTHU_PIN hoặc nhập)',
  options: { reason: { type: 'string' }, supervisor: { type: 'string' } },
  async run(input) {
    const { positionals, values } = input;
    const receiptNo = positionals[0];
    if (receiptNo === undefined) throw new AppError('CLI_BAD_ARGS', 'Cần số biên nhận cần hủy.');
    const reason = requireOption(values, 'reason', 'lý do');
    const { ctx, user: supervisor } = await signIn(input, requireOption(values, 'supervisor', 'mã giám sát'), requireSupervisor);
    const result = voidPayment(ctx, { receiptNo, reason, supervisorId: supervisor.id });
    const order = result.reconnectionOrderCancelled ? ' Lệnh đóng điện lại của biên nhận đã bị hủy.' : '';
    return { json: result, text: `Đã hủy biên nhận ${result.receiptNo} (${formatDong(result.total)}); các hóa đơn có thể thu lại.${order}` };
  },
};
