import type { Command } from '../command.ts';
import { AppError } from '../../core/errors.ts';
import { verifyStore } from '../../verify.ts';

const REASONS = { hash: 'nội dung không khớp mã băm', prev_hash: 'không nối đúng với dòng trước', id_gap: 'số thứ tự bị đứt' } as const;

export const verifyCommand: Command = {
  name: 'verify',
  usage: 'verify   (kiểm tra chuỗi nhật ký và tính toàn vẹn của cơ sở dữ liệu)',
  options: {},
  run({ open }) {
    const result = verifyStore(open());
    if (!result.ok) {
      const parts: string[] = [];
      if (!result.journal.ok) parts.push(`nhật ký bị sửa từ dòng ${result.journal.firstBadId} (${REASONS[result.journal.reason]})`);
      if (result.integrity !== 'ok') parts.push(`kiểm tra toàn vẹn: ${result.integrity}`);
      throw new AppError('VERIFY_FAILED', `Kiểm tra KHÔNG đạt: ${parts.join('; ')}.`, result);
    }
    const head = result.journal.ok ? result.journal.head : '';
    return { json: result, text: `Kiểm tra đạt: ${result.journal.rows} dòng nhật ký nối liền, đầu chuỗi ${head}; toàn vẹn: ok.` };
  },
};
