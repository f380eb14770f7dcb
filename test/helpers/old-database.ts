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
