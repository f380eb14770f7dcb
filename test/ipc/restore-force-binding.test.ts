import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { dispatch } from '../../electron/ipc/register.ts';
import { APP_ENTRY_URL } from '../../electron/app/security.ts';
import { startRuntime } from '../../electron/app/runtime.ts';
import { restoreAndRelaunch } from '../../electron/ipc/restore-in-app.ts';
import { createPaymentGate } from '../../electron/ipc/shutdown.ts';
import { backupNow } from '../../electron/backups/backups.ts';
import { previewRestore } from '../../electron/backups/restore.ts';
import { takeRestoreOutcome } from '../../electron/backups/restore-outcome.ts';
import { openContext, type Ctx } from '../../electron/store/context.ts';
import { collectPayment } from '../../electron/payments/collect.ts';
import { collectWorld, TEST_PIN_COST, type CollectWorld } from '../helpers/collect-fixture.ts';
import { seedSnapshot } from '../helpers/seed.ts';
import { tempDir } from '../helpers/temp-dir.ts';

/** A point with an early backup (no payment), the backup the supervisor previews (3 payments), and a 4th payment after it. */
async function point(): Promise<{ w: CollectWorld; early: string; file: string }> {
  const w = collectWorld();
  const mas = ['PC12AA0000001', 'PC12AA0000002', 'PC12AA0000003', 'PC12AA0000004'];
  seedSnapshot(w.ctx, mas.map((ma, i) => ({ maKhang: ma, tenKhang: `Khách ${i}`, dchiKhang: 'Số 1', bills: [{ idHdon: `HD${i}`, thang: 10, nam: 2026, soTien: 10000, tienGtgt: 1000 }] })));
  const early = await backupNow(w.ctx, { outDir: join(tempDir(), 'early') });
  for (const [i, ma] of mas.slice(0, 3).entries()) collectPayment(w.ctx, { customer: ma, cashierId: w.cashier.id, idempotencyKey: `k${i}` });
  const { file } = await backupNow(w.ctx, { outDir: join(tempDir(), 'usb') });
  collectPayment(w.ctx, { customer: mas[3]!, cashierId: w.cashier.id, idempotencyKey: 'k3' });
  return { w, early: early.file, file };
}

const payments = (ctx: Ctx) => ctx.sqlite.prepare('SELECT COUNT(*) FROM payments').pluck().get();
const supervisor = { code: 'GS01', pin: '987654' };

test('"force" is bound to the backup previewed: the same path swapped for an older backup before the confirm is refused while the app keeps running', async (t) => {
  const { w, early, file } = await point();
  let relaunched = 0;
  const dialogs = { chooseSnapshotFile: async () => null, chooseResultFile: async () => null, chooseFolder: async () => null, chooseBackupFile: async () => file };
  const runtime = startRuntime(w.ctx, { dialogs, send: () => {}, log: () => {}, relaunch: () => void (relaunched += 1) });
  t.after(() => runtime.stop());
  const call = (channel: string, payload: unknown) => dispatch(runtime.handlers, channel, payload, { url: APP_ENTRY_URL, isMainFrame: true }, { trustedOrigins: [APP_ENTRY_URL], validateResponses: true });
  const preview = await call('restorePreview', { supervisor, path: file });
  assert.ok(preview.ok);
  const shown = preview.value as { receipts: number; journalHead: string };
  assert.equal(shown.receipts, 3, 'the supervisor sees a backup with 3 receipts, behind by one payment');
  copyFileSync(early, file); // the stick's file changes before the confirm
  const confirmed = await call('restoreConfirm', { supervisor, path: file, force: true, expect: shown.journalHead });
  assert.equal(confirmed.ok ? null : confirmed.error.code, 'RESTORE_BACKUP_CHANGED');
  assert.equal(relaunched, 0, 'nothing closed');
  assert.equal(payments(w.ctx), 4);
});

test('"force" is bound to the backup previewed: a file swapped after the app closed is refused before anything is replaced, and the outcome says why', async (t) => {
  const { w, early, file } = await point();
  const preview = previewRestore(w.ctx.dataDir, file);
  copyFileSync(early, file); // swapped between the confirm and the restore's own staging
  let reopened: Ctx | null = null;
  await restoreAndRelaunch(
    { gate: createPaymentGate(), ctx: w.ctx, dataDir: w.ctx.dataDir, clock: w.ctx.clock, stopDevices: () => undefined, relaunch: () => void (reopened = openContext(w.ctx.dataDir, { pinCost: TEST_PIN_COST })) },
    { file, expect: preview.journalHead, force: { supervisorCode: supervisor.code, pin: supervisor.pin } },
  );
  const c = reopened as Ctx | null;
  assert.ok(c !== null);
  t.after(() => c.close());
  const outcome = takeRestoreOutcome(c.dataDir);
  assert.equal(outcome?.ok === false ? outcome.code : outcome, 'RESTORE_BACKUP_CHANGED');
  assert.match(outcome?.ok === false ? outcome.message : '', /đã thay đổi/);
  assert.equal(payments(c), 4, 'the current database is untouched');
  assert.equal(c.sqlite.prepare("SELECT COUNT(*) FROM journal WHERE kind IN ('restore', 'login')").pluck().get(), 0, 'not even the PIN was checked');
});
