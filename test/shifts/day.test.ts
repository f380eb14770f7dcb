import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectPayment } from '../../electron/payments/collect.ts';
import { reprintReceipt, voidPayment } from '../../electron/payments/voids.ts';
import { closeShift, openShift } from '../../electron/shifts/shifts.ts';
import { printZReport, reprintZReport } from '../../electron/shifts/z-report.ts';
import { supervisorDay } from '../../electron/shifts/day.ts';
import { printReceiptList } from '../../electron/shifts/receipt-list.ts';
import { checkedDocument } from '../../electron/printing/document-check.ts';
import { encodeDocument } from '../../electron/devices/printer/encode-escpos.ts';
import type { PrintDocument } from '../../electron/core/documents.ts';
import { collectWorld } from '../helpers/collect-fixture.ts';
import { seedSnapshot, type SeedCustomer } from '../helpers/seed.ts';
import { decode } from '../escpos/decoder.ts';

const customer = (n: number, bills: SeedCustomer['bills']): SeedCustomer => ({ maKhang: `PC12AA000000${n}`, tenKhang: `Khách ${n}`, dchiKhang: 'x', bills });

/** Two cashiers' shifts on 27/11 (Việt Nam), both closed: TN01 two receipts (one voided, one reprinted), TN02 one with a VC bill. */
function twoCashiersDay() {
  const w = collectWorld(new Date('2026-11-27T02:00:00.000Z'));
  const { ctx, cashier, supervisor, head } = w;
  const second = w.user('TN02', 'cashier', [head]);
  seedSnapshot(ctx, [
    customer(1, [{ idHdon: 'A1', thang: 10, nam: 2026, soTien: 100_000, tienGtgt: 8_000 }]),
    customer(2, [{ idHdon: 'B1', thang: 10, nam: 2026, soTien: 50_000, tienGtgt: 4_000 }]),
    customer(3, [{ idHdon: 'C1', loaiHdon: 'VC', thang: 10, nam: 2026, soTien: 10_000, tienGtgt: 800 }]),
  ]);
  const a = collectPayment(ctx, { customer: 'PC12AA0000001', cashierId: cashier.id, idempotencyKey: 'k1' });
  const b = collectPayment(ctx, { customer: 'PC12AA0000002', cashierId: cashier.id, idempotencyKey: 'k2' });
  voidPayment(ctx, { receiptNo: b.receiptNo, reason: 'thu nhầm', supervisorId: supervisor.id });
  reprintReceipt(ctx, { receiptNo: a.receiptNo, actorId: cashier.id });
  const first = closeShift(ctx, { cashierId: cashier.id, countedCash: 500_000 + a.total });
  printZReport(ctx, { shiftId: first.shiftId });
  openShift(ctx, { cashierId: second.id, openingFloat: 200_000 });
  const c = collectPayment(ctx, { customer: 'PC12AA0000003', cashierId: second.id, idempotencyKey: 'k3' });
  const secondClosed = closeShift(ctx, { cashierId: second.id, countedCash: 200_000 + c.total });
  printZReport(ctx, { shiftId: secondClosed.shiftId });
  return { ...w, second, a, b, c, first, secondClosed };
}

const jobOf = (w: ReturnType<typeof twoCashiersDay>, id: number) =>
  w.ctx.sqlite.prepare('SELECT id, kind, payment_id, copy_no, document FROM print_jobs WHERE id = ?').get(id) as { id: number; kind: string; payment_id: number | null; copy_no: number; document: string };

test("the supervisor's day: every cashier's receipts, voids, reprints; by bill type; the shifts closed that day, the last first", (t) => {
  const w = twoCashiersDay();
  t.after(() => w.ctx.close());
  const day = supervisorDay(w.ctx, '2026-11-27');
  assert.deepEqual(
    day.cashiers.map((c) => [c.code, c.receipts, c.total, c.voids, c.voidedTotal, c.reprints, c.refunds]),
    [
      ['TN01', 1, w.a.total, 1, w.b.total, 1, 0],
      ['TN02', 1, w.c.total, 0, 0, 0, 0],
    ],
  );
  assert.deepEqual(day.report.totalsByType, { TD: 108_000, VC: 10_800, DC: 0 });
  assert.deepEqual(day.report.counts, { TD: 1, VC: 1, DC: 0, fees: 0 });
  assert.equal(day.report.grandTotal, day.cashiers.reduce((s, c) => s + c.total, 0), 'the cashiers add up to the day');
  assert.deepEqual(day.closings.map((s) => [s.shiftId, s.cashier.code, s.receipts, s.total]), [
    [w.secondClosed.shiftId, 'TN02', 1, w.c.total],
    [w.first.shiftId, 'TN01', 1, w.a.total],
  ]);
  const other = supervisorDay(w.ctx, '2026-11-26');
  assert.deepEqual([other.cashiers, other.closings, other.report.grandTotal], [[], [], 0], 'another day has none of it');
  assert.throws(() => supervisorDay(w.ctx, '2026-13-01'), { code: 'REPORT_DAY_INVALID' });
});

