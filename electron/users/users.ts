import { randomBytes } from 'node:crypto';
import type { Ctx } from '../store/context.ts';
import type { Sqlite } from '../store/open.ts';
import { AppError } from '../core/errors.ts';
import { hashPin, isValidNewPin, needsRehash, pinMatches, storedKeyId, type PinKey, type ScryptCost } from '../core/pin-hash.ts';
import { appendJournal } from '../store/journal.ts';
import { query, selectAll, selectFirst } from '../store/typed-query.ts';
import { createPinKey, missingPinKey, readPinKey } from './pin-key.ts';

export type Role = 'cashier' | 'supervisor';

export interface User {
  id: number;
  code: string;
  name: string;
  role: Role;
}

export interface NewUser {
  code: string;
  name: string;
  role: Role;
  pin: string;
  /**
   * The supervisors who approve, their PINs checked by the caller: none for the point's first user
   * only; two different ones for a new supervisor once the point has two supervisors.
   */
  approvedBy: readonly number[];
}

export interface UserListing extends User {
  active: boolean;
  createdAt: string;
  /** Codes of the approving supervisors, first one first; empty for the point's first user. */
  approvedBy: string[];
}

export const MAX_FAILED_PINS = 5;
export const LOCK_MS = 5 * 60 * 1000;

interface UserRow extends User {
  pin_hash: string;
  failed_pins: number;
  locked_until: string | null;
  active: number;
  must_change_pin: number;
}

function normaliseCode(code: string): string {
  return code.trim().toUpperCase();
}

/**
 * Adds a user approved by `approvedBy` (recorded on the row and as the journal row's actor; the
 * database keeps the approval links the void rule reads). The PIN (6-8 digits) is stored only as a
 * salted scrypt hash under the PIN key; the salt comes from the OS random source, not ctx.newId
 * (which tests make predictable).
 */
export function addUser(ctx: Ctx, args: NewUser, cost: ScryptCost = ctx.pinCost): User {
  const code = normaliseCode(args.code);
  const name = args.name.trim().normalize('NFC');
  if (!/^[A-Z0-9._-]{1,20}$/.test(code)) throw new AppError('USER_CODE_INVALID', `Mã người dùng "${args.code}" không hợp lệ (1-20 chữ cái, số, dấu . _ -).`);
  if (name === '') throw new AppError('USER_NAME_REQUIRED', 'Cần nhập tên người dùng.');
  if (args.role !== 'cashier' && args.role !== 'supervisor') throw new AppError('USER_ROLE_INVALID', 'Vai trò phải là cashier (thu ngân) hoặc supervisor (giám sát).');
  const pinHash = newPinHash(ctx, args.pin, cost);
  const at = ctx.clock();
  return ctx.sqlite
    .transaction(() => {
      const { sqlite } = ctx;
      if (selectFirst(sqlite, query.selectFrom('users').select('id').where('code', '=', code)) !== undefined) throw new AppError('USER_EXISTS', `Người dùng ${code} đã có.`);
      const approvers = checkApprovals(sqlite, args.role, args.approvedBy);
      const { id } = sqlite
        .prepare(
          `INSERT INTO users (code, name, role, pin_hash, created_at, approved_by, co_approved_by, added_after_payment_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT COALESCE(MAX(id), 0) FROM payments)) RETURNING id`,
        )
        .get(code, name, args.role, pinHash, at.toISOString(), approvers[0] ?? null, approvers[1] ?? null) as { id: number };
      // The point's first user adds themselves.
      appendJournal(sqlite, { kind: 'user_added', actorId: approvers[0] ?? id, payload: { userId: id, code, name, role: args.role, approvedBy: approvers }, at });
      return { id, code, name, role: args.role };
    })
    .immediate();
}

/** The distinct approving supervisors, checked against the rules (see NewUser.approvedBy). */
function checkApprovals(sqlite: Sqlite, role: Role, ids: readonly number[]): number[] {
  const approvers = [...new Set(ids)];
  if (selectFirst(sqlite, query.selectFrom('users').select('id').limit(1)) === undefined) {
    if (role !== 'supervisor') throw new AppError('FIRST_USER_SUPERVISOR', 'Người dùng đầu tiên của điểm thu phải là giám sát viên.');
    if (approvers.length === 0) return approvers;
  }
  if (approvers.length === 0) throw new AppError('APPROVAL_REQUIRED', 'Người dùng mới phải được một giám sát viên duyệt (mã và PIN của giám sát viên).');
  if (approvers.length > 2) throw new AppError('APPROVAL_INVALID', 'Một người dùng mới được một hoặc hai giám sát viên duyệt.');
  const activeSupervisors = query.selectFrom('users').where('role', '=', 'supervisor').where('active', '=', 1);
  const approving = selectAll(sqlite, activeSupervisors.select('id').where('id', 'in', approvers));
  if (approving.length !== approvers.length) throw new AppError('SUPERVISOR_REQUIRED', 'Chỉ giám sát viên được duyệt thêm người dùng.');
  if (role === 'supervisor' && approvers.length < 2) {
    const n = selectAll(sqlite, activeSupervisors.select('id')).length;
    if (n >= 2) {
      throw new AppError(
        'SECOND_SUPERVISOR_REQUIRED',
        `Điểm thu đã có ${n} giám sát viên: giám sát viên mới phải được hai giám sát viên khác nhau cùng duyệt, để một người không tự tạo thêm tài khoản giám sát cho mình.`,
      );
    }
  }
  return approvers;
}

