import type { Migration } from '../electron/store/migration.ts';

/**
 * A user who left is deactivated (never deleted, never reactivated: the history keeps their code),
 * and a forgotten PIN is reset by a supervisor to a temporary one the user must change first. The
 * supervisor who typed it could act as that user, so the reset links them as an approval does: the
 * void rule (payments_void_separation) then keeps them apart for good.
 */
export const migration0004: Migration = {
  version: 4,
  name: 'user-admin',
  sql: /* sql */ `
ALTER TABLE users ADD COLUMN must_change_pin INTEGER NOT NULL DEFAULT 0 CHECK (must_change_pin IN (0, 1));

CREATE TRIGGER users_active_once BEFORE UPDATE OF active ON users WHEN OLD.active = 0 AND NEW.active <> 0
BEGIN SELECT RAISE(ABORT, 'a deactivated user stays deactivated'); END;

-- The point keeps a supervisor who can sign in: the last active one is not deactivated.
CREATE TRIGGER users_last_supervisor BEFORE UPDATE OF active ON users
WHEN OLD.active = 1 AND NEW.active = 0 AND OLD.role = 'supervisor'
  AND (SELECT COUNT(*) FROM users WHERE role = 'supervisor' AND active = 1) = 1
BEGIN SELECT RAISE(ABORT, 'the last active supervisor stays active'); END;
`,
};
