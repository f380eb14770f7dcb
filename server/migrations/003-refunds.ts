import type { ServerMigration } from '../db/migrate.ts';

/**
 * Refunds pushed by the points (contract section 5, issue 13): one row per point and refund number,
 * for a receipt the server holds, with the body's SHA-256 so a repeat is a duplicate and another body
 * for the same refund is refused. Never changed nor deleted.
 */
export const migration003: ServerMigration = {
  version: 3,
  name: 'refunds',
  sql: /* sql */ `
CREATE TABLE refunds (
  point_code text NOT NULL REFERENCES points(code),
  refund_id bigint NOT NULL CHECK (refund_id > 0),
  receipt_no text NOT NULL REFERENCES payments(receipt_no),
  refunded_at timestamptz NOT NULL,
  total bigint NOT NULL CHECK (total > 0),
  body jsonb NOT NULL,
  body_sha256 text NOT NULL CHECK (body_sha256 ~ '^[0-9a-f]{64}$'),
  source text NOT NULL CHECK (source IN ('push', 'ingest')),
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (point_code, refund_id)
);
CREATE INDEX refunds_receipt ON refunds(receipt_no);
CREATE TRIGGER refunds_fixed BEFORE UPDATE OR DELETE ON refunds FOR EACH ROW EXECUTE FUNCTION refuse_change('a refund never changes');
`,
};
