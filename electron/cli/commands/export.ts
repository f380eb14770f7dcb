import { join, resolve } from 'node:path';
import type { Command } from '../command.ts';
import { formatDong } from '../../core/money.ts';
import { exportAgain, exportClearing } from '../../cmis/write-clearing.ts';
import { backupAfter } from '../../backups/backups.ts';

export const exportCommand: Command = {
  name: 'export',
  usage: 'export [--out <thư mục>] [--again <số lần xuất | tên tệp>]   (mặc định: <data-dir>/exports)',
  options: { out: { type: 'string' }, again: { type: 'string' } },
  async run({ values, open, dataDir }) {
    const ctx = open();
    const outDir = typeof values.out === 'string' ? resolve(values.out) : join(dataDir, 'exports');
    if (typeof values.again === 'string') {
      const again = exportAgain(ctx, { batch: values.again, outDir });
      return { json: again, text: again.code === 'EXPORTED' ? `Đã ghi lại lần xuất ${again.manifest.csvFile} (trùng từng byte):\n  ${again.files.join('\n  ')}` : again.message };
    }
    const result = exportClearing(ctx, { outDir });
    if (result.code === 'EXPORT_NOTHING_NEW') return { json: result, text: result.message };
    const backup = await backupAfter(ctx);
    const m = result.manifest;
    const text = [
      ...result.resumed.map((b) => `Đã ghi xong lần xuất còn dở ${b.manifest.csvFile} (đúng từng byte như đã ghi nhận).`),
      `Đã xuất ${m.csvFile}: ${m.receiptCount} biên nhận (${m.firstReceipt} .. ${m.lastReceipt}), ${m.rowCount} dòng, tổng ${formatDong(m.totalTongTien)}.`,
      ...(m.voidedReceipts.length > 0 ? [`Biên nhận đã hủy: ${m.voidedReceipts.join(', ')}.`] : []),
      `Lệnh đóng điện: ${m.reconnectionOrderCount}.`,
      ...result.files.map((f) => `  ${f}`),
      backup.ok ? `Đã sao lưu: ${backup.backup.file}.` : `[${backup.code}] ${backup.message}`,
    ].join('\n');
    return { json: { ...result, backup }, text };
  },
};
