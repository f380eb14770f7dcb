import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectPayment } from '../electron/payments.ts';
import { reprintReceipt, voidPayment } from '../electron/voids.ts';
import { setSettings } from '../electron/settings.ts';
import { closeShift, openShift } from '../electron/shifts.ts';
import { addUser } from '../electron/users.ts';
import { verifyJournal } from '../electron/journal.ts';
import type { ReceiptDocument, VoidSlipDocument } from '../electron/core/documents.ts';
import { seedPayment, seedSnapshot } from './helpers/seed.ts';
import { collectWorld, count, refusedWith, TEST_PIN_COST } from './helpers/collect-fixture.ts';

function world(tthaiCat = false) {
  const w = collectWorld();
  const seeded = seedSnapshot(w.ctx, [
    {
      maKhang: 'PC12AA0000001',
      tenKhang: 'Lê Văn An',
      dchiKhang: '12 Lý Thường Kiệt',
      tthaiCat,
      bills: [
        { idHdon: 'HD-10', thang: 10, nam: 2026, soTien: 100_000, tienGtgt: 8_000 },
        { idHdon: 'HD-11', thang: 11, nam: 2026, soTien: 200_000, tienGtgt: 16_000 },
      ],
    },
  ]);
  const pay = (key: string, billIds?: string[]) =>
    collectPayment(w.ctx, { customer: 'PC12AA0000001', cashierId: w.cashier.id, idempotencyKey: key, ...(billIds ? { billIds } : {}) });
  return { ...w, seeded, pay };
}

test('a voided payment frees its bills, keeps its receipt number and queues a void slip', () => {
  const w = world();
  const paid = w.pay('k1');
  const voided = voidPayment(w.ctx, { receiptNo: paid.receiptNo.toLowerCase(), reason: ' Thu nhầm khách ', supervisorId: w.supervisor.id });
  assert.equal(voided.receiptNo, paid.receiptNo);
  const row = w.ctx.sqlite.prepare('SELECT receipt_no, voided_at, voided_by, void_reason FROM payments WHERE id = ?').get(paid.paymentId);
  assert.deepEqual(row, { receipt_no: 'DT0001-26-000001', voided_at: voided.voidedAt, voided_by: w.supervisor.id, void_reason: 'Thu nhầm khách' });
  assert.equal(count(w.ctx, 'payment_lines', `payment_id = ${paid.paymentId} AND voided = 1`), 2);
  const slip = JSON.parse((w.ctx.sqlite.prepare('SELECT document FROM print_jobs WHERE id = ?').get(voided.printJobId) as { document: string }).document) as VoidSlipDocument;
  assert.equal(slip.kind, 'void_slip');
  assert.equal(slip.reason, 'Thu nhầm khách');
  assert.equal(slip.total, paid.total);
  assert.equal(slip.supervisor.code, 'GS01');
  assert.equal(count(w.ctx, 'journal', "kind = 'void'"), 1);

  const again = w.pay('k2');
  assert.equal(again.receiptNo, 'DT0001-26-000002');
  assert.equal(again.total, paid.total);
  assert.equal(verifyJournal(w.ctx.sqlite).ok, true);
  w.ctx.close();
});

test('a void needs a supervisor, a reason, an unexported and not yet voided payment', () => {
  const w = world();
  const paid = w.pay('k1', ['HD-10']);
  const v = (over: Partial<Parameters<typeof voidPayment>[1]>) =>
    voidPayment(w.ctx, { receiptNo: paid.receiptNo, reason: 'lý do', supervisorId: w.supervisor.id, ...over });
  assert.throws(() => v({ supervisorId: w.cashier.id }), refusedWith('SUPERVISOR_REQUIRED'));
  assert.throws(() => v({ reason: '   ' }), refusedWith('VOID_REASON_REQUIRED'));
  assert.throws(() => v({ receiptNo: 'DT0001-26-999999' }), refusedWith('RECEIPT_NOT_FOUND'));

  const exportedId = seedPayment(w.ctx, w.seeded.ids.get('PC12AA0000001')!, [w.seeded.billIds.get('HD-11')!], { exported: true });
  const exported = w.ctx.sqlite.prepare('SELECT receipt_no FROM payments WHERE id = ?').get(exportedId) as { receipt_no: string };
  assert.throws(() => v({ receiptNo: exported.receipt_no }), refusedWith('PAYMENT_ALREADY_EXPORTED'));

  v({});
  assert.throws(() => v({}), refusedWith('PAYMENT_ALREADY_VOIDED'));
  assert.equal(count(w.ctx, 'payments', 'voided_at IS NOT NULL'), 1);
  w.ctx.close();
});

