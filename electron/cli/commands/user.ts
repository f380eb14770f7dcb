import type { Command } from '../command.ts';
import { AppError } from '../../core/errors.ts';
import { addUser, type Role } from '../../users.ts';
import { readPin, requireOption } from '../cli-input.ts';

export const userCommand: Command = {
  name: 'user',
  usage: 'user add <mã> --name "<họ tên>" --role cashier|supervisor   (PIN 4-8 số từ DIEMTHU_PIN hoặc nhập khi được hỏi)',
  options: { name: { type: 'string' }, role: { type: 'string' } },
  async run({ positionals, values, open, io }) {
    const [action, code] = positionals;
    if (action !== 'add' || code === undefined) throw new AppError('CLI_BAD_ARGS', 'Cách dùng: diemthu user add <mã> --name "<họ tên>" --role cashier|supervisor');
    const name = requireOption(values, 'name', 'họ tên');
    const role = requireOption(values, 'role', 'cashier|supervisor') as Role;
    const pin = await readPin(io, `PIN mới cho ${code}: `);
    const user = addUser(open(), { code, name, role, pin });
    const roleText = user.role === 'supervisor' ? 'giám sát' : 'thu ngân';
    return { json: user, text: `Đã thêm người dùng ${user.code} (${user.name}, ${roleText}).` };
  },
};
