import type { CliIo, CommandInput } from './command.ts';
import type { Ctx } from '../store/context.ts';
import { verifyPin, type User } from '../users/users.ts';
import { AppError } from '../core/errors.ts';
import { parseAmount } from '../core/money.ts';

/** A required string option, or the refusal naming it. */
export function requireOption(values: Record<string, unknown>, name: string, what: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value.trim() === '') throw new AppError('CLI_BAD_ARGS', `Cần --${name} <${what}>.`);
  return value.trim();
}

/** An amount option in đồng ("500000" or "500.000"). */
export function amountOption(values: Record<string, unknown>, name: string, what: string): number {
  const text = requireOption(values, name, what);
  const amount = parseAmount(text);
  if (amount === null) throw new AppError('CLI_BAD_ARGS', `--${name} phải là số đồng nguyên, ví dụ 500000 hoặc 500.000 (nhận được "${text}").`);
  return amount;
}

/**
 * The PIN of the user acting: from the environment variable DIEMTHU_PIN (scripts), otherwise
 * typed on the terminal without echo. Without either the command is refused. A second person's PIN
 * (the supervisor who approves `user add`) comes from its own variable.
 */
export async function readPin(io: CliIo, prompt: string, envName = 'DIEMTHU_PIN'): Promise<string> {
  const fromEnv = io.env[envName];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const stdin = io.stdin as NodeJS.ReadStream;
  if (stdin.isTTY !== true || typeof stdin.setRawMode !== 'function') {
    throw new AppError('PIN_REQUIRED', `Cần mã PIN: đặt biến môi trường ${envName} hoặc chạy lệnh trên cửa sổ dòng lệnh để nhập.`);
  }
  io.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  try {
    return await new Promise<string>((resolve, reject) => {
      let pin = '';
      const onData = (chunk: Buffer | string) => {
        for (const ch of String(chunk)) {
          if (ch === '\r' || ch === '\n') {
            stdin.off('data', onData);
            io.stderr.write('\n');
            resolve(pin);
            return;
          }
          if (ch === '\u0003') {
            stdin.off('data', onData);
            reject(new AppError('CANCELLED', 'Đã hủy.'));
            return;
          }
          pin = ch === '\u007f' || ch === '\b' ? pin.slice(0, -1) : pin + ch;
        }
      };
      stdin.on('data', onData);
    });
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
  }
}

/** The PIN of who acts, checked (verifyPin, or requireSupervisor), on the opened database. */
export async function signIn(input: CommandInput, code: string, check: (ctx: Ctx, code: string, pin: string) => User = verifyPin): Promise<{ ctx: Ctx; user: User }> {
  const pin = await readPin(input.io, `PIN của ${code}: `);
  const ctx = input.open();
  return { ctx, user: check(ctx, code, pin) };
}
