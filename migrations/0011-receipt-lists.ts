import type { Migration } from '../electron/store/migration.ts';

/**
 * The supervisor's printed list of receipts (a shift's or a day's): print_jobs gets the kind
 * 'receipt_list'. SQLite cannot alter a CHECK, so the table is rebuilt as migration 8 did (new table,
 * every row copied with its id, old one dropped, new one renamed, its indexes made again). Nothing
 * references print_jobs.
 */
export const migration0011: Migration = {
  version: 9,
  name: 'receipt-lists',
  sql: /* sql */ `
CREATE TABLE print_jobs_new (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('receipt', 'reprint', 'void_slip', 'z_report', 'test_page', 'reconnection_order', 'refund', 'receipt_list')),
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
`,
};
