import type { Command } from '../command.ts';
import { AppError } from '../../core/errors.ts';
import { addUser, requireSupervisor, type Role } from '../../users.ts';
import { readPin, requireOption } from '../cli-input.ts';

export const userCommand: Command = {
  name: 'user',
  usage:
    'user add <mã> --name "<họ tên>" --role cashier|supervisor [--supervisor <mã giám sát>]   (PIN mới từ DIEMTHU_PIN, PIN giám sát từ DIEMTHU_SUPERVISOR_PIN, hoặc nhập khi được hỏi)',
  options: { name: { type: 'string' }, role: { type: 'string' }, supervisor: { type: 'string' } },
  async run({ positionals, values, open, io }) {
    const [action, code] = positionals;
    if (action !== 'add' || code === undefined) throw new AppError('CLI_BAD_ARGS', 'Cách dùng: diemthu user add <mã> --name "<họ tên>" --role cashier|supervisor');
    const name = requireOption(values, 'name', 'họ tên');
    const role = requireOption(values, 'role', 'cashier|supervisor') as Role;
    const ctx = open();
    // The first user sets the point up and must be a supervisor; every later one is approved by a supervisor.
    const hasSupervisor = ctx.sqlite.prepare("SELECT 1 FROM users WHERE role = 'supervisor' AND active = 1 LIMIT 1").get() !== undefined;
    if (!hasSupervisor && role !== 'supervisor') {
      throw new AppError('FIRST_USER_SUPERVISOR', 'Người dùng đầu tiên của điểm thu phải là giám sát (--role supervisor).');
    }
    if (hasSupervisor) {
      const supervisorCode = requireOption(values, 'supervisor', 'mã giám sát duyệt');
      requireSupervisor(ctx, supervisorCode, await readPin(io, `PIN của giám sát ${supervisorCode}: `, 'DIEMTHU_SUPERVISOR_PIN'));
    }
    const pin = await readPin(io, `PIN mới cho ${code}: `);
    const user = addUser(ctx, { code, name, role, pin });
    const roleText = user.role === 'supervisor' ? 'giám sát' : 'thu ngân';
    return { json: user, text: `Đã thêm người dùng ${user.code} (${user.name}, ${roleText}).` };
  },
};
