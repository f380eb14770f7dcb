import { createHash } from 'node:crypto';
import { query, type RowOf } from '../store/typed-query.ts';

/** The manifest written beside a clearing file (and stored with its batch). */
export interface ClearingManifest {
  formatVersion: number;
  pointCode: string;
  batchId: number;
  batchDay: string; // yyyyMMdd local
  batchSeq: number; // NN
  createdAt: string; // ISO UTC
  csvFile: string;
  reconnectionFile: string;
  firstReceipt: string;
  lastReceipt: string;
  rowCount: number;
  totalTongTien: number;
  receiptCount: number;
  reconnectionOrderCount: number;
  voidedReceipts: string[]; // voided since the last export, never exported
  csvSha256: string;
  /** The batch's payment confirmations (TINNHAN, contract section 6); absent in batches made before them. */
  smsFile?: string;
  smsSha256?: string;
  smsMessages?: number;
  /** Payments without a confirmation, by reason (no usable mobile number, opted out, ...). */
  smsSkipped?: Record<string, number>;
  /**
   * The journal head when the batch was recorded (its export row is the next one). The manifest
   * leaves the database on the stick: `verify --manifests` later checks the journal still has it.
   */
  journalHead: { id: number; hash: string };
  /**
   * Lines a supervisor decided to send again (contract section 5), written first in the CSV as their
   * row was first sent (same receipt, same NGAY_NOP), and counted in rowCount and totalTongTien;
   * absent when the batch resends nothing. firstCsvFile: the batch CMIS rejected them in.
   */
  resent?: { receiptNo: string; idHdon: string; tongTien: number; firstCsvFile: string }[];
}

/** clearing_batches rows with what it takes to write their files again byte for byte (sms_*: null in batches made before payment confirmations). */
export const batchRows = query
  .selectFrom('clearing_batches')
  .select(['id', 'csv_name', 'csv_sha256', 'manifest', 'manifest_sha256', 'csv_bytes', 'reconnection_bytes', 'reconnection_sha256', 'sms_bytes', 'sms_sha256', 'status']);

export type BatchRow = RowOf<typeof batchRows>;

export const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

export interface StoredBatch {
  /** null when the stored manifest is not JSON any more */
  manifest: ClearingManifest | null;
  files: { name: string; bytes: Buffer }[];
  /** Names of the files whose bytes no longer match the SHA-256 recorded at export (or the manifest's). */
  bad: string[];
}

/**
 * A batch's stored files (three, four with its payment confirmations), each checked against its
 * recorded SHA-256 (and the CSV's and the confirmations' against the manifest too).
 */
export function storedBatch(row: BatchRow): StoredBatch {
  let manifest: ClearingManifest | null = null;
  try {
    manifest = JSON.parse(row.manifest) as ClearingManifest;
  } catch {
    // reported below: the manifest's bytes no longer match its SHA-256 (or never parsed)
  }
  const manifestName = row.csv_name.replace(/\.csv$/, '.json');
  const files = [
    { name: row.csv_name, bytes: row.csv_bytes, sha: row.csv_sha256 },
    { name: manifest?.reconnectionFile ?? row.csv_name.replace(/^GACHNO_/, 'LENHDONGDIEN_'), bytes: row.reconnection_bytes, sha: row.reconnection_sha256 },
    ...(row.sms_bytes === null || row.sms_sha256 === null
      ? []
      : [{ name: manifest?.smsFile ?? row.csv_name.replace(/^GACHNO_/, 'TINNHAN_'), bytes: row.sms_bytes, sha: row.sms_sha256 }]),
    { name: manifestName, bytes: Buffer.from(row.manifest, 'utf8'), sha: row.manifest_sha256 },
  ];
  const bad = files.filter((f) => sha256(f.bytes) !== f.sha).map((f) => f.name);
  if (manifest === null) {
    if (!bad.includes(manifestName)) bad.push(manifestName);
  } else {
    if (manifest.csvSha256 !== row.csv_sha256) bad.push(manifest.csvFile);
    if ((manifest.smsSha256 ?? null) !== row.sms_sha256) bad.push(manifest.smsFile ?? row.csv_name.replace(/^GACHNO_/, 'TINNHAN_'));
  }
  return { manifest, files: files.map(({ name, bytes }) => ({ name, bytes })), bad };
}