/** Whether some stored PIN hash already needs a key file (so a missing one must not be replaced). */
function hasKeyedHashes(sqlite: Sqlite): boolean {
  return selectFirst(sqlite, query.selectFrom('users').select('id').where('pin_hash', 'like', 'scrypt-hmac$%').limit(1)) !== undefined;
}

/** The key for new hashes; made on first use, refused when hashes made with a lost key exist. */
function keyForNewHashes(ctx: Ctx): PinKey {
  const key = readPinKey(ctx.dataDir);
  if (key !== null) return key;
  if (hasKeyedHashes(ctx.sqlite)) throw missingPinKey(ctx.dataDir);
  return createPinKey(ctx.dataDir);
}

const activeUsers = query.selectFrom('users').select(['id', 'code', 'name', 'role']).where('active', '=', 1);

export function findUser(ctx: Ctx, code: string): User | undefined {
  return selectFirst(ctx.sqlite, activeUsers.where('code', '=', normaliseCode(code)));
}

export function userById(ctx: Ctx, id: number): User | undefined {
  return selectFirst(ctx.sqlite, activeUsers.where('id', '=', id));
}

/** A user by code, or the refusal a user sees. */
export function requireUser(ctx: Ctx, code: string): User {
  const user = findUser(ctx, code);
  if (user === undefined) throw new AppError('USER_NOT_FOUND', `Không có người dùng ${normaliseCode(code)}.`);
  return user;
}

/** Every user with who approved them, for the people who check a point (`diemthu user list`). */
export function listUsers(ctx: Ctx): UserListing[] {
  const rows = selectAll(
    ctx.sqlite,
    query
      .selectFrom('users as u')
      .leftJoin('users as a', 'a.id', 'u.approved_by')
      .leftJoin('users as c', 'c.id', 'u.co_approved_by')
      .select(['u.id', 'u.code', 'u.name', 'u.role', 'u.active', 'u.created_at', 'a.code as first', 'c.code as second'])
      .orderBy('u.id'),
  );
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    name: r.name,
    role: r.role,
    createdAt: r.created_at,
    active: r.active === 1,
    approvedBy: [r.first, r.second].filter((c) => c !== null),
  }));
}

/**
 * Checks a PIN. Five wrong PINs in a row lock the user for five minutes (ctx.clock); a right PIN
 * resets the count. The count is read, the PIN checked and the result written in one IMMEDIATE
 * transaction, so wrong PINs tried at the same moment (two processes) are each counted. Failed
 * attempts are committed and journaled before the refusal is thrown. A right PIN stored without the
 * key or with another cost is stored again (the upgrade of older hashes).
 */
export function verifyPin(ctx: Ctx, code: string, pin: string, purpose: 'act' | 'change_pin' = 'act'): User {
  const outcome = ctx.sqlite.transaction(() => checkPin(ctx, normaliseCode(code), pin, purpose)).immediate();
  if (outcome instanceof AppError) throw outcome;
  return outcome;
}

