import type { Command } from '../command.ts';
import { AppError } from '../../core/errors.ts';
import { formatDong } from '../../core/money.ts';
import { formatDateTime } from '../../core/local-time.ts';
import { closeShift, forceCloseShift, openShift, type ShiftClose } from '../../shifts/shifts.ts';
import { requireSupervisor } from '../../users/users.ts';
import { backupAfter } from '../../backups/backups.ts';
import { amountOption, requireOption, signIn } from '../cli-input.ts';

/**
 * Shift actions need the PIN of who does them (the cashier, or a supervisor for force-close):
 * opening and closing move the cash responsibility, so a code alone is not enough.
 */
export const shiftCommand: Command = {
  name: 'shift',
  usage:
    'shift open --cashier <mã> --float <đồng> | shift close --cashier <mã> --counted <đồng> | shift force-close <số ca> --supervisor <mã> [--counted <đồng>]   (PIN từ DIEMTHU_PIN hoặc nhập)',
  options: { cashier: { type: 'string' }, float: { type: 'string' }, counted: { type: 'string' }, supervisor: { type: 'string' } },
  async run(input) {
    const { positionals, values } = input;
    const action = positionals[0];
    if (action === 'open') {
      const openingFloat = amountOption(values, 'float', 'tiền đầu ca');
      const { ctx, user: cashier } = await signIn(input, requireOption(values, 'cashier', 'mã thu ngân'));
      const shift = openShift(ctx, { cashierId: cashier.id, openingFloat });
      return {
        json: shift,
        text: `Đã mở ca số ${shift.id} cho ${cashier.code} lúc ${formatDateTime(new Date(shift.openedAt))}, tiền đầu ca ${formatDong(shift.openingFloat)}.`,
      };
    }
    if (action === 'close') {
      const countedCash = amountOption(values, 'counted', 'tiền đếm được');
      const { ctx, user: cashier } = await signIn(input, requireOption(values, 'cashier', 'mã thu ngân'));
      const closed = closeShift(ctx, { cashierId: cashier.id, countedCash });
      return closedWithBackup(closed, await backupAfter(ctx));
    }
    if (action === 'force-close') {
      const shiftId = Number(positionals[1]);
      if (!Number.isSafeInteger(shiftId) || shiftId <= 0) throw new AppError('CLI_BAD_ARGS', 'Cần số ca: diemthu shift force-close <số ca> --supervisor <mã>.');
      const countedCash = values.counted === undefined ? null : amountOption(values, 'counted', 'tiền đếm được');
      const { ctx, user: supervisor } = await signIn(input, requireOption(values, 'supervisor', 'mã giám sát'), requireSupervisor);
      const closed = forceCloseShift(ctx, { shiftId, supervisorId: supervisor.id, countedCash });
      return closedWithBackup(closed, await backupAfter(ctx));
    }
    throw new AppError('CLI_BAD_ARGS', `Cách dùng: diemthu ${shiftCommand.usage}`);
  },
};

/** Every shift close is followed by a backup; a failed backup is reported, the close stands. */
function closedWithBackup(closed: ShiftClose, backup: Awaited<ReturnType<typeof backupAfter>>) {
  const note = backup.ok ? `Đã sao lưu: ${backup.backup.file}.` : `[${backup.code}] ${backup.message}`;
  return { json: { ...closed, backup }, text: `${closeText(closed)}\n${note}` };
}

function closeText(c: ShiftClose): string {
  const lines = [
    `Đã đóng ca số ${c.shiftId}${c.forced ? ' (giám sát đóng thay)' : ''} lúc ${formatDateTime(new Date(c.closedAt))}.`,
    `  Tiền đầu ca:  ${formatDong(c.openingFloat)}`,
    `  Đã thu:       ${formatDong(c.collected)}`,
    `  Phải có:      ${formatDong(c.expectedCash)}`,
    `  Đếm được:     ${c.countedCash === null ? '(không đếm)' : formatDong(c.countedCash)}`,
  ];
  if (c.variance !== null) lines.push(`  Chênh lệch:   ${c.variance > 0 ? '+' : ''}${formatDong(c.variance)}${c.variance === 0 ? ' (khớp)' : c.variance > 0 ? ' (thừa)' : ' (thiếu)'}`);
  return lines.join('\n');
}
