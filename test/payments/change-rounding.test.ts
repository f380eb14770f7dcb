import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectPayment, type CollectRequest } from '../../electron/payments/collect.ts';
import { closeShift } from '../../electron/shifts/shifts.ts';
import { setSettings } from '../../electron/store/settings.ts';
import { verifyStore } from '../../electron/verify/verify.ts';
import { factsDiff, type PaymentFacts } from '../../electron/core/payment-facts.ts';
import { paymentState } from '../../electron/payments/payment-state.ts';
import { checkedDocument } from '../../electron/printing/document-check.ts';
import { encodeDocument } from '../../electron/devices/printer/encode-escpos.ts';
import { main } from '../../electron/cli/diemthu.ts';
import { decode } from '../escpos/decoder.ts';
import { seedSnapshot } from '../helpers/seed.ts';
import { collectWorld, count, refusedWith, type CollectWorld } from '../helpers/collect-fixture.ts';
import { captureIo } from '../helpers/capture-io.ts';
import { verifyCodes, withoutTriggers } from '../helpers/tamper.ts';

/** Hà owes 172.800 ₫, Bình 54.000 ₫. */
function world(step: 0 | 500 | 1000): CollectWorld {
  const w = collectWorld();
  seedSnapshot(w.ctx, [
    { maKhang: 'PC12AA0000001', tenKhang: 'Nguyễn Thị Hà', dchiKhang: '7 Nguyễn Trãi', bills: [{ idHdon: 'HD-H11', thang: 11, nam: 2026, soTien: 160_000, tienGtgt: 12_800 }] },
    { maKhang: 'PC12AA0000002', tenKhang: 'Trần Thị Bình', dchiKhang: '3 Hùng Vương', bills: [{ idHdon: 'HD-B11', thang: 11, nam: 2026, soTien: 50_000, tienGtgt: 4_000 }] },
  ]);
  setSettings(w.ctx.sqlite, { change_rounding: step }, w.head.id, w.ctx.clock());
  return w;
}

const pay = (w: CollectWorld, over: Partial<CollectRequest>) => collectPayment(w.ctx, { customer: 'PC12AA0000001', cashierId: w.cashier.id, idempotencyKey: `k-${Math.random()}`, ...over });

/** The receipt of a payment as the printer gets it (checked against its payment), decoded back from its ESC/POS bytes. */
function printedReceipt(w: CollectWorld, printJobId: number): string[] {
  const job = w.ctx.sqlite.prepare('SELECT id, kind, payment_id, document FROM print_jobs WHERE id = ?').get(printJobId) as Parameters<typeof checkedDocument>[1];
  return decode(encodeDocument(checkedDocument(w.ctx.sqlite, job), 0, { width: 576, mode: 'ascii' })).lines;
}

test('at 500 ₫: 200.000 for 172.800 hands back 27.000 and keeps 200, on the payment, its journal row, the receipt and the CLI', () => {
  const w = world(500);
  const paid = pay(w, { tendered: 200_000, changeStep: 500 });
  assert.equal(paid.change, 27_000);
  assert.equal(paid.changeRounding, 200);
  assert.deepEqual(w.ctx.sqlite.prepare('SELECT tendered, total, change_step, change_rounding FROM payments WHERE id = ?').get(paid.paymentId), {
    tendered: 200_000, total: 172_800, change_step: 500, change_rounding: 200,
  });
  const journaled = JSON.parse(w.ctx.sqlite.prepare("SELECT payload FROM journal WHERE kind = 'payment'").pluck().get() as string) as PaymentFacts;
  assert.equal(journaled.changeStep, 500);
  assert.equal(journaled.changeRounding, 200);
  assert.equal(verifyStore(w.ctx).ok, true);

  const lines = printedReceipt(w, paid.printJobId);
  assert.ok(lines.some((l) => /^Khach dua:\s+200\.000 d$/.test(l)), lines.join('\n'));
  assert.ok(lines.some((l) => /^Tra lai:\s+27\.000 d$/.test(l)), lines.join('\n'));
  assert.ok(lines.some((l) => /^Lam tron tien tra lai:\s+200 d$/.test(l)), lines.join('\n'));

  // Exact money, or no cash typed: nothing rounded, and the receipt has no rounding line.
  const exact = pay(w, { customer: 'PC12AA0000002', tendered: 54_000, changeStep: 500 });
  assert.deepEqual([exact.change, exact.changeRounding], [0, 0]);
  assert.ok(!printedReceipt(w, exact.printJobId).some((l) => l.startsWith('Lam tron')));
  w.ctx.close();
});

