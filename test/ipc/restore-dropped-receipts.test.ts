import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { restoreAndRelaunch } from '../../electron/ipc/restore-in-app.ts';
import { createPaymentGate } from '../../electron/ipc/shutdown.ts';
import { backupNow } from '../../electron/backups/backups.ts';
import { previewRestore } from '../../electron/backups/restore.ts';
import { takeRestoreOutcome } from '../../electron/backups/restore-outcome.ts';
import { openContext, type Ctx } from '../../electron/store/context.ts';
import { collectPayment } from '../../electron/payments/collect.ts';
import { voidPayment } from '../../electron/payments/voids.ts';
import { refundLines } from '../../electron/payments/refunds.ts';
import { answered, R1 } from '../helpers/answered-day.ts';
import { verifyStore } from '../../electron/verify/verify.ts';
import { collectWorld, TEST_PIN_COST, type CollectWorld } from '../helpers/collect-fixture.ts';
import { seedSnapshot } from '../helpers/seed.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { captureIo } from '../helpers/capture-io.ts';
import { main } from '../../electron/cli/diemthu.ts';

/** The app's confirmed, forced restore of `file` by GS01; the database the relaunched app opens. */
async function forceRestore(w: CollectWorld, file: string): Promise<Ctx> {
  let ctx: Ctx | null = null;
  await restoreAndRelaunch(
    { gate: createPaymentGate(), ctx: w.ctx, dataDir: w.ctx.dataDir, clock: w.ctx.clock, stopDevices: () => undefined, relaunch: () => void (ctx = openContext(w.ctx.dataDir, { pinCost: TEST_PIN_COST })) },
    { file, expect: previewRestore(w.ctx.dataDir, file).journalHead, force: { supervisorCode: 'GS01', pin: '987654' } },
  );
  const c = ctx as Ctx | null;
  assert.ok(c !== null, 'relaunched');
  return c;
}

test('a supervisor forcing an older backup in from the app: the restore row of the restored database names every payment, void and refund it dropped (receipt, customer, amount, who, when), and so does the outcome', async (t) => {
  const w = collectWorld();
  seedSnapshot(w.ctx, ['PC12AA0000001', 'PC12AA0000002', 'PC12AA0000003'].map((ma, i) => ({
    maKhang: ma, tenKhang: `Khách ${i}`, dchiKhang: 'Số 1', bills: [{ idHdon: `HD${i}`, thang: 10, nam: 2026, soTien: 10000 + i, tienGtgt: 1000 }],
  })));
  const kept = collectPayment(w.ctx, { customer: 'PC12AA0000001', cashierId: w.cashier.id, idempotencyKey: 'k1' });
  const { file } = await backupNow(w.ctx, { outDir: join(tempDir(), 'usb') });
  const dropped = collectPayment(w.ctx, { customer: 'PC12AA0000002', cashierId: w.cashier.id, idempotencyKey: 'k2' });
  const voided = voidPayment(w.ctx, { receiptNo: kept.receiptNo, reason: 'thu nhầm', supervisorId: w.supervisor.id });
  const paidAt = w.ctx.sqlite.prepare('SELECT paid_at FROM payments WHERE receipt_no = ?').pluck().get(dropped.receiptNo) as string;
  const voidedAt = w.ctx.sqlite.prepare('SELECT voided_at FROM payments WHERE receipt_no = ?').pluck().get(kept.receiptNo) as string;
  assert.equal(dropped.receiptNo, 'DT0001-26-000002');

  const c = await forceRestore(w, file);
  t.after(() => c.close());

  const droppedPayments = [{ receiptNo: dropped.receiptNo, maKhang: 'PC12AA0000002', total: 11001, cashierCode: 'TN01', paidAt }];
  const outcome = takeRestoreOutcome(c.dataDir);
  assert.deepEqual(outcome?.ok && outcome.dropped, droppedPayments, 'the login screen names the dropped receipt');
  const payload = JSON.parse(c.sqlite.prepare("SELECT payload FROM journal WHERE kind = 'restore'").pluck().get() as string) as Record<string, unknown>;
  assert.deepEqual(payload.droppedPayments, droppedPayments);
  assert.deepEqual(payload.droppedVoids, [{ receiptNo: kept.receiptNo, maKhang: 'PC12AA0000001', total: 11000, voidedBy: 'GS01', voidedAt }]);
  assert.equal(voided.receiptNo, kept.receiptNo);
  assert.deepEqual(payload.droppedRefunds, []);
  assert.equal(c.sqlite.prepare('SELECT COUNT(*) FROM payments').pluck().get(), 1, 'the backup went in');
  assert.equal(verifyStore(c).ok, true, 'verify reads the restore row');
});

