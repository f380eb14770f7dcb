import type { Command } from '../command.ts';
import { AppError } from '../../core/errors.ts';
import { formatDong } from '../../core/money.ts';
import { refundLines } from '../../payments/refunds.ts';
import { resendLines } from '../../cmis/resends.ts';
import { FEE_BILL } from '../../cmis/line-decisions.ts';
import { requireSupervisor, verifyPin } from '../../users/users.ts';
import { readPin, requireOption } from '../cli-input.ts';
import type { CommandInput } from '../command.ts';

/** The receipt and `--bills` (ID_HDON, comma-separated; PHI for the fee charged here). */
function receiptAndBills(input: CommandInput): { receiptNo: string; bills: string[] } {
  const receiptNo = input.positionals[0];
  if (receiptNo === undefined || input.positionals.length > 1) throw new AppError('CLI_BAD_ARGS', 'Cần đúng một số biên nhận.');
  const bills = requireOption(input.values, 'bills', `ID_HDON,...; ${FEE_BILL} cho phí đóng điện`).split(',').map((s) => s.trim()).filter((s) => s !== '');
  return { receiptNo, bills };
}

const named = (lines: { idHdon: string | null }[]) => lines.map((l) => l.idHdon ?? FEE_BILL).join(', ');

/**
 * Two people, each with their own PIN: the supervisor who decides (DIEMTHU_SUPERVISOR_PIN) and the
 * cashier whose open shift pays the cash out (DIEMTHU_PIN): a supervisor alone cannot take cash out
 * of someone's drawer in their name.
 */
export const refundCommand: Command = {
  name: 'refund',
  usage: `refund <số biên nhận> --bills <ID_HDON,...|${FEE_BILL}> --reason "<lý do>" --supervisor <mã giám sát> --cashier <mã thu ngân>   (dòng CMIS từ chối hoặc trùng thu; tiền chi từ ca đang mở của thu ngân; PIN giám sát từ DIEMTHU_SUPERVISOR_PIN, PIN thu ngân từ DIEMTHU_PIN)`,
  options: { bills: { type: 'string' }, reason: { type: 'string' }, supervisor: { type: 'string' }, cashier: { type: 'string' } },
  async run(input) {
    const { receiptNo, bills } = receiptAndBills(input);
    const reason = requireOption(input.values, 'reason', 'lý do');
    const supervisorCode = requireOption(input.values, 'supervisor', 'mã giám sát');
    const cashierCode = requireOption(input.values, 'cashier', 'mã thu ngân chi tiền');
    const supervisorPin = await readPin(input.io, `PIN của giám sát ${supervisorCode}: `, 'DIEMTHU_SUPERVISOR_PIN');
    const cashierPin = await readPin(input.io, `PIN của thu ngân ${cashierCode}: `);
    const ctx = input.open();
    const supervisor = requireSupervisor(ctx, supervisorCode, supervisorPin);
    const cashier = verifyPin(ctx, cashierCode, cashierPin);
    const r = refundLines(ctx, { receiptNo, bills, reason, supervisorId: supervisor.id, cashierId: cashier.id });
    return {
      json: r,
      text: `Đã hoàn ${formatDong(r.total)} cho biên nhận ${r.receiptNo} (${named(r.lines)}), chi từ ca ${r.shiftId} của ${cashier.code}; phiếu hoàn tiền đã gửi ra máy in (khách hàng, thu ngân và giám sát ký).`,
    };
  },
};

export const resendCommand: Command = {
  name: 'resend',
  usage: `resend <số biên nhận> --bills <ID_HDON,...|${FEE_BILL}> --supervisor <mã giám sát>   (dòng CMIS từ chối đi lại trong lần xuất gạch nợ sau; PIN giám sát từ DIEMTHU_SUPERVISOR_PIN)`,
  options: { bills: { type: 'string' }, supervisor: { type: 'string' } },
  async run(input) {
    const { receiptNo, bills } = receiptAndBills(input);
    const supervisorCode = requireOption(input.values, 'supervisor', 'mã giám sát');
    const pin = await readPin(input.io, `PIN của giám sát ${supervisorCode}: `, 'DIEMTHU_SUPERVISOR_PIN');
    const ctx = input.open();
    const supervisor = requireSupervisor(ctx, supervisorCode, pin);
    const r = resendLines(ctx, { receiptNo, bills, supervisorId: supervisor.id });
    return { json: r, text: `Biên nhận ${r.receiptNo}: ${named(r.lines)} sẽ được gửi lại trong lần xuất gạch nợ sau (ghi "gửi lại" trong bản kê).` };
  },
};
