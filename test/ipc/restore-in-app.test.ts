import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createPaymentGate } from '../../electron/ipc/shutdown.ts';
import { inAppRestorer, restoreAndRelaunch } from '../../electron/ipc/restore-in-app.ts';
import { backupNow } from '../../electron/backups/backups.ts';
import { previewRestore } from '../../electron/backups/restore.ts';
import { RESTORE_OUTCOME_FILE, takeRestoreOutcome } from '../../electron/backups/restore-outcome.ts';
import { openContext, type Ctx } from '../../electron/store/context.ts';
import { collectPayment } from '../../electron/payments/collect.ts';
import { verifyJournal } from '../../electron/store/journal.ts';
import { collectWorld, TEST_PIN_COST, type CollectWorld } from '../helpers/collect-fixture.ts';
import { seedSnapshot } from '../helpers/seed.ts';
import { tempDir } from '../helpers/temp-dir.ts';

function world(): CollectWorld {
  const w = collectWorld();
  seedSnapshot(w.ctx, ['PC12AA0000001', 'PC12AA0000002', 'PC12AA0000003'].map((ma, i) => ({
    maKhang: ma, tenKhang: `Khách ${i}`, dchiKhang: 'Số 1', bills: [{ idHdon: `HD${i}`, thang: 10, nam: 2026, soTien: 10000, tienGtgt: 1000 }],
  })));
  return w;
}

const collect = (ctx: Ctx, w: CollectWorld, ma: string, key: string) => collectPayment(ctx, { customer: ma, cashierId: w.cashier.id, idempotencyKey: key }).receiptNo;

/** The runtime's wiring of the restore over a world's context; `reopened` is the context the "relaunched" app opens. */
function wiring(w: CollectWorld) {
  const gate = createPaymentGate();
  const relaunched: { ctx: Ctx | null } = { ctx: null };
  const deps = {
    gate,
    ctx: w.ctx,
    dataDir: w.ctx.dataDir,
    clock: w.ctx.clock,
    stopDevices: () => undefined,
    relaunch: () => {
      relaunched.ctx = openContext(w.ctx.dataDir, { pinCost: TEST_PIN_COST });
    },
  };
  return { gate, deps, relaunched };
}

test('a payment admitted just before the restore starts commits first; the restore then finds the backup older, replaces nothing, and the app reopens the same database', async (t) => {
  const w = world();
  collect(w.ctx, w, 'PC12AA0000001', 'k1');
  const { file } = await backupNow(w.ctx, { outDir: join(tempDir(), 'usb') });
  const { gate, deps, relaunched } = wiring(w);
  t.after(() => relaunched.ctx?.close());

  // In flight when the confirm arrives: it has not committed yet.
  const inFlight = gate.run(async () => {
    await sleep(50);
    return collect(w.ctx, w, 'PC12AA0000002', 'k2');
  });
  inAppRestorer(deps).start({ file, expect: previewRestore(w.ctx.dataDir, file).journalHead });
  const late = new Promise((resolve) => setImmediate(() => resolve(gate.run(() => collect(w.ctx, w, 'PC12AA0000003', 'k3')).then(() => 'collected', (e: { code?: string }) => e.code))));
  const receipt = await inFlight;
  assert.equal(await late, 'APP_QUITTING');
  for (let i = 0; relaunched.ctx === null && i < 200; i++) await sleep(25);
  const ctx = relaunched.ctx!;
  assert.ok(ctx !== null, 'relaunched');

  const outcome = takeRestoreOutcome(ctx.dataDir);
  assert.equal(outcome?.ok === false && outcome.code, 'RESTORE_OLDER_THAN_CURRENT');
  const receipts = ctx.sqlite.prepare('SELECT receipt_no FROM payments ORDER BY receipt_seq').pluck().all();
  assert.deepEqual(receipts, ['DT0001-26-000001', receipt], 'the payment that got in stands, the late one wrote nothing');
  assert.equal(fs.existsSync(join(ctx.dataDir, 'safety')), false, 'nothing replaced');
  assert.equal(verifyJournal(ctx.sqlite).ok, true);
  assert.equal(collect(ctx, w, 'PC12AA0000003', 'k4'), 'DT0001-26-000003', 'the reopened database takes payments');
});

test('a backup swapped for a damaged file between preview and confirm, or missing: refused after the close, the database untouched, the app relaunched with the reason', async (t) => {
  for (const damage of ['truncated', 'missing'] as const) {
    const w = world();
    collect(w.ctx, w, 'PC12AA0000001', 'k1');
    const { file } = await backupNow(w.ctx, { outDir: join(tempDir(), 'usb') });
    const expect = previewRestore(w.ctx.dataDir, file).journalHead;
    const bytes = fs.readFileSync(file);
    if (damage === 'truncated') fs.writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 3)));
    else fs.rmSync(file);
    const { deps, relaunched } = wiring(w);
    await restoreAndRelaunch(deps, { file, expect, force: { supervisorCode: 'GS01', pin: '987654' } });
    const ctx = relaunched.ctx!;
    t.after(() => ctx.close());
    const outcome = takeRestoreOutcome(ctx.dataDir);
    assert.equal(outcome?.ok === false && outcome.code, damage === 'truncated' ? 'RESTORE_CORRUPT' : 'RESTORE_FILE_MISSING', JSON.stringify(outcome));
    assert.equal(outcome?.ok === false && outcome.message.length > 0, true);
    assert.equal(ctx.sqlite.prepare('SELECT COUNT(*) FROM payments').pluck().get(), 1, 'the current database as it was');
    assert.deepEqual(fs.readdirSync(ctx.dataDir).filter((n) => n.startsWith('restore') || n === 'safety'), [], 'no staged copy, no outcome file left (read once)');
  }
});

test('the outcome file is read once; a damaged one says nothing and is removed', () => {
  const dir = tempDir();
  fs.writeFileSync(join(dir, RESTORE_OUTCOME_FILE), '{"ok": tru');
  assert.equal(takeRestoreOutcome(dir), null);
  assert.equal(fs.existsSync(join(dir, RESTORE_OUTCOME_FILE)), false);
  fs.writeFileSync(join(dir, RESTORE_OUTCOME_FILE), JSON.stringify({ ok: false, file: '/x', at: 'now', code: 'NOT_A_CODE', message: 'm' }));
  assert.equal(takeRestoreOutcome(dir), null, 'a code the program does not know is not shown');
  assert.equal(takeRestoreOutcome(dir), null);
});

test('a second confirm while the first restore is under way is refused (APP_QUITTING) and starts nothing', async (t) => {
  const w = world();
  const { file } = await backupNow(w.ctx, { outDir: join(tempDir(), 'usb') });
  const { deps, relaunched } = wiring(w);
  let relaunches = 0;
  const restoreApp = inAppRestorer({ ...deps, relaunch: () => void (relaunches += 1, deps.relaunch()) }).start;
  const request = { file, expect: previewRestore(w.ctx.dataDir, file).journalHead };
  restoreApp(request);
  assert.throws(() => restoreApp(request), { code: 'APP_QUITTING' });
  for (let i = 0; relaunched.ctx === null && i < 200; i++) await sleep(25);
  t.after(() => relaunched.ctx?.close());
  await sleep(100);
  assert.equal(relaunches, 1);
  assert.equal(takeRestoreOutcome(w.ctx.dataDir)?.ok, true);
});
