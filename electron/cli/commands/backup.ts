import { resolve } from 'node:path';
import type { Command } from '../command.ts';
import { backupNow } from '../../backups/backups.ts';

export const backupCommand: Command = {
  name: 'backup',
  usage: 'backup [--out <thư mục>]   (mặc định: thư mục sao lưu trong thiết lập)',
  options: { out: { type: 'string' } },
  async run({ values, open }) {
    const result = await backupNow(open(), typeof values.out === 'string' ? { outDir: resolve(values.out) } : {});
    const removed = result.removed.length > 0 ? `; đã xóa ${result.removed.length} bản cũ` : '';
    return { json: result, text: `Đã sao lưu vào ${result.file} (${result.bytes} byte${removed}).` };
  },
};
