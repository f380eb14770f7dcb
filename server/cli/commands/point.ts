import { AppError } from '../../../electron/core/errors.ts';
import { requireMigrated } from '../../db/migrate.ts';
import { addPoint } from '../../points.ts';
import { stringOption, type ServerCommand } from '../command.ts';

export const pointCommand: ServerCommand = {
  name: 'point',
  usage: 'point add --point <MA_DIEMTHU> --unit <MA_DVIQLY> [--office <tên phòng giao dịch>]',
  options: { point: { type: 'string' }, unit: { type: 'string' }, office: { type: 'string' } },
  async run({ positionals, values, db }) {
    const point = stringOption(values, 'point');
    const unit = stringOption(values, 'unit');
    if (positionals[0] !== 'add' || point === undefined || unit === undefined) {
      throw new AppError('CLI_BAD_ARGS', `Cách dùng: diemthu-server ${pointCommand.usage}`);
    }
    await requireMigrated(db());
    const office = stringOption(values, 'office');
    const added = await addPoint(db(), { point, unit, ...(office === undefined ? {} : { office }) });
    return {
      json: { ...added.point, token: added.token },
      text: [
        `Đã thêm điểm thu ${added.point.code} (đơn vị ${added.point.unit}${added.point.office === null ? '' : `, ${added.point.office}`}).`,
        `Mã truy cập (chỉ hiện MỘT lần, máy chủ chỉ giữ mã băm; hãy chép vào tệp mã của điểm thu):`,
        added.token,
      ].join('\n'),
    };
  },
};
