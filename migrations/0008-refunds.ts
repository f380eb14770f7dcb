import type { Migration } from '../electron/store/migration.ts';

/**
 * A supervisor's decision on a line CMIS rejected or a "trùng thu" conflict (contract section 5):
 * **refund** (cash paid back out of the open shift of a named cashier, a refund slip printed) or
 * **resend** (the line goes again in the next clearing batch). A bill is refunded once and resent
 * once, a refunded bill is never resent, and a resent bill is refunded only once the batch that
 * carried it again rejected it too; the payment itself is never touched. The database says so
 * itself: unique lines, write-once rows, and triggers for who may decide what.
 *
 * print_jobs gets the kind 'refund' and the sync outbox the kind 'refund': SQLite cannot alter a
 * CHECK, so each table is rebuilt the SQLite way (new table, every row copied with its id, old one
 * dropped, new one renamed, its indexes and triggers made again). Nothing references either table.
 */
export const migration0008: Migration = {
  version: 8,
  name: 'refunds',
  sql: /* sql */ `
CREATE TABLE print_jobs_new (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('receipt', 'reprint', 'void_slip', 'z_report', 'test_page', 'reconnection_order', 'refund')),
  payment_id INTEGER REFERENCES payments(id),
  copy_no INTEGER NOT NULL DEFAULT 0,   -- 0 = original; n = "BẢN SAO lần n"
  document TEXT NOT NULL,
  created_at TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'done', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  printed_at TEXT,
  set_aside_at TEXT CHECK (set_aside_at IS NULL OR status = 'failed')
) STRICT;
INSERT INTO print_jobs_new (id, kind, payment_id, copy_no, document, created_at, status, attempts, last_error, printed_at, set_aside_at)
  SELECT id, kind, payment_id, copy_no, document, created_at, status, attempts, last_error, printed_at, set_aside_at FROM print_jobs;
DROP TABLE print_jobs;
ALTER TABLE print_jobs_new RENAME TO print_jobs;
CREATE INDEX print_jobs_waiting ON print_jobs(id) WHERE status <> 'done';
CREATE INDEX print_jobs_payment ON print_jobs(payment_id) WHERE payment_id IS NOT NULL;
CREATE INDEX print_jobs_set_aside ON print_jobs(id) WHERE set_aside_at IS NOT NULL;

-- A refund: cash handed back to the customer from the drawer of an open shift, one slip.
CREATE TABLE refunds (
  id INTEGER PRIMARY KEY,
  payment_id INTEGER NOT NULL REFERENCES payments(id),
  shift_id INTEGER NOT NULL REFERENCES shifts(id),      -- the open shift whose drawer paid it out
  cashier_id INTEGER NOT NULL REFERENCES users(id),     -- that shift's cashier, who handed the cash over
  supervisor_id INTEGER NOT NULL REFERENCES users(id),  -- who decided
  reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
  refunded_at TEXT NOT NULL
) STRICT;
CREATE INDEX refunds_shift ON refunds(shift_id);
-- The bills (or the fee line) refunded; the amount is the line's TONG_TIEN. A line is refunded once.
CREATE TABLE refund_lines (
  refund_id INTEGER NOT NULL REFERENCES refunds(id),
  payment_line_id INTEGER NOT NULL UNIQUE REFERENCES payment_lines(id),
  amount INTEGER NOT NULL CHECK (amount > 0),
  PRIMARY KEY (refund_id, payment_line_id)
) STRICT, WITHOUT ROWID;

-- A resend: the lines go again in the next clearing batch (batch_id, written once by that export).
CREATE TABLE resends (
  id INTEGER PRIMARY KEY,
  payment_id INTEGER NOT NULL REFERENCES payments(id),
  supervisor_id INTEGER NOT NULL REFERENCES users(id),
  decided_at TEXT NOT NULL,
  batch_id INTEGER REFERENCES clearing_batches(id)
) STRICT;
CREATE INDEX resends_waiting ON resends(id) WHERE batch_id IS NULL;
CREATE TABLE resend_lines (
  resend_id INTEGER NOT NULL REFERENCES resends(id),
  payment_line_id INTEGER NOT NULL UNIQUE REFERENCES payment_lines(id),
  PRIMARY KEY (resend_id, payment_line_id)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER refunds_no_update BEFORE UPDATE ON refunds
BEGIN SELECT RAISE(ABORT, 'a refund is never changed'); END;
CREATE TRIGGER refunds_no_delete BEFORE DELETE ON refunds
BEGIN SELECT RAISE(ABORT, 'a refund is never changed'); END;
CREATE TRIGGER refund_lines_no_update BEFORE UPDATE ON refund_lines
BEGIN SELECT RAISE(ABORT, 'a refund is never changed'); END;
CREATE TRIGGER refund_lines_no_delete BEFORE DELETE ON refund_lines
BEGIN SELECT RAISE(ABORT, 'a refund is never changed'); END;
CREATE TRIGGER resends_no_delete BEFORE DELETE ON resends
BEGIN SELECT RAISE(ABORT, 'a resend is never changed'); END;
CREATE TRIGGER resends_fixed BEFORE UPDATE ON resends
WHEN OLD.batch_id IS NOT NULL OR NEW.id IS NOT OLD.id OR NEW.payment_id IS NOT OLD.payment_id
  OR NEW.supervisor_id IS NOT OLD.supervisor_id OR NEW.decided_at IS NOT OLD.decided_at
BEGIN SELECT RAISE(ABORT, 'a resend is never changed; its batch is written once'); END;
CREATE TRIGGER resend_lines_no_update BEFORE UPDATE ON resend_lines
BEGIN SELECT RAISE(ABORT, 'a resend is never changed'); END;
CREATE TRIGGER resend_lines_no_delete BEFORE DELETE ON resend_lines
BEGIN SELECT RAISE(ABORT, 'a resend is never changed'); END;

-- Two people: a supervisor decides, another person (not linked to them by approvals or a PIN reset)
-- pays out of their own open shift.
CREATE TRIGGER refunds_two_people BEFORE INSERT ON refunds
BEGIN
  SELECT RAISE(ABORT, reason) FROM (SELECT CASE
    WHEN NOT EXISTS (SELECT 1 FROM users WHERE id = NEW.supervisor_id AND role = 'supervisor' AND active = 1) THEN 'refund: only a supervisor decides'
    WHEN NEW.supervisor_id = NEW.cashier_id THEN 'refund: the supervisor and the cashier are two people'
    WHEN EXISTS (SELECT 1 FROM user_links WHERE (user_id = NEW.supervisor_id AND ancestor_id = NEW.cashier_id)
                                            OR (user_id = NEW.cashier_id AND ancestor_id = NEW.supervisor_id))
      THEN 'refund: the supervisor and the cashier are linked by approvals'
    WHEN NOT EXISTS (SELECT 1 FROM shifts WHERE id = NEW.shift_id AND cashier_id = NEW.cashier_id AND closed_at IS NULL)
      THEN 'refund: paid from the cashier''s open shift'
    END AS reason) WHERE reason IS NOT NULL;
END;
CREATE TRIGGER resends_insert BEFORE INSERT ON resends
WHEN NEW.batch_id IS NOT NULL OR NOT EXISTS (SELECT 1 FROM users WHERE id = NEW.supervisor_id AND role = 'supervisor' AND active = 1)
BEGIN SELECT RAISE(ABORT, 'resend: decided by a supervisor, its batch written by the next export'); END;

-- A line may be refunded when the last batch that carried it (the resend's, once resent) answered it
-- with anything but OK, or, never exported, when the current snapshot no longer lists its bill
-- ("trùng thu"). Its amount is the line's own.
CREATE TRIGGER refund_lines_rules BEFORE INSERT ON refund_lines
BEGIN
  SELECT RAISE(ABORT, reason) FROM (SELECT CASE
    WHEN NOT EXISTS (SELECT 1 FROM payment_lines l JOIN refunds r ON r.payment_id = l.payment_id
                      WHERE l.id = NEW.payment_line_id AND r.id = NEW.refund_id AND l.tong_tien = NEW.amount AND l.voided = 0)
      THEN 'refund: a valid line of the refund''s payment, for its own amount'
    WHEN NOT (
      EXISTS (SELECT 1 FROM clearing_result_lines c
               WHERE c.payment_line_id = NEW.payment_line_id AND c.ket_qua <> 'OK'
                 AND c.batch_id = CASE WHEN EXISTS (SELECT 1 FROM resend_lines WHERE payment_line_id = NEW.payment_line_id)
                                       THEN (SELECT s.batch_id FROM resend_lines x JOIN resends s ON s.id = x.resend_id WHERE x.payment_line_id = NEW.payment_line_id)
                                       ELSE (SELECT p.batch_id FROM payment_lines l JOIN payments p ON p.id = l.payment_id WHERE l.id = NEW.payment_line_id) END)
      OR EXISTS (SELECT 1 FROM payment_lines l JOIN payments p ON p.id = l.payment_id JOIN bills b ON b.id = l.bill_id
                  WHERE l.id = NEW.payment_line_id AND p.batch_id IS NULL AND b.last_snapshot_id < (SELECT MAX(id) FROM snapshots)))
      THEN 'refund: only a line CMIS rejected or a trùng thu conflict'
    END AS reason) WHERE reason IS NOT NULL;
END;
-- A line is resent when its own batch rejected it, and never once refunded.
CREATE TRIGGER resend_lines_rules BEFORE INSERT ON resend_lines
BEGIN
  SELECT RAISE(ABORT, reason) FROM (SELECT CASE
    WHEN NOT EXISTS (SELECT 1 FROM payment_lines l JOIN resends s ON s.payment_id = l.payment_id WHERE l.id = NEW.payment_line_id AND s.id = NEW.resend_id)
      THEN 'resend: a line of the resend''s payment'
    WHEN EXISTS (SELECT 1 FROM refund_lines WHERE payment_line_id = NEW.payment_line_id) THEN 'resend: the line was refunded'
    WHEN NOT EXISTS (SELECT 1 FROM clearing_result_lines c JOIN payment_lines l ON l.id = c.payment_line_id JOIN payments p ON p.id = l.payment_id
                      WHERE c.payment_line_id = NEW.payment_line_id AND c.batch_id = p.batch_id AND c.ket_qua <> 'OK')
      THEN 'resend: only a line CMIS rejected'
    END AS reason) WHERE reason IS NOT NULL;
END;

-- The sync outbox carries refunds too (issue 13: "an outbox table written in the same transaction as
-- each payment, void, export batch and refund"). Rebuilt like print_jobs; the triggers of payments and
-- clearing_batches that write it are dropped first (a rename checks every trigger's table) and made again.
DROP TRIGGER sync_outbox_payment;
DROP TRIGGER sync_outbox_void;
DROP TRIGGER sync_outbox_export;
DROP TRIGGER sync_outbox_export_inserted;
CREATE TABLE sync_outbox_new (
  seq INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('payment', 'void', 'export', 'refund')),
  payment_id INTEGER REFERENCES payments(id),
  batch_id INTEGER REFERENCES clearing_batches(id),
  refund_id INTEGER REFERENCES refunds(id),
  created_at TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'accepted', 'duplicate', 'conflict', 'refused', 'seen')),
  answered_at TEXT,
  code TEXT,
  message TEXT,
  CHECK ((kind = 'export') = (batch_id IS NOT NULL) AND (kind = 'export') = (payment_id IS NULL)),
  CHECK ((kind = 'refund') = (refund_id IS NOT NULL)),
  CHECK ((status = 'waiting') = (answered_at IS NULL))
) STRICT;
INSERT INTO sync_outbox_new (seq, kind, payment_id, batch_id, created_at, status, answered_at, code, message)
  SELECT seq, kind, payment_id, batch_id, created_at, status, answered_at, code, message FROM sync_outbox;
DROP TABLE sync_outbox;
ALTER TABLE sync_outbox_new RENAME TO sync_outbox;
CREATE INDEX sync_outbox_waiting ON sync_outbox(seq) WHERE status = 'waiting';
CREATE TRIGGER sync_outbox_no_delete BEFORE DELETE ON sync_outbox
BEGIN SELECT RAISE(ABORT, 'outbox items are never deleted'); END;
CREATE TRIGGER sync_outbox_fixed BEFORE UPDATE OF kind, payment_id, batch_id, refund_id, created_at ON sync_outbox
BEGIN SELECT RAISE(ABORT, 'an outbox item names what happened once'); END;
CREATE TRIGGER sync_outbox_payment AFTER INSERT ON payments
BEGIN INSERT INTO sync_outbox (kind, payment_id, created_at) VALUES ('payment', NEW.id, NEW.paid_at); END;
CREATE TRIGGER sync_outbox_void AFTER UPDATE OF voided_at ON payments
WHEN OLD.voided_at IS NULL AND NEW.voided_at IS NOT NULL
BEGIN INSERT INTO sync_outbox (kind, payment_id, created_at) VALUES ('void', NEW.id, NEW.voided_at); END;
CREATE TRIGGER sync_outbox_export AFTER UPDATE OF status ON clearing_batches
WHEN OLD.status <> 'complete' AND NEW.status = 'complete'
BEGIN INSERT INTO sync_outbox (kind, batch_id, created_at) VALUES ('export', NEW.id, NEW.completed_at); END;
CREATE TRIGGER sync_outbox_export_inserted AFTER INSERT ON clearing_batches
WHEN NEW.status = 'complete'
BEGIN INSERT INTO sync_outbox (kind, batch_id, created_at) VALUES ('export', NEW.id, NEW.completed_at); END;
-- The refund's item names it (and its payment); the body is built at push time from its rows, which never change.
CREATE TRIGGER sync_outbox_refund AFTER INSERT ON refunds
BEGIN INSERT INTO sync_outbox (kind, payment_id, refund_id, created_at) VALUES ('refund', NEW.payment_id, NEW.id, NEW.refunded_at); END;

-- CMIS answers a resent line in the batch that carried it again, as it answers the batch's own lines.
DROP TRIGGER clearing_result_lines_of_batch;
CREATE TRIGGER clearing_result_lines_of_batch BEFORE INSERT ON clearing_result_lines
WHEN (NOT EXISTS (SELECT 1 FROM payment_lines l JOIN payments p ON p.id = l.payment_id WHERE l.id = NEW.payment_line_id AND p.batch_id = NEW.batch_id)
      AND NOT EXISTS (SELECT 1 FROM resend_lines x JOIN resends s ON s.id = x.resend_id WHERE x.payment_line_id = NEW.payment_line_id AND s.batch_id = NEW.batch_id))
  OR (SELECT batch_id FROM clearing_results WHERE id = NEW.result_id) IS NOT NEW.batch_id
BEGIN SELECT RAISE(ABORT, 'a result line answers a line of its batch'); END;
`,
};
