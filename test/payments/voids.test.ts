import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectPayment } from '../../electron/payments/collect.ts';
import { reprintReceipt, voidPayment } from '../../electron/payments/voids.ts';
import { setSettings } from '../../electron/store/settings.ts';
import { closeShift, openShift } from '../../electron/shifts/shifts.ts';
import type { User } from '../../electron/users/users.ts';
import { verifyJournal } from '../../electron/store/journal.ts';
import type { ReceiptDocument, VoidSlipDocument } from '../../electron/core/documents.ts';
import { seedPayment, seedSnapshot } from '../helpers/seed.ts';
import { collectWorld, count, pointWorld, refusedWith, type PointWorld } from '../helpers/collect-fixture.ts';

/** One customer with bills of October, November and (a DC fee) December. */
function seedCustomer(w: PointWorld, tthaiCat = false) {
  return seedSnapshot(w.ctx, [
    {
      maKhang: 'PC12AA0000001',
      tenKhang: 'Lê Văn An',
      dchiKhang: '12 Lý Thường Kiệt',
      tthaiCat,
      bills: [
        { idHdon: 'HD-10', thang: 10, nam: 2026, soTien: 100_000, tienGtgt: 8_000 },
        { idHdon: 'HD-11', thang: 11, nam: 2026, soTien: 200_000, tienGtgt: 16_000 },
        ...(tthaiCat ? [] : [{ idHdon: 'DC-12', loaiHdon: 'DC' as const, thang: 12, nam: 2026, soTien: 30_000 }]),
      ],
    },
  ]);
}

function payAs(w: PointWorld, cashier: User, key: string, billIds?: string[]) {
  return collectPayment(w.ctx, { customer: 'PC12AA0000001', cashierId: cashier.id, idempotencyKey: key, ...(billIds ? { billIds } : {}) });
}

function voidAs(w: PointWorld, receiptNo: string, supervisor: User) {
  return voidPayment(w.ctx, { receiptNo, reason: 'nhầm', supervisorId: supervisor.id });
}

function world(tthaiCat = false) {
  const w = collectWorld();
  const seeded = seedCustomer(w, tthaiCat);
  const pay = (key: string, billIds?: string[]) => payAs(w, w.cashier, key, billIds ?? ['HD-10', 'HD-11']);
  return { ...w, seeded, pay };
}

