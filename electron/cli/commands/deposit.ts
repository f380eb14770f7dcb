import { join, resolve } from 'node:path';
import type { Command, CommandInput } from '../command.ts';
import { AppError } from '../../core/errors.ts';
import { formatDong, parseAmount } from '../../core/money.ts';
import { formatDateTime } from '../../core/local-time.ts';
import type { DepositSlipDocument } from '../../core/documents.ts';
import { addDepositReference, makeDeposit, showDeposit, type NoteCount } from '../../shifts/deposit.ts';
import { writeDepositFile } from '../../shifts/deposit-file.ts';
import { requireSupervisor } from '../../users/users.ts';
import { readPin, requireOption } from '../cli-input.ts';

/** `--count 500000=3,200000=1,...` (a value may be written 500.000). */
export function parseNoteCounts(text: string): NoteCount[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const m = /^([\d.]+)\s*=\s*(\d+)$/.exec(part);
      const value = m === null ? null : parseAmount(m[1]!);
      if (m === null || value === null) throw new AppError('CLI_BAD_ARGS', `--count: "${part}" phải có dạng <mệnh giá>=<số tờ>, ví dụ 500000=3.`);
      return { value, count: Number(m[2]) };
    });
}

/** `--loose 153`: the đồng under 200 ₫ handed over besides the notes (the service holds the bound). */
function parseLooseChange(text: unknown): number {
  if (typeof text !== 'string') return 0;
  if (!/^\d+$/.test(text.trim())) throw new AppError('CLI_BAD_ARGS', `--loose: "${text}" phải là số đồng nguyên, ví dụ 150.`);
  return Number(text.trim());
}

const optionalDay = (values: CommandInput['values']) => (typeof values.date === 'string' ? values.date : undefined);

async function supervisorOf(input: CommandInput) {
  const code = requireOption(input.values, 'supervisor', 'mã giám sát');
  const pin = await readPin(input.io, `PIN của giám sát ${code}: `, 'DIEMTHU_SUPERVISOR_PIN');
  const ctx = input.open();
  return { ctx, supervisor: requireSupervisor(ctx, code, pin) };
}

function slipText(slip: DepositSlipDocument, bankRef: string | null): string {
  const lines = [`Bảng kê nộp tiền số ${slip.depositId}, ngày ${slip.day}, lập lúc ${formatDateTime(new Date(slip.madeAt))} bởi ${slip.supervisor.code}.`];
  for (const c of slip.cashiers) {
    lines.push(
      `  ${c.cashier.code} (ca ${c.shiftIds.join(', ')}): thu ${c.receipts} biên nhận ${formatDong(c.receiptsTotal)}${c.roundingTotal > 0 ? `, làm tròn ${formatDong(c.roundingTotal)}` : ''}, hoàn ${c.refunds} phiếu ${formatDong(c.refundsTotal)}, nộp ${formatDong(c.handedOver)}`,
    );
  }
  const notes = slip.notes.filter((n) => n.count > 0).map((n) => `${formatDong(n.value)} x ${n.count}`);
  if ((slip.looseChange ?? 0) > 0) notes.push(`tiền lẻ ${formatDong(slip.looseChange!)}`);
  lines.push(
    `  Loại tiền: ${notes.length === 0 ? '(không có)' : notes.join(', ')}`,
    `  Tiền phải nộp: ${formatDong(slip.expected)}; nộp ngân hàng: ${formatDong(slip.counted)}; chênh lệch: ${formatDong(slip.difference)}${slip.reason === null ? '' : ` (lý do: ${slip.reason})`}`,
    `  Số tham chiếu ngân hàng: ${bankRef ?? '(chưa có)'}`,
  );
  return lines.join('\n');
}

/**
 * The day's deposit slip. Made and its reference added by a supervisor (PIN from
 * DIEMTHU_SUPERVISOR_PIN or typed); each also writes BANGKE_<point>_<yyyyMMdd>.csv into --out.
 */
export const depositCommand: Command = {
  name: 'deposit',
  usage:
    'deposit --supervisor <mã giám sát> --count 500000=<số tờ>,200000=<số tờ>,...,500=<số tờ>,200=<số tờ> [--loose <tiền lẻ dưới 200 đồng>] [--reason "<lý do chênh lệch>"] [--date yyyy-mm-dd] [--out <thư mục>] | deposit --reference <số tham chiếu ngân hàng> --supervisor <mã> [--date] | deposit --show [--date] | deposit --export [--date] [--out]   (bảng kê nộp tiền cuối ngày; tệp BANGKE_... ghi vào --out, mặc định <data-dir>/exports)',
  options: {
    supervisor: { type: 'string' }, count: { type: 'string' }, loose: { type: 'string' }, reason: { type: 'string' }, date: { type: 'string' }, out: { type: 'string' },
    reference: { type: 'string' }, show: { type: 'boolean' }, export: { type: 'boolean' },
  },
  async run(input) {
    const { values, dataDir } = input;
    const day = optionalDay(values);
    const outDir = typeof values.out === 'string' ? resolve(values.out) : join(dataDir, 'exports');
    if (values.show === true) {
      const shown = showDeposit(input.open(), day);
      return { json: shown, text: slipText(shown.slip, shown.bankRef) };
    }
    if (values.export === true) {
      const ctx = input.open();
      const file = writeDepositFile(ctx, { day, outDir });
      return { json: { file }, text: `Đã ghi ${file}.` };
    }
    if (typeof values.reference === 'string') {
      const { ctx, supervisor } = await supervisorOf(input);
      const added = addDepositReference(ctx, { day, reference: values.reference, supervisorId: supervisor.id });
      const file = writeDepositFile(ctx, { day: added.day, outDir });
      return { json: { ...added, file }, text: `Đã ghi số tham chiếu ngân hàng ${added.bankRef} vào bảng kê ngày ${added.day}.\n  ${file}` };
    }
    const notes = parseNoteCounts(requireOption(values, 'count', '500000=<số tờ>,200000=<số tờ>,...'));
    const looseChange = parseLooseChange(values.loose);
    const { ctx, supervisor } = await supervisorOf(input);
    const reason = typeof values.reason === 'string' ? values.reason : null;
    const made = makeDeposit(ctx, { day, supervisorId: supervisor.id, notes, looseChange, reason });
    const file = writeDepositFile(ctx, { day: made.slip.day, outDir });
    return {
      json: { ...made, file },
      text: `${slipText(made.slip, null)}\nBảng kê đã gửi ra máy in (giám sát và người nộp ký).\n  ${file}`,
    };
  },
};