test("a past shift's Z report is reprinted as the stored document with the next copy number, journaled, and prints as 'BẢN SAO lần n'", (t) => {
  const w = twoCashiersDay();
  t.after(() => w.ctx.close());
  const one = reprintZReport(w.ctx, { shiftId: w.first.shiftId }, w.supervisor.id);
  const two = reprintZReport(w.ctx, { shiftId: w.first.shiftId }, w.supervisor.id);
  assert.deepEqual([one.copyNo, two.copyNo], [1, 2]);
  const original = w.ctx.sqlite.prepare("SELECT id, document FROM print_jobs WHERE kind = 'z_report' AND copy_no = 0 AND json_extract(document, '$.shiftId') = ?").get(w.first.shiftId) as { id: number; document: string };
  const copy = jobOf(w, two.printJobId);
  assert.equal(copy.document, original.document, 'the same document, not a new report');
  assert.equal(checkedDocument(w.ctx.sqlite, copy).kind, 'z_report', 'the printer accepts the copy (its journal row is the original one)');
  const journaled = w.ctx.sqlite.prepare("SELECT actor_id, payload FROM journal WHERE kind = 'reprint' ORDER BY id DESC LIMIT 1").get() as { actor_id: number; payload: string };
  assert.equal(journaled.actor_id, w.supervisor.id);
  assert.deepEqual(JSON.parse(journaled.payload), { document: 'z_report', jobId: two.printJobId, originalJobId: original.id, copyNo: 2, scope: 'shift', day: '2026-11-27', shiftId: w.first.shiftId });
  const lines = decode(encodeDocument(JSON.parse(copy.document) as PrintDocument, copy.copy_no, { width: 576, mode: 'ascii' })).lines;
  assert.ok(lines.includes('BAN SAO lan 2'), lines.join('\n'));

  // The day's report: none stored after the day ended, so a new (final) one is made; the next is its copy.
  w.now.at = new Date('2026-11-28T01:00:00.000Z');
  const day = reprintZReport(w.ctx, { day: '2026-11-27' }, w.supervisor.id);
  assert.equal(day.copyNo, 0);
  assert.equal(day.report.grandTotal, w.a.total + w.c.total);
  assert.equal(reprintZReport(w.ctx, { day: '2026-11-27' }, w.supervisor.id).copyNo, 1);
  // An open shift has no final report yet.
  const open = openShift(w.ctx, { cashierId: w.cashier.id, openingFloat: 0 });
  assert.throws(() => reprintZReport(w.ctx, { shiftId: open.id }, w.supervisor.id), { code: 'SHIFT_STILL_OPEN' });
  assert.throws(() => reprintZReport(w.ctx, { shiftId: 999 }, w.supervisor.id), { code: 'SHIFT_NOT_FOUND' });
});

test('the receipt list of a shift and of a day prints at 80 and 58 mm: every number, voided ones marked, the valid total; a list edited after it was made is refused', (t) => {
  const w = twoCashiersDay();
  t.after(() => w.ctx.close());
  const shift = printReceiptList(w.ctx, { shiftId: w.first.shiftId }, w.supervisor.id);
  assert.deepEqual(shift.list.receipts.map((r) => [r.receiptNo, r.voided]), [[w.a.receiptNo, false], [w.b.receiptNo, true]]);
  assert.deepEqual([shift.list.validCount, shift.list.voidedCount, shift.list.validTotal], [1, 1, w.a.total]);
  const day = printReceiptList(w.ctx, { day: '2026-11-27' }, w.supervisor.id);
  assert.deepEqual(day.list.receipts.map((r) => [r.receiptNo, r.cashierCode]), [[w.a.receiptNo, 'TN01'], [w.b.receiptNo, 'TN01'], [w.c.receiptNo, 'TN02']]);
  assert.equal(day.list.validTotal, w.a.total + w.c.total);

  const job = jobOf(w, day.printJobId);
  assert.equal(job.kind, 'receipt_list');
  const doc = checkedDocument(w.ctx.sqlite, job);
  for (const width of [576, 384] as const) {
    const lines = decode(encodeDocument(doc, 0, { width, mode: 'ascii' })).lines;
    const text = lines.join('\n');
    assert.ok(lines.includes('BANG KE BIEN NHAN'), text);
    for (const r of day.list.receipts) assert.ok(lines.some((l) => l.includes(r.receiptNo)), `${r.receiptNo} at ${width}\n${text}`);
    assert.ok(lines.some((l) => l.includes(w.b.receiptNo) && /HUY/.test(l)), `the voided receipt is marked\n${text}`);
    const total = lines.find((l) => l.startsWith('TONG THU:'));
    assert.equal(Number(/([\d.]+)\D*$/.exec(total ?? '')?.[1]?.replaceAll('.', '')), w.a.total + w.c.total, text);
    assert.ok(lines.every((l) => l.length <= (width === 576 ? 48 : 32)), `no line wider than the paper at ${width}`);
  }
  // A hand edit of the stored list (a receipt dropped) no longer matches its journal row.
  const edited = { ...job, document: JSON.stringify({ ...JSON.parse(job.document), receipts: [] }) };
  assert.throws(() => checkedDocument(w.ctx.sqlite, edited), { code: 'PRINT_DOCUMENT_MISMATCH' });
});

test('"trùng thu" conflicts are listed by receipt with customer, bills and amount, whatever day is shown, until refunded', (t) => {
  const w = twoCashiersDay();
  t.after(() => w.ctx.close());
  assert.deepEqual(supervisorDay(w.ctx, '2026-11-27').conflicts, []);
  // The next morning CMIS no longer lists A1 (paid here, not exported) nor C1: both were paid twice.
  seedSnapshot(w.ctx, [customer(2, [{ idHdon: 'B1', thang: 10, nam: 2026, soTien: 50_000, tienGtgt: 4_000 }])], '2026-11-28T00:30:00.000Z');
  const conflicts = supervisorDay(w.ctx, '2026-11-30').conflicts;
  assert.deepEqual(
    conflicts.map((c) => [c.receiptNo, c.maKhang, c.tenKhang, c.bills.map((b) => b.idHdon), c.amount]),
    [
      [w.a.receiptNo, 'PC12AA0000001', 'Khách 1', ['A1'], 108_000],
      [w.c.receiptNo, 'PC12AA0000003', 'Khách 3', ['C1'], 10_800],
    ],
  );
});
