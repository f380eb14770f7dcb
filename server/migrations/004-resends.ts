import type { ServerMigration } from '../db/migrate.ts';

/**
 * Lines a point resent (contract section 5): CMIS rejected a line of one batch and the point's
 * supervisor sent it again in a later batch, where the clearing file repeats its row and the
 * manifest lists it under `resent`. The server holds the payment once (from the batch that first
 * carried it); the row of the later batch is recorded here, once per line, against that batch, so an
 * ingest takes it as resent (never as a second payment) and the consolidation can say so.
 */
export const migration004: ServerMigration = {
  version: 4,
  name: 'resends',
  sql: /* sql */ `
CREATE TABLE resent_lines (
  point_code text NOT NULL,
  batch_day text NOT NULL,
  batch_seq integer NOT NULL,
  receipt_no text NOT NULL REFERENCES payments(receipt_no),
  id_hdon text NOT NULL,                -- '' for the reconnection fee charged at the point
  tong_tien bigint NOT NULL CHECK (tong_tien >= 0),
  first_csv_file text NOT NULL,         -- the point's batch that carried the line first
  source text NOT NULL CHECK (source IN ('push', 'ingest')),
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (receipt_no, id_hdon),
  FOREIGN KEY (point_code, batch_day, batch_seq) REFERENCES point_batches (point_code, batch_day, batch_seq)
);
CREATE INDEX resent_lines_batch ON resent_lines (point_code, batch_day, batch_seq);
CREATE TRIGGER resent_lines_fixed BEFORE UPDATE OR DELETE ON resent_lines FOR EACH ROW EXECUTE FUNCTION refuse_change('a resent line never changes');
`,
};
