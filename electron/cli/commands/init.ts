import type { Command } from '../command.ts';
import { AppError } from '../../core/errors.ts';
import { initPoint } from '../../store/point.ts';

export const initCommand: Command = {
  name: 'init',
  usage: 'init --point <MA_DIEMTHU> --unit <MA_DVIQLY> [--name "<tên điểm thu>"]',
  options: { point: { type: 'string' }, unit: { type: 'string' }, name: { type: 'string' } },
  run({ values, open, dataDir }) {
    if (typeof values.point !== 'string' || typeof values.unit !== 'string') {
      throw new AppError('CLI_BAD_ARGS', 'Cần --point <mã điểm thu> và --unit <mã đơn vị>.');
    }
    const ctx = open();
    const point = initPoint(ctx, {
      pointCode: values.point,
      unitCode: values.unit,
      pointName: typeof values.name === 'string' ? values.name : '',
    });
    return {
      json: { ...point, dataDir },
      text: `Đã khởi tạo điểm thu ${point.pointCode} (đơn vị ${point.unitCode}) tại ${dataDir}.`,
    };
  },
};
