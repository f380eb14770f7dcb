import { AppError } from '../../../electron/core/errors.ts';
import { formatAmount } from '../../../electron/core/money.ts';
import { requireMigrated } from '../../db/migrate.ts';
import { consolidate } from '../../files/consolidate.ts';
import { stringOption, type ServerCommand } from '../command.ts';

export const consolidateCommand: ServerCommand = {
  name: 'consolidate',
  usage: 'consolidate --unit <MA_DVIQLY> --date <yyyy-mm-dd> --out <thư mục>',
  options: { unit: { type: 'string' }, date: { type: 'string' }, out: { type: 'string' } },
  async run({ values, db }) {
    const [unit, date, outDir] = [stringOption(values, 'unit'), stringOption(values, 'date'), stringOption(values, 'out')];
    if (unit === undefined || date === undefined || outDir === undefined) throw new AppError('CLI_BAD_ARGS', `Cách dùng: diemthu-server ${consolidateCommand.usage}`);
    await requireMigrated(db());
    const { files, manifest: m } = await consolidate(db(), { unit, date, outDir });
    return {
      json: { files, manifest: m },
      text: [
        `Đã ghi ${files.join(' và ')}:`,
        `  ${m.rowCount} dòng, ${m.receiptCount} biên nhận, tổng ${formatAmount(m.totalTongTien)} đồng, từ ${m.pointBatches.length} lần xuất của các điểm thu.`,
        ...(m.unbatched.length > 0 ? [`  Chưa thuộc lần xuất nào: ${m.unbatched.map((u) => `${u.pointCode} (${u.receipts})`).join(', ')}.`] : []),
        ...m.missingBatches.map((g) => `  THIẾU lần xuất của ${g.pointCode} ngày ${g.batchDay}: số ${g.missing.join(', ')}.`),
        ...(m.conflicts.length > 0 ? [`  ${m.conflicts.length} hóa đơn trùng thu (xem bản kê).`] : []),
      ].join('\n'),
    };
  },
};
