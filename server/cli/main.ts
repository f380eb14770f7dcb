import { parseArgs } from 'node:util';
import { AppError, isAppError, toErrorShape } from '../../electron/core/errors.ts';
import { databaseUrl, openDb, type ServerDb } from '../db/connect.ts';
import type { ServerCommand, ServerIo } from './command.ts';
import { serverCommands } from './commands/index.ts';

const COMMON = { database: { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } } as const;

function usage(): string {
  return ['Cách dùng: diemthu-server <lệnh> [tùy chọn] [--database postgresql://…] [--json]', '', ...serverCommands.map((c) => `  diemthu-server ${c.usage}`)].join('\n');
}

/** PostgreSQL unreachable, unknown database, refused login: the operator's setup, said in words (exit 2). */
function databaseProblem(error: unknown): AppError | null {
  const code = (error as { code?: unknown }).code;
  const known: Record<string, string> = {
    ECONNREFUSED: 'máy chủ PostgreSQL không nhận kết nối',
    ENOENT: 'không có ổ cắm (socket) PostgreSQL ở đó',
    ENOTFOUND: 'không tìm thấy tên máy',
    '3D000': 'không có cơ sở dữ liệu này',
    '28P01': 'sai mật khẩu',
    '28000': 'tài khoản không được phép đăng nhập',
  };
  if (typeof code !== 'string' || known[code] === undefined) return null;
  return new AppError('SERVER_DATABASE_UNREACHABLE', `Không kết nối được cơ sở dữ liệu PostgreSQL: ${known[code]} (${code}).`);
}

/** One invocation of `diemthu-server`; the exit code: 0 done, 2 refused (a coded Vietnamese sentence), 1 internal error. */
export async function main(argv: string[], io: ServerIo = { stdout: process.stdout, stderr: process.stderr, env: process.env }, stopped?: Promise<void>): Promise<number> {
  const name = argv[0];
  const command: ServerCommand | undefined = serverCommands.find((c) => c.name === name);
  let json = argv.includes('--json');
  if (command === undefined) {
    if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
      io.stdout.write(usage() + '\n');
      return 0;
    }
    return refuse(io, json, new AppError('CLI_UNKNOWN_COMMAND', `Không có lệnh "${name}".\n${usage()}`));
  }
  let db: ServerDb | undefined;
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: argv.slice(1), options: { ...COMMON, ...command.options }, allowPositionals: true, strict: true });
    } catch (error) {
      throw new AppError('CLI_BAD_ARGS', `Tham số không đúng: ${(error as Error).message}\nCách dùng: diemthu-server ${command.usage}`);
    }
    json = parsed.values.json === true;
    if (parsed.values.help === true) {
      io.stdout.write(`diemthu-server ${command.usage}\n`);
      return 0;
    }
    const url = databaseUrl(typeof parsed.values.database === 'string' ? parsed.values.database : undefined, io.env);
    const result = await command.run({
      positionals: parsed.positionals,
      values: parsed.values,
      json,
      io,
      db: () => (db ??= openDb(url)),
      stopped: stopped ?? new Promise<void>(() => {}),
    });
    if (result !== undefined) io.stdout.write(json ? JSON.stringify({ ok: true, value: result.json }) + '\n' : result.text + '\n');
    return 0;
  } catch (error) {
    const refusal = isAppError(error) ? error : databaseProblem(error);
    if (refusal !== null) return refuse(io, json, refusal);
    io.stderr.write(`[INTERNAL] Lỗi nội bộ của máy chủ: ${(error as Error)?.stack ?? String(error)}\n`);
    if (json) io.stdout.write(JSON.stringify({ ok: false, error: toErrorShape(error) }) + '\n');
    return 1;
  } finally {
    await db?.destroy();
  }
}

function refuse(io: ServerIo, json: boolean, error: AppError): number {
  io.stderr.write(`[${error.code}] ${error.message}\n`);
  if (json) io.stdout.write(JSON.stringify({ ok: false, error: toErrorShape(error) }) + '\n');
  return 2;
}
