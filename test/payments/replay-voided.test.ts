import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { collectPayment } from '../../electron/payments/collect.ts';
import { voidPayment } from '../../electron/payments/voids.ts';
import { importSnapshot } from '../../electron/cmis/import-snapshot.ts';
import { createHandlers } from '../../electron/ipc/handlers.ts';
import { createSession } from '../../electron/ipc/session.ts';
import { dispatch } from '../../electron/ipc/register.ts';
import { createScanStream } from '../../electron/devices/scanner/stream.ts';
import { main } from '../../electron/cli/diemthu.ts';
import { AppError } from '../../electron/core/errors.ts';
import { seedSnapshot } from '../helpers/seed.ts';
import { collectWorld, count } from '../helpers/collect-fixture.ts';
import { captureIo } from '../helpers/capture-io.ts';

function world() {
  const w = collectWorld();
  seedSnapshot(w.ctx, [
    { maKhang: 'PC12AA0000001', tenKhang: 'Lê Văn An', dchiKhang: '12 Lý Thường Kiệt', bills: [{ idHdon: 'HD-10', thang: 10, nam: 2026, soTien: 100_000, tienGtgt: 8_000 }] },
  ]);
  return w;
}

test("[#5] the replay of a voided payment's key is refused with PAYMENT_VOIDED, naming the void; nothing is written", () => {
  const w = world();
  const request = { customer: 'PC12AA0000001', cashierId: w.cashier.id, idempotencyKey: 'k-1' };
  const paid = collectPayment(w.ctx, request);
  const voided = voidPayment(w.ctx, { receiptNo: paid.receiptNo, reason: 'Thu nhầm khách', supervisorId: w.supervisor.id });
  const before = ['payments', 'print_jobs', 'journal'].map((t) => count(w.ctx, t));
  let refused: unknown;
  assert.throws(() => collectPayment(w.ctx, request), (error) => ((refused = error), true));
  assert.ok(refused instanceof AppError);
  assert.equal(refused.code, 'PAYMENT_VOIDED');
  assert.match(refused.message, new RegExp(`${paid.receiptNo}.*đã bị hủy.*GS01`));
  assert.match(refused.message, /Thu nhầm khách/);
  assert.deepEqual(refused.details, {
    paymentId: paid.paymentId,
    receiptNo: paid.receiptNo,
    voidedAt: voided.voidedAt,
    supervisor: { code: 'GS01', name: 'Trần Văn Giám' },
    reason: 'Thu nhầm khách',
  });
  assert.deepEqual(['payments', 'print_jobs', 'journal'].map((t) => count(w.ctx, t)), before);
  w.ctx.close();
});

test("[#5] diemthu collect --key of a voided payment exits 2 and says it was voided", async () => {
  const w = world();
  const paid = collectPayment(w.ctx, { customer: 'PC12AA0000001', cashierId: w.cashier.id, idempotencyKey: 'k-cli' });
  voidPayment(w.ctx, { receiptNo: paid.receiptNo, reason: 'Thu nhầm khách', supervisorId: w.supervisor.id });
  w.ctx.close();
  const io = captureIo();
  const code = await main(['collect', 'PC12AA0000001', '--cashier', 'TN01', '--key', 'k-cli', '--data-dir', w.ctx.dataDir], io);
  assert.equal(code, 2);
  assert.equal(io.out(), '');
  assert.match(io.err(), new RegExp(`^\\[PAYMENT_VOIDED\\] .*${paid.receiptNo}.*đã bị hủy`, 'm'));
  const json = captureIo();
  assert.equal(await main(['collect', 'PC12AA0000001', '--cashier', 'TN01', '--key', 'k-cli', '--json', '--data-dir', w.ctx.dataDir], json), 2);
  const answer = JSON.parse(json.out()) as { ok: boolean; error: { code: string; details: { receiptNo: string } } };
  assert.deepEqual([answer.ok, answer.error.code, answer.error.details.receiptNo], [false, 'PAYMENT_VOIDED', paid.receiptNo]);
});

test("[#5] the collect channel answers PAYMENT_VOIDED for a voided payment's key, and the printer is not kicked", async () => {
  const w = collectWorld();
  importSnapshot(w.ctx, { file: join(import.meta.dirname, '..', 'e2e', 'fixtures', 'morning-good.csv') });
  let kicks = 0;
  const handlers = createHandlers({
    ctx: w.ctx,
    session: createSession(),
    dialogs: { chooseSnapshotFile: async () => null, chooseResultFile: async () => null, chooseFolder: async () => null, chooseBackupFile: async () => null },
    printing: { kick: () => void (kicks += 1), status: () => ({ state: 'ready', message: null }) },
    scanner: { stream: createScanStream({ clock: w.ctx.clock }), status: () => ({ mode: 'wedge', state: 'ready' }) },
    emit: () => undefined,
  });
  const call = (channel: string, payload: unknown = {}) =>
    dispatch(handlers, channel, payload, { url: 'app://diemthu/index.html', isMainFrame: true }, { trustedOrigins: ['app://diemthu'], validateResponses: true }) as Promise<{
      ok: boolean;
      value?: { receiptNo: string };
      error?: { code: string; message: string };
    }>;
  await call('login', { code: 'TN01', pin: '123456' });
  const customer = (await call('lookupCode', { code: 'PC12AA0000001' })).value as unknown as { id: number };
  const request = { customerId: customer.id, idempotencyKey: 'attempt-0001' };
  const first = await call('collect', request);
  assert.equal(first.ok, true);
  voidPayment(w.ctx, { receiptNo: first.value!.receiptNo, reason: 'Khách đổi ý', supervisorId: w.supervisor.id });
  const retry = await call('collect', request);
  assert.equal(retry.ok, false);
  assert.equal(retry.error?.code, 'PAYMENT_VOIDED');
  assert.match(retry.error?.message ?? '', new RegExp(`${first.value!.receiptNo}.*đã bị hủy`));
  assert.equal(kicks, 1, 'only the first collect printed');
  w.ctx.close();
});
