import type { Command } from '../command.ts';
import { AppError } from '../../core/errors.ts';
import { restore } from '../../backups.ts';

export const restoreCommand: Command = {
  name: 'restore',
  usage: 'restore <tệp sao lưu>   (đóng chương trình Điểm Thu trước)',
  options: {},
  run({ positionals, dataDir }) {
    const file = positionals[0];
    if (file === undefined) throw new AppError('CLI_BAD_ARGS', 'Cần tên tệp sao lưu: diemthu restore <tệp>.');
    // The database is not opened here: restore replaces the file, with no connection left on it.
    const result = restore(dataDir, file);
    const safety = result.safetyCopy === null ? '' : ` Bản an toàn của dữ liệu cũ: ${result.safetyCopy}.`;
    return { json: result, text: `Đã khôi phục từ ${result.restored} (${result.journalRows} dòng nhật ký đã kiểm tra).${safety}` };
  },
};
