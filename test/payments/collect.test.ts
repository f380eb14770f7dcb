import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectPayment, type CollectRequest } from '../../electron/payments/collect.ts';
import { closeShift } from '../../electron/shifts/shifts.ts';
import { setSettings } from '../../electron/store/settings.ts';
import { verifyJournal } from '../../electron/store/journal.ts';
import type { ReceiptDocument } from '../../electron/core/documents.ts';
import { CUT, seedSnapshot, type SeedCustomer } from '../helpers/seed.ts';
import { collectWorld, count, refusedWith, type CollectWorld } from '../helpers/collect-fixture.ts';

const AN: SeedCustomer = {
  maKhang: 'PC12AA0000001',
  tenKhang: 'Lê Văn An',
  dchiKhang: '12 Lý Thường Kiệt',
  maThe: 'THE0001',
  bills: [
    { idHdon: 'HD-2026-09', thang: 9, nam: 2026, soTien: 100_000, tienGtgt: 8_000, dienTthu: 50 },
    { idHdon: 'HD-2026-10', thang: 10, nam: 2026, soTien: 200_000, tienGtgt: 16_000, dienTthu: 100 },
    { idHdon: 'HD-2026-11', thang: 11, nam: 2026, soTien: 300_000, tienGtgt: 24_000, dienTthu: 150 },
  ],
};
const BINH: SeedCustomer = {
  maKhang: 'PC12AA0000002',
  tenKhang: 'Phạm Thị Bình',
  dchiKhang: '3 Hai Bà Trưng',
  bills: [{ idHdon: 'HD-B-11', thang: 11, nam: 2026, soTien: 50_000, tienGtgt: 4_000 }],
};

function world(customers: SeedCustomer[] = [AN, BINH]): CollectWorld & { seeded: ReturnType<typeof seedSnapshot> } {
  const w = collectWorld();
  return { ...w, seeded: seedSnapshot(w.ctx, customers) };
}

function req(w: CollectWorld, over: Partial<CollectRequest> = {}): CollectRequest {
  return { customer: AN.maKhang, cashierId: w.cashier.id, idempotencyKey: `k-${Math.random()}`, ...over };
}

function assertRefused(fn: () => unknown, code: string): void {
  assert.throws(fn, refusedWith(code));
}

test('collecting all outstanding bills writes payment, copied lines, receipt number, journal row and print job', () => {
  const w = world();
  const result = collectPayment(w.ctx, req(w, { idempotencyKey: 'first', tendered: 700_000 }));
  assert.equal(result.replayed, false);
  assert.equal(result.receiptNo, 'DT0001-26-000001');
  assert.equal(result.total, 108_000 + 216_000 + 324_000);
  assert.deepEqual(result.lines.map((l) => l.idHdon), ['HD-2026-09', 'HD-2026-10', 'HD-2026-11']);
  assert.deepEqual(result.lines[1], { idHdon: 'HD-2026-10', loaiHdon: 'TD', ky: 1, thang: 10, nam: 2026, dienTthu: 100, soTien: 200_000, tienGtgt: 16_000, tongTien: 216_000 });
  assert.equal(result.customer.maKhang, AN.maKhang);
  assert.equal(result.reconnectionOrderId, null);
  assert.equal(result.tendered, 700_000);

  const payment = w.ctx.sqlite.prepare('SELECT * FROM payments WHERE id = ?').get(result.paymentId) as Record<string, unknown>;
  assert.equal(payment.receipt_no, 'DT0001-26-000001');
  assert.equal(payment.total, result.total);
  assert.equal(payment.paid_at, result.paidAt);
  assert.equal(count(w.ctx, 'payment_lines', `payment_id = ${result.paymentId} AND voided = 0`), 3);

  const job = w.ctx.sqlite.prepare('SELECT kind, copy_no, status, document FROM print_jobs WHERE id = ?').get(result.printJobId) as {
    kind: string; copy_no: number; status: string; document: string;
  };
  assert.equal(job.kind, 'receipt');
  assert.equal(job.copy_no, 0);
  assert.equal(job.status, 'pending');
  const doc = JSON.parse(job.document) as ReceiptDocument;
  assert.equal(doc.receiptNo, result.receiptNo);
  assert.equal(doc.cashier.code, 'TN01');
  assert.equal(doc.header.pointCode, 'DT0001');
  assert.deepEqual(doc.lines, result.lines);

  const journal = w.ctx.sqlite.prepare("SELECT actor_id, payload FROM journal WHERE kind = 'payment'").all() as { actor_id: number; payload: string }[];
  assert.equal(journal.length, 1);
  assert.equal(journal[0]!.actor_id, w.cashier.id);
  assert.equal((JSON.parse(journal[0]!.payload) as { receiptNo: string }).receiptNo, result.receiptNo);
  assert.equal(verifyJournal(w.ctx.sqlite).ok, true);
  w.ctx.close();
});

