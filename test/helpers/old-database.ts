import Database from 'better-sqlite3';
import { migrations } from '../../electron/store/migrations.ts';

/** Every column of print_jobs, and its indexes: what a migration that rebuilds the table must keep. */
export const PRINT_JOBS = 'SELECT id, kind, payment_id, copy_no, document, created_at, status, attempts, last_error, printed_at, set_aside_at FROM print_jobs ORDER BY id';
export const PRINT_JOB_INDEXES = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'print_jobs' ORDER BY name";

/** A database as the release of `version` left it (its migrations only), with `rows` written by hand. */
export function databaseAt(path: string, version: number, rows: string): void {
  const db = new Database(path);
  for (const m of migrations.slice(0, version)) db.exec(m.sql);
  db.pragma(`user_version = ${version}`);
  db.exec(rows);
  db.close();
}

/**
 * databaseAt with what any payment needs: supervisor 1 with shift 1 open, snapshot 1 and its customer 1
 * (PC12AA0000001); then `sql`.
 */
export function oldDatabase(path: string, version: number, sql: string): void {
  databaseAt(
    path,
    version,
    `
    INSERT INTO users (id, code, name, role, pin_hash, created_at) VALUES (1, 'GS00', 'Trưởng', 'supervisor', 'x', '2026-11-27T00:00:00.000Z');
    INSERT INTO shifts (id, cashier_id, opened_at, opening_float) VALUES (1, 1, '2026-11-27T01:00:00.000Z', 0);
    INSERT INTO snapshots (id, file_name, sha256, encoding, delimiter, imported_at, row_count, customer_count, bill_count, bill_total)
      VALUES (1, 'NO.csv', 'x', 'utf8', ',', '2026-11-27T00:30:00.000Z', 1, 1, 0, 0);
    INSERT INTO customers (id, ma_khang, ma_dviqly, ten_khang, dchi_khang, name_fold, addr_fold, last_snapshot_id)
      VALUES (1, 'PC12AA0000001', 'PC12AA', 'An', 'x', 'an', 'x', 1);
    ${sql}
  `,
  );
}
