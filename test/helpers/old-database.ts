import Database from 'better-sqlite3';
import { migrations } from '../../electron/store/migrations.ts';

/**
 * A database as the release of `version` left it (its migrations only), with what any payment needs:
 * supervisor 1 with shift 1 open, snapshot 1 and its customer 1 (PC12AA0000001); then `sql`.
 */
export function oldDatabase(path: string, version: number, sql: string): void {
  const db = new Database(path);
  for (const m of migrations.slice(0, version)) db.exec(m.sql);
  db.pragma(`user_version = ${version}`);
  db.exec(`
    INSERT INTO users (id, code, name, role, pin_hash, created_at) VALUES (1, 'GS00', 'Trưởng', 'supervisor', 'x', '2026-11-27T00:00:00.000Z');
    INSERT INTO shifts (id, cashier_id, opened_at, opening_float) VALUES (1, 1, '2026-11-27T01:00:00.000Z', 0);
    INSERT INTO snapshots (id, file_name, sha256, encoding, delimiter, imported_at, row_count, customer_count, bill_count, bill_total)
      VALUES (1, 'NO.csv', 'x', 'utf8', ',', '2026-11-27T00:30:00.000Z', 1, 1, 0, 0);
    INSERT INTO customers (id, ma_khang, ma_dviqly, ten_khang, dchi_khang, name_fold, addr_fold, last_snapshot_id)
      VALUES (1, 'PC12AA0000001', 'PC12AA', 'An', 'x', 'an', 'x', 1);
    ${sql}
  `);
  db.close();
}