test('the customer may be named by card number or id; an unknown one is refused', () => {
  const w = world();
  const byCard = collectPayment(w.ctx, req(w, { customer: ' THE0001 ', billIds: ['HD-2026-09'] }));
  assert.equal(byCard.customer.maKhang, AN.maKhang);
  const byId = collectPayment(w.ctx, req(w, { customer: w.seeded.ids.get(BINH.maKhang)! }));
  assert.equal(byId.customer.maKhang, BINH.maKhang);
  assertRefused(() => collectPayment(w.ctx, req(w, { customer: 'PC12AA9999999' })), 'CUSTOMER_NOT_FOUND');
  w.ctx.close();
});

test('collecting needs an open shift', () => {
  const w = world();
  closeShift(w.ctx, { cashierId: w.cashier.id, countedCash: 500_000 });
  assertRefused(() => collectPayment(w.ctx, req(w)), 'SHIFT_NOT_OPEN');
  assert.equal(count(w.ctx, 'payments'), 0);
  w.ctx.close();
});

test('the same key twice gives one payment and the first result; nothing new is written', () => {
  const w = world();
  const first = collectPayment(w.ctx, req(w, { idempotencyKey: 'same', billIds: ['HD-2026-10', 'HD-2026-09'] }));
  const tables = ['payments', 'payment_lines', 'print_jobs', 'journal', 'receipt_counters'];
  const before = tables.map((t) => count(w.ctx, t));
  const again = collectPayment(w.ctx, req(w, { idempotencyKey: 'same', billIds: ['HD-2026-09', 'HD-2026-10'] }));
  assert.deepEqual(again, { ...first, replayed: true });
  assert.deepEqual(tables.map((t) => count(w.ctx, t)), before);
  assert.equal((w.ctx.sqlite.prepare('SELECT last_seq FROM receipt_counters').get() as { last_seq: number }).last_seq, 1);
  w.ctx.close();
});

test('a retry may spell the customer code differently and list the bills in another order', () => {
  const w = world();
  const first = collectPayment(w.ctx, req(w, { idempotencyKey: 'k', customer: 'PC12AA0000001', billIds: ['HD-2026-09', 'HD-2026-10'] }));
  const again = collectPayment(w.ctx, req(w, { idempotencyKey: 'k', customer: ' pc12aa 0000001', billIds: ['HD-2026-10', 'HD-2026-09'] }));
  assert.equal(again.replayed, true);
  assert.equal(again.paymentId, first.paymentId);
  w.ctx.close();
});

test('the same key with a different request is refused', () => {
  const w = world();
  collectPayment(w.ctx, req(w, { idempotencyKey: 'k1', billIds: ['HD-2026-09'] }));
  assertRefused(() => collectPayment(w.ctx, req(w, { idempotencyKey: 'k1', billIds: ['HD-2026-09', 'HD-2026-10'] })), 'IDEMPOTENCY_KEY_REUSED');
  assertRefused(() => collectPayment(w.ctx, req(w, { idempotencyKey: 'k1', billIds: ['HD-2026-09'], tendered: 200_000 })), 'IDEMPOTENCY_KEY_REUSED');
  assertRefused(() => collectPayment(w.ctx, req(w, { idempotencyKey: '  ' })), 'IDEMPOTENCY_KEY_INVALID');
  assert.equal(count(w.ctx, 'payments'), 1);
  w.ctx.close();
});

