import type { Migration } from '../electron/store/migration.ts';

/**
 * The whole first schema: later migrations only add. Money columns are INTEGER đồng; times are
 * ISO-8601 UTC strings (`2026-11-27T08:15:00.000Z`), shown in Việt Nam time by the code.
 * STRICT tables so a float or a string never lands in a money column.
 */
export const migration0001: Migration = {
  version: 1,
  name: 'initial',
  sql: /* sql */ `
-- Key/value settings; value is JSON. Point identity lives here (point_code, unit_code, point_name).
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('cashier', 'supervisor')),
  pin_hash TEXT NOT NULL,               -- scrypt: "scrypt$N$r$p$salt$hash" (base64)
  failed_pins INTEGER NOT NULL DEFAULT 0,
  locked_until TEXT,                    -- ISO time; NULL = not locked
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at TEXT NOT NULL
) STRICT;

CREATE TABLE shifts (
  id INTEGER PRIMARY KEY,
  cashier_id INTEGER NOT NULL REFERENCES users(id),
  opened_at TEXT NOT NULL,
  opening_float INTEGER NOT NULL CHECK (opening_float >= 0),
  closed_at TEXT,
  counted_cash INTEGER,                 -- blind count entered at close
  expected_cash INTEGER,                -- float + valid collections, computed at close
  variance INTEGER,                     -- counted - expected
  closed_by INTEGER REFERENCES users(id),
  force_closed INTEGER NOT NULL DEFAULT 0 CHECK (force_closed IN (0, 1)),
  CHECK ((closed_at IS NULL) = (expected_cash IS NULL))
) STRICT;
-- One open shift per cashier.
CREATE UNIQUE INDEX shifts_one_open ON shifts(cashier_id) WHERE closed_at IS NULL;

-- One row per imported (or dry-run-free, accepted) debt snapshot file.
CREATE TABLE snapshots (
  id INTEGER PRIMARY KEY,
  file_name TEXT NOT NULL,
  sha256 TEXT NOT NULL UNIQUE,
  encoding TEXT NOT NULL,
  delimiter TEXT NOT NULL,
  imported_at TEXT NOT NULL,
  row_count INTEGER NOT NULL,           -- data rows read
  customer_count INTEGER NOT NULL,
  bill_count INTEGER NOT NULL,
  bill_total INTEGER NOT NULL,          -- sum of TONG_TIEN of the file's bills
  skipped_count INTEGER NOT NULL DEFAULT 0,
  rejects_file TEXT,                    -- path of the rejects file when rows were skipped
  supervisor_id INTEGER REFERENCES users(id), -- who accepted skipped rows
  warnings TEXT NOT NULL DEFAULT '[]',  -- JSON array of warning strings
  reimport_summary TEXT NOT NULL DEFAULT '{}' -- JSON: counts per re-import state
) STRICT;

CREATE TABLE customers (
  id INTEGER PRIMARY KEY,
  ma_khang TEXT NOT NULL UNIQUE,
  ma_dviqly TEXT NOT NULL,
  ten_khang TEXT NOT NULL,
  dchi_khang TEXT NOT NULL,
  ma_the TEXT,
  dthoai_sms TEXT,
  ma_sogcs TEXT,
  stt TEXT,
  so_cto TEXT,
  tthai_cat INTEGER NOT NULL DEFAULT 0 CHECK (tthai_cat IN (0, 1)),
  name_fold TEXT NOT NULL,              -- fold(ten_khang): lower case, no marks, đ -> d
  addr_fold TEXT NOT NULL,              -- fold(dchi_khang)
  last_snapshot_id INTEGER NOT NULL REFERENCES snapshots(id) -- the latest snapshot that listed it
) STRICT;
CREATE INDEX customers_ma_the ON customers(ma_the) WHERE ma_the IS NOT NULL;
CREATE INDEX customers_snapshot ON customers(last_snapshot_id);

-- Full-text index of folded name and address; rowid = customers.id. Kept in step by the import.
-- Search asks only "every word is a word prefix": no phrases and no bm25, so detail = none and
-- columnsize = 0 (smaller, faster to build). Prefix indexes up to 6 characters (most folded
-- Vietnamese syllables: "nguyen", "truong") let a broad prefix stream in rowid order instead of
-- merging 200,000 postings.
CREATE VIRTUAL TABLE customer_search USING fts5(
  name_fold, addr_fold,
  content = 'customers', content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '1 2 3 4 5 6',
  detail = none,
  columnsize = 0
);

CREATE TABLE bills (
  id INTEGER PRIMARY KEY,
  id_hdon TEXT NOT NULL UNIQUE,
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  loai_hdon TEXT NOT NULL CHECK (loai_hdon IN ('TD', 'VC', 'DC')),
  ky INTEGER NOT NULL CHECK (ky BETWEEN 1 AND 3),
  thang INTEGER NOT NULL CHECK (thang BETWEEN 1 AND 12),
  nam INTEGER NOT NULL,
  dien_tthu INTEGER CHECK (dien_tthu >= 0),
  so_tien INTEGER NOT NULL CHECK (so_tien > 0),
  tien_gtgt INTEGER NOT NULL CHECK (tien_gtgt >= 0),
  tong_tien INTEGER NOT NULL CHECK (tong_tien = so_tien + tien_gtgt),
  han_ttoan TEXT,                       -- dd/MM/yyyy as in the file
  first_snapshot_id INTEGER NOT NULL REFERENCES snapshots(id),
  last_snapshot_id INTEGER NOT NULL REFERENCES snapshots(id) -- a bill is open in CMIS while this is the current snapshot
) STRICT;
CREATE INDEX bills_customer ON bills(customer_id, nam, thang, ky);
CREATE INDEX bills_snapshot ON bills(last_snapshot_id);

-- Re-import table of the contract, per snapshot: the state of every bill that was paid here or
-- left the snapshot. Bills simply outstanding are counted in snapshots.reimport_summary only.
CREATE TABLE snapshot_bill_states (
  snapshot_id INTEGER NOT NULL REFERENCES snapshots(id),
  bill_id INTEGER NOT NULL REFERENCES bills(id),
  state TEXT NOT NULL CHECK (state IN (
    'paid_waiting_export',       -- in snapshot, paid here, not exported
    'exported_still_open',       -- in snapshot, paid here, exported: CMIS has not cleared it yet
    'cleared_elsewhere',         -- not in snapshot, not paid here: no longer collectable
    'cleared',                   -- not in snapshot, paid here and exported: normal
    'conflict'                   -- not in snapshot, paid here, not exported: maybe paid twice, refund
  )),
  PRIMARY KEY (snapshot_id, bill_id)
) STRICT, WITHOUT ROWID;

-- Gapless receipt numbers per point and year: the counter moves inside the payment transaction.
CREATE TABLE receipt_counters (
  point_code TEXT NOT NULL,
  year INTEGER NOT NULL,
  last_seq INTEGER NOT NULL,
  PRIMARY KEY (point_code, year)
) STRICT, WITHOUT ROWID;

CREATE TABLE clearing_batches (
  id INTEGER PRIMARY KEY,
  batch_day TEXT NOT NULL,              -- yyyyMMdd local
  seq INTEGER NOT NULL,                 -- NN: exports of that day from 1
  created_at TEXT NOT NULL,
  csv_name TEXT NOT NULL,
  csv_sha256 TEXT NOT NULL,
  row_count INTEGER NOT NULL,
  total INTEGER NOT NULL,
  first_receipt TEXT NOT NULL,
  last_receipt TEXT NOT NULL,
  manifest TEXT NOT NULL,               -- the manifest JSON exactly as written
  out_dir TEXT NOT NULL,
  -- The other two files' exact bytes, so the batch is written again byte for byte (crashed export, lost USB stick).
  csv_bytes BLOB NOT NULL,
  reconnection_bytes BLOB NOT NULL,
  reconnection_sha256 TEXT NOT NULL,
  manifest_sha256 TEXT NOT NULL,
  -- pending: recorded with its payments before any file is written; the next export finishes it first.
  status TEXT NOT NULL CHECK (status IN ('pending', 'complete')),
  completed_at TEXT,
  CHECK ((status = 'complete') = (completed_at IS NOT NULL)),
  UNIQUE (batch_day, seq)
) STRICT;
CREATE UNIQUE INDEX clearing_batches_one_pending ON clearing_batches(status) WHERE status = 'pending';

CREATE TABLE payments (
  id INTEGER PRIMARY KEY,
  idempotency_key TEXT NOT NULL UNIQUE,
  request_hash TEXT NOT NULL,           -- sha256 of the canonical request; same key + other request = refused
  receipt_no TEXT NOT NULL UNIQUE,      -- <point>-<yy>-<6 digits>
  receipt_year INTEGER NOT NULL,
  receipt_seq INTEGER NOT NULL,
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  shift_id INTEGER NOT NULL REFERENCES shifts(id),
  cashier_id INTEGER NOT NULL REFERENCES users(id),
  paid_at TEXT NOT NULL,
  total INTEGER NOT NULL CHECK (total > 0),
  tendered INTEGER,                     -- cash handed over, when entered
  voided_at TEXT,
  voided_by INTEGER REFERENCES users(id),
  void_reason TEXT,
  batch_id INTEGER REFERENCES clearing_batches(id),      -- set when exported
  void_batch_id INTEGER REFERENCES clearing_batches(id), -- the batch whose manifest lists this void
  CHECK ((voided_at IS NULL) = (voided_by IS NULL) AND (voided_at IS NULL) = (void_reason IS NULL)),
  CHECK (NOT (voided_at IS NOT NULL AND batch_id IS NOT NULL)),
  UNIQUE (receipt_year, receipt_seq)
) STRICT;
CREATE INDEX payments_shift ON payments(shift_id);
CREATE INDEX payments_unexported ON payments(receipt_no) WHERE batch_id IS NULL AND voided_at IS NULL;
CREATE INDEX payments_customer ON payments(customer_id);

-- Lines copy the bill's amounts at payment time: a later snapshot never changes what was paid.
CREATE TABLE payment_lines (
  id INTEGER PRIMARY KEY,
  payment_id INTEGER NOT NULL REFERENCES payments(id),
  bill_id INTEGER REFERENCES bills(id), -- NULL for a reconnection fee charged here
  id_hdon TEXT,
  loai_hdon TEXT NOT NULL CHECK (loai_hdon IN ('TD', 'VC', 'DC')),
  ky INTEGER, thang INTEGER, nam INTEGER,
  dien_tthu INTEGER,
  so_tien INTEGER NOT NULL,
  tien_gtgt INTEGER NOT NULL,
  tong_tien INTEGER NOT NULL CHECK (tong_tien = so_tien + tien_gtgt),
  voided INTEGER NOT NULL DEFAULT 0 CHECK (voided IN (0, 1)) -- mirrors payments.voided_at for the index below
) STRICT;
-- A bill is in at most one valid payment: the database says so, not only the code.
CREATE UNIQUE INDEX payment_lines_one_valid ON payment_lines(bill_id) WHERE voided = 0 AND bill_id IS NOT NULL;
CREATE INDEX payment_lines_payment ON payment_lines(payment_id);

CREATE TABLE reconnection_orders (
  id INTEGER PRIMARY KEY,
  payment_id INTEGER NOT NULL UNIQUE REFERENCES payments(id),
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  requested_at TEXT NOT NULL,
  fee_source TEXT NOT NULL CHECK (fee_source IN ('snapshot', 'settings')),
  cancelled_at TEXT,                    -- set when its payment is voided
  -- The first later snapshot listing the customer with TTHAI_CAT = 0 (CMIS reconnected them): the
  -- order's cut-off episode is over. While an order of a valid payment has neither this nor
  -- cancelled_at, the customer is charged no new fee and gets no new order.
  episode_end_snapshot_id INTEGER REFERENCES snapshots(id)
) STRICT;
CREATE INDEX reconnection_orders_customer ON reconnection_orders(customer_id);
-- Fires only on the rare 1 -> 0 change, so the import's bulk update stays cheap.
CREATE TRIGGER customers_reconnected AFTER UPDATE OF tthai_cat ON customers
WHEN OLD.tthai_cat = 1 AND NEW.tthai_cat = 0
BEGIN
  UPDATE reconnection_orders SET episode_end_snapshot_id = NEW.last_snapshot_id
   WHERE customer_id = NEW.id AND episode_end_snapshot_id IS NULL;
END;

-- Print outbox: a job is written in the payment's transaction and drained after commit.
-- document holds what is printed (JSON), so a reprint is identical.
CREATE TABLE print_jobs (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('receipt', 'reprint', 'void_slip', 'z_report', 'test_page', 'reconnection_order')),
  payment_id INTEGER REFERENCES payments(id),
  copy_no INTEGER NOT NULL DEFAULT 0,   -- 0 = original; n = "BẢN SAO lần n"
  document TEXT NOT NULL,
  created_at TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'done', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  printed_at TEXT
) STRICT;
CREATE INDEX print_jobs_waiting ON print_jobs(id) WHERE status <> 'done';
-- The jobs of a payment: its receipt (replays, reprints copy its document) and the copies.
CREATE INDEX print_jobs_payment ON print_jobs(payment_id) WHERE payment_id IS NOT NULL;

-- Append-only, hash-chained journal of every money, print, void, import, export, login and
-- settings event. hash = sha256(prev_hash || canonical JSON of (id, at, kind, actor, payload)).
CREATE TABLE journal (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  kind TEXT NOT NULL,
  actor_id INTEGER REFERENCES users(id),
  payload TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE
) STRICT;
CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;
CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;

-- Payments, their lines and receipts are never deleted.
CREATE TRIGGER payments_no_delete BEFORE DELETE ON payments
BEGIN SELECT RAISE(ABORT, 'payments are never deleted'); END;
CREATE TRIGGER payment_lines_no_delete BEFORE DELETE ON payment_lines
BEGIN SELECT RAISE(ABORT, 'payment lines are never deleted'); END;
CREATE TRIGGER payments_amounts_fixed BEFORE UPDATE OF idempotency_key, request_hash, receipt_no, receipt_year, receipt_seq,
  customer_id, shift_id, cashier_id, paid_at, total, tendered ON payments
BEGIN SELECT RAISE(ABORT, 'a payment is never changed'); END;
CREATE TRIGGER payment_lines_amounts_fixed BEFORE UPDATE OF payment_id, bill_id, id_hdon, loai_hdon, ky, thang, nam, dien_tthu,
  so_tien, tien_gtgt, tong_tien ON payment_lines
BEGIN SELECT RAISE(ABORT, 'a payment line is never changed'); END;
-- A void is written once (NULL -> value) and only while the payment's shift is open (its close
-- counted the cash); the lines follow it, so the one-valid-payment index never disagrees with it.
CREATE TRIGGER payments_void_once BEFORE UPDATE OF voided_at, voided_by, void_reason ON payments
WHEN OLD.voided_at IS NOT NULL AND (NEW.voided_at IS NOT OLD.voided_at OR NEW.voided_by IS NOT OLD.voided_by OR NEW.void_reason IS NOT OLD.void_reason)
BEGIN SELECT RAISE(ABORT, 'a void is written once'); END;
CREATE TRIGGER payments_void_open_shift BEFORE UPDATE OF voided_at ON payments
WHEN OLD.voided_at IS NULL AND NEW.voided_at IS NOT NULL AND (SELECT closed_at FROM shifts WHERE id = NEW.shift_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'the shift is closed: its payments are not voided'); END;
CREATE TRIGGER payments_void_lines AFTER UPDATE OF voided_at ON payments
WHEN OLD.voided_at IS NULL AND NEW.voided_at IS NOT NULL
BEGIN UPDATE payment_lines SET voided = 1 WHERE payment_id = NEW.id; END;
CREATE TRIGGER payment_lines_void_with_payment BEFORE UPDATE OF voided ON payment_lines
WHEN NEW.voided IS NOT OLD.voided AND (NEW.voided = 0 OR (SELECT voided_at FROM payments WHERE id = NEW.payment_id) IS NULL)
BEGIN SELECT RAISE(ABORT, 'a line is voided only with its payment''s void'); END;
CREATE TRIGGER payment_lines_insert_voided BEFORE INSERT ON payment_lines
WHEN NEW.voided IS NOT ((SELECT voided_at FROM payments WHERE id = NEW.payment_id) IS NOT NULL)
BEGIN SELECT RAISE(ABORT, 'a line is voided only with its payment''s void'); END;
-- Export marks are written once: a payment or a void is never moved to another batch or unmarked.
CREATE TRIGGER payments_export_once BEFORE UPDATE OF batch_id, void_batch_id ON payments
WHEN (OLD.batch_id IS NOT NULL AND NEW.batch_id IS NOT OLD.batch_id)
  OR (OLD.void_batch_id IS NOT NULL AND NEW.void_batch_id IS NOT OLD.void_batch_id)
BEGIN SELECT RAISE(ABORT, 'an export mark is written once'); END;
`,
};
