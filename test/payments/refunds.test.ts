import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectPayment } from '../../electron/payments/collect.ts';
import { paymentState } from '../../electron/payments/payment-state.ts';
import { refundLines } from '../../electron/payments/refunds.ts';
import { resendLines } from '../../electron/cmis/resends.ts';
import { exportClearing } from '../../electron/cmis/write-clearing.ts';
import { importResult } from '../../electron/cmis/import-result.ts';
import { batchStates } from '../../electron/cmis/clearing-state.ts';
import { openConflicts } from '../../electron/cmis/snapshots.ts';
import { closeShift, openShift } from '../../electron/shifts/shifts.ts';
import { zReport } from '../../electron/shifts/z-report.ts';
import { verifyStore } from '../../electron/verify/verify.ts';
import { checkedDocument } from '../../electron/printing/document-check.ts';
import type { StoredJob } from '../../electron/printing/job-document.ts';
import { encodeDocument } from '../../electron/devices/printer/encode-escpos.ts';
import type { ClearingManifest } from '../../electron/cmis/stored-batch.ts';
import { batchBody } from '../../electron/sync/events.ts';
import { batchBody as batchBodySchema } from '../../protocol/payment.ts';
import { decode } from '../escpos/decoder.ts';
import { collectWorld, count, refusedWith } from '../helpers/collect-fixture.ts';
import { seedSnapshot } from '../helpers/seed.ts';
import { AN, BINH, R1, R2, answered } from '../helpers/answered-day.ts';

const slipLines = (ctx: ReturnType<typeof collectWorld>['ctx'], jobId: number) => {
  const job = ctx.sqlite.prepare('SELECT id, kind, payment_id, document FROM print_jobs WHERE id = ?').get(jobId) as StoredJob;
  assert.equal(job.kind, 'refund');
  return decode(encodeDocument(checkedDocument(ctx.sqlite, job), 0, { width: 576, mode: 'ascii' })).lines;
};

test('refund of a line CMIS rejected: cash out of the named cashier\'s open shift, a slip printed, journaled, the payment untouched, the batch closed', (t) => {
  const w = answered([`${R1},HD-A10,OK,`, `${R1},HD-A11,DA_GACH,Đã thu qua ngân hàng`, `${R2},HD-B11,OK,`]);
  t.after(() => w.ctx.close());
  const payment = w.ctx.sqlite.prepare('SELECT id FROM payments WHERE receipt_no = ?').pluck().get(R1) as number;
  const before = paymentState(w.ctx.sqlite, payment);
  assert.equal(batchStates(w.ctx.sqlite)[0]?.stage, 'answered');

  const r = refundLines(w.ctx, { receiptNo: R1, bills: ['HD-A11'], reason: 'Khách đã trả ở ngân hàng', supervisorId: w.supervisor.id, cashierId: w.cashier.id });
  assert.deepEqual([r.receiptNo, r.total, r.lines.map((l) => [l.idHdon, l.amount]), r.shiftId], [R1, 97_200, [['HD-A11', 97_200]], 1]);
  assert.deepEqual(paymentState(w.ctx.sqlite, payment), before, 'the payment and its lines are never altered');
  assert.equal(batchStates(w.ctx.sqlite)[0]?.stage, 'closed', 'every line OK or decided');

  const lines = slipLines(w.ctx, r.printJobId);
  const text = lines.join('\n');
  for (const want of [/PHIEU HOAN TIEN/, /PC12AA0000001/, /Le Van An/, new RegExp(R1), /HD-A11/, /97\.200/, /Khach da tra o ngan hang/, /DA_GACH/, /Khach hang ky/, /Thu ngan ky/, /Giam sat ky/, /TN01/, /GS01/]) {
    assert.match(text, want);
  }
  const journal = w.ctx.sqlite.prepare("SELECT actor_id, payload FROM journal WHERE kind = 'refund'").all() as { actor_id: number; payload: string }[];
  assert.equal(journal.length, 1);
  assert.equal(journal[0]!.actor_id, w.supervisor.id);
  assert.equal(JSON.parse(journal[0]!.payload).total, 97_200);

  // The drawer paid it: the shift's expected cash is lower by the refund, on the Z report and at the close.
  const z = zReport(w.ctx, { shiftId: 1 });
  assert.deepEqual(z.refunds, { count: 1, total: 97_200 });
  assert.equal(z.expectedCash, 500_000 + z.grandTotal - 97_200);
  const close = closeShift(w.ctx, { cashierId: w.cashier.id, countedCash: 500_000 + 259_200 - 97_200 });
  assert.deepEqual([close.expectedCash, close.variance], [500_000 + 259_200 - 97_200, 0]);
  assert.deepEqual(verifyStore(w.ctx).problems, []);
});