test('a newer bill before an older one, or a gap, is refused; the oldest first is accepted', () => {
  const w = world();
  assertRefused(() => collectPayment(w.ctx, req(w, { billIds: ['HD-2026-10'] })), 'BILL_ORDER');
  assertRefused(() => collectPayment(w.ctx, req(w, { billIds: ['HD-2026-09', 'HD-2026-11'] })), 'BILL_ORDER');
  assert.equal(count(w.ctx, 'payments'), 0);
  collectPayment(w.ctx, req(w, { billIds: ['HD-2026-09'] }));
  const second = collectPayment(w.ctx, req(w, { billIds: ['HD-2026-10'] }));
  assert.equal(second.receiptNo, 'DT0001-26-000002');
  w.ctx.close();
});

test('unknown, foreign, duplicated and already paid bills are refused with their own codes', () => {
  const w = world();
  assertRefused(() => collectPayment(w.ctx, req(w, { billIds: ['NO-SUCH-BILL'] })), 'BILL_NOT_FOUND');
  assertRefused(() => collectPayment(w.ctx, req(w, { billIds: ['HD-B-11'] })), 'BILL_NOT_FOUND');
  assertRefused(() => collectPayment(w.ctx, req(w, { billIds: ['HD-2026-09', 'HD-2026-09'] })), 'BILL_DUPLICATE');
  assertRefused(() => collectPayment(w.ctx, req(w, { billIds: [] })), 'NOTHING_TO_COLLECT');
  collectPayment(w.ctx, req(w, { billIds: ['HD-2026-09'] }));
  assertRefused(() => collectPayment(w.ctx, req(w, { billIds: ['HD-2026-09'] })), 'BILL_ALREADY_PAID');
  collectPayment(w.ctx, req(w));
  assertRefused(() => collectPayment(w.ctx, req(w)), 'NOTHING_TO_COLLECT');
  w.ctx.close();
});

test('a bill that left the snapshot (cleared elsewhere) is not collectable', () => {
  const w = world();
  seedSnapshot(w.ctx, [{ ...AN, bills: AN.bills!.slice(1) }, BINH]);
  assertRefused(() => collectPayment(w.ctx, req(w, { billIds: ['HD-2026-09'] })), 'BILL_NOT_OUTSTANDING');
  assert.equal(collectPayment(w.ctx, req(w, { billIds: ['HD-2026-10'] })).total, 216_000);
  w.ctx.close();
});

test('bills of the same period do not order each other; a DC bill may be paid alone', () => {
  const w = world([
    {
      ...BINH,
      bills: [
        { idHdon: 'TD-10', thang: 10, nam: 2026, soTien: 1_000 },
        { idHdon: 'VC-10', loaiHdon: 'VC', thang: 10, nam: 2026, soTien: 2_000 },
        { idHdon: 'DC-1', loaiHdon: 'DC', thang: 11, nam: 2026, soTien: 3_000 },
        { idHdon: 'TD-11', thang: 11, nam: 2026, soTien: 4_000 },
      ],
    },
  ]);
  const r = (billIds: string[]) => req(w, { customer: BINH.maKhang, billIds });
  assertRefused(() => collectPayment(w.ctx, r(['VC-10', 'TD-11'])), 'BILL_ORDER');
  assert.equal(collectPayment(w.ctx, r(['VC-10'])).total, 2_000);
  assert.equal(collectPayment(w.ctx, r(['DC-1'])).total, 3_000);
  assert.equal(collectPayment(w.ctx, r(['TD-10', 'TD-11'])).total, 5_000);
  w.ctx.close();
});

test('cash handed over must cover the total', () => {
  const w = world();
  assertRefused(() => collectPayment(w.ctx, req(w, { billIds: ['HD-2026-09'], tendered: 107_999 })), 'TENDERED_TOO_LITTLE');
  assertRefused(() => collectPayment(w.ctx, req(w, { billIds: ['HD-2026-09'], tendered: 108_000.5 })), 'TENDERED_INVALID');
  assert.equal(collectPayment(w.ctx, req(w, { billIds: ['HD-2026-09'], tendered: 108_000 })).tendered, 108_000);
  w.ctx.close();
});