test('without cash handed over nothing is rounded, and the payment records no step', () => {
  const w = world(1000);
  const paid = pay(w, {});
  assert.deepEqual([paid.change, paid.changeRounding], [null, 0]);
  assert.deepEqual(w.ctx.sqlite.prepare('SELECT change_step, change_rounding FROM payments').get(), { change_step: 0, change_rounding: 0 });
  w.ctx.close();
});

test('the setting changed between the quote and Enter: refused with CHANGE_ROUNDING_CHANGED, nothing written; the new step goes through', () => {
  const w = world(0);
  setSettings(w.ctx.sqlite, { change_rounding: 1000 }, w.head.id, w.ctx.clock());
  const tables = ['payments', 'payment_lines', 'print_jobs', 'journal', 'receipt_counters'];
  const before = tables.map((t) => count(w.ctx, t));
  assert.throws(() => pay(w, { tendered: 200_000, changeStep: 0 }), refusedWith('CHANGE_ROUNDING_CHANGED'));
  assert.throws(() => pay(w, { tendered: 200_000, changeStep: 0 }), /Cách làm tròn tiền trả lại vừa được đổi \(nay: làm tròn xuống 1\.000 ₫\).*Chưa thu gì/);
  assert.deepEqual(tables.map((t) => count(w.ctx, t)), before);
  const paid = pay(w, { tendered: 200_000, changeStep: 1000 });
  assert.deepEqual([paid.change, paid.changeRounding], [27_000, 200]);
  w.ctx.close();
});

test('the drawer keeps the roundings: expected cash = float + collected + roundings − refunds at the close', () => {
  const w = world(1000);
  pay(w, { tendered: 200_000 }); // 172.800: 27.000 back, 200 kept
  pay(w, { customer: 'PC12AA0000002', tendered: 60_000 }); // 54.000: 6.000 back, 0 kept
  const closed = closeShift(w.ctx, { cashierId: w.cashier.id, countedCash: 500_000 + 172_800 + 54_000 + 200 });
  assert.equal(closed.rounded, 200);
  assert.equal(closed.expectedCash, 500_000 + 172_800 + 54_000 + 200);
  assert.equal(closed.variance, 0);
  w.ctx.close();
});

test('[attack] the rounding erased by SQL behind a dropped trigger (the cashier pockets it) is found by verify and the printer check', () => {
  const w = world(500);
  const paid = pay(w, { tendered: 200_000, changeStep: 500 });
  withoutTriggers(w.ctx, ['payments_rounding_fixed'], () => w.ctx.sqlite.prepare('UPDATE payments SET change_step = 0, change_rounding = 0 WHERE id = ?').run(paid.paymentId));
  assert.deepEqual(verifyCodes(w.ctx), ['DOCUMENT_MISMATCH', 'PAYMENT_CHANGED']);
  const changed = verifyStore(w.ctx).problems.find((p) => p.code === 'PAYMENT_CHANGED')!;
  assert.match(changed.message, new RegExp(`${paid.receiptNo}.*: changeRounding, changeStep\\.$`));
  w.ctx.close();
});

test('a payment journaled before roundings existed (no such facts) still agrees with its rows (step 0, rounding 0)', () => {
  const w = world(0);
  const paid = pay(w, { tendered: 200_000 });
  const { facts } = paymentState(w.ctx.sqlite, paid.paymentId)!;
  const { changeStep: _step, changeRounding: _rounding, ...older } = facts;
  assert.deepEqual(factsDiff(older, { ...facts }), []);
  assert.deepEqual(factsDiff(older, { ...facts, changeRounding: 200 }), ['changeRounding']);
  w.ctx.close();
});

test('diemthu collect --tendered prints and returns the change handed back and the rounding kept', async () => {
  const w = world(500);
  w.ctx.close();
  const io = captureIo();
  assert.equal(await main(['collect', 'PC12AA0000001', '--cashier', 'TN01', '--tendered', '200.000', '--data-dir', w.ctx.dataDir], io), 0, io.err());
  assert.match(io.out(), /Khách đưa: 200\.000 ₫ {2}Trả lại: 27\.000 ₫\nLàm tròn tiền trả lại: 200 ₫/);
  const json = captureIo();
  assert.equal(await main(['collect', 'PC12AA0000002', '--cashier', 'TN01', '--tendered', '100300', '--json', '--data-dir', w.ctx.dataDir], json), 0, json.err());
  const value = (JSON.parse(json.out()) as { value: { change: number; changeRounding: number; tendered: number } }).value;
  assert.deepEqual([value.tendered, value.change, value.changeRounding], [100_300, 46_000, 300]);
});