/** A point whose only supervisor is GS01 (so GS01 alone may add the next supervisor), with the customer. */
function soloPoint() {
  const w = pointWorld();
  const s1 = w.user('GS01', 'supervisor', []);
  seedCustomer(w);
  return { ...w, s1 };
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

test('a supervisor does not void a payment they collected themselves; a supervisor with no approval link to them may', () => {
  const w = world();
  const collector = w.user('GS02', 'supervisor', [w.head, w.supervisor]);
  const other = w.user('GS03', 'supervisor', [w.head, w.supervisor]);
  openShift(w.ctx, { cashierId: collector.id, openingFloat: 0 });
  const own = payAs(w, collector, 'own');
  assert.throws(() => voidAs(w, own.receiptNo, collector), refusedWith('VOID_OWN_PAYMENT'));
  assert.equal(count(w.ctx, 'payments', 'voided_at IS NOT NULL'), 0);
  assert.equal(voidAs(w, own.receiptNo, other).receiptNo, own.receiptNo);
  w.ctx.close();
});

test("[#3] a supervisor's alter ego: a supervisor who collected adds a second supervisor, approving it alone, and voids with it: refused; the approver is recorded", () => {
  const w = soloPoint();
  openShift(w.ctx, { cashierId: w.s1.id, openingFloat: 0 });
  const paid = payAs(w, w.s1, 'k1');
  const alterEgo = w.user('GS02', 'supervisor', [w.s1]);
  assert.throws(() => voidAs(w, paid.receiptNo, alterEgo), refusedWith('VOID_LINKED_USERS'));
  assert.equal(count(w.ctx, 'payments', 'voided_at IS NOT NULL'), 0);
  assert.equal(count(w.ctx, 'journal', "kind = 'void'"), 0);
  const rows = w.ctx.sqlite.prepare('SELECT code, approved_by, co_approved_by FROM users ORDER BY id').all();
  assert.deepEqual(rows, [
    { code: 'GS01', approved_by: null, co_approved_by: null },
    { code: 'GS02', approved_by: w.s1.id, co_approved_by: null },
  ]);
  // Every user_added row names who did it: the approver, or the point's first user itself.
  const journal = w.ctx.sqlite.prepare("SELECT actor_id, payload FROM journal WHERE kind = 'user_added' ORDER BY id").all() as { actor_id: number; payload: string }[];
  assert.deepEqual(
    journal.map((j) => [j.actor_id, (JSON.parse(j.payload) as { approvedBy: number[] }).approvedBy]),
    [
      [w.s1.id, []],
      [w.s1.id, [w.s1.id]],
    ],
  );
  assert.equal(verifyJournal(w.ctx.sqlite).ok, true);
  w.ctx.close();
});

test('[#3] a chain of two alter egos: no supervisor voids a payment of someone linked to them by approvals, directly or through others', () => {
  const w = soloPoint();
  const s2 = w.user('GS02', 'supervisor', [w.s1]);
  // Two supervisors approve the third, but the same person holds both.
  const s3 = w.user('GS03', 'supervisor', [w.s1, s2]);
  const cashier = w.user('TN09', 'cashier', [s2]);
  for (const u of [w.s1, s2, cashier]) openShift(w.ctx, { cashierId: u.id, openingFloat: 0 });
  const byS1 = payAs(w, w.s1, 'k1', ['HD-10']);
  const byS2 = payAs(w, s2, 'k2', ['HD-11']);
  const byCashier = payAs(w, cashier, 'k3', ['DC-12']);
  for (const [paid, voider] of [
    [byS1, s2],
    [byS1, s3],
    [byS2, w.s1],
    [byS2, s3],
    [byCashier, s2],
    [byCashier, w.s1],
  ] as const) {
    assert.throws(() => voidAs(w, paid.receiptNo, voider), refusedWith('VOID_LINKED_USERS'), `${voider.code} voids ${paid.receiptNo}`);
  }
  assert.equal(count(w.ctx, 'payments', 'voided_at IS NOT NULL'), 0);
  w.ctx.close();
});

test("[#3] a cashier alter ego: the supervisor who added a cashier, or anyone who approved that supervisor, does not void the cashier's payments", () => {
  const w = world();
  const alterEgo = w.user('TN09', 'cashier', [w.supervisor]);
  openShift(w.ctx, { cashierId: alterEgo.id, openingFloat: 0 });
  const paid = payAs(w, alterEgo, 'k1');
  assert.throws(() => voidAs(w, paid.receiptNo, w.supervisor), refusedWith('VOID_LINKED_USERS'));
  assert.throws(() => voidAs(w, paid.receiptNo, w.head), refusedWith('VOID_LINKED_USERS'));
  assert.equal(count(w.ctx, 'payments', 'voided_at IS NOT NULL'), 0);
  w.ctx.close();
});

test('[#3] a supervisor added after a payment does not void it: an alter ego cannot be made once the money is in the drawer', () => {
  const w = soloPoint();
  const cashier = w.user('TN09', 'cashier', [w.s1]);
  openShift(w.ctx, { cashierId: cashier.id, openingFloat: 0 });
  const paid = payAs(w, cashier, 'k1', ['HD-10']);
  // Same approver as the cashier but no approval path between them: only the order in time tells.
  const late = w.user('GS02', 'supervisor', [w.s1]);
  assert.throws(() => voidAs(w, paid.receiptNo, late), refusedWith('VOID_SUPERVISOR_TOO_NEW'));
  assert.equal(count(w.ctx, 'payments', 'voided_at IS NOT NULL'), 0);
  w.ctx.close();
});

test('[#3] once a point has two supervisors, a new supervisor needs two different ones: one person alone cannot prepare a voiding alter ego', () => {
  const w = world();
  assert.throws(() => w.user('GS09', 'supervisor', [w.supervisor]), refusedWith('SECOND_SUPERVISOR_REQUIRED'));
  assert.throws(() => w.user('GS09', 'supervisor', [w.supervisor, w.supervisor]), refusedWith('SECOND_SUPERVISOR_REQUIRED'));
  assert.throws(() => w.user('GS09', 'supervisor', [w.supervisor, w.cashier]), refusedWith('SUPERVISOR_REQUIRED'));
  assert.throws(() => w.user('TN09', 'cashier', [w.cashier]), refusedWith('SUPERVISOR_REQUIRED'));
  assert.throws(() => w.user('TN09', 'cashier', []), refusedWith('APPROVAL_REQUIRED'));
  assert.equal(count(w.ctx, 'users'), 3);
  const third = w.user('GS09', 'supervisor', [w.supervisor, w.head]);
  assert.deepEqual(w.ctx.sqlite.prepare('SELECT approved_by, co_approved_by FROM users WHERE id = ?').get(third.id), {
    approved_by: w.supervisor.id,
    co_approved_by: w.head.id,
  });
  const row = w.ctx.sqlite.prepare("SELECT actor_id, payload FROM journal WHERE kind = 'user_added' ORDER BY id DESC LIMIT 1").get() as { actor_id: number; payload: string };
  assert.equal(row.actor_id, w.supervisor.id);
  assert.deepEqual((JSON.parse(row.payload) as { approvedBy: number[] }).approvedBy, [w.supervisor.id, w.head.id]);
  // A cashier still needs one supervisor.
  assert.equal(w.user('TN09', 'cashier', [w.supervisor]).role, 'cashier');
  w.ctx.close();
});

test("[#3] a normal point still voids: the deputy voids the cashiers' payments; the head who added the cashiers does not", () => {
  const w = world();
  const second = w.user('TN02', 'cashier', [w.head]);
  const a = w.pay('k1', ['HD-10']);
  assert.throws(() => voidAs(w, a.receiptNo, w.head), refusedWith('VOID_LINKED_USERS'));
  assert.equal(voidAs(w, a.receiptNo, w.supervisor).receiptNo, a.receiptNo);
  openShift(w.ctx, { cashierId: second.id, openingFloat: 0 });
  const b = payAs(w, second, 'k2', ['HD-10']);
  assert.equal(voidAs(w, b.receiptNo, w.supervisor).receiptNo, b.receiptNo);
  // The deputy's own collection: the head approved the deputy, so the head does not void it.
  openShift(w.ctx, { cashierId: w.supervisor.id, openingFloat: 0 });
  const c = payAs(w, w.supervisor, 'k3', ['HD-10']);
  assert.throws(() => voidAs(w, c.receiptNo, w.head), refusedWith('VOID_LINKED_USERS'));
  assert.equal(count(w.ctx, 'payments', 'voided_at IS NOT NULL'), 2);
  assert.equal(verifyJournal(w.ctx.sqlite).ok, true);
  w.ctx.close();
});
