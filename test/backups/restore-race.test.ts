import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openContext } from '../../electron/store/context.ts';
import { backupNow } from '../../electron/backups/backups.ts';
import { restore } from '../../electron/backups/restore.ts';
import { collectPayment } from '../../electron/payments/collect.ts';
import { verifyJournal } from '../../electron/store/journal.ts';
import { main } from '../../electron/cli/diemthu.ts';
import { collectWorld, type CollectWorld } from '../helpers/collect-fixture.ts';
import { seedSnapshot } from '../helpers/seed.ts';
import { captureIo } from '../helpers/capture-io.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const WORKER = fileURLToPath(new URL('../workers/restore-racer.ts', import.meta.url));
const CUSTOMERS = ['PC12AA0000001', 'PC12AA0000002', 'PC12AA0000003', 'PC12AA0000004', 'PC12AA0000005'];

/** A point with five customers (one bill each), receipt 1 collected, then a backup of that state (the newest backup). */
async function pointWithBackup(): Promise<{ w: CollectWorld; dataDir: string; file: string; acknowledged: Map<string, string> }> {
  const w = collectWorld();
  seedSnapshot(w.ctx, CUSTOMERS.map((maKhang, i) => ({ maKhang, tenKhang: `Khách ${i}`, dchiKhang: 'Số 1', bills: [{ idHdon: `HD${i}`, thang: 10, nam: 2026, soTien: 10_000 }] })));
  const receipt = collectPayment(w.ctx, { customer: CUSTOMERS[0]!, cashierId: w.cashier.id, idempotencyKey: 'k1' }).receiptNo;
  const { file } = await backupNow(w.ctx, { outDir: join(w.ctx.dataDir, '..', 'usb') });
  const dataDir = w.ctx.dataDir;
  w.ctx.close();
  return { w, dataDir, file, acknowledged: new Map([[receipt, CUSTOMERS[0]!]]) };
}

/** restore's outcome whether it throws or rejects. */
async function settle(run: () => unknown): Promise<{ ok: true } | { ok: false; code: string }> {
  try {
    await run();
    return { ok: true };
  } catch (error) {
    return { ok: false, code: String((error as { code?: unknown }).code) };
  }
}

/** Blocks this thread (the restore's hook must hold the race window open, in sync or async code alike). */
function waitSync(done: () => boolean, timeoutMs = 60_000): void {
  const cell = new Int32Array(new SharedArrayBuffer(4));
  const until = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > until) throw new Error('timed out waiting for the other process');
    Atomics.wait(cell, 0, 0, 20);
  }
}

async function collectByCli(dataDir: string, customer: string): Promise<string> {
  const io = captureIo();
  assert.equal(await main(['collect', customer, '--cashier', 'TN01', '--data-dir', dataDir, '--json'], io), 0, io.err());
  return (JSON.parse(io.out()) as { value: { receiptNo: string } }).value.receiptNo;
}

/** Every acknowledged receipt is in the database, for its customer, and no receipt number is there twice. */
function assertAcknowledgedKept(dataDir: string, acknowledged: Map<string, string>): void {
  const ctx = openContext(dataDir);
  const rows = ctx.sqlite
    .prepare('SELECT p.receipt_no AS receiptNo, c.ma_khang AS maKhang FROM payments p JOIN customers c ON c.id = p.customer_id')
    .all() as { receiptNo: string; maKhang: string }[];
  const stored = new Map(rows.map((r) => [r.receiptNo, r.maKhang]));
  assert.equal(stored.size, rows.length, 'no receipt number twice in the database');
  for (const [receiptNo, maKhang] of acknowledged) assert.equal(stored.get(receiptNo), maKhang, `acknowledged receipt ${receiptNo} (${maKhang}) is kept`);
  assert.equal(verifyJournal(ctx.sqlite).ok, true);
  ctx.close();
}

test('[#1] restore racing a collect in another process (after the check, before the swap): every acknowledged payment survives and no receipt number is issued twice', async () => {
  const { dataDir, file, acknowledged } = await pointWithBackup();
  let raced: { exit: number; receiptNo?: string; code?: string }[] = [];
  const outcome = await settle(() =>
    restore(dataDir, file, {
      beforeReplace: () => {
        const child = spawnSync(process.execPath, ['--import', 'tsx', WORKER, 'cli', dataDir, ...CUSTOMERS.slice(1, 4)], { encoding: 'utf8' });
        assert.equal(child.status, 0, child.stderr);
        raced = JSON.parse(child.stdout) as typeof raced;
      },
    }),
  );
  for (const [i, r] of raced.entries()) {
    if (r.exit === 0) acknowledged.set(r.receiptNo!, CUSTOMERS[i + 1]!);
  }
  assert.equal(acknowledged.size, 4, `the other process collected three times during the restore: ${JSON.stringify(raced)}`);
  if (!outcome.ok) assert.equal(outcome.code, 'RESTORE_DB_IN_USE');
  acknowledged.set(await collectByCli(dataDir, CUSTOMERS[4]!), CUSTOMERS[4]!);
  assert.equal(acknowledged.size, 5, `the next collect got a receipt number never issued before: ${[...acknowledged.keys()].join(', ')}`);
  assertAcknowledgedKept(dataDir, acknowledged);
});

test('[#1] a program that opened the database while restore ran (and stays open) sees the restored data: its later payment is kept with a new receipt number', async (t) => {
  const { dataDir, file, acknowledged } = await pointWithBackup();
  const signals = tempDir();
  let holder: ChildProcess | undefined;
  t.after(() => holder?.kill());
  const outcome = await settle(() =>
    restore(dataDir, file, {
      beforeReplace: () => {
        holder = spawn(process.execPath, ['--import', 'tsx', WORKER, 'hold', dataDir, signals, CUSTOMERS[1]!], { stdio: ['ignore', 'ignore', 'inherit'] });
        waitSync(() => existsSync(join(signals, 'opened')));
      },
    }),
  );
  assert.deepEqual(outcome, { ok: true }, 'nothing was written during the restore: it goes ahead');
  writeFileSync(join(signals, 'go'), '');
  await once(holder!, 'exit');
  const held = JSON.parse(readFileSync(join(signals, 'result.json'), 'utf8')) as { receiptNo?: string; code?: string };
  assert.ok(held.receiptNo !== undefined, `the program that stayed open collected: ${JSON.stringify(held)}`);
  acknowledged.set(held.receiptNo, CUSTOMERS[1]!);
  acknowledged.set(await collectByCli(dataDir, CUSTOMERS[2]!), CUSTOMERS[2]!);
  assert.equal(acknowledged.size, 3, `no receipt number issued twice: ${[...acknowledged.keys()].join(', ')}`);
  assertAcknowledgedKept(dataDir, acknowledged);
});
