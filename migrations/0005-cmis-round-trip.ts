import type { Migration } from '../electron/store/migration.ts';

/**
 * The CMIS round trip (contract sections 4 and 5). Snapshots keep their extract time and who
 * confirmed or forced them; CMIS's answers to clearing batches are recorded once per batch line and
 * never change (triggers). Snapshots imported before this version have no extract time.
 */
export const migration0005: Migration = {
  version: 5,
  name: 'cmis-round-trip',
  sql: /* sql */ `
ALTER TABLE snapshots ADD COLUMN extracted_at TEXT;  -- ISO UTC; NULL before this version
ALTER TABLE snapshots ADD COLUMN extract_source TEXT CHECK (extract_source IN ('name_day', 'name_minute', 'column', 'file'));
ALTER TABLE snapshots ADD COLUMN confirmed_by INTEGER REFERENCES users(id); -- the supervisor who confirmed or forced it

-- One row per result file (KQGACHNO_...) taken in; the same file again is found by its SHA-256.
CREATE TABLE clearing_results (
  id INTEGER PRIMARY KEY,
  batch_id INTEGER NOT NULL REFERENCES clearing_batches(id),
  file_name TEXT NOT NULL,
  sha256 TEXT NOT NULL UNIQUE,
  imported_at TEXT NOT NULL,
  line_count INTEGER NOT NULL CHECK (line_count > 0),
  new_count INTEGER NOT NULL CHECK (new_count BETWEEN 0 AND line_count) -- lines this file answered first
) STRICT;

-- CMIS's answer for one line of one batch: written once, never changed or deleted.
CREATE TABLE clearing_result_lines (
  batch_id INTEGER NOT NULL REFERENCES clearing_batches(id),
  payment_line_id INTEGER NOT NULL REFERENCES payment_lines(id),
  result_id INTEGER NOT NULL REFERENCES clearing_results(id),
  ket_qua TEXT NOT NULL CHECK (ket_qua IN ('OK', 'DA_GACH', 'KHONG_TON_TAI', 'SAI_SO_TIEN', 'LOI')),
  ghi_chu TEXT NOT NULL,
  PRIMARY KEY (batch_id, payment_line_id)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER clearing_results_no_update BEFORE UPDATE ON clearing_results
BEGIN SELECT RAISE(ABORT, 'a clearing result is never changed'); END;
CREATE TRIGGER clearing_results_no_delete BEFORE DELETE ON clearing_results
BEGIN SELECT RAISE(ABORT, 'a clearing result is never changed'); END;
CREATE TRIGGER clearing_result_lines_no_update BEFORE UPDATE ON clearing_result_lines
BEGIN SELECT RAISE(ABORT, 'a clearing result is never changed'); END;
CREATE TRIGGER clearing_result_lines_no_delete BEFORE DELETE ON clearing_result_lines
BEGIN SELECT RAISE(ABORT, 'a clearing result is never changed'); END;
-- An answer is for a line the batch carried, and comes with its own result file's batch.
CREATE TRIGGER clearing_result_lines_of_batch BEFORE INSERT ON clearing_result_lines
WHEN NOT EXISTS (SELECT 1 FROM payment_lines l JOIN payments p ON p.id = l.payment_id WHERE l.id = NEW.payment_line_id AND p.batch_id = NEW.batch_id)
  OR (SELECT batch_id FROM clearing_results WHERE id = NEW.result_id) IS NOT NEW.batch_id
BEGIN SELECT RAISE(ABORT, 'a result line answers a line of its batch'); END;
`,
};