test('refund refused: a line OK or not answered, a bill not on the receipt, one person in both roles (also a linked identity), no open shift, a second time', (t) => {
  const w = answered([`${R1},HD-A10,OK,`, `${R1},HD-A11,SAI_SO_TIEN,CMIS 97.201`]);
  t.after(() => w.ctx.close());
  const refund = (bills: string[], over: Partial<Parameters<typeof refundLines>[1]> = {}) =>
    refundLines(w.ctx, { receiptNo: R1, bills, reason: 'sai số tiền', supervisorId: w.supervisor.id, cashierId: w.cashier.id, ...over });
  const untouched = () => [count(w.ctx, 'refunds'), count(w.ctx, 'refund_lines'), count(w.ctx, 'print_jobs'), count(w.ctx, 'journal', "kind = 'refund'")];
  const start = untouched();
  assert.throws(() => refund(['HD-A10']), refusedWith('LINE_NOT_REJECTED'));
  assert.throws(() => refundLines(w.ctx, { receiptNo: R2, bills: ['HD-B11'], reason: 'x', supervisorId: w.supervisor.id, cashierId: w.cashier.id }), refusedWith('LINE_NOT_REJECTED'));
  assert.throws(() => refund(['HD-B11']), refusedWith('DECISION_BILL_UNKNOWN'));
  assert.throws(() => refund(['HD-A11', 'HD-A11']), refusedWith('DECISION_BILL_UNKNOWN'));
  assert.throws(() => refund(['HD-A11'], { reason: '  ' }), refusedWith('REFUND_REASON_REQUIRED'));
  assert.throws(() => refund(['HD-A11'], { supervisorId: w.cashier.id }), refusedWith('SUPERVISOR_REQUIRED'));
  // The deputy pays out of a shift of their own and decides too: one person.
  openShift(w.ctx, { cashierId: w.supervisor.id, openingFloat: 0 });
  assert.throws(() => refund(['HD-A11'], { cashierId: w.supervisor.id }), refusedWith('REFUND_SAME_PERSON'));
  // The head approved the cashier: possibly the same person's second identity.
  assert.throws(() => refund(['HD-A11'], { supervisorId: w.head.id }), (e: Error & { code?: string }) => e.code === 'REFUND_LINKED_USERS' && /GS00 → TN01/.test(e.message));
  const idle = w.user('TN02', 'cashier', [w.head]);
  assert.throws(() => refund(['HD-A11'], { cashierId: idle.id }), refusedWith('SHIFT_NOT_OPEN'));
  assert.throws(() => refund(['HD-A11'], { receiptNo: 'DT0001-26-000099' }), refusedWith('RECEIPT_NOT_FOUND'));
  assert.deepEqual(untouched(), start, 'nothing written by a refusal');

  refund(['HD-A11']);
  assert.throws(() => refund(['HD-A11']), refusedWith('LINE_ALREADY_DECIDED'));
  assert.throws(() => resendLines(w.ctx, { receiptNo: R1, bills: ['HD-A11'], supervisorId: w.supervisor.id }), refusedWith('LINE_ALREADY_DECIDED'));
  // The database itself: a second refund of the line, a resend of it, a refund by one person alone, an edit.
  const s = w.ctx.sqlite;
  const line = s.prepare("SELECT id FROM payment_lines WHERE id_hdon = 'HD-A11'").pluck().get() as number;
  assert.throws(() => s.prepare("INSERT INTO refund_lines (refund_id, payment_line_id, amount) VALUES (1, ?, 97200)").run(line), /UNIQUE|PRIMARY KEY/);
  const resend = Number(s.prepare("INSERT INTO resends (payment_id, supervisor_id, decided_at) VALUES (1, ?, 'x')").run(w.supervisor.id).lastInsertRowid);
  assert.throws(() => s.prepare('INSERT INTO resend_lines (resend_id, payment_line_id) VALUES (?, ?)').run(resend, line), /the line was refunded/);
  assert.throws(
    () => s.prepare("INSERT INTO refunds (payment_id, shift_id, cashier_id, supervisor_id, reason, refunded_at) VALUES (1, ?, ?, ?, 'x', 'x')").run(2, w.supervisor.id, w.supervisor.id),
    /two people/,
  );
  assert.throws(() => s.prepare("INSERT INTO refunds (payment_id, shift_id, cashier_id, supervisor_id, reason, refunded_at) VALUES (1, 1, ?, ?, 'x', 'x')").run(w.cashier.id, w.head.id), /linked by approvals/);
  assert.throws(() => s.prepare('UPDATE refund_lines SET amount = 1').run(), /never changed/);
  assert.throws(() => s.prepare('DELETE FROM refunds').run(), /never changed/);
});