test('receipt numbers are gapless per year and restart at the local new year', () => {
  const w = world([{ ...BINH, bills: Array.from({ length: 4 }, (_, i) => ({ idHdon: `Y-${i}`, thang: i + 1, nam: 2026, soTien: 1_000 })) }]);
  const pay = (id: string) => collectPayment(w.ctx, req(w, { customer: BINH.maKhang, billIds: [id] })).receiptNo;
  w.now.at = new Date('2026-12-31T16:59:58.000Z'); // 23:59:58 on 31/12/2026 in Việt Nam
  assert.equal(pay('Y-0'), 'DT0001-26-000001');
  assert.equal(pay('Y-1'), 'DT0001-26-000002');
  assert.equal(pay('Y-2'), 'DT0001-27-000001'); // 00:00:00 on 01/01/2027
  assert.equal(pay('Y-3'), 'DT0001-27-000002');
  w.ctx.close();
});

test('the database index alone blocks a second valid line for a bill', () => {
  const w = world();
  const first = collectPayment(w.ctx, req(w, { billIds: ['HD-2026-09'] }));
  const billId = w.seeded.billIds.get('HD-2026-09')!;
  const duplicateIn = (paymentId: number) =>
    w.ctx.sqlite
      .prepare(
        `INSERT INTO payment_lines (payment_id, bill_id, id_hdon, loai_hdon, ky, thang, nam, so_tien, tien_gtgt, tong_tien)
         VALUES (?, ?, 'HD-2026-09', 'TD', 1, 9, 2026, 100000, 8000, 108000)`,
      )
      .run(paymentId, billId);
  const duplicate = () => duplicateIn(first.paymentId);
  assert.throws(duplicate, /UNIQUE constraint failed: payment_lines\.bill_id/);
  // Voiding the payment (lines follow by trigger) frees the bill for a line of another valid payment.
  w.ctx.sqlite
    .prepare("UPDATE payments SET voided_at = '2026-11-27T03:00:00.000Z', voided_by = ?, void_reason = 'nhầm' WHERE id = ?")
    .run(w.supervisor.id, first.paymentId);
  const other = collectPayment(w.ctx, req(w, { customer: BINH.maKhang }));
  assert.doesNotThrow(() => duplicateIn(other.paymentId));
  w.ctx.close();
});

test('a line slipping in for the same bill is stopped by the index: nothing of the payment stays, no receipt number is used', () => {
  const w = world();
  const billId = w.seeded.billIds.get('HD-2026-09')!;
  const other = collectPayment(w.ctx, req(w, { customer: BINH.maKhang }));
  // Simulates a concurrent writer that got the bill between our check and our insert.
  w.ctx.sqlite.exec(`CREATE TEMP TRIGGER sneak AFTER INSERT ON payments WHEN NEW.id <> ${other.paymentId}
    BEGIN INSERT INTO payment_lines (payment_id, bill_id, id_hdon, loai_hdon, so_tien, tien_gtgt, tong_tien)
          VALUES (${other.paymentId}, ${billId}, 'HD-2026-09', 'TD', 1, 0, 1); END`);
  assertRefused(() => collectPayment(w.ctx, req(w, { billIds: ['HD-2026-09'] })), 'BILL_ALREADY_PAID');
  w.ctx.sqlite.exec('DROP TRIGGER sneak');
  assert.deepEqual([count(w.ctx, 'payments'), count(w.ctx, 'payment_lines'), count(w.ctx, 'journal', "kind = 'payment'"), count(w.ctx, 'print_jobs')], [1, 1, 1, 1]);
  assert.equal((w.ctx.sqlite.prepare('SELECT last_seq FROM receipt_counters').get() as { last_seq: number }).last_seq, 1);
  w.ctx.close();
});

