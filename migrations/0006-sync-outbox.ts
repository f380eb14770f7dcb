import type { Migration } from '../electron/store/migration.ts';

/**
 * The point's side of sync (contract section 7). The outbox is written by triggers, so every payment,
 * void and completed clearing batch gets its item in the same transaction as the money itself,
 * whatever code wrote it; the item holds only what happened and to which row: the body is built at
 * push time from the payment's rows, which never change (migration 1's triggers). `seq` is the
 * protocol's seq, increasing in the order things happened. Pulled rows (office payments, conflicts)
 * are the server's view, kept for the customer card and the "trùng thu" list; they are not money.
 * A point that had payments before this version pushes its whole history once (backfilled below).
 */
export const migration0006: Migration = {
  version: 6,
  name: 'sync-outbox',
  sql: /* sql */ `
CREATE TABLE sync_outbox (
  seq INTEGER PRIMARY KEY,              -- the point's own increasing number, sent as the event's seq
  kind TEXT NOT NULL CHECK (kind IN ('payment', 'void', 'export')),
  payment_id INTEGER REFERENCES payments(id),
  batch_id INTEGER REFERENCES clearing_batches(id),
  created_at TEXT NOT NULL,             -- when it happened (the payment's, void's or batch's own time)
  -- waiting: not answered yet; seen: the server's lastSeq covers it (its answer was lost);
  -- the others are the server's answer.
  status TEXT NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'accepted', 'duplicate', 'conflict', 'refused', 'seen')),
  answered_at TEXT,
  code TEXT,                            -- the server's refusal code
  message TEXT,
  CHECK ((kind = 'export') = (batch_id IS NOT NULL) AND (kind = 'export') = (payment_id IS NULL)),
  CHECK ((status = 'waiting') = (answered_at IS NULL))
) STRICT;
CREATE INDEX sync_outbox_waiting ON sync_outbox(seq) WHERE status = 'waiting';
CREATE TRIGGER sync_outbox_no_delete BEFORE DELETE ON sync_outbox
BEGIN SELECT RAISE(ABORT, 'outbox items are never deleted'); END;
CREATE TRIGGER sync_outbox_fixed BEFORE UPDATE OF kind, payment_id, batch_id, created_at ON sync_outbox
BEGIN SELECT RAISE(ABORT, 'an outbox item names what happened once'); END;

CREATE TRIGGER sync_outbox_payment AFTER INSERT ON payments
BEGIN INSERT INTO sync_outbox (kind, payment_id, created_at) VALUES ('payment', NEW.id, NEW.paid_at); END;
CREATE TRIGGER sync_outbox_void AFTER UPDATE OF voided_at ON payments
WHEN OLD.voided_at IS NULL AND NEW.voided_at IS NOT NULL
BEGIN INSERT INTO sync_outbox (kind, payment_id, created_at) VALUES ('void', NEW.id, NEW.voided_at); END;
-- A batch goes out once its files are written (complete); a pending one may still be finished.
CREATE TRIGGER sync_outbox_export AFTER UPDATE OF status ON clearing_batches
WHEN OLD.status <> 'complete' AND NEW.status = 'complete'
BEGIN INSERT INTO sync_outbox (kind, batch_id, created_at) VALUES ('export', NEW.id, NEW.completed_at); END;
CREATE TRIGGER sync_outbox_export_inserted AFTER INSERT ON clearing_batches
WHEN NEW.status = 'complete'
BEGIN INSERT INTO sync_outbox (kind, batch_id, created_at) VALUES ('export', NEW.id, NEW.completed_at); END;

-- One row: the highest seq ever handed to a push (the server's lastSeq can never be above it unless
-- this database was replaced by an older copy), the pull cursor, the last outcome.
CREATE TABLE sync_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  max_sent_seq INTEGER NOT NULL DEFAULT 0,
  pull_cursor TEXT,
  last_sync_at TEXT,                    -- last sync that pushed everything and pulled
  last_attempt_at TEXT,
  last_error_code TEXT,
  last_error_message TEXT
) STRICT;
INSERT INTO sync_state (id) VALUES (1);

-- Payments of the other counters of the office, as the server last said (bills held now).
CREATE TABLE sync_office_payments (
  receipt_no TEXT PRIMARY KEY,
  point_code TEXT NOT NULL,
  ma_khang TEXT NOT NULL,
  paid_at TEXT NOT NULL,
  cashier_code TEXT NOT NULL,
  total INTEGER NOT NULL,
  bills TEXT NOT NULL,                  -- JSON array of ID_HDON
  voided INTEGER NOT NULL CHECK (voided IN (0, 1)),
  pulled_at TEXT NOT NULL
) STRICT;
CREATE INDEX sync_office_payments_customer ON sync_office_payments(ma_khang);

-- Company-wide conflicts involving this point, in their current state (server ids).
CREATE TABLE sync_conflicts (
  id INTEGER PRIMARY KEY,
  id_hdon TEXT NOT NULL,
  receipt_no TEXT NOT NULL,             -- the later arrival
  point_code TEXT NOT NULL,
  held_by TEXT,
  held_by_point TEXT,
  status TEXT NOT NULL CHECK (status IN ('open', 'promoted', 'closed')),
  detected_at TEXT NOT NULL,
  pulled_at TEXT NOT NULL
) STRICT;

-- History before this version: payments, then voids, then batches (the order a push needs).
INSERT INTO sync_outbox (kind, payment_id, created_at) SELECT 'payment', id, paid_at FROM payments ORDER BY id;
INSERT INTO sync_outbox (kind, payment_id, created_at) SELECT 'void', id, voided_at FROM payments WHERE voided_at IS NOT NULL ORDER BY voided_at, id;
INSERT INTO sync_outbox (kind, batch_id, created_at) SELECT 'export', id, completed_at FROM clearing_batches WHERE status = 'complete' ORDER BY id;
`,
};
