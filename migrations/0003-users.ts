import type { Migration } from '../electron/store/migration.ts';

/**
 * Who approved whom, and the void rule built on it: one person holding a supervisor PIN can add any
 * number of identities, so a void is refused when the voiding supervisor and the collector are
 * linked by approvals (either approved the other, directly or through others) and when the
 * supervisor was added after the payment. Users of a version-1 database keep no approver (none was
 * recorded); their added_after_payment_id comes from the times.
 */
export const migration0003: Migration = {
  version: 3,
  name: 'users',
  sql: /* sql */ `
ALTER TABLE users ADD COLUMN approved_by INTEGER REFERENCES users(id);     -- NULL: the point's first user
ALTER TABLE users ADD COLUMN co_approved_by INTEGER REFERENCES users(id);  -- the second supervisor, when two approved
-- The last payment id when the user was added: they never void that payment or an earlier one.
ALTER TABLE users ADD COLUMN added_after_payment_id INTEGER NOT NULL DEFAULT 0;
UPDATE users SET added_after_payment_id = COALESCE((SELECT MAX(id) FROM payments WHERE paid_at <= users.created_at), 0);

-- Every user a user's approvals lead back to (approvers, their approvers, ...), kept by a trigger.
CREATE TABLE user_links (
  user_id INTEGER NOT NULL REFERENCES users(id),
  ancestor_id INTEGER NOT NULL REFERENCES users(id),
  PRIMARY KEY (user_id, ancestor_id)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER user_links_no_update BEFORE UPDATE ON user_links
BEGIN SELECT RAISE(ABORT, 'approval links are never changed'); END;
CREATE TRIGGER user_links_no_delete BEFORE DELETE ON user_links
BEGIN SELECT RAISE(ABORT, 'approval links are never changed'); END;

CREATE TRIGGER users_approval BEFORE INSERT ON users
BEGIN
  SELECT RAISE(ABORT, reason) FROM (SELECT CASE
    WHEN (NEW.approved_by IS NULL AND (EXISTS (SELECT 1 FROM users) OR NEW.role <> 'supervisor'))
      OR (NEW.approved_by IS NOT NULL AND NOT EXISTS (SELECT 1 FROM users WHERE id = NEW.approved_by AND role = 'supervisor' AND active = 1))
      OR (NEW.co_approved_by IS NOT NULL AND NOT EXISTS (SELECT 1 FROM users WHERE id = NEW.co_approved_by AND role = 'supervisor' AND active = 1))
      THEN 'a user is approved by a supervisor (only the first user, a supervisor, is not)'
    WHEN NEW.role = 'supervisor' AND (NEW.co_approved_by IS NULL OR NEW.co_approved_by = NEW.approved_by)
      AND (SELECT COUNT(*) FROM users WHERE role = 'supervisor' AND active = 1) >= 2
      THEN 'a new supervisor needs two supervisors when the point has two'
    WHEN NEW.added_after_payment_id IS NOT (SELECT COALESCE(MAX(id), 0) FROM payments)
      THEN 'added_after_payment_id is the last payment id'
    END AS reason) WHERE reason IS NOT NULL;
END;
CREATE TRIGGER users_links AFTER INSERT ON users WHEN NEW.approved_by IS NOT NULL
BEGIN
  INSERT INTO user_links (user_id, ancestor_id)
    SELECT NEW.id, NEW.approved_by
    UNION SELECT NEW.id, NEW.co_approved_by WHERE NEW.co_approved_by IS NOT NULL
    UNION SELECT NEW.id, ancestor_id FROM user_links WHERE user_id IN (NEW.approved_by, NEW.co_approved_by);
END;
CREATE TRIGGER users_approval_fixed BEFORE UPDATE OF role, created_at, approved_by, co_approved_by, added_after_payment_id ON users
BEGIN SELECT RAISE(ABORT, 'who approved a user is written once'); END;

-- One person does not collect and void alone, even by SQL.
CREATE TRIGGER payments_void_separation BEFORE UPDATE OF voided_by ON payments
WHEN OLD.voided_by IS NULL AND NEW.voided_by IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, reason) FROM (SELECT CASE
    WHEN NEW.voided_by = OLD.cashier_id THEN 'void: the voiding user collected the payment'
    WHEN NOT EXISTS (SELECT 1 FROM users WHERE id = NEW.voided_by AND role = 'supervisor') THEN 'void: only a supervisor voids'
    WHEN EXISTS (SELECT 1 FROM user_links WHERE (user_id = NEW.voided_by AND ancestor_id = OLD.cashier_id)
                                            OR (user_id = OLD.cashier_id AND ancestor_id = NEW.voided_by))
      THEN 'void: the voiding supervisor and the collector are linked by approvals'
    WHEN (SELECT added_after_payment_id FROM users WHERE id = NEW.voided_by) >= OLD.id
      THEN 'void: the voiding supervisor was added after the payment'
    END AS reason) WHERE reason IS NOT NULL;
END;
`,
};
