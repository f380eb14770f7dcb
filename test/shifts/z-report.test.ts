import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectPayment } from '../../electron/payments/collect.ts';
import { closeShift } from '../../electron/shifts/shifts.ts';
import { setSettings } from '../../electron/store/settings.ts';
import { journalHead } from '../../electron/store/journal.ts';
import { printZReport, zReport } from '../../electron/shifts/z-report.ts';
import { zReportText } from '../../electron/cli/commands/report.ts';
import type { Ctx } from '../../electron/store/context.ts';
import { collectWorld } from '../helpers/collect-fixture.ts';
import { seedSnapshot } from '../helpers/seed.ts';

/** Marks a payment voided the way the void service does (payment + its lines). */
function voidBySql(ctx: Ctx, receiptNo: string, supervisorId: number): void {
  ctx.sqlite.transaction(() => {
    const { id } = ctx.sqlite
      .prepare("UPDATE payments SET voided_at = '2026-11-27T05:00:00.000Z', voided_by = ?, void_reason = 'thu nhầm' WHERE receipt_no = ? RETURNING id")
      .get(supervisorId, receiptNo) as { id: number };
    ctx.sqlite.prepare('UPDATE payment_lines SET voided = 1 WHERE payment_id = ?').run(id);
  })();
}

test('Z report of a shift: counts, first/last, totals by type, fees, voids, reprints, cash and chain head', () => {
  const { ctx, cashier, supervisor } = collectWorld();
  setSettings(ctx.sqlite, { reconnection_fee: 30_000 }, null, new Date('2026-11-27T01:00:00.000Z'));
  seedSnapshot(ctx, [
    {
      maKhang: 'PC12AA0000001', tenKhang: 'An', dchiKhang: 'x', tthaiCat: true,
      bills: [
        { idHdon: 'A1', thang: 9, nam: 2026, soTien: 100_000, tienGtgt: 8_000 },
        { idHdon: 'A2', loaiHdon: 'VC', thang: 10, nam: 2026, soTien: 10_000, tienGtgt: 800 },
      ],
    },
    { maKhang: 'PC12AA0000002', tenKhang: 'Bình', dchiKhang: 'y', bills: [{ idHdon: 'B1', thang: 10, nam: 2026, soTien: 50_000, tienGtgt: 4_000 }] },
    { maKhang: 'PC12AA0000003', tenKhang: 'Cường', dchiKhang: 'z', bills: [{ idHdon: 'C1', thang: 10, nam: 2026, soTien: 20_000, tienGtgt: 1_600 }] },
  ]);
  const a = collectPayment(ctx, { customer: 'PC12AA0000001', cashierId: cashier.id, idempotencyKey: 'k1' });
  const b = collectPayment(ctx, { customer: 'PC12AA0000002', cashierId: cashier.id, idempotencyKey: 'k2' });
  const c = collectPayment(ctx, { customer: 'PC12AA0000003', cashierId: cashier.id, idempotencyKey: 'k3' });
  voidBySql(ctx, b.receiptNo, supervisor.id);
  ctx.sqlite.prepare("INSERT INTO print_jobs (kind, payment_id, copy_no, document, created_at) VALUES ('reprint', ?, 1, '{}', '2026-11-27T05:00:00.000Z')").run(c.paymentId);

  const open = zReport(ctx, { shiftId: 1 });
  const valid = a.total + c.total;
  assert.equal(open.expectedCash, 500_000 + valid, 'an open shift shows what the drawer should hold');
  assert.equal(open.closedAt, null);

  const closed = closeShift(ctx, { cashierId: cashier.id, countedCash: 500_000 + valid - 1_000 });
  const r = zReport(ctx, { shiftId: closed.shiftId });
  assert.equal(r.scope, 'shift');
  assert.equal(r.receiptCount, 2);
  assert.equal(r.firstReceipt, a.receiptNo);
  assert.equal(r.lastReceipt, c.receiptNo);
  assert.deepEqual(r.totalsByType, { TD: 108_000 + 21_600, VC: 10_800, DC: 30_000 });
  assert.equal(r.feesCollected, 30_000);
  assert.equal(r.grandTotal, valid);
  assert.equal(r.grandTotal, r.totalsByType.TD + r.totalsByType.VC + r.totalsByType.DC);
  assert.deepEqual(r.voids, { count: 1, total: b.total, receipts: [b.receiptNo] });
  assert.equal(r.reprints, 1);
  assert.equal(r.openingFloat, 500_000);
  assert.equal(r.expectedCash, 500_000 + valid);
  assert.equal(r.countedCash, 500_000 + valid - 1_000);
  assert.equal(r.variance, -1_000);
  assert.equal(r.chainHead, journalHead(ctx.sqlite).hash);
  assert.equal(r.cashier?.code, 'TN01');
  assert.match(zReportText(r), /chênh lệch: -1\.000 ₫/);

  const { printJobId } = printZReport(ctx, { shiftId: closed.shiftId });
  const job = ctx.sqlite.prepare('SELECT kind, document FROM print_jobs WHERE id = ?').get(printJobId) as { kind: string; document: string };
  assert.equal(job.kind, 'z_report');
  assert.equal((JSON.parse(job.document) as { grandTotal: number }).grandTotal, valid);
  ctx.close();
});

test('Z report of a day covers payments paid in that local day only', () => {
  const { ctx, cashier, now } = collectWorld(new Date('2026-11-27T16:59:58.000Z')); // 23:59:58 local
  seedSnapshot(ctx, [
    { maKhang: 'PC12AA0000002', tenKhang: 'Bình', dchiKhang: 'y', bills: [{ idHdon: 'B1', thang: 10, nam: 2026, soTien: 50_000 }] },
    { maKhang: 'PC12AA0000003', tenKhang: 'Cường', dchiKhang: 'z', bills: [{ idHdon: 'C1', thang: 10, nam: 2026, soTien: 20_000 }] },
  ]);
  now.at = new Date('2026-11-27T16:59:59.000Z');
  collectPayment(ctx, { customer: 'PC12AA0000002', cashierId: cashier.id, idempotencyKey: 'k1' });
  now.at = new Date('2026-11-27T17:00:00.000Z'); // 00:00 local, the 28th
  collectPayment(ctx, { customer: 'PC12AA0000003', cashierId: cashier.id, idempotencyKey: 'k2' });
  const d27 = zReport(ctx, { day: '2026-11-27' });
  const d28 = zReport(ctx, { day: '2026-11-28' });
  assert.deepEqual([d27.receiptCount, d27.grandTotal, d27.scope, d27.shiftId], [1, 50_000, 'day', null]);
  assert.deepEqual([d28.receiptCount, d28.grandTotal], [1, 20_000]);
  assert.equal(d27.expectedCash, null);
  assert.throws(() => zReport(ctx, { day: '27/11/2026' }), { code: 'REPORT_DAY_INVALID' });
  assert.throws(() => zReport(ctx, { shiftId: 99 }), { code: 'SHIFT_NOT_FOUND' });
  ctx.close();
});