test('a "trùng thu" conflict (paid here, not exported, gone from the new snapshot) may be refunded; a bill still listed may not', (t) => {
  const w = collectWorld();
  t.after(() => w.ctx.close());
  seedSnapshot(w.ctx, [
    { ...AN, bills: [{ idHdon: 'HD-A10', thang: 10, nam: 2026, soTien: 100_000, tienGtgt: 8_000 }] },
    { ...BINH, bills: [{ idHdon: 'HD-B11', thang: 11, nam: 2026, soTien: 50_000, tienGtgt: 4_000 }] },
  ]);
  const a = collectPayment(w.ctx, { customer: AN.maKhang, cashierId: w.cashier.id, idempotencyKey: 'k-1' });
  collectPayment(w.ctx, { customer: BINH.maKhang, cashierId: w.cashier.id, idempotencyKey: 'k-2' });
  const args = { reason: 'Khách đã trả ở ngân hàng', supervisorId: w.supervisor.id, cashierId: w.cashier.id };
  assert.throws(() => refundLines(w.ctx, { receiptNo: a.receiptNo, bills: ['HD-A10'], ...args }), refusedWith('LINE_NOT_REJECTED'));
  // The next snapshot lists Bình's bill and no longer An's: An paid twice.
  seedSnapshot(w.ctx, [{ ...AN, bills: [] }, { ...BINH, bills: [{ idHdon: 'HD-B11', thang: 11, nam: 2026, soTien: 50_000, tienGtgt: 4_000 }] }], '2026-11-28T00:30:00.000Z');
  assert.deepEqual(openConflicts(w.ctx.sqlite).map((c) => c.idHdon), ['HD-A10'], 'listed for refund');
  const r = refundLines(w.ctx, { receiptNo: a.receiptNo, bills: ['HD-A10'], ...args });
  assert.equal(r.total, 108_000);
  assert.deepEqual(openConflicts(w.ctx.sqlite), [], 'refunded: no longer waiting for a decision');
  assert.match(slipLines(w.ctx, r.printJobId).join('\n'), /trung thu/i);
  assert.throws(() => refundLines(w.ctx, { receiptNo: R2, bills: ['HD-B11'], ...args }), refusedWith('LINE_NOT_REJECTED'));
  assert.deepEqual(verifyStore(w.ctx).problems, []);
});

