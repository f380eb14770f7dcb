import type { Migration } from '../electron/store/migration.ts';

/**
 * The deposit slip counts to the đồng: the 500 and 200 ₫ notes still in circulation, and the loose
 * change under 200 ₫ (100 ₫ notes, coins) as a typed amount, so a day whose cash ends in hundreds
 * matches without a made-up reason. The typed amount stays under the smallest counted note: it cannot
 * stand in for notes.
 *
 * A slip made before keeps NULL in the three new columns ("not counted then"): its facts, its
 * printed document and its journal row keep their old shape. The sum's CHECK takes them as 0.
 *
 * The table is rebuilt for the CHECK. deposit_shifts points at it, so its key checks are deferred
 * over the drop; the rows put back under the same ids satisfy them again before the commit.
 */
export const migration0012: Migration = {
  version: 12,
  name: 'deposit-small-notes',
  sql: /* sql */ `
PRAGMA defer_foreign_keys = ON;
CREATE TEMP TABLE deposits_before AS SELECT * FROM deposits;
DROP TABLE deposits;
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
  -- NULL, the three together, on a slip made before they were counted
  n500 INTEGER CHECK (n500 BETWEEN 0 AND 10000000),
  n200 INTEGER CHECK (n200 BETWEEN 0 AND 10000000),
  loose_change INTEGER CHECK (loose_change BETWEEN 0 AND 199),   -- đồng under the smallest note counted
  counted INTEGER NOT NULL,             -- handed to the bank: the notes' sum and the loose change
  expected INTEGER NOT NULL,            -- the day's receipts minus its refunds, over the listed shifts
  reason TEXT,                          -- why counted differs from expected
  bank_ref TEXT CHECK (bank_ref IS NULL OR (length(trim(bank_ref)) BETWEEN 1 AND 60 AND bank_ref = trim(bank_ref))),
  bank_ref_at TEXT,
  bank_ref_by INTEGER REFERENCES users(id),
  CHECK ((n500 IS NULL) = (n200 IS NULL) AND (n500 IS NULL) = (loose_change IS NULL)),
  CHECK (counted = 500000 * n500000 + 200000 * n200000 + 100000 * n100000 + 50000 * n50000 + 20000 * n20000
                   + 10000 * n10000 + 5000 * n5000 + 2000 * n2000 + 1000 * n1000
                   + 500 * coalesce(n500, 0) + 200 * coalesce(n200, 0) + coalesce(loose_change, 0)),
  CHECK ((counted = expected) = (reason IS NULL)),
  CHECK (reason IS NULL OR length(trim(reason)) > 0),
  CHECK ((bank_ref IS NULL) = (bank_ref_at IS NULL) AND (bank_ref IS NULL) = (bank_ref_by IS NULL))
) STRICT;
INSERT INTO deposits (id, day, supervisor_id, made_at, n500000, n200000, n100000, n50000, n20000, n10000, n5000, n2000, n1000,
                      counted, expected, reason, bank_ref, bank_ref_at, bank_ref_by)
  SELECT id, day, supervisor_id, made_at, n500000, n200000, n100000, n50000, n20000, n10000, n5000, n2000, n1000,
         counted, expected, reason, bank_ref, bank_ref_at, bank_ref_by FROM deposits_before;
DROP TABLE deposits_before;

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
  OR NEW.n500 IS NOT OLD.n500 OR NEW.n200 IS NOT OLD.n200 OR NEW.loose_change IS NOT OLD.loose_change
  OR NEW.counted IS NOT OLD.counted OR NEW.expected IS NOT OLD.expected OR NEW.reason IS NOT OLD.reason
  OR NOT EXISTS (SELECT 1 FROM users WHERE id = NEW.bank_ref_by AND role = 'supervisor' AND active = 1)
BEGIN SELECT RAISE(ABORT, 'a deposit slip is never changed; its bank reference is added once, by a supervisor'); END;
`,
};
