import type { ServerMigration } from '../db/migrate.ts';

/**
 * The company's store. Times are timestamptz; money is bigint đồng (read back as safe integers).
 * The rules that protect money are PostgreSQL's own: a receipt exists once, a bill has at most one
 * live clearance (partial unique index), a conflict is a row (never a drop), payments and their
 * lines are never deleted and their bodies never change.
 */
export const migration001: ServerMigration = {
  version: 1,
  name: 'initial',
  sql: /* sql */ `
CREATE TABLE points (
  code text PRIMARY KEY CHECK (code ~ '^[A-Z0-9]{2,20}$'),
  unit text NOT NULL CHECK (unit ~ '^[A-Z0-9]{4,10}$'),
  office text CHECK (office IS NULL OR length(office) BETWEEN 1 AND 200),
  token_sha256 text NOT NULL UNIQUE CHECK (token_sha256 ~ '^[0-9a-f]{64}$'), -- the token itself is never stored
  last_seq bigint NOT NULL DEFAULT 0 CHECK (last_seq >= 0),            -- highest event seq seen from the point
  last_seen_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- One row per receipt, company-wide.
CREATE TABLE payments (
  receipt_no text PRIMARY KEY,
  point_code text NOT NULL REFERENCES points(code),
  unit text NOT NULL,                      -- MA_DVIQLY of the customer
  ma_khang text NOT NULL,
  ten_khang text NOT NULL,
  paid_at timestamptz NOT NULL,            -- the point's clock: data, never used to order arrivals
  cashier_code text NOT NULL,
  total bigint NOT NULL CHECK (total > 0),
  body text NOT NULL,                      -- the canonical JSON, byte for byte what was hashed
  body_sha256 text NOT NULL CHECK (body_sha256 ~ '^[0-9a-f]{64}$'),
  source text NOT NULL CHECK (source IN ('push', 'ingest')),  -- first arrival
  received_at timestamptz NOT NULL DEFAULT now(),
  voided_at timestamptz,                   -- when the server learned of the void
  CHECK (starts_with(receipt_no, point_code || '-'))
);
CREATE INDEX payments_unit_day ON payments (unit, paid_at);
CREATE INDEX payments_point ON payments (point_code);

CREATE TABLE payment_lines (
  receipt_no text NOT NULL REFERENCES payments(receipt_no),
  line_no integer NOT NULL CHECK (line_no >= 0),
  id_hdon text,                            -- NULL: a reconnection fee charged at the point
  loai_hdon text NOT NULL CHECK (loai_hdon IN ('TD', 'VC', 'DC')),
  ky integer, thang integer, nam integer,
  so_tien bigint NOT NULL CHECK (so_tien > 0),
  tien_gtgt bigint NOT NULL CHECK (tien_gtgt >= 0),
  tong_tien bigint NOT NULL CHECK (tong_tien = so_tien + tien_gtgt),
  live boolean NOT NULL,                   -- this line clears: payment valid and (fee line, or bill held)
  PRIMARY KEY (receipt_no, line_no)
);
-- One bill, one valid payment, company-wide: the later arrival cannot also be live.
CREATE UNIQUE INDEX payment_lines_live_bill ON payment_lines (id_hdon) WHERE live AND id_hdon IS NOT NULL;
CREATE INDEX payment_lines_bill ON payment_lines (id_hdon) WHERE id_hdon IS NOT NULL;

-- A void is known by its receipt, even before (or without) the payment: a clearing manifest lists
-- receipts voided before export, whose payments never reach any file.
CREATE TABLE voids (
  receipt_no text PRIMARY KEY,
  point_code text NOT NULL REFERENCES points(code),
  source text NOT NULL CHECK (source IN ('push', 'ingest')),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  CHECK (starts_with(receipt_no, point_code || '-'))
);

-- The later arrival of a bill already held. Never deleted: open -> promoted (the holder was voided
-- and this receipt took the bill, oldest conflict first) or closed (this receipt was voided).
CREATE TABLE conflicts (
  id bigserial PRIMARY KEY,
  id_hdon text NOT NULL,
  receipt_no text NOT NULL REFERENCES payments(receipt_no),
  held_by text REFERENCES payments(receipt_no),  -- the receipt holding the bill while open
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'promoted', 'closed')),
  detected_at timestamptz NOT NULL DEFAULT now(),
  resolved_at timestamptz,
  UNIQUE (id_hdon, receipt_no),
  CHECK ((status = 'open') = (resolved_at IS NULL)),
  CHECK (status <> 'open' OR held_by IS NOT NULL)
);
CREATE INDEX conflicts_open ON conflicts (id_hdon, id) WHERE status = 'open';

-- A point's clearing batch (pushed as an export event or ingested from its files).
CREATE TABLE point_batches (
  point_code text NOT NULL REFERENCES points(code),
  batch_day text NOT NULL CHECK (batch_day ~ '^\\d{8}$'),
  batch_seq integer NOT NULL CHECK (batch_seq BETWEEN 1 AND 99),
  csv_sha256 text NOT NULL,
  row_count integer NOT NULL,
  total bigint NOT NULL,
  voided_receipts text[] NOT NULL,
  body_sha256 text NOT NULL,
  source text NOT NULL CHECK (source IN ('push', 'ingest')),
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (point_code, batch_day, batch_seq)
);
-- The receipts of each batch: a receipt is in at most one batch (a row of its own, not an update of
-- the payment: a day's batches would otherwise rewrite every payment row).
CREATE TABLE batch_receipts (
  receipt_no text PRIMARY KEY REFERENCES payments(receipt_no),
  point_code text NOT NULL,
  batch_day text NOT NULL,
  batch_seq integer NOT NULL,
  FOREIGN KEY (point_code, batch_day, batch_seq) REFERENCES point_batches (point_code, batch_day, batch_seq)
);
CREATE INDEX batch_receipts_batch ON batch_receipts (point_code, batch_day, batch_seq);

-- A second body for an identity already recorded: refused, and counted here (who, what, when).
CREATE TABLE refused_bodies (
  id bigserial PRIMARY KEY,
  point_code text NOT NULL REFERENCES points(code),
  kind text NOT NULL CHECK (kind IN ('payment', 'batch')),
  identity text NOT NULL,
  stored_sha256 text NOT NULL,
  refused_sha256 text NOT NULL,
  source text NOT NULL CHECK (source IN ('push', 'ingest')),
  at timestamptz NOT NULL DEFAULT now()
);

-- What each point pulls: office payments and voids, and conflicts of its own receipts. The cursor
-- is (xid, id): a pull returns only rows of transactions older than every running one
-- (pg_snapshot_xmin), so a row committed late with a smaller id is never skipped.
CREATE TABLE feed (
  id bigserial PRIMARY KEY,
  xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  audience text NOT NULL,                  -- 'office:<name>' or 'point:<code>'
  kind text NOT NULL CHECK (kind IN ('payment', 'void', 'conflict')),
  ref text NOT NULL                        -- receipt_no, or the conflict id
);
CREATE INDEX feed_audience ON feed (audience, xid, id);

-- Never deleted, bodies never changed.
CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'check_violation'; END $$;
CREATE TRIGGER payments_no_delete BEFORE DELETE ON payments FOR EACH ROW EXECUTE FUNCTION refuse_change('payments are never deleted');
CREATE TRIGGER payment_lines_no_delete BEFORE DELETE ON payment_lines FOR EACH ROW EXECUTE FUNCTION refuse_change('payment lines are never deleted');
CREATE TRIGGER conflicts_no_delete BEFORE DELETE ON conflicts FOR EACH ROW EXECUTE FUNCTION refuse_change('conflicts are never deleted');
CREATE TRIGGER voids_no_delete BEFORE DELETE ON voids FOR EACH ROW EXECUTE FUNCTION refuse_change('voids are never deleted');
CREATE TRIGGER batch_receipts_fixed BEFORE UPDATE OR DELETE ON batch_receipts FOR EACH ROW EXECUTE FUNCTION refuse_change('a batch mark is written once');
CREATE TRIGGER point_batches_fixed BEFORE UPDATE OR DELETE ON point_batches FOR EACH ROW EXECUTE FUNCTION refuse_change('a point batch never changes');
CREATE TRIGGER payments_body_fixed BEFORE UPDATE OF receipt_no, point_code, unit, ma_khang, ten_khang, paid_at, cashier_code, total, body, body_sha256 ON payments
  FOR EACH ROW EXECUTE FUNCTION refuse_change('a payment body never changes');
CREATE TRIGGER payment_lines_fixed BEFORE UPDATE OF receipt_no, line_no, id_hdon, loai_hdon, ky, thang, nam, so_tien, tien_gtgt, tong_tien ON payment_lines
  FOR EACH ROW EXECUTE FUNCTION refuse_change('a payment line never changes');
-- A voided payment's lines never clear anything.
CREATE FUNCTION line_live_only_if_valid() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.live AND (SELECT voided_at FROM payments WHERE receipt_no = NEW.receipt_no) IS NOT NULL THEN
    RAISE EXCEPTION 'a voided payment holds no bill' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
-- A void is written once.
CREATE TRIGGER payments_void_once BEFORE UPDATE OF voided_at ON payments FOR EACH ROW
  WHEN (OLD.voided_at IS NOT NULL AND NEW.voided_at IS DISTINCT FROM OLD.voided_at) EXECUTE FUNCTION refuse_change('a void is written once');
CREATE TRIGGER payment_lines_live_valid BEFORE INSERT OR UPDATE OF live ON payment_lines FOR EACH ROW EXECUTE FUNCTION line_live_only_if_valid();
`,
};
