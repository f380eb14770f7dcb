import type { Migration } from '../electron/store/migration.ts';

/**
 * The deposit slip (bảng kê nộp tiền) of a day: the supervisor counts the cash going to the bank by
 * note, and the slip lists, per cashier, the shifts closed that day with their receipts and refunds.
 * One slip per local day (UTC+7, as everywhere); once made it never changes, except that the bank's
 * reference is added later, once. The note counts are columns so that a CHECK holds the sum to the
 * amount handed over; a count that differs from the day's expected cash carries a reason.
 *
 * Every shift is on exactly one slip: the slip is refused while a shift opened before the day's end is
 * still open (the service says so first), and once a day has its slip no shift opens or closes in it.
 *
 * print_jobs gets the kinds 'deposit_slip' and 'receipt_list' (the supervisor's printed list of a shift's or a day's receipts) (rebuilt the SQLite way, as in 0008; nothing references it).
 */
export const migration0010: Migration = {
  version: 10,
  name: 'deposit',
  sql: /* sql */ `
CREATE TABLE print_jobs_new (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('receipt', 'reprint', 'void_slip', 'z_report', 'test_page', 'reconnection_order', 'refund', 'deposit_slip', 'receipt_list')),
  payment_id INTEGER REFERENCES payments(id),
  copy_no INTEGER NOT NULL DEFAULT 0,   -- 0 = original; n = "BẢN SAO lần n"
  document TEXT NOT NULL,
  created_at TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'done', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  printed_at TEXT,
  set_aside_at TEXT CHECK (set_aside_at IS NULL OR status = 'failed'),
  CHECK (kind <> 'deposit_slip' OR payment_id IS NULL)
) STRICT;
INSERT INTO print_jobs_new (id, kind, payment_id, copy_no, document, created_at, status, attempts, last_error, printed_at, set_aside_at)
  SELECT id, kind, payment_id, copy_no, document, created_at, status, attempts, last_error, printed_at, set_aside_at FROM print_jobs;
DROP TABLE print_jobs;
ALTER TABLE print_jobs_new RENAME TO print_jobs;
CREATE INDEX print_jobs_waiting ON print_jobs(id) WHERE status <> 'done';
CREATE INDEX print_jobs_payment ON print_jobs(payment_id) WHERE payment_id IS NOT NULL;
CREATE INDEX print_jobs_set_aside ON print_jobs(id) WHERE set_aside_at IS NOT NULL;

CREATE TABLE deposits (
  id INTEGER PRIMARY KEY,
  day TEXT NOT NULL UNIQUE CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]' AND date(day) = day),
  supervisor_id INTEGER NOT NULL REFERENCES users(id),
  made_at TEXT NOT NULL,
  -- notes counted, by value in đồng
  n500000 INTEGER NOT NULL CHECK (n500000 BETWEEN 0 AND 10000000),
  n200000 INTEGER NOT NULL CHECK (n200000 BETWEEN 0 AND 10000000),
  n100000 INTEGER NOT NULL CHECK (n100000 BETWEEN 0 AND 10000000),
  n50000 INTEGER NOT NULL CHECK (n50000 BETWEEN 0 AND 10000000),
  n20000 INTEGER NOT NULL CHECK (n20000 BETWEEN 0 AND 10000000),
  n10000 INTEGER NOT NULL CHECK (n10000 BETWEEN 0 AND 10000000),
  n5000 INTEGER NOT NULL CHECK (n5000 BETWEEN 0 AND 10000000),
  n2000 INTEGER NOT NULL CHECK (n2000 BETWEEN 0 AND 10000000),
  n1000 INTEGER NOT NULL CHECK (n1000 BETWEEN 0 AND 10000000),
  counted INTEGER NOT NULL,             -- handed to the bank: the notes' sum
  expected INTEGER NOT NULL,            -- the day's receipts minus its refunds, over the listed shifts
  reason TEXT,                          -- why counted differs from expected
  bank_ref TEXT CHECK (bank_ref IS NULL OR (length(trim(bank_ref)) BETWEEN 1 AND 60 AND bank_ref = trim(bank_ref))),
  bank_ref_at TEXT,
  bank_ref_by INTEGER REFERENCES users(id),
  CHECK (counted = 500000 * n500000 + 200000 * n200000 + 100000 * n100000 + 50000 * n50000 + 20000 * n20000
                   + 10000 * n10000 + 5000 * n5000 + 2000 * n2000 + 1000 * n1000),
  CHECK ((counted = expected) = (reason IS NULL)),
  CHECK (reason IS NULL OR length(trim(reason)) > 0),
  CHECK ((bank_ref IS NULL) = (bank_ref_at IS NULL) AND (bank_ref IS NULL) = (bank_ref_by IS NULL))
) STRICT;

-- The shifts a slip lists, with their figures as the slip states them.
CREATE TABLE deposit_shifts (
  deposit_id INTEGER NOT NULL REFERENCES deposits(id),
  shift_id INTEGER NOT NULL UNIQUE REFERENCES shifts(id),
  cashier_id INTEGER NOT NULL REFERENCES users(id),
  receipts INTEGER NOT NULL CHECK (receipts >= 0),
  receipts_total INTEGER NOT NULL CHECK (receipts_total >= 0),
  refunds INTEGER NOT NULL CHECK (refunds >= 0),
  refunds_total INTEGER NOT NULL CHECK (refunds_total >= 0),
  -- change rounded down and kept in the drawer (migration 0009): it goes to the bank with the receipts
  rounding_total INTEGER NOT NULL CHECK (rounding_total >= 0),
  PRIMARY KEY (deposit_id, shift_id)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER deposits_insert BEFORE INSERT ON deposits
BEGIN
  SELECT RAISE(ABORT, reason) FROM (SELECT CASE
    WHEN NEW.bank_ref IS NOT NULL THEN 'deposit: the bank reference is added later'
    WHEN NOT EXISTS (SELECT 1 FROM users WHERE id = NEW.supervisor_id AND role = 'supervisor' AND active = 1) THEN 'deposit: made by a supervisor'
    WHEN EXISTS (SELECT 1 FROM shifts WHERE closed_at IS NULL AND opened_at < strftime('%Y-%m-%dT%H:%M:%fZ', NEW.day, '-7 hours', '+1 day'))
      THEN 'deposit: a shift of the day is still open'
    END AS reason) WHERE reason IS NOT NULL;
END;
CREATE TRIGGER deposits_no_delete BEFORE DELETE ON deposits
BEGIN SELECT RAISE(ABORT, 'a deposit slip is never changed'); END;
CREATE TRIGGER deposits_fixed BEFORE UPDATE ON deposits
WHEN OLD.bank_ref IS NOT NULL OR NEW.bank_ref IS NULL
  OR NEW.id IS NOT OLD.id OR NEW.day IS NOT OLD.day OR NEW.supervisor_id IS NOT OLD.supervisor_id OR NEW.made_at IS NOT OLD.made_at
  OR NEW.n500000 IS NOT OLD.n500000 OR NEW.n200000 IS NOT OLD.n200000 OR NEW.n100000 IS NOT OLD.n100000
  OR NEW.n50000 IS NOT OLD.n50000 OR NEW.n20000 IS NOT OLD.n20000 OR NEW.n10000 IS NOT OLD.n10000
  OR NEW.n5000 IS NOT OLD.n5000 OR NEW.n2000 IS NOT OLD.n2000 OR NEW.n1000 IS NOT OLD.n1000
  OR NEW.counted IS NOT OLD.counted OR NEW.expected IS NOT OLD.expected OR NEW.reason IS NOT OLD.reason
  OR NOT EXISTS (SELECT 1 FROM users WHERE id = NEW.bank_ref_by AND role = 'supervisor' AND active = 1)
BEGIN SELECT RAISE(ABORT, 'a deposit slip is never changed; its bank reference is added once, by a supervisor'); END;

-- A listed shift was closed in the slip's day, and its figures are its own.
CREATE TRIGGER deposit_shifts_insert BEFORE INSERT ON deposit_shifts
WHEN NOT EXISTS (
  SELECT 1 FROM shifts s JOIN deposits d ON d.id = NEW.deposit_id
   WHERE s.id = NEW.shift_id AND s.cashier_id = NEW.cashier_id AND s.closed_at IS NOT NULL AND date(s.closed_at, '+7 hours') = d.day
     AND NEW.receipts = (SELECT COUNT(*) FROM payments WHERE shift_id = s.id AND voided_at IS NULL)
     AND NEW.receipts_total = (SELECT COALESCE(SUM(total), 0) FROM payments WHERE shift_id = s.id AND voided_at IS NULL)
     AND NEW.refunds = (SELECT COUNT(*) FROM refunds WHERE shift_id = s.id)
     AND NEW.refunds_total = (SELECT COALESCE(SUM(x.amount), 0) FROM refunds r JOIN refund_lines x ON x.refund_id = r.id WHERE r.shift_id = s.id)
     AND NEW.rounding_total = (SELECT COALESCE(SUM(change_rounding), 0) FROM payments WHERE shift_id = s.id AND voided_at IS NULL))
BEGIN SELECT RAISE(ABORT, 'deposit: a shift closed in the day, with its own receipts, roundings and refunds'); END;
CREATE TRIGGER deposit_shifts_no_update BEFORE UPDATE ON deposit_shifts
BEGIN SELECT RAISE(ABORT, 'a deposit slip is never changed'); END;
CREATE TRIGGER deposit_shifts_no_delete BEFORE DELETE ON deposit_shifts
BEGIN SELECT RAISE(ABORT, 'a deposit slip is never changed'); END;

-- A day with its slip is over: no shift opens or closes in it (money after the slip would be on no slip).
CREATE TRIGGER shifts_open_after_deposit BEFORE INSERT ON shifts
WHEN EXISTS (SELECT 1 FROM deposits WHERE day = date(NEW.opened_at, '+7 hours'))
BEGIN SELECT RAISE(ABORT, 'shift: the day''s deposit slip is made'); END;
CREATE TRIGGER shifts_close_after_deposit BEFORE UPDATE OF closed_at ON shifts
WHEN OLD.closed_at IS NULL AND NEW.closed_at IS NOT NULL AND EXISTS (SELECT 1 FROM deposits WHERE day = date(NEW.closed_at, '+7 hours'))
BEGIN SELECT RAISE(ABORT, 'shift: the day''s deposit slip is made'); END;
`,
};