function orderOf(w: CollectWorld, paymentId: number) {
  return w.ctx.sqlite.prepare('SELECT id, fee_source, cancelled_at FROM reconnection_orders WHERE payment_id = ?').get(paymentId) as
    | { id: number; fee_source: string; cancelled_at: string | null }
    | undefined;
}

test('a cut-off customer paying everything is charged the settings fee and gets a reconnection order', () => {
  const w = world([CUT]);
  setSettings(w.ctx.sqlite, { reconnection_fee: 150_000 }, w.supervisor.id, w.ctx.clock());
  const partial = collectPayment(w.ctx, req(w, { customer: CUT.maKhang, billIds: ['C-10'] }));
  assert.equal(partial.reconnectionOrderId, null);
  assert.equal(partial.total, 108_000);
  const rest = collectPayment(w.ctx, req(w, { customer: CUT.maKhang }));
  assert.equal(rest.total, 108_000 + 150_000);
  // The settings amount is what is charged; its VAT at the default 8 % (as CMIS's DC bills) is split out.
  assert.deepEqual(rest.lines[1], { idHdon: null, loaiHdon: 'DC', ky: null, thang: null, nam: null, dienTthu: null, soTien: 138_889, tienGtgt: 11_111, tongTien: 150_000 });
  assert.equal(count(w.ctx, 'payment_lines', `payment_id = ${rest.paymentId} AND bill_id IS NULL AND loai_hdon = 'DC'`), 1);
  assert.deepEqual(orderOf(w, rest.paymentId), { id: rest.reconnectionOrderId, fee_source: 'settings', cancelled_at: null });
  assert.equal(count(w.ctx, 'print_jobs', `payment_id = ${rest.paymentId} AND kind = 'reconnection_order'`), 1);
  w.ctx.close();
});

test('the settings fee carries the VAT rate of the settings (0-10 %), the amount charged unchanged; a rate out of range is refused', () => {
  for (const [rate, soTien] of [[0, 330_000], [10, 300_000], [8, 305_556]] as const) {
    const w = world([CUT]);
    setSettings(w.ctx.sqlite, { reconnection_fee: 330_000, reconnection_fee_vat_percent: rate }, w.supervisor.id, w.ctx.clock());
    const paid = collectPayment(w.ctx, req(w, { customer: CUT.maKhang }));
    const fee = paid.lines.find((l) => l.idHdon === null)!;
    assert.deepEqual([fee.soTien, fee.tienGtgt, fee.tongTien], [soTien, 330_000 - soTien, 330_000], `${rate} %`);
    assert.throws(() => setSettings(w.ctx.sqlite, { reconnection_fee_vat_percent: 11 }, w.supervisor.id, w.ctx.clock()));
    w.ctx.close();
  }
});

test('a DC bill in the snapshot is the fee: it must be in the payment and no settings fee is added', () => {
  const w = world([{ ...CUT, bills: [...CUT.bills!, { idHdon: 'C-DC', loaiHdon: 'DC', thang: 11, nam: 2026, soTien: 200_000, tienGtgt: 16_000 }] }]);
  setSettings(w.ctx.sqlite, { reconnection_fee: 150_000 }, w.supervisor.id, w.ctx.clock());
  const energy = collectPayment(w.ctx, req(w, { customer: CUT.maKhang, billIds: ['C-10', 'C-11'] }));
  assert.equal(energy.reconnectionOrderId, null); // the DC bill is still outstanding
  const fee = collectPayment(w.ctx, req(w, { customer: CUT.maKhang, billIds: ['C-DC'] }));
  assert.equal(fee.total, 216_000);
  assert.equal(fee.lines.length, 1);
  assert.equal(orderOf(w, fee.paymentId)?.fee_source, 'snapshot');
  w.ctx.close();
});

