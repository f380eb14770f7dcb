import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectPayment } from '../../electron/payments/collect.ts';
import { closeShift } from '../../electron/shifts/shifts.ts';
import { seedPayment, seedSnapshot } from '../helpers/seed.ts';
import { collectWorld, count } from '../helpers/collect-fixture.ts';

// The database itself keeps a payment's void, export marks and identity from being rewritten:
// these run raw SQL, as a bug or a hand edit would.

function world() {
  const w = collectWorld();
  const seeded = seedSnapshot(w.ctx, [
    {
      maKhang: 'PC12AA0000001',
      tenKhang: 'An',
      dchiKhang: 'Huế',
      bills: [
        { idHdon: 'A', thang: 10, nam: 2026, soTien: 100_000, tienGtgt: 10_000 },
        { idHdon: 'B', thang: 11, nam: 2026, soTien: 200_000, tienGtgt: 20_000 },
      ],
    },
    {
      maKhang: 'PC12AA0000002',
      tenKhang: 'Bình',
      dchiKhang: 'Huế',
      bills: [
        { idHdon: 'X1', thang: 11, nam: 2026, soTien: 1_000 },
        { idHdon: 'X2', thang: 11, nam: 2026, soTien: 2_000 },
      ],
    },
  ]);
  const paid = collectPayment(w.ctx, { customer: 'PC12AA0000001', cashierId: w.cashier.id, idempotencyKey: 'k1', tendered: 400_000 });
  const run = (sql: string, ...params: unknown[]) => () => w.ctx.sqlite.prepare(sql).run(...params);
  const voidSql = (at = '2026-11-27T05:00:00.000Z', reason = 'nhầm') =>
    run('UPDATE payments SET voided_at = ?, voided_by = ?, void_reason = ? WHERE id = ?', at, w.supervisor.id, reason, paid.paymentId);
  /** A clearing batch, made by the seed helper's exported payment of a bill of the second customer. */
  const batch = (idHdon: string) => {
    const id = seedPayment(w.ctx, seeded.ids.get('PC12AA0000002')!, [seeded.billIds.get(idHdon)!], { exported: true });
    return (w.ctx.sqlite.prepare('SELECT batch_id FROM payments WHERE id = ?').get(id) as { batch_id: number }).batch_id;
  };
  return { ...w, paid, run, voidSql, batch };
}

