import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AppError, asAppError, toErrorShape } from '../core/errors.ts';
import { openContext, type Ctx } from '../store/context.ts';
import { defaultDataDir, legacyDataDir } from '../store/data-dir.ts';
import type { CliIo, Command } from './command.ts';
import { commands } from './commands/index.ts';

const COMMON = {
  'data-dir': { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

function usage(): string {
  return ['Cách dùng: diemthu <lệnh> [tùy chọn] [--data-dir DIR] [--json]', '', ...commands.map((c) => `  diemthu ${c.usage}`)].join('\n');
}

/** Runs one CLI invocation; returns the exit code: 0 done, 2 input refused, 1 internal error. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const name = argv[0];
  const command: Command | undefined = commands.find((c) => c.name === name);
  if (command === undefined) {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      io.stdout.write(usage() + '\n');
      return 0;
    }
    return refuse(io, argv.includes('--json'), new AppError('CLI_UNKNOWN_COMMAND', `Không có lệnh "${name}".\n${usage()}`));
  }
  let json = argv.includes('--json');
  let ctx: Ctx | undefined;
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: argv.slice(1), options: { ...COMMON, ...command.options }, allowPositionals: true, strict: true });
    } catch (error) {
      throw new AppError('CLI_BAD_ARGS', `Tham số không đúng: ${(error as Error).message}\nCách dùng: diemthu ${command.usage}`);
    }
    json = parsed.values.json === true;
    if (parsed.values.help === true) {
      io.stdout.write(`diemthu ${command.usage}\n`);
      return 0;
    }
    // Relative folders given on the command line mean the current folder, said explicitly once here.
    const chosen = typeof parsed.values['data-dir'] === 'string' ? parsed.values['data-dir'] : null;
    const dataDir = resolve(chosen ?? defaultDataDir(io.env));
    // The default folder takes over an older version's data once, whichever of the app or the CLI runs first.
    const adoptFrom = chosen === null ? legacyDataDir(io.env) : null;
    const result = await command.run({
      positionals: parsed.positionals,
      values: parsed.values,
      json,
      dataDir,
      io,
      open: () => (ctx ??= openContext(dataDir, { adoptFrom })),
    });
    if (result !== undefined) io.stdout.write(json ? JSON.stringify({ ok: true, value: result.json }) + '\n' : result.text + '\n');
    return 0;
  } catch (error) {
    const known = asAppError(error);
    if (known !== null) return refuse(io, json, known);
    io.stderr.write(`[INTERNAL] Lỗi nội bộ của chương trình: ${(error as Error)?.stack ?? String(error)}\n`);
    if (json) io.stdout.write(JSON.stringify({ ok: false, error: toErrorShape(error) }) + '\n');
    return 1;
  } finally {
    ctx?.close();
  }
}

function refuse(io: CliIo, json: boolean, error: AppError): number {
  io.stderr.write(`[${error.code}] ${error.message}\n`);
  if (json) io.stdout.write(JSON.stringify({ ok: false, error: toErrorShape(error) }) + '\n');
  return 2;
}

function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
}
