import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command, CommandInput, CommandResult } from '../command.ts';
import { AppError } from '../../core/errors.ts';
import { writeFilesAtomically } from '../../store/atomic-write.ts';
import { loadProfile } from '../../cmis/profiles.ts';
import { SNAPSHOT_ENCODINGS, type SnapshotEncoding } from '../../cmis/read-snapshot.ts';
import { setSettings } from '../../store/settings.ts';
import { requireSupervisor } from '../../users/users.ts';
import { DEFAULT_SMS_PROFILE } from '../../sms/batch-file.ts';
import type { SmsSummary } from '../../sms/files.ts';
import { NOTICE_TYPES, type NoticeType } from '../../sms/messages.ts';
import { parseOptOutList } from '../../sms/phone.ts';
import { parseSmsProfile } from '../../sms/profile.ts';
import { snapshotNotices } from '../../cmis/sms-notices.ts';
import { signIn } from '../cli-input.ts';

const MAX_TEXT_FILE = 64 * 1024 * 1024;

/** A small text file given on the command line, or a clear refusal. */
function readText(path: string, what: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new AppError('FILE_UNREADABLE', `Không đọc được ${what} ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)}).`, { path });
  }
  if (bytes.length > MAX_TEXT_FILE) throw new AppError('FILE_TOO_LARGE', `${what} ${path} quá lớn (tối đa 64 MB).`, { path });
  return bytes.toString('utf8');
}

/** `--types TBTD,NHACNO`: each a notice type, at least one. */
function noticeTypes(value: unknown): NoticeType[] | undefined {
  if (value === undefined) return undefined;
  const types = String(value).split(',').map((t) => t.trim().toUpperCase()).filter((t) => t !== '');
  const unknown = types.filter((t) => !NOTICE_TYPES.includes(t as NoticeType));
  if (types.length === 0 || unknown.length > 0) throw new AppError('CLI_BAD_ARGS', `--types là danh sách trong ${NOTICE_TYPES.join(', ')} (nhận được "${String(value)}").`);
  return [...new Set(types as NoticeType[])];
}

const REASONS_VI: Record<keyof SmsSummary['skipped'], string> = {
  empty: 'không có số',
  invalid: 'số không hợp lệ',
  foreign: 'số nước ngoài',
  landline: 'số cố định',
  not_mobile: 'không nhận tin nhắn',
  opted_out: 'từ chối nhận tin',
  bad_data: 'dữ liệu sai',
};

function describeSummary(s: SmsSummary): string {
  const skipped = Object.entries(s.skipped).filter(([, n]) => n > 0).map(([r, n]) => `${REASONS_VI[r as keyof SmsSummary['skipped']]} ${n}`);
  return `TBTD ${s.messages.TBTD}, NHACNO ${s.messages.NHACNO}, TBCD ${s.messages.TBCD}; ${s.segments} bản tin; bỏ qua: ${skipped.length === 0 ? 'không' : skipped.join(', ')}`;
}

function notices({ positionals, values }: CommandInput): CommandResult {
  const file = positionals[1];
  if (file === undefined || positionals.length > 2) throw new AppError('CLI_BAD_ARGS', 'Cần đúng một tệp dữ liệu nợ: diemthu sms notices <tệp> --out <thư mục>.');
  if (typeof values.out !== 'string') throw new AppError('CLI_BAD_ARGS', 'Cần --out <thư mục> để ghi tệp THONGBAO.');
  const encoding = values.encoding;
  if (encoding !== undefined && !SNAPSHOT_ENCODINGS.includes(encoding as SnapshotEncoding)) {
    throw new AppError('CLI_BAD_ARGS', `--encoding phải là một trong ${SNAPSHOT_ENCODINGS.join(', ')}.`);
  }
  const outDir = resolve(values.out);
  const types = noticeTypes(values.types);
  const optOut = typeof values['opt-out'] === 'string' ? parseOptOutList(readText(values['opt-out'], 'danh sách từ chối nhận tin')) : undefined;
  const result = snapshotNotices({
    file: resolve(file),
    madeAt: new Date(),
    profile: typeof values['sms-profile'] === 'string' ? parseSmsProfile(readText(values['sms-profile'], 'hồ sơ mẫu tin nhắn'), values['sms-profile']) : DEFAULT_SMS_PROFILE,
    ...(optOut === undefined ? {} : { optOut: optOut.numbers }),
    ...(encoding === undefined ? {} : { encoding: encoding as SnapshotEncoding }),
    ...(typeof values.profile === 'string' ? { mapping: loadProfile(values.profile) } : {}),
    ...(types === undefined ? {} : { types }),
  });
  const written = result.files.map((f) => ({ path: join(outDir, f.name), bytes: Buffer.from(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength) }));
  writeFilesAtomically(written);
  const files = result.files.map((f, i) => ({ unitCode: f.unitCode, path: written[i]!.path, bytes: f.bytes.length, ...f.summary }));
  const text = [
    `Tệp ${result.fileName}: ${result.customerCount} khách hàng, ${result.billCount} hóa đơn (không nhập vào cơ sở dữ liệu).`,
    ...files.map((f) => `  ${f.path}: ${describeSummary(f)}`),
    ...(optOut !== undefined && optOut.problems.length > 0 ? [`  Danh sách từ chối nhận tin: ${optOut.problems.length} dòng không phải số di động (dòng ${optOut.problems.slice(0, 10).map((p) => p.line).join(', ')}).`] : []),
  ].join('\n');
  const { files: _bytes, ...facts } = result;
  return { json: { ...facts, files, optOutProblems: optOut?.problems ?? [] }, text };
}

