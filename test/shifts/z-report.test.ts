import { test } from 'node:test';
import fc from 'fast-check';
import assert from 'node:assert/strict';
import { collectPayment, quoteSelection } from '../../electron/payments/collect.ts';
import { lookupCode } from '../../electron/customers/find.ts';
import { CHANGE_STEPS } from '../../electron/core/change-rounding.ts';
import { voidPayment } from '../../electron/payments/voids.ts';
import { closeShift } from '../../electron/shifts/shifts.ts';
import { refundLines } from '../../electron/payments/refunds.ts';
import { setSettings } from '../../electron/store/settings.ts';
import { journalHead } from '../../electron/store/journal.ts';
import { printZReport, zReport } from '../../electron/shifts/z-report.ts';
import { zReportText } from '../../electron/cli/commands/report.ts';
import type { Ctx } from '../../electron/store/context.ts';
import { collectWorld } from '../helpers/collect-fixture.ts';
import { seedSnapshot } from '../helpers/seed.ts';
import { encodeDocument } from '../../electron/devices/printer/encode-escpos.ts';
import { decode } from '../escpos/decoder.ts';

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
  assert.deepEqual(r.totalsByType, { TD: 108_000 + 21_600, VC: 10_800, DC: 0 }, 'the fee is not a DC bill');
  assert.equal(r.feesCollected, 30_000);
  assert.equal(r.grandTotal, valid);
  assert.equal(r.grandTotal, r.totalsByType.TD + r.totalsByType.VC + r.totalsByType.DC + r.feesCollected);
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

test('the printed Z report adds up: TD + VC + DC bills + fees charged here = TỔNG THU, each counted once', () => {
  const { ctx, cashier } = collectWorld();
  setSettings(ctx.sqlite, { reconnection_fee: 330_000 }, null, new Date('2026-11-27T01:00:00.000Z'));
  seedSnapshot(ctx, [
    // cut, with a DC bill in the snapshot: that bill is the fee (nothing from the settings)
    {
      maKhang: 'PC12AA0000001', tenKhang: 'An', dchiKhang: 'x', tthaiCat: true,
      bills: [
        { idHdon: 'A1', thang: 10, nam: 2026, soTien: 450_000, tienGtgt: 36_000 },
        { idHdon: 'A2', loaiHdon: 'DC', thang: 11, nam: 2026, soTien: 330_000, tienGtgt: 0 },
      ],
    },
    // cut, no DC bill: the settings fee is charged here
    { maKhang: 'PC12AA0000002', tenKhang: 'Bình', dchiKhang: 'y', tthaiCat: true, bills: [{ idHdon: 'B1', loaiHdon: 'VC', thang: 10, nam: 2026, soTien: 10_000, tienGtgt: 800 }] },
  ]);
  const a = collectPayment(ctx, { customer: 'PC12AA0000001', cashierId: cashier.id, idempotencyKey: 'k1' });
  const b = collectPayment(ctx, { customer: 'PC12AA0000002', cashierId: cashier.id, idempotencyKey: 'k2' });
  const r = zReport(ctx, { shiftId: 1 });
  assert.deepEqual(r.totalsByType, { TD: 486_000, VC: 10_800, DC: 330_000 });
  assert.equal(r.feesCollected, 330_000);
  assert.equal(r.grandTotal, a.total + b.total);

  const lines = decode(encodeDocument(r, 0, { width: 576, mode: 'ascii' })).lines;
  const amount = (label: RegExp) => {
    const line = lines.find((l) => label.test(l));
    assert.ok(line !== undefined, `${label} is printed in\n${lines.join('\n')}`);
    assert.match(line, /\d\s*\S*$/, line);
    return Number(/([\d.]+) ?(?:đ|d|₫)?\s*$/.exec(line)![1]!.replaceAll('.', ''));
  };
  const parts = [/^Tien dien \(1\):/, /^Tien cong suat phan khang \(1\):/, /^Phi dong cat dien \(1\):/, /^Phi dong dien lai tai quay \(1\):/].map(amount);
  assert.deepEqual(parts, [486_000, 10_800, 330_000, 330_000]);
  assert.equal(parts.reduce((s, x) => s + x, 0), amount(/^TONG THU:/));
  assert.ok(!lines.some((l) => /dieu chinh/i.test(l)), 'DC is the disconnection/reconnection fee, not an adjustment');
  ctx.close();
});

