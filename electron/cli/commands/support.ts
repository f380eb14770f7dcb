import { join } from 'node:path';
import type { Command } from '../command.ts';
import { writeSupportBundle } from '../../backups/support-bundle.ts';
import { verifyStore } from '../../verify/verify.ts';
import { statusCommand } from './status.ts';

export const supportCommand: Command = {
  name: 'support',
  usage: 'support [--out <thư mục>]   (một tệp zip gửi bộ phận hỗ trợ: nhật ký, trạng thái, kết quả kiểm tra, thiết lập; không có PIN, khóa PIN hay dữ liệu thu; mặc định: <data-dir>/support)',
  options: { out: { type: 'string' } },
  async run(input) {
    const ctx = input.open();
    // The same status `diemthu status --json` prints, and verify's result whether it passes or not.
    const status = await statusCommand.run(input);
    const bundle = writeSupportBundle(ctx, {
      outDir: typeof input.values.out === 'string' ? input.values.out : join(input.dataDir, 'support'),
      status: status?.json ?? null,
      verify: verifyStore(ctx),
    });
    return { json: bundle, text: `Đã ghi ${bundle.file} (${bundle.entries.join(', ')}). Gửi tệp này cho bộ phận hỗ trợ.` };
  },
};
