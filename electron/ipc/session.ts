/**
 * Who is at the till: the logged-in user (main-process state, never trusted from the renderer) and
 * the last shift they closed (its Z report can be printed again after closing).
 */
import { AppError } from '../core/errors.ts';
import type { User } from '../users/users.ts';

export interface Session {
  readonly user: User | null;
  readonly lastClosedShiftId: number | null;
  login(user: User): void;
  logout(): void;
  shiftClosed(shiftId: number): void;
  /** The logged-in user, or the refusal NOT_LOGGED_IN. */
  requireUser(): User;
}

export function createSession(): Session {
  let user: User | null = null;
  let lastClosedShiftId: number | null = null;
  return {
    get user() {
      return user;
    },
    get lastClosedShiftId() {
      return lastClosedShiftId;
    },
    login(next) {
      user = next;
      lastClosedShiftId = null;
    },
    logout() {
      user = null;
      lastClosedShiftId = null;
    },
    shiftClosed(shiftId) {
      lastClosedShiftId = shiftId;
    },
    requireUser() {
      if (user === null) throw new AppError('NOT_LOGGED_IN', 'Hãy đăng nhập trước.');
      return user;
    },
  };
}