test('property: for any day and shift, the printed Z report parts (per bill type and fees, with their counts) add up to the printed total, and float + total + change roundings - refunds = expected cash', () => {
  const bill = fc.record({ loaiHdon: fc.constantFrom('TD', 'VC', 'DC'), soTien: fc.integer({ min: 1, max: 50_000_000 }), tienGtgt: fc.integer({ min: 0, max: 5_000_000 }) });
  // refunded: the next snapshot no longer lists the customer's bills ("trùng thu"), and a supervisor refunds them
  // over: cash handed over beyond the total (none: not typed), its change rounded at the point's step
  const customer = fc.record({ cut: fc.boolean(), bills: fc.array(bill, { minLength: 1, maxLength: 4 }), voided: fc.boolean(), refunded: fc.boolean(), over: fc.option(fc.integer({ min: 0, max: 600_000 })) });
  fc.assert(
    fc.property(fc.array(customer, { minLength: 1, maxLength: 6 }), fc.integer({ min: 0, max: 1_000_000 }), fc.constantFrom(...CHANGE_STEPS), (customers, fee, step) => {
      const { ctx, cashier, supervisor } = collectWorld();
      try {
        setSettings(ctx.sqlite, { reconnection_fee: fee, change_rounding: step }, null, new Date('2026-11-27T01:00:00.000Z'));
        seedSnapshot(
          ctx,
          customers.map((c, i) => ({
            maKhang: `PC12AA${String(i).padStart(7, '0')}`, tenKhang: `Khách ${i}`, dchiKhang: 'x', tthaiCat: c.cut,
            bills: c.bills.map((b, j) => ({ ...b, idHdon: `H${i}-${j}`, thang: 1 + j, nam: 2026 })),
          })),
        );
        const paid = customers.map((c, i) => {
          const code = `PC12AA${String(i).padStart(7, '0')}`;
          const tendered = c.over === null ? {} : { tendered: quoteSelection(ctx.sqlite, lookupCode(ctx, code)!).total + c.over };
          return { c, p: collectPayment(ctx, { customer: code, cashierId: cashier.id, idempotencyKey: `k${i}`, ...tendered }) };
        });
        for (const { c, p } of paid) if (c.voided) voidPayment(ctx, { receiptNo: p.receiptNo, reason: 'thu nhầm', supervisorId: supervisor.id });
        const refunded = paid.filter(({ c }) => c.refunded && !c.voided);
        seedSnapshot(
          ctx,
          customers.map((c, i) => ({ maKhang: `PC12AA${String(i).padStart(7, '0')}`, tenKhang: `Khách ${i}`, dchiKhang: 'x', tthaiCat: c.cut, bills: c.refunded ? [] : c.bills.map((b, j) => ({ ...b, idHdon: `H${i}-${j}`, thang: 1 + j, nam: 2026 })) })),
          '2026-11-27T06:00:00.000Z',
        );
        const refunds = refunded.map(({ c, p }) => {
          const i = customers.indexOf(c);
          return refundLines(ctx, { receiptNo: p.receiptNo, bills: c.bills.map((_, j) => `H${i}-${j}`), reason: 'trùng thu', supervisorId: supervisor.id, cashierId: cashier.id });
        });
        const refundTotal = refunds.reduce((s, x) => s + x.total, 0);
        for (const scope of [{ shiftId: 1 }, { day: '2026-11-27' }]) {
          const r = zReport(ctx, scope);
          const lines = decode(encodeDocument(r, 0, { width: 576, mode: 'ascii' })).lines;
          const printed = (label: RegExp) => {
            const match = lines.map((l) => label.exec(l)).find((m) => m !== null);
            assert.ok(match, `${label} in\n${lines.join('\n')}`);
            return { count: Number(match[1] ?? 0), amount: Number(match[2]!.replaceAll('.', '')) };
          };
          const parts = [/^Tien dien \((\d+)\):\s+([\d.]+) d$/, /^Tien cong suat phan khang \((\d+)\):\s+([\d.]+) d$/, /^Phi dong cat dien \((\d+)\):\s+([\d.]+) d$/, /^Phi dong dien lai tai quay \((\d+)\):\s+([\d.]+) d$/].map(printed);
          const total = printed(/^TONG THU:()\s+([\d.]+) d$/).amount;
          const kept = paid.filter(({ c }) => !c.voided);
          assert.equal(parts.reduce((s, x) => s + x.amount, 0), total);
          assert.equal(total, kept.reduce((s, { p }) => s + p.total, 0));
          const lineCount = ctx.sqlite.prepare('SELECT COUNT(*) FROM payment_lines l JOIN payments p ON p.id = l.payment_id WHERE p.voided_at IS NULL').pluck().get();
          assert.equal(parts.reduce((s, x) => s + x.count, 0), lineCount);
          assert.deepEqual(printed(/^Hoan tien \((\d+)\):\s+([\d.]+) d$/), { count: refunds.length, amount: refundTotal });
          const rounded = kept.filter(({ p }) => p.changeRounding > 0);
          const rounding = printed(/^Lam tron tien tra lai \((\d+)\):\s+([\d.]+) d$/);
          assert.deepEqual(rounding, { count: rounded.length, amount: rounded.reduce((s, { p }) => s + p.changeRounding, 0) });
          if ('shiftId' in scope) assert.equal(printed(/^Tien dau ca:()\s+([\d.]+) d$/).amount + total + rounding.amount - refundTotal, printed(/^Tien mat phai co:()\s+([\d.]+) d$/).amount);
        }
      } finally {
        ctx.close();
      }
    }),
    { numRuns: 30 },
  );
});