/** Inside verifyPin's transaction: the user, or the refusal to throw once the transaction committed. */
function checkPin(ctx: Ctx, code: string, pin: string, purpose: 'act' | 'change_pin'): User | AppError {
  const { sqlite } = ctx;
  const row: UserRow | undefined = selectFirst(
    sqlite,
    query.selectFrom('users').select(['id', 'code', 'name', 'role', 'pin_hash', 'failed_pins', 'locked_until', 'active', 'must_change_pin']).where('code', '=', code),
  );
  if (row === undefined || row.active !== 1) return new AppError('LOGIN_FAILED', 'Sai mã người dùng hoặc mã PIN.');
  const now = ctx.clock();
  if (row.locked_until !== null && Date.parse(row.locked_until) > now.getTime()) {
    // Tries during the lock are not checked, only journaled.
    appendJournal(sqlite, { kind: 'login_failed', actorId: row.id, payload: { code: row.code, locked: true }, at: now });
    return new AppError('USER_LOCKED', `Người dùng ${row.code} đang bị khóa vì nhập sai PIN quá ${MAX_FAILED_PINS} lần; thử lại sau 5 phút.`, {
      lockedUntil: row.locked_until,
    });
  }
  // A missing or foreign key file is no wrong PIN: nothing is counted.
  const key = readPinKey(ctx.dataDir);
  const keyId = storedKeyId(row.pin_hash);
  if (keyId !== null && key === null) throw missingPinKey(ctx.dataDir);
  if (keyId !== null && key?.id !== keyId) {
    throw new AppError(
      'PIN_KEY_MISMATCH',
      `Tệp khóa PIN trong ${ctx.dataDir} không phải khóa đã dùng để lưu mã PIN của ${row.code} (có thể là tệp của máy khác). Hãy chép đúng tệp pin.key của điểm thu này; liên hệ bộ phận CNTT.`,
    );
  }
  if (pinMatches(pin, row.pin_hash, key)) {
    sqlite.prepare('UPDATE users SET failed_pins = 0, locked_until = NULL WHERE id = ?').run(row.id);
    // A temporary PIN (set by a supervisor) opens nothing but its own change.
    if (row.must_change_pin === 1 && purpose !== 'change_pin') {
      return new AppError('PIN_CHANGE_REQUIRED', `Mã PIN của ${row.code} là PIN tạm do giám sát đặt lại: hãy đổi PIN trước (diemthu user pin ${row.code}).`);
    }
    appendJournal(sqlite, { kind: 'login', actorId: row.id, payload: { code: row.code }, at: now });
    const rehashKey = key ?? (hasKeyedHashes(sqlite) ? null : createPinKey(ctx.dataDir));
    if (rehashKey !== null && needsRehash(row.pin_hash, rehashKey, ctx.pinCost)) {
      sqlite.prepare('UPDATE users SET pin_hash = ? WHERE id = ?').run(hashPin(pin, randomBytes(16), rehashKey, ctx.pinCost), row.id);
    }
    return { id: row.id, code: row.code, name: row.name, role: row.role };
  }
  // Locking resets the count, so a lock that has run out starts a fresh one.
  const failed = row.failed_pins + 1;
  const locks = failed >= MAX_FAILED_PINS;
  const lockedUntil = locks ? new Date(now.getTime() + LOCK_MS).toISOString() : null;
  sqlite.prepare('UPDATE users SET failed_pins = ?, locked_until = ? WHERE id = ?').run(locks ? 0 : failed, lockedUntil, row.id);
  appendJournal(sqlite, { kind: 'login_failed', actorId: row.id, payload: { code: row.code, failed }, at: now });
  if (locks) {
    appendJournal(sqlite, { kind: 'user_locked', actorId: row.id, payload: { code: row.code, lockedUntil }, at: now });
    return new AppError('USER_LOCKED', `Nhập sai PIN ${MAX_FAILED_PINS} lần: người dùng ${row.code} bị khóa 5 phút.`, { lockedUntil });
  }
  return new AppError('LOGIN_FAILED', 'Sai mã người dùng hoặc mã PIN.', { attemptsLeft: MAX_FAILED_PINS - failed });
}

/**
 * A user changes their own PIN (the current one checked as at a login, failures counted) to a new
 * one of 6-8 digits. Nobody sets another user's PIN: whoever knew it could act as that user.
 */
export function changePin(ctx: Ctx, args: { code: string; pin: string; newPin: string }): User {
  if (args.newPin === args.pin) throw new AppError('PIN_UNCHANGED', 'Mã PIN mới phải khác mã PIN đang dùng.');
  const pinHash = newPinHash(ctx, args.newPin);
  const user = verifyPin(ctx, args.code, args.pin, 'change_pin');
  const at = ctx.clock();
  ctx.sqlite
    .transaction(() => {
      ctx.sqlite.prepare('UPDATE users SET pin_hash = ?, must_change_pin = 0 WHERE id = ?').run(pinHash, user.id);
      appendJournal(ctx.sqlite, { kind: 'pin_changed', actorId: user.id, payload: { code: user.code }, at });
    })
    .immediate();
  return user;
}

/** The stored hash of a new PIN (6-8 digits, else PIN_INVALID), with the point's key and cost. */
export function newPinHash(ctx: Ctx, pin: string, cost: ScryptCost = ctx.pinCost): string {
  if (!isValidNewPin(pin)) throw new AppError('PIN_INVALID', 'Mã PIN mới phải gồm 6 đến 8 chữ số.');
  return hashPin(pin, randomBytes(16), keyForNewHashes(ctx), cost);
}

/** verifyPin, and the user must be a supervisor. */
export function requireSupervisor(ctx: Ctx, code: string, pin: string): User {
  const user = verifyPin(ctx, code, pin);
  if (user.role !== 'supervisor') throw new AppError('SUPERVISOR_REQUIRED', `Việc này cần người giám sát; ${user.code} là thu ngân.`);
  return user;
}
