import type { Command } from '../command.ts';
import { AppError } from '../../core/errors.ts';
import { requireUser } from '../../users/users.ts';
import { reprintReceipt } from '../../payments/voids.ts';

export const reprintCommand: Command = {
  name: 'reprint',
  usage: 'reprint <số biên nhận> [--user <mã người in>]',
  options: { user: { type: 'string' } },
  run({ positionals, values, open }) {
    const receiptNo = positionals[0];
    if (receiptNo === undefined) throw new AppError('CLI_BAD_ARGS', 'Cần số biên nhận cần in lại.');
    const ctx = open();
    const actorId = typeof values.user === 'string' ? requireUser(ctx, values.user).id : null;
    const result = reprintReceipt(ctx, { receiptNo, actorId });
    return { json: result, text: `Đã gửi in lại biên nhận ${result.receiptNo} (bản sao lần ${result.copyNo}).` };
  },
};