test('voiding cancels the reconnection order of the payment', () => {
  const w = world(true);
  setSettings(w.ctx.sqlite, { reconnection_fee: 50_000 }, null, w.ctx.clock());
  const paid = w.pay('k1');
  assert.notEqual(paid.reconnectionOrderId, null);
  const voided = voidPayment(w.ctx, { receiptNo: paid.receiptNo, reason: 'nhầm', supervisorId: w.supervisor.id });
  assert.equal(voided.reconnectionOrderCancelled, true);
  const order = w.ctx.sqlite.prepare('SELECT cancelled_at FROM reconnection_orders WHERE id = ?').get(paid.reconnectionOrderId) as { cancelled_at: string };
  assert.equal(order.cancelled_at, voided.voidedAt);
  // Paying again creates a new order (and charges the fee again, the first charge being voided).
  const again = w.pay('k2');
  assert.equal(again.total, paid.total);
  assert.equal(count(w.ctx, 'reconnection_orders', 'cancelled_at IS NULL'), 1);
  w.ctx.close();
});

test('a reprint repeats the original document with the next copy number and is journaled', () => {
  const w = world();
  const paid = w.pay('k1');
  const first = reprintReceipt(w.ctx, { receiptNo: paid.receiptNo, actorId: w.cashier.id });
  const second = reprintReceipt(w.ctx, { receiptNo: paid.receiptNo, actorId: null });
  assert.deepEqual([first.copyNo, second.copyNo], [1, 2]);
  const docs = w.ctx.sqlite
    .prepare('SELECT kind, copy_no, document FROM print_jobs WHERE payment_id = ? ORDER BY id')
    .all(paid.paymentId) as { kind: string; copy_no: number; document: string }[];
  assert.deepEqual(docs.map((d) => [d.kind, d.copy_no]), [['receipt', 0], ['reprint', 1], ['reprint', 2]]);
  assert.equal(docs[1]!.document, docs[0]!.document);
  assert.equal((JSON.parse(docs[2]!.document) as ReceiptDocument).receiptNo, paid.receiptNo);
  const journal = w.ctx.sqlite.prepare("SELECT actor_id, payload FROM journal WHERE kind = 'reprint' ORDER BY id").all() as { actor_id: number | null; payload: string }[];
  assert.deepEqual(journal.map((j) => [j.actor_id, (JSON.parse(j.payload) as { copyNo: number }).copyNo]), [[w.cashier.id, 1], [null, 2]]);

  voidPayment(w.ctx, { receiptNo: paid.receiptNo, reason: 'nhầm', supervisorId: w.supervisor.id });
  assert.throws(() => reprintReceipt(w.ctx, { receiptNo: paid.receiptNo, actorId: null }), refusedWith('PAYMENT_VOIDED'));
  assert.throws(() => reprintReceipt(w.ctx, { receiptNo: 'DT0001-26-000777', actorId: null }), refusedWith('RECEIPT_NOT_FOUND'));
  w.ctx.close();
});

test('a payment of a closed shift is not voided: its Z report and expected cash stay true', () => {
  const w = world();
  const paid = w.pay('k1');
  const closed = closeShift(w.ctx, { cashierId: w.cashier.id, countedCash: 500_000 + paid.total });
  assert.throws(() => voidPayment(w.ctx, { receiptNo: paid.receiptNo, reason: 'nhầm', supervisorId: w.supervisor.id }), refusedWith('VOID_SHIFT_CLOSED'));
  assert.equal(count(w.ctx, 'payments', 'voided_at IS NOT NULL'), 0);
  assert.equal(count(w.ctx, 'journal', "kind = 'void'"), 0);
  const shift = w.ctx.sqlite.prepare('SELECT expected_cash FROM shifts WHERE id = ?').get(closed.shiftId) as { expected_cash: number };
  assert.equal(shift.expected_cash, 500_000 + paid.total);
  w.ctx.close();
});

test('a supervisor does not void a payment they collected themselves; another supervisor may', () => {
  const w = world();
  openShift(w.ctx, { cashierId: w.supervisor.id, openingFloat: 0 });
  const own = collectPayment(w.ctx, { customer: 'PC12AA0000001', cashierId: w.supervisor.id, idempotencyKey: 'own' });
  const v = (supervisorId: number) => voidPayment(w.ctx, { receiptNo: own.receiptNo, reason: 'nhầm', supervisorId });
  assert.throws(() => v(w.supervisor.id), refusedWith('VOID_OWN_PAYMENT'));
  assert.equal(count(w.ctx, 'payments', 'voided_at IS NOT NULL'), 0);
  const other = addUser(w.ctx, { code: 'GS02', name: 'Phan Thị Sát', role: 'supervisor', pin: '5555' }, TEST_PIN_COST);
  assert.equal(v(other.id).receiptNo, own.receiptNo);
  w.ctx.close();
});
