import type { ServerMigration } from '../db/migrate.ts';

/**
 * The company's SMS queue (contract section 6): one row per MA_TIN, however often its file arrives.
 * A message moves queued -> sending (claimed by one sender under a lease) -> sent (the gateway
 * acknowledged it) -> delivered, or back to queued for a retry, or to failed / expired. A message
 * acknowledged by the gateway is never claimed again: the claim takes only queued rows and sending
 * rows whose lease ran out (their sender died before it knew the answer: sent again with the same
 * idempotency key, MA_TIN, which the gateway drops as a repeat).
 */
export const migration002: ServerMigration = {
  version: 2,
  name: 'sms',
  sql: /* sql */ `
CREATE TABLE sms_messages (
  ma_tin text PRIMARY KEY CHECK (ma_tin ~ '^[A-Z0-9-]{1,60}$'),
  loai_tin text NOT NULL CHECK (loai_tin IN ('XNTT', 'TBTD', 'NHACNO', 'TBCD')),
  ma_mau text NOT NULL CHECK (ma_mau ~ '^[A-Z0-9_]{1,20}$'),
  unit text NOT NULL CHECK (unit ~ '^[A-Z0-9]{1,10}$'),
  ma_khang text NOT NULL CHECK (ma_khang ~ '^[A-Z0-9]{1,16}$'),
  msisdn text NOT NULL CHECK (msisdn ~ '^84[0-9]{9}$'),
  body text NOT NULL CHECK (length(body) BETWEEN 1 AND 160),
  row_sha256 text NOT NULL CHECK (row_sha256 ~ '^[0-9a-f]{64}$'), -- every column of the file's row: another body for the MA_TIN is refused
  send_from timestamptz NOT NULL,
  expires_at timestamptz NOT NULL CHECK (expires_at > send_from),
  file_name text NOT NULL,
  queued_at timestamptz NOT NULL DEFAULT now(),
  state text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sending', 'sent', 'delivered', 'failed', 'expired')),
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at timestamptz NOT NULL,
  lease_owner text,
  lease_until timestamptz,
  gateway_id text,
  sent_at timestamptz,
  delivered_at timestamptz,
  finished_at timestamptz,   -- failed or expired
  last_error text,
  CHECK ((state = 'sending') = (lease_owner IS NOT NULL AND lease_until IS NOT NULL)),
  CHECK (state NOT IN ('sent', 'delivered') OR gateway_id IS NOT NULL OR delivered_at IS NOT NULL)
);
CREATE INDEX sms_messages_due ON sms_messages (next_attempt_at) WHERE state IN ('queued', 'sending');
CREATE INDEX sms_messages_day ON sms_messages (send_from, loai_tin);

-- An acknowledged message never goes back to be sent again, and a message is never deleted.
CREATE FUNCTION sms_messages_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'sms messages are never deleted'; END IF;
  IF NEW.ma_tin <> OLD.ma_tin OR NEW.body <> OLD.body OR NEW.msisdn <> OLD.msisdn OR NEW.row_sha256 <> OLD.row_sha256 THEN
    RAISE EXCEPTION 'a queued message never changes';
  END IF;
  IF OLD.state IN ('sent', 'delivered') AND NEW.state IN ('queued', 'sending') THEN
    RAISE EXCEPTION 'message % was acknowledged by the gateway: it is never sent again', OLD.ma_tin;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER sms_messages_guard BEFORE UPDATE OR DELETE ON sms_messages FOR EACH ROW EXECUTE FUNCTION sms_messages_guard();

-- Each file once (by its bytes); its counts as ingested.
CREATE TABLE sms_files (
  sha256 text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  name text NOT NULL,
  rows integer NOT NULL,
  queued integer NOT NULL,
  duplicates integer NOT NULL,
  refused integer NOT NULL,
  ingested_at timestamptz NOT NULL DEFAULT now()
);

-- A row whose MA_TIN is queued with another content: refused, kept for the company's staff.
CREATE TABLE sms_refused (
  ma_tin text NOT NULL,
  row_sha256 text NOT NULL,
  file_name text NOT NULL,
  refused_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (ma_tin, row_sha256)
);

-- Delivery reports as the gateway gave them (a report given twice is one row).
CREATE TABLE sms_reports (
  ma_tin text NOT NULL,
  status text NOT NULL CHECK (status IN ('delivered', 'failed')),
  gateway_id text NOT NULL,
  reported_at timestamptz,
  received_at timestamptz NOT NULL DEFAULT now(),
  known boolean NOT NULL,    -- false: no such MA_TIN queued here
  PRIMARY KEY (ma_tin, status, gateway_id)
);

CREATE TABLE sms_gateway_cursor (
  gateway text PRIMARY KEY,
  cursor text NOT NULL
);
`,
};
