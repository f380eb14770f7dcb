import type { Migration } from '../electron/store/migration.ts';

/**
 * The payment confirmations of a clearing batch (contract section 6): `TINNHAN_<point>_<day>_<NN>.csv`
 * is one of the batch's files, so its exact bytes are stored with the others and `export --again`
 * writes it byte for byte. Batches recorded before this version have none (both columns NULL).
 */
export const migration0007: Migration = {
  version: 7,
  name: 'sms',
  sql: /* sql */ `
ALTER TABLE clearing_batches ADD COLUMN sms_bytes BLOB;
ALTER TABLE clearing_batches ADD COLUMN sms_sha256 TEXT CHECK (sms_sha256 IS NULL OR length(sms_sha256) = 64);
CREATE TRIGGER clearing_batches_sms_pair BEFORE INSERT ON clearing_batches
WHEN (NEW.sms_bytes IS NULL) <> (NEW.sms_sha256 IS NULL)
BEGIN SELECT RAISE(ABORT, 'a batch has its message file and its SHA-256, or neither'); END;
CREATE TRIGGER clearing_batches_sms_fixed BEFORE UPDATE OF sms_bytes, sms_sha256 ON clearing_batches
BEGIN SELECT RAISE(ABORT, 'a batch''s message file is written once'); END;
`,
};
