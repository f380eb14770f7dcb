import type { Command } from '../command.ts';
import { AppError } from '../../core/errors.ts';
import { verifyStore } from '../../verify/verify.ts';

const REASONS = { hash: 'nội dung không khớp mã băm', prev_hash: 'không nối đúng với dòng trước', id_gap: 'số thứ tự bị đứt' } as const;
const SHOWN = 20;

export const verifyCommand: Command = {
  name: 'verify',
  usage:
    'verify [--manifests <thư mục bản kê, ví dụ ổ USB>] [--anchor <mã kiểm tra nhật ký in trên báo cáo Z> ...]\n' +
    '   (chuỗi nhật ký, toàn vẹn cơ sở dữ liệu, khoản thu/hủy/xuất/số biên nhận đối chiếu với nhật ký, cấu trúc dữ liệu, nội dung in)',
  options: { manifests: { type: 'string' }, anchor: { type: 'string', multiple: true } },
  run({ values, open }) {
    const anchors = Array.isArray(values.anchor) ? values.anchor : [];
    const result = verifyStore(open(), {
      ...(typeof values.manifests === 'string' ? { manifestsDir: values.manifests } : {}),
      anchors,
    });
    if (!result.ok) {
      const parts: string[] = [];
      if (!result.journal.ok) parts.push(`nhật ký bị sửa từ dòng ${result.journal.firstBadId} (${REASONS[result.journal.reason]})`);
      if (result.integrity !== 'ok') parts.push(`kiểm tra toàn vẹn: ${result.integrity}`);
      if (result.problemCount > 0) parts.push(`${result.problemCount} điểm không khớp`);
      const listed = result.problems.slice(0, SHOWN).map((p) => `\n  [${p.code}] ${p.message}`);
      const more = result.problemCount > SHOWN ? `\n  … và ${result.problemCount - SHOWN} điểm khác (xem --json).` : '';
      throw new AppError('VERIFY_FAILED', `Kiểm tra KHÔNG đạt: ${parts.join('; ')}.${listed.join('')}${more}`, result);
    }
    const head = result.journal.ok ? result.journal.head : '';
    const { payments, printJobs, anchors: anchorCount } = result.checked;
    return {
      json: result,
      text:
        `Kiểm tra đạt: ${result.journal.rows} dòng nhật ký nối liền, đầu chuỗi ${head}; toàn vẹn: ok.\n` +
        `Đã đối chiếu ${payments} khoản thu, ${printJobs} bản in và ${anchorCount} mốc đầu chuỗi với nhật ký; cấu trúc dữ liệu đúng như chương trình tạo.`,
    };
  },
};