test('resend: the rejected line goes once into the next batch (its row as first sent, listed as resent in the manifest); CMIS answers it there; rejected again it may be refunded', (t) => {
  const w = answered([`${R1},HD-A10,OK,`, `${R1},HD-A11,LOI,Lỗi kết nối`, `${R2},HD-B11,OK,`]);
  t.after(() => w.ctx.close());
  const first = readFileSync(join(w.dir, 'usb1', 'GACHNO_DT0001_20261127_01.csv'), 'utf8').split('\r\n');
  const resent = resendLines(w.ctx, { receiptNo: R1, bills: ['HD-A11'], supervisorId: w.supervisor.id });
  assert.deepEqual(resent.lines.map((l) => l.idHdon), ['HD-A11']);
  assert.equal(batchStates(w.ctx.sqlite)[0]?.stage, 'closed');
  assert.throws(() => resendLines(w.ctx, { receiptNo: R1, bills: ['HD-A11'], supervisorId: w.supervisor.id }), refusedWith('LINE_ALREADY_DECIDED'));
  assert.throws(() => resendLines(w.ctx, { receiptNo: R1, bills: ['HD-A10'], supervisorId: w.supervisor.id }), refusedWith('LINE_NOT_REJECTED'));
  assert.throws(() => resendLines(w.ctx, { receiptNo: R1, bills: ['HD-A11'], supervisorId: w.cashier.id }), refusedWith('SUPERVISOR_REQUIRED'));
  const refund = () => refundLines(w.ctx, { receiptNo: R1, bills: ['HD-A11'], reason: 'CMIS không nhận', supervisorId: w.supervisor.id, cashierId: w.cashier.id });
  assert.throws(refund, refusedWith('LINE_ALREADY_DECIDED'), 'on its way to CMIS again: not refunded meanwhile');

  // Nothing new collected: the resent line alone makes the next batch.
  const second = exportClearing(w.ctx, { outDir: join(w.dir, 'usb2') });
  assert.equal(second.code, 'EXPORTED');
  const m = (second as { manifest: ClearingManifest }).manifest;
  const csv = readFileSync(join(w.dir, 'usb2', m.csvFile), 'utf8').split('\r\n');
  assert.deepEqual(csv.slice(0, 2), [first[0], first.find((l) => l.includes('HD-A11'))], 'the same row as first sent');
  assert.deepEqual([m.rowCount, m.totalTongTien, m.firstReceipt, m.lastReceipt], [1, 97_200, R1, R1]);
  assert.deepEqual(m.resent, [{ receiptNo: R1, idHdon: 'HD-A11', tongTien: 97_200, firstCsvFile: 'GACHNO_DT0001_20261127_01.csv' }]);
  assert.equal(m.smsMessages, 0, 'no second payment confirmation');
  // The company's server holds the line in the batch that first carried its receipt: this batch has no payment of its own.
  const body = batchBody(w.ctx.sqlite, m.batchId);
  assert.deepEqual([body.rowCount, body.totalTongTien, body.receipts], [0, 0, []]);
  assert.equal(batchBodySchema.safeParse(body).success, true);
  assert.equal(exportClearing(w.ctx, { outDir: join(w.dir, 'usb3') }).code, 'EXPORT_NOTHING_NEW', 'resent once');
  assert.throws(refund, refusedWith('LINE_ALREADY_DECIDED'), 'sent again, not answered yet');

  const again = importResult(w.ctx, w.result('KQGACHNO_DT0001_20261127_02.csv', [`${R1},HD-A11,SAI_SO_TIEN,CMIS 97.201`]));
  assert.deepEqual([again.status, again.missing], ['recorded', []]);
  assert.equal(batchStates(w.ctx.sqlite)[0]?.stage, 'answered');
  assert.equal(refund().total, 97_200);
  assert.deepEqual(batchStates(w.ctx.sqlite).map((s) => s.stage), ['closed', 'closed']);
  assert.deepEqual(verifyStore(w.ctx).problems, []);
});
