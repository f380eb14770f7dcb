import type { Command } from '../command.ts';
import { AppError } from '../../core/errors.ts';
import { previewRestore, restore, type Dropped, type RestorePreview } from '../../backups/restore.ts';
import { formatDong } from '../../core/money.ts';
import { readPin } from '../cli-input.ts';

export const restoreCommand: Command = {
  name: 'restore',
  usage:
    'restore <tệp sao lưu> [--force --supervisor <mã giám sát> --expect <mã bản sao lưu>] | --check   (đóng chương trình Điểm Thu trước; --force: tệp cũ hơn dữ liệu hiện tại, PIN từ DIEMTHU_PIN hoặc nhập, --expect: mã mà --check in ra; --check: chỉ kiểm tra và mô tả tệp, không khôi phục, chạy được khi chương trình đang mở)',
  options: { force: { type: 'boolean' }, supervisor: { type: 'string' }, check: { type: 'boolean' }, expect: { type: 'string' } },
  async run({ positionals, values, io, dataDir }) {
    const file = positionals[0];
    if (file === undefined) throw new AppError('CLI_BAD_ARGS', 'Cần tên tệp sao lưu: diemthu restore <tệp>.');
    if (values.check === true) {
      if (values.force === true || values.supervisor !== undefined || values.expect !== undefined) {
        throw new AppError('CLI_BAD_ARGS', '--check chỉ kiểm tra tệp: không dùng cùng --force, --supervisor hay --expect.');
      }
      const preview = previewRestore(dataDir, file);
      return { json: preview, text: previewText(preview) };
    }
    if ((values.force === true) !== (typeof values.supervisor === 'string')) {
      throw new AppError('CLI_BAD_ARGS', '--force cần --supervisor <mã người giám sát> (và ngược lại).');
    }
    const expect = typeof values.expect === 'string' ? values.expect.trim().toLowerCase() : undefined;
    // A forced restore drops what came after the backup: it is bound to the file the supervisor checked, as the app's confirm is to its preview.
    if (values.force === true && expect === undefined) {
      throw new AppError(
        'CLI_BAD_ARGS',
        `--force cần --expect <mã bản sao lưu>: chạy "diemthu restore ${file} --check", xem kỹ tệp, rồi thêm --expect với mã nó in ra. Khôi phục bắt buộc chỉ khôi phục đúng tệp đã kiểm tra.`,
      );
    }
    const force = typeof values.supervisor === 'string' ? { supervisorCode: values.supervisor, pin: await readPin(io, `PIN của ${values.supervisor}: `) } : undefined;
    // The database is not opened here: restore refuses while any other connection has it open.
    const result = await restore(dataDir, file, { ...(force === undefined ? {} : { force }), ...(expect === undefined ? {} : { expect }) });
    const safety = result.safetyCopy === null ? '' : ` Bản an toàn của dữ liệu cũ: ${result.safetyCopy}.`;
    const carried =
      result.forced === null
        ? ''
        : `\nKhôi phục bắt buộc: số biên nhận tiếp tục từ ${result.forced.receiptCounters.map((c) => `${c.pointCode}-${c.year}: ${c.to}`).join(', ') || 'mức cũ'}; ` +
          `${result.forced.batchesCarried.length} lần xuất và ${result.forced.paymentsMarkedExported.length} khoản thu đã xuất được giữ nguyên.` +
          droppedText(result.forced);
    return { json: result, text: `Đã khôi phục từ ${result.restored} (${result.journalRows} dòng nhật ký đã kiểm tra).${safety}${carried}` };
  },
};

/** Each payment, void and refund the forced restore dropped, as its journal row names them. */
function droppedText({ droppedPayments, droppedVoids, droppedRefunds }: Dropped): string {
  const lines = [
    [droppedPayments.length, 'biên nhận bị bỏ', droppedPayments.map((p) => `${p.receiptNo} (${p.maKhang ?? '?'}, ${formatDong(p.total)}, thu ngân ${p.cashierCode ?? '?'}, ${p.paidAt})`)],
    [droppedVoids.length, 'lần hủy bị bỏ (biên nhận tính là đã thu lại)', droppedVoids.map((v) => `${v.receiptNo} (${formatDong(v.total)}, hủy bởi ${v.voidedBy ?? '?'}, ${v.voidedAt})`)],
    [droppedRefunds.length, 'lần hoàn tiền bị bỏ', droppedRefunds.map((r) => `${r.receiptNo} (${formatDong(r.total)}, thu ngân ${r.cashierCode ?? '?'}, giám sát ${r.supervisorCode ?? '?'}, ${r.refundedAt})`)],
  ] as const;
  return lines.filter(([n]) => n > 0).map(([n, what, items]) => `\n${n} ${what}: ${items.join('; ')}.`).join('');
}

function previewText(p: RestorePreview): string {
  const older = !p.older
    ? 'Không cũ hơn dữ liệu hiện tại: khôi phục được không cần --force.'
    : `CŨ HƠN dữ liệu hiện tại (${p.behindBy === null ? 'không cùng lịch sử' : `mất ${p.behindBy} thay đổi`}): cần --force --supervisor <mã>.`;
  return [
    `Tệp sao lưu ${p.file} hợp lệ: điểm thu ${p.pointCode ?? '(chưa đặt)'}, dữ liệu đến ${p.lastEntryAt ?? '(trống)'}, ${p.receipts} biên nhận${p.lastReceiptNo === null ? '' : ` (cuối ${p.lastReceiptNo})`}, ${p.journalRows} dòng nhật ký.`,
    older,
    `Mã bản sao lưu (cho --expect): ${p.journalHead}`,
  ].join('\n');
}
