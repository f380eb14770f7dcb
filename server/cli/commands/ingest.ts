import { AppError } from '../../../electron/core/errors.ts';
import { requireMigrated } from '../../db/migrate.ts';
import { ingestFile } from '../../files/ingest.ts';
import type { ServerCommand } from '../command.ts';

export const ingestCommand: ServerCommand = {
  name: 'ingest',
  usage: 'ingest <GACHNO_<điểm thu>_<yyyyMMdd>_<NN>.csv> (bản kê .json cùng tên bên cạnh)',
  options: {},
  async run({ positionals, db }) {
    const file = positionals[0];
    if (file === undefined) throw new AppError('CLI_BAD_ARGS', `Cách dùng: diemthu-server ${ingestCommand.usage}`);
    await requireMigrated(db());
    const r = await ingestFile(db(), file);
    const text = r.alreadyIngested
      ? `${r.file} đã được nhập trước đó: không thay đổi gì.`
      : [
          `Đã nhập ${r.file}: ${r.payments} biên nhận (${r.accepted} mới, ${r.duplicates} đã có), ${r.voids} biên nhận hủy.`,
          ...r.conflicts.map((c) => `  TRÙNG THU: hóa đơn ${c.idHdon} của ${c.receiptNo} đã được thu bởi ${c.heldBy}.`),
        ].join('\n');
    return { json: r, text };
  },
};
