import { randomBytes } from 'node:crypto';
import type { Ctx } from './context.ts';
import { AppError } from './core/errors.ts';
import { DEFAULT_PIN_COST, hashPin, isValidPin, pinMatches, type ScryptCost } from './core/pin-hash.ts';
import { appendJournal } from './journal.ts';

export type Role = 'cashier' | 'supervisor';

export interface User {
  id: number;
  code: string;
  name: string;
  role: Role;
}

export const MAX_FAILED_PINS = 5;
export const LOCK_MS = 5 * 60 * 1000;

interface UserRow extends User {
  pin_hash: string;
  failed_pins: number;
  locked_until: string | null;
  active: number;
}

function normaliseCode(code: string): string {
  return code.trim().toUpperCase();
}

/**
 * Adds a user. The PIN (4-8 digits) is stored only as a salted scrypt hash; the salt comes from the
 * OS random source, not ctx.newId (which tests make predictable).
 */
export function addUser(ctx: Ctx, args: { code: string; name: string; role: Role; pin: string }, cost: ScryptCost = DEFAULT_PIN_COST): User {
  const code = normaliseCode(args.code);
  const name = args.name.trim().normalize('NFC');
  if (!/^[A-Z0-9._-]{1,20}$/.test(code)) throw new AppError('USER_CODE_INVALID', `Mã người dùng "${args.code}" không hợp lệ (1-20 chữ cái, số, dấu . _ -).`);
  if (name === '') throw new AppError('USER_NAME_REQUIRED', 'Cần nhập tên người dùng.');
  if (args.role !== 'cashier' && args.role !== 'supervisor') throw new AppError('USER_ROLE_INVALID', 'Vai trò phải là cashier (thu ngân) hoặc supervisor (giám sát).');
  if (!isValidPin(args.pin)) throw new AppError('PIN_INVALID', 'Mã PIN phải gồm 4 đến 8 chữ số.');
  const pinHash = hashPin(args.pin, randomBytes(16), cost);
  const at = ctx.clock();
  return ctx.sqlite
    .transaction(() => {
      const exists = ctx.sqlite.prepare('SELECT 1 FROM users WHERE code = ?').get(code);
      if (exists !== undefined) throw new AppError('USER_EXISTS', `Người dùng ${code} đã có.`);
      const { id } = ctx.sqlite
        .prepare('INSERT INTO users (code, name, role, pin_hash, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id')
        .get(code, name, args.role, pinHash, at.toISOString()) as { id: number };
      appendJournal(ctx.sqlite, { kind: 'user_added', actorId: null, payload: { userId: id, code, name, role: args.role }, at });
      return { id, code, name, role: args.role };
    })
    .immediate();
}

export function findUser(ctx: Ctx, code: string): User | undefined {
  const row = ctx.sqlite.prepare('SELECT id, code, name, role FROM users WHERE code = ? AND active = 1').get(normaliseCode(code)) as User | undefined;
  return row;
}

export function userById(ctx: Ctx, id: number): User | undefined {
  return ctx.sqlite.prepare('SELECT id, code, name, role FROM users WHERE id = ? AND active = 1').get(id) as User | undefined;
}

/** A user by code, or the refusal a user sees. */
export function requireUser(ctx: Ctx, code: string): User {
  const user = findUser(ctx, code);
  if (user === undefined) throw new AppError('USER_NOT_FOUND', `Không có người dùng ${normaliseCode(code)}.`);
  return user;
}

/**
 * Checks a PIN. Five wrong PINs in a row lock the user for five minutes (ctx.clock); a right PIN
 * resets the count. Failed attempts are committed and journaled before the refusal is thrown.
 */
export function verifyPin(ctx: Ctx, code: string, pin: string): User {
  const row = ctx.sqlite
    .prepare('SELECT id, code, name, role, pin_hash, failed_pins, locked_until, active FROM users WHERE code = ?')
    .get(normaliseCode(code)) as UserRow | undefined;
  if (row === undefined || row.active !== 1) throw new AppError('LOGIN_FAILED', 'Sai mã người dùng hoặc mã PIN.');
  const now = ctx.clock();
  if (row.locked_until !== null && Date.parse(row.locked_until) > now.getTime()) {
    // Tries during the lock are not checked, only journaled.
    ctx.sqlite
      .transaction(() => appendJournal(ctx.sqlite, { kind: 'login_failed', actorId: row.id, payload: { code: row.code, locked: true }, at: now }))
      .immediate();
    throw new AppError('USER_LOCKED', `Người dùng ${row.code} đang bị khoá vì nhập sai PIN quá ${MAX_FAILED_PINS} lần; thử lại sau 5 phút.`, {
      lockedUntil: row.locked_until,
    });
  }
  const user: User = { id: row.id, code: row.code, name: row.name, role: row.role };
  if (pinMatches(pin, row.pin_hash)) {
    ctx.sqlite
      .transaction(() => {
        ctx.sqlite.prepare('UPDATE users SET failed_pins = 0, locked_until = NULL WHERE id = ?').run(row.id);
        appendJournal(ctx.sqlite, { kind: 'login', actorId: row.id, payload: { code: row.code }, at: now });
      })
      .immediate();
    return user;
  }
  // Locking resets the count, so a lock that has run out starts a fresh one.
  const failed = row.failed_pins + 1;
  const locks = failed >= MAX_FAILED_PINS;
  const lockedUntil = locks ? new Date(now.getTime() + LOCK_MS).toISOString() : null;
  ctx.sqlite
    .transaction(() => {
      ctx.sqlite.prepare('UPDATE users SET failed_pins = ?, locked_until = ? WHERE id = ?').run(locks ? 0 : failed, lockedUntil, row.id);
      appendJournal(ctx.sqlite, { kind: 'login_failed', actorId: row.id, payload: { code: row.code, failed }, at: now });
      if (locks) appendJournal(ctx.sqlite, { kind: 'user_locked', actorId: row.id, payload: { code: row.code, lockedUntil }, at: now });
    })
    .immediate();
  if (locks) throw new AppError('USER_LOCKED', `Nhập sai PIN ${MAX_FAILED_PINS} lần: người dùng ${row.code} bị khoá 5 phút.`, { lockedUntil });
  throw new AppError('LOGIN_FAILED', 'Sai mã người dùng hoặc mã PIN.', { attemptsLeft: MAX_FAILED_PINS - failed });
}

/** verifyPin, and the user must be a supervisor. */
export function requireSupervisor(ctx: Ctx, code: string, pin: string): User {
  const user = verifyPin(ctx, code, pin);
  if (user.role !== 'supervisor') throw new AppError('SUPERVISOR_REQUIRED', `Việc này cần người giám sát; ${user.code} là thu ngân.`);
  return user;
}
