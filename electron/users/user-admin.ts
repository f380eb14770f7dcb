/**
 * A supervisor's work on other users: deactivating one who left and resetting a forgotten PIN. Both
 * journaled with the supervisor as actor. Nobody deactivates themselves, so a point always keeps a
 * supervisor who can sign in; the database holds the same (migration 4) and keeps a deactivated user
 * deactivated.
 */
import type { Ctx } from '../store/context.ts';
import { query, selectFirst } from '../store/typed-query.ts';
import { AppError } from '../core/errors.ts';
import { appendJournal } from '../store/journal.ts';
import { newPinHash, requireUser, type User } from './users.ts';

function requireOther(ctx: Ctx, code: string, supervisor: User, what: string): User {
  if (supervisor.role !== 'supervisor') throw new AppError('SUPERVISOR_REQUIRED', `Chỉ người giám sát được ${what}.`);
  const user = requireUser(ctx, code);
  if (user.id === supervisor.id) throw new AppError('USER_SELF', `Không tự ${what} cho chính mình.`);
  return user;
}

/** A user who left: never signs in or approves again; their payments, shifts and journal rows stay. */
export function deactivateUser(ctx: Ctx, args: { code: string; supervisor: User }): User {
  const user = requireOther(ctx, args.code, args.supervisor, 'khóa người dùng');
  const { sqlite } = ctx;
  const at = ctx.clock();
  sqlite
    .transaction(() => {
      if (selectFirst(sqlite, query.selectFrom('shifts').where('cashier_id', '=', user.id).where('closed_at', 'is', null).select('id')) !== undefined) {
        throw new AppError('USER_HAS_OPEN_SHIFT', `${user.code} đang có ca mở: hãy đóng ca (hoặc giám sát đóng ca thay) trước khi khóa người dùng.`);
      }
      sqlite.prepare('UPDATE users SET active = 0 WHERE id = ?').run(user.id);
      appendJournal(sqlite, { kind: 'user_deactivated', actorId: args.supervisor.id, payload: { code: user.code }, at });
    })
    .immediate();
  return user;
}

/**
 * A forgotten PIN: the supervisor types a temporary PIN, which opens nothing until the user changes
 * it. Whoever typed it could act as the user, so from now on the two are linked like an approver and
 * the user they approved (and so are the users that user approves later): neither voids the other's
 * payments, ever.
 */
export function resetPin(ctx: Ctx, args: { code: string; supervisor: User; temporaryPin: string }): User {
  const user = requireOther(ctx, args.code, args.supervisor, 'đặt lại PIN');
  const pinHash = newPinHash(ctx, args.temporaryPin);
  const { sqlite } = ctx;
  const at = ctx.clock();
  sqlite
    .transaction(() => {
      sqlite.prepare('UPDATE users SET pin_hash = ?, must_change_pin = 1, failed_pins = 0, locked_until = NULL WHERE id = ?').run(pinHash, user.id);
      // the user and everyone below them get the supervisor and the supervisor's approvers above them
      sqlite
        .prepare(
          `INSERT OR IGNORE INTO user_links (user_id, ancestor_id)
             SELECT below.id, above.id
               FROM (SELECT ? AS id UNION SELECT user_id FROM user_links WHERE ancestor_id = ?) below,
                    (SELECT ? AS id UNION SELECT ancestor_id FROM user_links WHERE user_id = ?) above
              WHERE below.id <> above.id`,
        )
        .run(user.id, user.id, args.supervisor.id, args.supervisor.id);
      appendJournal(sqlite, { kind: 'pin_reset', actorId: args.supervisor.id, payload: { code: user.code }, at });
    })
    .immediate();
  return user;
}
