import type { Generated } from 'kysely';

/** Kysely's view of the server's tables (server/migrations). bigint columns read as numbers (connect.ts). */
export interface ServerTables {
  points: {
    code: string;
    unit: string;
    office: string | null;
    token_sha256: string;
    last_seq: Generated<number>;
    last_seen_at: Date | null;
    created_at: Generated<Date>;
  };
  payments: {
    receipt_no: string;
    point_code: string;
    unit: string;
    ma_khang: string;
    ten_khang: string;
    paid_at: Date;
    cashier_code: string;
    total: number;
    body: string;
    body_sha256: string;
    source: 'push' | 'ingest';
    received_at: Generated<Date>;
    voided_at: Date | null;
  };
  payment_lines: {
    receipt_no: string;
    line_no: number;
    id_hdon: string | null;
    loai_hdon: 'TD' | 'VC' | 'DC';
    ky: number | null;
    thang: number | null;
    nam: number | null;
    so_tien: number;
    tien_gtgt: number;
    tong_tien: number;
    live: boolean;
  };
  batch_receipts: { receipt_no: string; point_code: string; batch_day: string; batch_seq: number };
  voids: { receipt_no: string; point_code: string; source: 'push' | 'ingest'; recorded_at: Generated<Date> };
  conflicts: {
    id: Generated<number>;
    id_hdon: string;
    receipt_no: string;
    held_by: string | null;
    status: Generated<'open' | 'promoted' | 'closed'>;
    detected_at: Generated<Date>;
    resolved_at: Date | null;
  };
  point_batches: {
    point_code: string;
    batch_day: string;
    batch_seq: number;
    csv_sha256: string;
    row_count: number;
    total: number;
    voided_receipts: string[];
    body_sha256: string;
    source: 'push' | 'ingest';
    received_at: Generated<Date>;
  };
  refused_bodies: {
    id: Generated<number>;
    point_code: string;
    kind: 'payment' | 'batch';
    identity: string;
    stored_sha256: string;
    refused_sha256: string;
    source: 'push' | 'ingest';
    at: Generated<Date>;
  };
  resent_lines: {
    point_code: string;
    batch_day: string;
    batch_seq: number;
    receipt_no: string;
    id_hdon: string;
    tong_tien: number;
    first_csv_file: string;
    source: 'push' | 'ingest';
    received_at: Generated<Date>;
  };
  feed: { id: Generated<number>; xid: Generated<string>; audience: string; kind: 'payment' | 'void' | 'conflict'; ref: string };
  schema_migrations: { version: number; name: string; applied_at: Generated<Date> };
}
