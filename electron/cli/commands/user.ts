import type { CliIo, Command } from '../command.ts';
import type { Ctx } from '../../store/context.ts';
import { AppError } from '../../core/errors.ts';
import { query, selectFirst } from '../../store/typed-query.ts';
import { formatDateTime } from '../../core/local-time.ts';
import { addUser, changePin, listUsers, requireSupervisor, type Role, type UserListing } from '../../users/users.ts';
import { deactivateUser, resetPin } from '../../users/user-admin.ts';
import { readPin, requireOption } from '../cli-input.ts';

const ROLE_TEXT: Record<Role, string> = { cashier: 'thu ngân', supervisor: 'giám sát' };

export const userCommand: Command = {
  name: 'user',
  usage:
    'user add <mã> --name "<họ tên>" --role cashier|supervisor [--supervisor <mã giám sát> [--second-supervisor <mã giám sát thứ hai>]]   (PIN mới từ DIEMTHU_PIN, PIN giám sát từ DIEMTHU_SUPERVISOR_PIN, PIN giám sát thứ hai từ DIEMTHU_SECOND_SUPERVISOR_PIN, hoặc nhập khi được hỏi)\n  user pin <mã>   (đổi PIN của chính mình: PIN hiện tại từ DIEMTHU_PIN, PIN mới 6-8 chữ số từ DIEMTHU_NEW_PIN, hoặc nhập khi được hỏi)\n  user list   (mọi người dùng và ai đã duyệt họ)\n  user deactivate <mã> --supervisor <mã giám sát>   (khóa người dùng đã nghỉ; PIN giám sát từ DIEMTHU_SUPERVISOR_PIN)\n  user reset-pin <mã> --supervisor <mã giám sát>   (đặt PIN tạm 6-8 chữ số từ DIEMTHU_NEW_PIN; người dùng phải đổi PIN trước khi làm việc)',
  options: { name: { type: 'string' }, role: { type: 'string' }, supervisor: { type: 'string' }, 'second-supervisor': { type: 'string' } },
  async run({ positionals, values, open, io }) {
    const [action, code] = positionals;
    if (action === 'list') {
      const users = listUsers(open());
      return { json: users, text: users.map(listingLine).join('\n') };
    }
    if (action === 'pin' && code !== undefined) {
      const pin = await readPin(io, `PIN hiện tại của ${code}: `);
      const newPin = await readPin(io, `PIN mới cho ${code} (6-8 chữ số): `, 'DIEMTHU_NEW_PIN');
      const user = changePin(open(), { code, pin, newPin });
      return { json: user, text: `Đã đổi PIN của ${user.code}.` };
    }
    if ((action === 'deactivate' || action === 'reset-pin') && code !== undefined) {
      const ctx = open();
      const supervisorCode = requireOption(values, 'supervisor', 'mã giám sát');
      const supervisor = requireSupervisor(ctx, supervisorCode, await readPin(io, `PIN của giám sát ${supervisorCode}: `, 'DIEMTHU_SUPERVISOR_PIN'));
      if (action === 'deactivate') {
        const user = deactivateUser(ctx, { code, supervisor });
        return { json: user, text: `Đã khóa người dùng ${user.code}; lịch sử thu của họ vẫn giữ nguyên.` };
      }
      const temporaryPin = await readPin(io, `PIN tạm cho ${code} (6-8 chữ số): `, 'DIEMTHU_NEW_PIN');
      const user = resetPin(ctx, { code, supervisor, temporaryPin });
      return { json: user, text: `Đã đặt PIN tạm cho ${user.code}; ${user.code} phải đổi PIN (diemthu user pin ${user.code}) trước khi làm việc.` };
    }
    if (action !== 'add' || code === undefined) {
      throw new AppError(
        'CLI_BAD_ARGS',
        'Cách dùng: diemthu user add <mã> --name "<họ tên>" --role cashier|supervisor, diemthu user pin <mã>, diemthu user deactivate <mã>, diemthu user reset-pin <mã>, hoặc diemthu user list',
      );
    }
    const name = requireOption(values, 'name', 'họ tên');
    const role = requireOption(values, 'role', 'cashier|supervisor') as Role;
    const ctx = open();
    // The point's first user sets it up; every later one is approved by a supervisor (by two for a
    // new supervisor once the point has two: the service says when).
    const approvedBy: number[] = [];
    if (selectFirst(ctx.sqlite, query.selectFrom('users').select('id').limit(1)) !== undefined) {
      approvedBy.push(await approver(ctx, io, requireOption(values, 'supervisor', 'mã giám sát duyệt'), 'DIEMTHU_SUPERVISOR_PIN'));
      const second = values['second-supervisor'];
      if (typeof second === 'string' && second.trim() !== '') approvedBy.push(await approver(ctx, io, second.trim(), 'DIEMTHU_SECOND_SUPERVISOR_PIN'));
    }
    const pin = await readPin(io, `PIN mới cho ${code} (6-8 chữ số): `);
    const user = addUser(ctx, { code, name, role, pin, approvedBy });
    return { json: user, text: `Đã thêm người dùng ${user.code} (${user.name}, ${ROLE_TEXT[user.role]}).` };
  },
};

async function approver(ctx: Ctx, io: CliIo, code: string, pinVariable: string): Promise<number> {
  return requireSupervisor(ctx, code, await readPin(io, `PIN của giám sát ${code}: `, pinVariable)).id;
}

function listingLine(u: UserListing): string {
  const approval = u.approvedBy.length === 0 ? 'người dùng đầu tiên' : `duyệt bởi ${u.approvedBy.join(' và ')}`;
  return `${u.code}\t${u.name}\t${ROLE_TEXT[u.role]}${u.active ? '' : ' (đã khóa)'}\tthêm lúc ${formatDateTime(new Date(u.createdAt))}\t${approval}`;
}
