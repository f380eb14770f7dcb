import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../electron/cli/diemthu.ts';
import { captureIo } from '../helpers/capture-io.ts';
import { collectWorld } from '../helpers/collect-fixture.ts';
import { seedSnapshot } from '../helpers/seed.ts';
import { collectPayment } from '../../electron/payments/collect.ts';
import { closeShift } from '../../electron/shifts/shifts.ts';

test('diemthu report day --json and report receipts --shift|--date [--print]; wrong arguments refused with exit 2', async () => {
  const w = collectWorld(new Date('2026-11-27T02:00:00.000Z'));
  const { ctx, cashier } = w;
  seedSnapshot(ctx, [{ maKhang: 'PC12AA0000001', tenKhang: 'An', dchiKhang: 'x', bills: [{ idHdon: 'A1', thang: 10, nam: 2026, soTien: 100_000, tienGtgt: 8_000 }] }]);
  const a = collectPayment(ctx, { customer: 'PC12AA0000001', cashierId: cashier.id, idempotencyKey: 'k1' });
  const closed = closeShift(ctx, { cashierId: cashier.id, countedCash: 608_000 });
  ctx.close();
  const dataDir = ctx.dataDir;
  const run = async (args: string[]) => {
    const io = captureIo();
    const code = await main([...args, '--data-dir', dataDir, '--json'], io);
    return { code, out: io.out(), err: io.err() };
  };

  const day = await run(['report', 'day', '--date', '2026-11-27']);
  assert.equal(day.code, 0, day.err);
  const value = (JSON.parse(day.out) as { value: { cashiers: Array<{ code: string; total: number }>; closings: Array<{ shiftId: number }>; report: { grandTotal: number } } }).value;
  assert.deepEqual(value.cashiers.map((c) => [c.code, c.total]), [['TN01', a.total]]);
  assert.deepEqual(value.closings.map((s) => s.shiftId), [closed.shiftId]);
  assert.equal(value.report.grandTotal, a.total);

  const list = await run(['report', 'receipts', '--shift', String(closed.shiftId)]);
  assert.equal(list.code, 0, list.err);
  const listed = (JSON.parse(list.out) as { value: { list: { receipts: Array<{ receiptNo: string }> }; printJobId: number | null } }).value;
  assert.deepEqual([listed.list.receipts.map((r) => r.receiptNo), listed.printJobId], [[a.receiptNo], null], 'not printed without --print');
  const printed = await run(['report', 'receipts', '--date', '2026-11-27', '--print']);
  assert.equal(printed.code, 0, printed.err);
  assert.equal(typeof (JSON.parse(printed.out) as { value: { printJobId: unknown } }).value.printJobId, 'number');

  for (const args of [['report', 'receipts'], ['report', 'week'], ['report', 'day', '--shift', '1'], ['report', '--print'], ['report', 'day', '--date', '2026-02-30']]) {
    const refused = await run(args);
    assert.equal(refused.code, 2, `${args.join(' ')}: ${refused.out}`);
  }
});
