import { formatDateTime } from '../../../electron/core/local-time.ts';
import { formatAmount } from '../../../electron/core/money.ts';
import { listConflicts } from '../../conflicts.ts';
import { requireMigrated } from '../../db/migrate.ts';
import { stringOption, type ServerCommand } from '../command.ts';

const STATUS = { open: 'chưa xử lý', promoted: 'đã thay (biên nhận giữ trước bị hủy)', closed: 'đã đóng (biên nhận sau bị hủy)' } as const;

export const conflictsCommand: ServerCommand = {
  name: 'conflicts',
  usage: 'conflicts [--unit <MA_DVIQLY>] [--point <MA_DIEMTHU>] [--all]',
  options: { unit: { type: 'string' }, point: { type: 'string' }, all: { type: 'boolean', default: false } },
  async run({ values, db }) {
    await requireMigrated(db());
    const unit = stringOption(values, 'unit');
    const point = stringOption(values, 'point');
    const rows = await listConflicts(db(), { ...(unit === undefined ? {} : { unit }), ...(point === undefined ? {} : { point }), all: values.all === true });
    const text =
      rows.length === 0
        ? 'Không có hóa đơn trùng thu.'
        : [
            `${rows.length} hóa đơn trùng thu (biên nhận sau là trường hợp hoàn tiền):`,
            ...rows.map(
              (r) =>
                `  ${r.idHdon}: ${r.receiptNo} (${r.pointCode}, ${formatDateTime(new Date(r.paidAt))}, ${formatAmount(r.total)} đ) — giữ bởi ${r.heldBy ?? '-'}` +
                `${r.heldByPaidAt === null ? '' : ` (${r.heldByPoint}, ${formatDateTime(new Date(r.heldByPaidAt))})`} — ${STATUS[r.status]}`,
            ),
          ].join('\n');
    return { json: rows, text };
  },
};
