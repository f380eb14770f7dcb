import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Tables } from '../../electron/store/tables.ts';
import { openStore } from '../../electron/store/open.ts';
import { tempDir } from '../helpers/temp-dir.ts';

// The type checker makes this list name exactly the columns of each table type in tables.ts;
// the test makes the migrated database agree with it.
const columns: { [T in keyof Tables]: { [C in keyof Tables[T]]-?: true } } = {
  settings: { key: true, value: true },
  users: { id: true, code: true, name: true, role: true, pin_hash: true, failed_pins: true, locked_until: true, active: true, created_at: true, approved_by: true, co_approved_by: true, added_after_payment_id: true, must_change_pin: true },
  user_links: { user_id: true, ancestor_id: true },
  shifts: { id: true, cashier_id: true, opened_at: true, opening_float: true, closed_at: true, counted_cash: true, expected_cash: true, variance: true, closed_by: true, force_closed: true },
  snapshots: { id: true, file_name: true, sha256: true, encoding: true, delimiter: true, imported_at: true, row_count: true, customer_count: true, bill_count: true, bill_total: true, skipped_count: true, rejects_file: true, supervisor_id: true, warnings: true, reimport_summary: true, extracted_at: true, extract_source: true, confirmed_by: true },
  customers: { id: true, ma_khang: true, ma_dviqly: true, ten_khang: true, dchi_khang: true, ma_the: true, dthoai_sms: true, ma_sogcs: true, stt: true, so_cto: true, tthai_cat: true, name_fold: true, addr_fold: true, last_snapshot_id: true },
  bills: { id: true, id_hdon: true, customer_id: true, loai_hdon: true, ky: true, thang: true, nam: true, dien_tthu: true, so_tien: true, tien_gtgt: true, tong_tien: true, han_ttoan: true, first_snapshot_id: true, last_snapshot_id: true },
  snapshot_bill_states: { snapshot_id: true, bill_id: true, state: true },
  receipt_counters: { point_code: true, year: true, last_seq: true },
  order_counters: { year: true, last_seq: true },
  clearing_batches: { id: true, batch_day: true, seq: true, created_at: true, csv_name: true, csv_sha256: true, row_count: true, total: true, first_receipt: true, last_receipt: true, manifest: true, out_dir: true, csv_bytes: true, reconnection_bytes: true, reconnection_sha256: true, manifest_sha256: true, sms_bytes: true, sms_sha256: true, status: true, completed_at: true },
  payments: { id: true, idempotency_key: true, request_hash: true, receipt_no: true, receipt_year: true, receipt_seq: true, customer_id: true, shift_id: true, cashier_id: true, paid_at: true, total: true, tendered: true, change_step: true, change_rounding: true, voided_at: true, voided_by: true, void_reason: true, batch_id: true, void_batch_id: true },
  payment_lines: { id: true, payment_id: true, bill_id: true, id_hdon: true, loai_hdon: true, ky: true, thang: true, nam: true, dien_tthu: true, so_tien: true, tien_gtgt: true, tong_tien: true, voided: true },
  reconnection_orders: { id: true, payment_id: true, customer_id: true, requested_at: true, fee_source: true, cancelled_at: true, episode_end_snapshot_id: true, order_no: true },
  print_jobs: { id: true, kind: true, payment_id: true, copy_no: true, document: true, created_at: true, status: true, attempts: true, last_error: true, printed_at: true, set_aside_at: true },
  clearing_results: { id: true, batch_id: true, file_name: true, sha256: true, imported_at: true, line_count: true, new_count: true },
  clearing_result_lines: { batch_id: true, payment_line_id: true, result_id: true, ket_qua: true, ghi_chu: true },
  refunds: { id: true, payment_id: true, shift_id: true, cashier_id: true, supervisor_id: true, reason: true, refunded_at: true },
  refund_lines: { refund_id: true, payment_line_id: true, amount: true },
  deposits: { id: true, day: true, supervisor_id: true, made_at: true, n500000: true, n200000: true, n100000: true, n50000: true, n20000: true, n10000: true, n5000: true, n2000: true, n1000: true, n500: true, n200: true, loose_change: true, counted: true, expected: true, reason: true, bank_ref: true, bank_ref_at: true, bank_ref_by: true },
  deposit_shifts: { deposit_id: true, shift_id: true, cashier_id: true, receipts: true, receipts_total: true, refunds: true, refunds_total: true, rounding_total: true },
  resends: { id: true, payment_id: true, supervisor_id: true, decided_at: true, batch_id: true },
  resend_lines: { resend_id: true, payment_line_id: true },
  sync_outbox: { seq: true, kind: true, payment_id: true, batch_id: true, refund_id: true, created_at: true, status: true, answered_at: true, code: true, message: true },
  sync_state: { id: true, max_sent_seq: true, pull_cursor: true, last_sync_at: true, last_attempt_at: true, last_error_code: true, last_error_message: true },
  sync_office_payments: { receipt_no: true, point_code: true, ma_khang: true, paid_at: true, cashier_code: true, total: true, bills: true, voided: true, pulled_at: true },
  sync_conflicts: { id: true, id_hdon: true, receipt_no: true, point_code: true, held_by: true, held_by_point: true, status: true, detected_at: true, pulled_at: true },
  journal: { id: true, at: true, kind: true, actor_id: true, payload: true, prev_hash: true, hash: true },
};

test('the kysely table types name exactly the tables and columns of the migrated schema', () => {
  const store = openStore(join(tempDir(), 't.sqlite'));
  // every table has its type: a new table without one cannot be read through kysely
  // (the search index is a virtual table with its shadow tables, read by find.ts's own statements)
  const tables = (store.sqlite.pragma('table_list') as Array<{ schema: string; name: string; type: string }>)
    .filter((t) => t.schema === 'main' && t.type === 'table' && !t.name.startsWith('sqlite_'))
    .map((t) => t.name);
  assert.deepEqual(tables.sort(), Object.keys(columns).sort());
  for (const [table, cols] of Object.entries(columns)) {
    const actual = (store.sqlite.pragma(`table_info(${table})`) as Array<{ name: string }>).map((c) => c.name).sort();
    assert.deepEqual(actual, Object.keys(cols).sort(), table);
  }
  store.close();
});
