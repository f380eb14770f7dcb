import type { Generated } from 'kysely';

/** Row types of migrations/ for kysely. Keep in step with the migrations (a test checks the columns). */
export interface Tables {
  settings: { key: string; value: string };
  users: {
    id: Generated<number>;
    code: string;
    name: string;
    role: 'cashier' | 'supervisor';
    pin_hash: string;
    failed_pins: Generated<number>;
    locked_until: string | null;
    active: Generated<number>;
    created_at: string;
    approved_by: number | null;
    co_approved_by: number | null;
    added_after_payment_id: Generated<number>;
    must_change_pin: Generated<number>;
  };
  user_links: {
    user_id: number;
    ancestor_id: number;
  };
  shifts: {
    id: Generated<number>;
    cashier_id: number;
    opened_at: string;
    opening_float: number;
    closed_at: string | null;
    counted_cash: number | null;
    expected_cash: number | null;
    variance: number | null;
    closed_by: number | null;
    force_closed: Generated<number>;
  };
  snapshots: {
    id: Generated<number>;
    file_name: string;
    sha256: string;
    encoding: string;
    delimiter: string;
    imported_at: string;
    row_count: number;
    customer_count: number;
    bill_count: number;
    bill_total: number;
    skipped_count: Generated<number>;
    rejects_file: string | null;
    supervisor_id: number | null;
    warnings: Generated<string>;
    reimport_summary: Generated<string>;
    extracted_at: string | null;
    extract_source: 'name_day' | 'name_minute' | 'column' | 'file' | null;
    confirmed_by: number | null;
  };
  customers: {
    id: Generated<number>;
    ma_khang: string;
    ma_dviqly: string;
    ten_khang: string;
    dchi_khang: string;
    ma_the: string | null;
    dthoai_sms: string | null;
    ma_sogcs: string | null;
    stt: string | null;
    so_cto: string | null;
    tthai_cat: Generated<number>;
    name_fold: string;
    addr_fold: string;
    last_snapshot_id: number;
  };
  bills: {
    id: Generated<number>;
    id_hdon: string;
    customer_id: number;
    loai_hdon: 'TD' | 'VC' | 'DC';
    ky: number;
    thang: number;
    nam: number;
    dien_tthu: number | null;
    so_tien: number;
    tien_gtgt: number;
    tong_tien: number;
    han_ttoan: string | null;
    first_snapshot_id: number;
    last_snapshot_id: number;
  };
  snapshot_bill_states: {
    snapshot_id: number;
    bill_id: number;
    state: 'paid_waiting_export' | 'exported_still_open' | 'cleared_elsewhere' | 'cleared' | 'conflict';
  };
  receipt_counters: { point_code: string; year: number; last_seq: number };
  order_counters: { year: number; last_seq: number };
  clearing_batches: {
    id: Generated<number>;
    batch_day: string;
    seq: number;
    created_at: string;
    csv_name: string;
    csv_sha256: string;
    row_count: number;
    total: number;
    first_receipt: string;
    last_receipt: string;
    manifest: string;
    out_dir: string;
    csv_bytes: Buffer;
    reconnection_bytes: Buffer;
    reconnection_sha256: string;
    manifest_sha256: string;
    sms_bytes: Buffer | null;
    sms_sha256: string | null;
    status: 'pending' | 'complete';
    completed_at: string | null;
  };
  payments: {
    id: Generated<number>;
    idempotency_key: string;
    request_hash: string;
    receipt_no: string;
    receipt_year: number;
    receipt_seq: number;
    customer_id: number;
    shift_id: number;
    cashier_id: number;
    paid_at: string;
    total: number;
    tendered: number | null;
    change_step: Generated<0 | 500 | 1000>;
    change_rounding: Generated<number>;
    voided_at: string | null;
    voided_by: number | null;
    void_reason: string | null;
    batch_id: number | null;
    void_batch_id: number | null;
  };
  payment_lines: {
    id: Generated<number>;
    payment_id: number;
    bill_id: number | null;
    id_hdon: string | null;
    loai_hdon: 'TD' | 'VC' | 'DC';
    ky: number | null;
    thang: number | null;
    nam: number | null;
    dien_tthu: number | null;
    so_tien: number;
    tien_gtgt: number;
    tong_tien: number;
    voided: Generated<number>;
  };
  reconnection_orders: {
    id: Generated<number>;
    payment_id: number;
    customer_id: number;
    requested_at: string;
    fee_source: 'snapshot' | 'settings';
    cancelled_at: string | null;
    episode_end_snapshot_id: number | null;
    order_no: string | null;
  };
  print_jobs: {
    id: Generated<number>;
    kind: 'receipt' | 'reprint' | 'void_slip' | 'z_report' | 'test_page' | 'reconnection_order' | 'refund' | 'deposit_slip' | 'receipt_list';
    payment_id: number | null;
    copy_no: Generated<number>;
    document: string;
    created_at: string;
    status: Generated<'pending' | 'sending' | 'done' | 'failed'>;
    attempts: Generated<number>;
    last_error: string | null;
    printed_at: string | null;
    set_aside_at: string | null;
  };
  clearing_results: {
    id: Generated<number>;
    batch_id: number;
    file_name: string;
    sha256: string;
    imported_at: string;
    line_count: number;
    new_count: number;
  };
  clearing_result_lines: {
    batch_id: number;
    payment_line_id: number;
    result_id: number;
    ket_qua: 'OK' | 'DA_GACH' | 'KHONG_TON_TAI' | 'SAI_SO_TIEN' | 'LOI';
    ghi_chu: string;
  };
  refunds: {
    id: Generated<number>;
    payment_id: number;
    shift_id: number;
    cashier_id: number;
    supervisor_id: number;
    reason: string;
    refunded_at: string;
  };
  refund_lines: {
    refund_id: number;
    payment_line_id: number;
    amount: number;
  };
  deposits: {
    id: Generated<number>;
    day: string;
    supervisor_id: number;
    made_at: string;
    n500000: number;
    n200000: number;
    n100000: number;
    n50000: number;
    n20000: number;
    n10000: number;
    n5000: number;
    n2000: number;
    n1000: number;
    /** NULL (the three together) on a slip made before migration 0012 */
    n500: number | null;
    n200: number | null;
    loose_change: number | null;
    counted: number;
    expected: number;
    reason: string | null;
    bank_ref: string | null;
    bank_ref_at: string | null;
    bank_ref_by: number | null;
  };
  deposit_shifts: {
    deposit_id: number;
    shift_id: number;
    cashier_id: number;
    receipts: number;
    receipts_total: number;
    refunds: number;
    refunds_total: number;
    rounding_total: number;
  };
  resends: {
    id: Generated<number>;
    payment_id: number;
    supervisor_id: number;
    decided_at: string;
    batch_id: number | null;
  };
  resend_lines: {
    resend_id: number;
    payment_line_id: number;
  };
  sync_outbox: {
    seq: Generated<number>;
    kind: 'payment' | 'void' | 'export' | 'refund';
    payment_id: number | null;
    batch_id: number | null;
    refund_id: number | null;
    created_at: string;
    status: Generated<'waiting' | 'accepted' | 'duplicate' | 'conflict' | 'refused' | 'seen'>;
    answered_at: string | null;
    code: string | null;
    message: string | null;
  };
  sync_state: {
    id: number;
    max_sent_seq: Generated<number>;
    pull_cursor: string | null;
    last_sync_at: string | null;
    last_attempt_at: string | null;
    last_error_code: string | null;
    last_error_message: string | null;
  };
  sync_office_payments: {
    receipt_no: string;
    point_code: string;
    ma_khang: string;
    paid_at: string;
    cashier_code: string;
    total: number;
    /** JSON array of ID_HDON. */
    bills: string;
    voided: number;
    pulled_at: string;
  };
  sync_conflicts: {
    id: number;
    id_hdon: string;
    receipt_no: string;
    point_code: string;
    held_by: string | null;
    held_by_point: string | null;
    status: 'open' | 'promoted' | 'closed';
    detected_at: string;
    pulled_at: string;
  };
  journal: {
    id: Generated<number>;
    at: string;
    kind: string;
    actor_id: number | null;
    payload: string;
    prev_hash: string;
    hash: string;
  };
}
