/**
 * Who is at the till: the logged-in user (main-process state, never trusted from the renderer) and
 * the last shift they closed (its Z report can be printed again after closing). The session ends by
 * itself after the idle limit (setting `idle_lock_minutes`): the counter locks, the shift stays open.
 */
import { AppError } from '../core/errors.ts';
import type { User } from '../users/users.ts';

export interface Session {
  readonly user: User | null;
  readonly lastClosedShiftId: number | null;
  /** Someone logged in since the app started (a message for the first login screen only). */
  readonly everLoggedIn: boolean;
  login(user: User): void;
  logout(): void;
  shiftClosed(shiftId: number): void;
  /** The logged-in user, or the refusal NOT_LOGGED_IN. */
  requireUser(): User;
  /** Someone used the counter now. */
  touch(): void;
  /** Ends the session when nobody used the counter for more than `limitMinutes` (0: never); true when it did. */
  lockIfIdle(limitMinutes: number): boolean;
}

/** `now`: the wall clock the idle limit is measured on. */
export function createSession(now: () => Date = () => new Date()): Session {
  let user: User | null = null;
  let lastClosedShiftId: number | null = null;
  let lastActive: number | null = null;
  let everLoggedIn = false;
  const logout = () => {
    user = null;
    lastClosedShiftId = null;
  };
  return {
    get user() {
      return user;
    },
    get lastClosedShiftId() {
      return lastClosedShiftId;
    },
    get everLoggedIn() {
      return everLoggedIn;
    },
    login(next) {
      user = next;
      everLoggedIn = true;
      lastClosedShiftId = null;
    },
    logout,
    shiftClosed(shiftId) {
      lastClosedShiftId = shiftId;
    },
    requireUser() {
      if (user === null) throw new AppError('NOT_LOGGED_IN', 'Hãy đăng nhập trước.');
      return user;
    },
    touch() {
      lastActive = now().getTime();
    },
    lockIfIdle(limitMinutes) {
      if (user === null || lastActive === null || limitMinutes === 0) return false;
      if (now().getTime() - lastActive <= limitMinutes * 60_000) return false;
      logout();
      return true;
    },
  };
}