test('a DC bill paid first is the fee when the last energy bill is paid later', () => {
  const w = world([{ ...CUT, bills: [...CUT.bills!, { idHdon: 'C-DC', loaiHdon: 'DC', thang: 11, nam: 2026, soTien: 200_000 }] }]);
  setSettings(w.ctx.sqlite, { reconnection_fee: 150_000 }, w.supervisor.id, w.ctx.clock());
  assert.equal(collectPayment(w.ctx, req(w, { customer: CUT.maKhang, billIds: ['C-DC'] })).reconnectionOrderId, null);
  const energy = collectPayment(w.ctx, req(w, { customer: CUT.maKhang }));
  assert.equal(energy.total, 216_000);
  assert.equal(orderOf(w, energy.paymentId)?.fee_source, 'snapshot');
  w.ctx.close();
});

test('with a fee of 0 and no DC bill the order is still created, without a fee line', () => {
  const w = world([CUT, BINH]);
  const all = collectPayment(w.ctx, req(w, { customer: CUT.maKhang }));
  assert.equal(all.lines.length, 2);
  assert.equal(orderOf(w, all.paymentId)?.fee_source, 'settings');
  const notCut = collectPayment(w.ctx, req(w, { customer: BINH.maKhang }));
  assert.equal(notCut.reconnectionOrderId, null);
  assert.equal(count(w.ctx, 'reconnection_orders'), 1);
  w.ctx.close();
});

test('one fee and one reconnection order per cut-off episode: a later snapshot still cut off charges neither again', () => {
  const w = world([CUT]);
  setSettings(w.ctx.sqlite, { reconnection_fee: 150_000 }, w.supervisor.id, w.ctx.clock());
  const first = collectPayment(w.ctx, req(w, { customer: CUT.maKhang }));
  assert.equal(first.total, 2 * 108_000 + 150_000);
  assert.notEqual(first.reconnectionOrderId, null);
  // Next morning: CMIS has not reconnected yet (TTHAI_CAT still 1) and a new bill came.
  const c12 = { idHdon: 'C-12', thang: 12, nam: 2026, soTien: 50_000, tienGtgt: 4_000 };
  seedSnapshot(w.ctx, [{ ...CUT, bills: [...CUT.bills!, c12] }], '2026-11-28T00:30:00.000Z');
  const second = collectPayment(w.ctx, req(w, { customer: CUT.maKhang }));
  assert.deepEqual([second.total, second.lines.length, second.reconnectionOrderId], [54_000, 1, null]);
  assert.equal(count(w.ctx, 'reconnection_orders'), 1);
  assert.equal(count(w.ctx, 'print_jobs', "kind = 'reconnection_order'"), 1);

  // CMIS reconnected them (listed with TTHAI_CAT 0): the episode is over; a later cut-off is a new one.
  const c01 = { idHdon: 'C-01', thang: 1, nam: 2027, soTien: 60_000, tienGtgt: 0 };
  seedSnapshot(w.ctx, [{ ...CUT, tthaiCat: false, bills: [c01] }], '2027-01-10T00:30:00.000Z');
  seedSnapshot(w.ctx, [{ ...CUT, bills: [c01] }], '2027-02-20T00:30:00.000Z');
  const third = collectPayment(w.ctx, req(w, { customer: CUT.maKhang }));
  assert.equal(third.total, 60_000 + 150_000);
  assert.equal(orderOf(w, third.paymentId)?.fee_source, 'settings');
  assert.equal(count(w.ctx, 'reconnection_orders'), 2);
  w.ctx.close();
});

test('a voided payment does not hold the episode: paying again charges the fee and makes a new order', () => {
  const w = world([CUT]);
  setSettings(w.ctx.sqlite, { reconnection_fee: 150_000 }, w.supervisor.id, w.ctx.clock());
  const first = collectPayment(w.ctx, req(w, { customer: CUT.maKhang }));
  // Voided by SQL, without the service cancelling the order: the payment's validity alone decides.
  w.ctx.sqlite
    .prepare("UPDATE payments SET voided_at = '2026-11-27T03:00:00.000Z', voided_by = ?, void_reason = 'nhầm' WHERE id = ?")
    .run(w.supervisor.id, first.paymentId);
  const again = collectPayment(w.ctx, req(w, { customer: CUT.maKhang }));
  assert.equal(again.total, first.total);
  assert.notEqual(again.reconnectionOrderId, null);
  w.ctx.close();
});
