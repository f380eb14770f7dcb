import type { Command } from '../command.ts';
import { AppError } from '../../core/errors.ts';
import { initPoint } from '../../store/point.ts';

export const initCommand: Command = {
  name: 'init',
  usage: 'init --point <MA_DIEMTHU> --unit <MA_DVIQLY>[,<MA_DVIQLY>...] [--name "<tên điểm thu>"]',
  options: { point: { type: 'string' }, unit: { type: 'string' }, name: { type: 'string' } },
  run({ values, open, dataDir }) {
    if (typeof values.point !== 'string' || typeof values.unit !== 'string') {
      throw new AppError('CLI_BAD_ARGS', 'Cần --point <mã điểm thu> và --unit <mã đơn vị>.');
    }
    const ctx = open();
    // A point may serve several units: --unit PC12AA,PC12BB (the first is the point's own).
    const units = values.unit.split(',').map((u) => u.trim());
    const point = initPoint(ctx, {
      pointCode: values.point,
      unitCode: units[0] ?? '',
      unitCodes: units,
      pointName: typeof values.name === 'string' ? values.name : '',
    });
    return {
      json: { ...point, dataDir },
      text: `Đã khởi tạo điểm thu ${point.pointCode} (đơn vị ${(point.unitCodes ?? [point.unitCode]).join(', ')}) tại ${dataDir}.`,
    };
  },
};