test('a void is written once, and its lines follow it (only 0 -> 1, only with the payment)', () => {
  const w = world();
  const id = w.paid.paymentId;
  assert.throws(w.run('UPDATE payment_lines SET voided = 1 WHERE payment_id = ?', id), /only with its payment's void/);
  assert.equal(count(w.ctx, 'payment_lines', 'voided = 1'), 0);

  w.voidSql()();
  assert.equal(count(w.ctx, 'payment_lines', `payment_id = ${id} AND voided = 1`), 2, 'the lines are voided with the payment');
  assert.throws(w.run('UPDATE payments SET voided_at = NULL, voided_by = NULL, void_reason = NULL WHERE id = ?', id), /void is written once/);
  assert.throws(w.voidSql('2026-11-27T06:00:00.000Z'), /void is written once/);
  assert.throws(w.voidSql('2026-11-27T05:00:00.000Z', 'khác'), /void is written once/);
  assert.throws(w.run('UPDATE payment_lines SET voided = 0 WHERE payment_id = ?', id), /only with its payment's void/);
  assert.doesNotThrow(w.run('UPDATE payment_lines SET voided = 1 WHERE payment_id = ?', id), 'setting the same value again is no change');
  assert.equal(count(w.ctx, 'payment_lines', 'voided = 0'), 0);

  const insertLine = (voided: number) =>
    w.run(
      `INSERT INTO payment_lines (payment_id, bill_id, id_hdon, loai_hdon, so_tien, tien_gtgt, tong_tien, voided)
       VALUES (?, NULL, NULL, 'DC', 1, 0, 1, ?)`,
      id,
      voided,
    );
  assert.throws(insertLine(0), /only with its payment's void/, 'a valid line in a voided payment would hold a bill');
  assert.doesNotThrow(insertLine(1));
  w.ctx.close();
});

test('a valid payment takes no voided line', () => {
  const w = world();
  assert.throws(
    w.run(
      `INSERT INTO payment_lines (payment_id, bill_id, id_hdon, loai_hdon, so_tien, tien_gtgt, tong_tien, voided)
       VALUES (?, NULL, NULL, 'DC', 1, 0, 1, 1)`,
      w.paid.paymentId,
    ),
    /only with its payment's void/,
  );
  w.ctx.close();
});

test('batch_id and void_batch_id are written once', () => {
  const w = world();
  const [b1, b2] = [w.batch('X1'), w.batch('X2')];
  const set = (column: string, value: number | null) => w.run(`UPDATE payments SET ${column} = ? WHERE id = ?`, value, w.paid.paymentId);
  assert.doesNotThrow(set('batch_id', b1));
  assert.doesNotThrow(set('batch_id', b1), 'the same value again is no change');
  assert.throws(set('batch_id', b2), /export mark is written once/);
  assert.throws(set('batch_id', null), /export mark is written once/);
  assert.doesNotThrow(set('void_batch_id', b1));
  assert.throws(set('void_batch_id', b2), /export mark is written once/);
  assert.throws(set('void_batch_id', null), /export mark is written once/);
  w.ctx.close();
});

test("a payment's identity, shift, cashier, amounts and tendered cash never change", () => {
  const w = world();
  for (const [column, value] of [
    ['receipt_year', 2027],
    ['receipt_seq', 42],
    ['shift_id', 99],
    ['cashier_id', w.supervisor.id],
    ['tendered', 500_000],
    ['tendered', null],
    ['request_hash', 'x'],
    ['total', 1],
  ] as const) {
    assert.throws(w.run(`UPDATE payments SET ${column} = ? WHERE id = ?`, value, w.paid.paymentId), /a payment is never changed/, column);
  }
  for (const [column, value] of [['id_hdon', 'Z'], ['loai_hdon', 'VC'], ['ky', 2], ['thang', 1], ['nam', 2025], ['dien_tthu', 9]] as const) {
    assert.throws(w.run(`UPDATE payment_lines SET ${column} = ? WHERE payment_id = ?`, value, w.paid.paymentId), /a payment line is never changed/, column);
  }
  w.ctx.close();
});

test('a payment of a closed shift is not voided, even by SQL', () => {
  const w = world();
  closeShift(w.ctx, { cashierId: w.cashier.id, countedCash: 0 });
  assert.throws(w.voidSql(), /shift is closed/);
  assert.equal(count(w.ctx, 'payment_lines', 'voided = 1'), 0);
  w.ctx.close();
});

test('[#3] a void written by SQL is refused from the collector, a supervisor linked to them by approvals, one added after the payment, or a cashier', () => {
  const w = world();
  const voidBy = (userId: number) => w.run('UPDATE payments SET voided_at = ?, voided_by = ?, void_reason = ? WHERE id = ?', '2026-11-27T05:00:00.000Z', userId, 'x', w.paid.paymentId);
  const late = w.user('GS05', 'supervisor', [w.head, w.supervisor]);
  const cashier = w.user('TN05', 'cashier', [w.head]);
  assert.throws(voidBy(w.cashier.id), /void: the voiding user collected the payment/);
  assert.throws(voidBy(w.head.id), /void: the voiding supervisor and the collector are linked by approvals/);
  assert.throws(voidBy(late.id), /void: the voiding supervisor was added after the payment/);
  assert.throws(voidBy(cashier.id), /void: only a supervisor voids/);
  assert.equal(count(w.ctx, 'payments', 'voided_at IS NOT NULL'), 0);
  voidBy(w.supervisor.id)();
  assert.equal(count(w.ctx, 'payments', 'voided_at IS NOT NULL'), 1);
  w.ctx.close();
});

test('[#3] who approved a user is written once: the database refuses a user without an approving supervisor, a rewritten approval or role', () => {
  const w = world();
  const insert = (approvedBy: number | null, coApprovedBy: number | null = null, role = 'cashier') =>
    w.run(
      `INSERT INTO users (code, name, role, pin_hash, created_at, approved_by, co_approved_by, added_after_payment_id)
       VALUES ('X1', 'X', ?, 'x', '2026-11-27T05:00:00.000Z', ?, ?, (SELECT COALESCE(MAX(id), 0) FROM payments))`,
      role,
      approvedBy,
      coApprovedBy,
    );
  assert.throws(insert(null), /a user is approved by a supervisor/);
  assert.throws(insert(w.cashier.id), /a user is approved by a supervisor/);
  assert.throws(insert(w.head.id, null, 'supervisor'), /a new supervisor needs two supervisors/);
  assert.throws(insert(w.head.id, w.head.id, 'supervisor'), /a new supervisor needs two supervisors/);
  assert.throws(w.run("UPDATE users SET added_after_payment_id = 0 WHERE code = 'GS01'"), /who approved a user is written once/);
  assert.throws(w.run('UPDATE users SET approved_by = NULL WHERE id = ?', w.cashier.id), /who approved a user is written once/);
  assert.throws(w.run("UPDATE users SET role = 'supervisor' WHERE id = ?", w.cashier.id), /who approved a user is written once/);
  assert.throws(w.run('DELETE FROM user_links'), /approval links are never changed/);
  assert.throws(w.run('UPDATE user_links SET ancestor_id = user_id'), /approval links are never changed/);
  insert(w.head.id)();
  assert.equal(count(w.ctx, 'user_links', `user_id = (SELECT id FROM users WHERE code = 'X1') AND ancestor_id = ${w.head.id}`), 1);
  w.ctx.close();
});