test('a refund paid out after the backup is named by the forced restore that drops it', async (t) => {
  const w = answered([`${R1},HD-A10,OK,`, `${R1},HD-A11,DA_GACH,Đã thu qua ngân hàng`]);
  const { file } = await backupNow(w.ctx, { outDir: join(tempDir(), 'usb') });
  const refund = refundLines(w.ctx, { receiptNo: R1, bills: ['HD-A11'], reason: 'Khách đã trả ở ngân hàng', supervisorId: w.supervisor.id, cashierId: w.cashier.id });
  const c = await forceRestore(w, file);
  t.after(() => c.close());
  const payload = JSON.parse(c.sqlite.prepare("SELECT payload FROM journal WHERE kind = 'restore'").pluck().get() as string) as Record<string, unknown>;
  assert.deepEqual(payload.droppedRefunds, [{ receiptNo: R1, maKhang: 'PC12AA0000001', total: refund.total, cashierCode: 'TN01', supervisorCode: 'GS01', refundedAt: refund.refundedAt }]);
  assert.deepEqual([payload.droppedPayments, payload.droppedVoids], [[], []]);
  assert.equal(c.sqlite.prepare('SELECT COUNT(*) FROM refunds').pluck().get(), 0, 'the backup went in');
  assert.equal(verifyStore(c).ok, true);
});

test('CLI: a forced restore lists the receipts it dropped, with customer, amount and cashier', async () => {
  const w = collectWorld();
  seedSnapshot(w.ctx, ['PC12AA0000001', 'PC12AA0000002'].map((ma, i) => ({
    maKhang: ma, tenKhang: `Khách ${i}`, dchiKhang: 'Số 1', bills: [{ idHdon: `HD${i}`, thang: 10, nam: 2026, soTien: 10000 + i, tienGtgt: 1000 }],
  })));
  collectPayment(w.ctx, { customer: 'PC12AA0000001', cashierId: w.cashier.id, idempotencyKey: 'k1' });
  const { file } = await backupNow(w.ctx, { outDir: join(tempDir(), 'usb') });
  collectPayment(w.ctx, { customer: 'PC12AA0000002', cashierId: w.cashier.id, idempotencyKey: 'k2' });
  w.ctx.close();
  const io = captureIo({ DIEMTHU_PIN: '987654' });
  const expect = previewRestore(w.ctx.dataDir, file).journalHead;
  assert.equal(await main(['restore', file, '--force', '--supervisor', 'GS01', '--expect', expect, '--data-dir', w.ctx.dataDir], io), 0, io.err());
  assert.match(io.out(), /1 biên nhận bị bỏ: DT0001-26-000002 \(PC12AA0000002, 11\.001 ₫, thu ngân TN01, /);
  const json = captureIo({ DIEMTHU_PIN: '987654' });
  const again = await main(['restore', file, '--force', '--supervisor', 'GS01', '--expect', expect, '--data-dir', w.ctx.dataDir, '--json'], json);
  assert.equal(again, 0, json.err());
  assert.deepEqual((JSON.parse(json.out()) as { value: { forced: { droppedPayments: unknown[] } } }).value.forced.droppedPayments, [], 'the second restore of the same backup drops nothing more');
});