async function optOutList(input: CommandInput): Promise<CommandResult> {
  const file = input.positionals[1];
  const clear = input.values.clear === true;
  if ((file === undefined) === !clear) throw new AppError('CLI_BAD_ARGS', 'Cần đúng một trong hai: diemthu sms opt-out <tệp> hoặc diemthu sms opt-out --clear.');
  const list = file === undefined ? { numbers: new Set<string>(), problems: [] } : parseOptOutList(readText(file, 'danh sách từ chối nhận tin'));
  const { ctx, user } = await signIn(input, supervisorCode(input), requireSupervisor);
  setSettings(ctx.sqlite, { sms_opt_out: [...list.numbers].sort() }, user.id, ctx.clock());
  const problems = list.problems.map((p) => `  dòng ${p.line} "${p.value}": ${REASONS_VI[p.reason]}`);
  return {
    json: { numbers: list.numbers.size, problems: list.problems },
    text: [`Danh sách từ chối nhận tin: ${list.numbers.size} số (dùng từ lần xuất tệp gạch nợ sau).`, ...(problems.length > 0 ? ['Các dòng không phải số di động, bị bỏ qua:', ...problems] : [])].join('\n'),
  };
}

async function profile(input: CommandInput): Promise<CommandResult> {
  const file = input.positionals[1];
  const useDefault = input.values.default === true;
  if ((file === undefined) === !useDefault) throw new AppError('CLI_BAD_ARGS', 'Cần đúng một trong hai: diemthu sms profile <tệp json> hoặc diemthu sms profile --default.');
  const text = file === undefined ? null : readText(file, 'hồ sơ mẫu tin nhắn');
  if (text !== null && file !== undefined) parseSmsProfile(text, file); // refused before anything is stored
  const { ctx, user } = await signIn(input, supervisorCode(input), requireSupervisor);
  setSettings(ctx.sqlite, { sms_profile: text }, user.id, ctx.clock());
  return { json: { profile: file ?? 'default' }, text: `Hồ sơ mẫu tin nhắn: ${file ?? 'mặc định'} (dùng từ lần xuất tệp gạch nợ sau).` };
}

function supervisorCode(input: CommandInput): string {
  const code = input.values.supervisor;
  if (typeof code !== 'string' || code === '') throw new AppError('CLI_BAD_ARGS', 'Cần --supervisor <mã người giám sát> (PIN trong DIEMTHU_PIN hoặc nhập).');
  return code;
}

export const smsCommand: Command = {
  name: 'sms',
  usage: [
    'sms notices <tệp dữ liệu nợ> --out <thư mục> [--types TBTD,NHACNO,TBCD] [--encoding …] [--profile <ánh xạ cột json>] [--sms-profile <json>] [--opt-out <tệp>]',
    'sms opt-out <tệp> | --clear  --supervisor <mã>     sms profile <tệp json> | --default  --supervisor <mã>',
  ].join('\n       '),
  options: {
    out: { type: 'string' },
    types: { type: 'string' },
    encoding: { type: 'string' },
    profile: { type: 'string' },
    'sms-profile': { type: 'string' },
    'opt-out': { type: 'string' },
    supervisor: { type: 'string' },
    clear: { type: 'boolean', default: false },
    default: { type: 'boolean', default: false },
  },
  run(input) {
    const sub = input.positionals[0];
    if (sub === 'notices') return notices(input);
    if (sub === 'opt-out') return optOutList(input);
    if (sub === 'profile') return profile(input);
    throw new AppError('CLI_BAD_ARGS', 'Lệnh con của sms: notices, opt-out, profile.');
  },
};
