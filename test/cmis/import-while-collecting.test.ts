// Issue 10 item 7: the morning import does not stop the counter. Real SQLite files, the real handlers
// behind dispatch, the real import worker; a second connection or process at the worst moments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { GOOD_SNAPSHOT, ipcWorld, type IpcWorld } from '../helpers/ipc-world.ts';
import { nextDayFile } from '../helpers/next-day-file.ts';
import { openContext } from '../../electron/store/context.ts';
import { importSnapshot } from '../../electron/cmis/import-snapshot.ts';
import { IMPORT_LOCK_FILE } from '../../electron/cmis/import-lock.ts';
import { collectPayment } from '../../electron/payments/collect.ts';
import { lookupCode } from '../../electron/customers/find.ts';
import { dumpDatabase } from './helpers.ts';
import { TEST_PIN_COST } from '../helpers/collect-fixture.ts';

const ROOT = join(import.meta.dirname, '..', '..');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, done: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!done()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

function stateOf(w: IpcWorld, idHdon: string): string | undefined {
  return w.ctx.sqlite
    .prepare('SELECT s.state FROM snapshot_bill_states s JOIN bills b ON b.id = s.bill_id WHERE b.id_hdon = ? AND s.snapshot_id = (SELECT MAX(id) FROM snapshots)')
    .pluck()
    .get(idHdon) as string | undefined;
}

function world(t: { after(fn: () => void): void }): IpcWorld {
  const w = ipcWorld();
  t.after(() => w.ctx.close());
  return w;
}

const reading = (w: IpcWorld) => w.progress.some((p) => p.phase === 'reading' && p.rows > 0);

test('[#10.7] during the window import a scan answers from the current snapshot and a collect commits at once; the new snapshot counts that payment', async (t) => {
  const w = world(t);
  await w.call('login', { code: 'TN01', pin: '123456' });
  const file = nextDayFile(60_000, true);
  let settled = false;
  const importing = w.call('importConfirm', { path: file }).finally(() => (settled = true));
  await until('the reader to report rows', () => reading(w) || settled);
  assert.equal(settled, false, 'the import was still reading when the counter worked');

  const hoa = (await w.call('lookupCode', { code: 'PC12AA0000002' })).value as { id: number; bills: { idHdon: string }[] };
  assert.deepEqual(hoa.bills.map((b) => b.idHdon), ['HD0000000021'], 'the scan answered from the current snapshot');
  const mai = (await w.call('lookupCode', { code: 'PC12AA0000006' })).value as { total: number };
  assert.equal(mai.total, 86_400, 'the current amount, not the file being read');
  const paid = await w.call('collect', { customerId: hoa.id, idempotencyKey: 'during-import-0001' });
  assert.equal(paid.ok, true, JSON.stringify(paid));
  assert.equal(settled, false, 'the collect committed while the import was still running');

  const done = await importing;
  assert.equal(done.ok, true, JSON.stringify(done));
  // Paid here while CMIS dropped it: a conflict to settle, never "cleared elsewhere" (which would hide the money).
  assert.equal(stateOf(w, 'HD0000000021'), 'conflict');
  assert.equal(((await w.call('lookupCode', { code: 'PC12AA0000006' })).value as { total: number }).total, 97_200);
  const readingSteps = w.progress.filter((p) => p.phase === 'reading' && p.bytesRead > 0 && p.bytesRead < p.totalBytes);
  assert.ok(readingSteps.length >= 2, `intermediate progress by bytes: ${JSON.stringify(w.progress.slice(0, 5))}`);
  assert.ok(readingSteps.every((p, i) => i === 0 || p.bytesRead >= (readingSteps[i - 1]?.bytesRead ?? 0) && p.rows >= (readingSteps[i - 1]?.rows ?? 0)));
  assert.deepEqual([...new Set(w.progress.map((p) => p.phase))], ['reading', 'checking', 'writing', 'done']);
});

test('[#10.7] a collect between the preview and the commit: the commit counts it (paid, waiting for export), the preview did not', async (t) => {
  const w = world(t);
  await w.call('login', { code: 'TN01', pin: '123456' });
  const file = nextDayFile(10);
  const preview = (await w.call('importPreview', { path: file })).value as { reimport: { state: string; count: number }[] };
  assert.deepEqual(preview.reimport.find((r) => r.state === 'paid_waiting_export'), undefined);
  const an = (await w.call('lookupCode', { code: 'PC12AA0000001' })).value as { id: number };
  assert.equal((await w.call('collect', { customerId: an.id, idempotencyKey: 'between-0001' })).ok, true);
  assert.equal((await w.call('importConfirm', { path: file })).ok, true);
  assert.equal(stateOf(w, 'HD0000000011'), 'paid_waiting_export');
  assert.equal(stateOf(w, 'HD0000000012'), 'paid_waiting_export');
  const again = (await w.call('lookupCode', { code: 'PC12AA0000001' })).value as { total: number; bills: unknown[] };
  assert.equal(again.total, 0, 'a bill paid during the import does not come back as outstanding');
});

test('[#10.7] a payment on another connection after staging, before the swap (the worst moment), is in the re-import table', (t) => {
  const w = world(t);
  const other = openContext(w.ctx.dataDir, { pinCost: TEST_PIN_COST });
  t.after(() => other.close());
  const file = nextDayFile(10, true);
  const before = w.ctx.sqlite.prepare('SELECT tong_tien FROM bills WHERE id_hdon = ?').pluck();
  const result = importSnapshot(
    w.ctx,
    { file },
    {
      staged: () => {
        const mai = lookupCode(other, 'PC12AA0000006');
        assert.ok(mai !== null);
        collectPayment(other, { customer: mai.id, cashierId: w.cashier.id, idempotencyKey: 'worst-moment-0001' });
        const hoa = lookupCode(other, 'PC12AA0000002');
        assert.ok(hoa !== null);
        collectPayment(other, { customer: hoa.id, cashierId: w.cashier.id, idempotencyKey: 'worst-moment-0002' });
      },
    },
  );
  assert.equal(result.status, 'imported');
  assert.equal(result.reimport.paid_waiting_export, 1);
  assert.equal(result.reimport.conflict, 1);
  assert.equal(result.reimport.cleared_elsewhere, 0);
  assert.equal(stateOf(w, 'HD0000000061'), 'paid_waiting_export');
  assert.equal(stateOf(w, 'HD0000000021'), 'conflict');
  // The paid bill keeps the amount the payment copied; the file's new amount does not reach it.
  assert.equal(before.get('HD0000000061'), 86_400);
});

test('[#10.7] an import stopped mid-load (its worker killed) writes nothing, says so in Vietnamese, and frees the way for the next', async (t) => {
  const w = world(t);
  await w.call('login', { code: 'TN01', pin: '123456' });
  const before = dumpDatabase(w.ctx);
  const file = nextDayFile(60_000);
  const importing = w.call('importConfirm', { path: file });
  await until('the reader to report rows', () => reading(w));
  assert.ok(existsSync(join(w.ctx.dataDir, IMPORT_LOCK_FILE)));
  await w.call('importCancel', {});
  const stopped = (await importing) as { ok: boolean; error?: { code: string; message: string } };
  assert.equal(stopped.error?.code, 'IMPORT_STOPPED');
  assert.match(stopped.error?.message ?? '', /tệp chưa được nhập, bảng nợ đang dùng vẫn như cũ/);
  assert.deepEqual(dumpDatabase(w.ctx), before, 'nothing half-imported');
  assert.equal(existsSync(join(w.ctx.dataDir, IMPORT_LOCK_FILE)), false);
  assert.equal((await w.call('importConfirm', { path: file })).ok, true, 'the next import goes through');
});

test('[#10.7] two imports at once: the second is refused, in the window and from the command line', async (t) => {
  const w = world(t);
  await w.call('login', { code: 'TN01', pin: '123456' });
  const file = nextDayFile(60_000);
  const first = w.call('importConfirm', { path: file });
  await until('the reader to report rows', () => reading(w));
  const second = await w.call('importPreview', { path: GOOD_SNAPSHOT });
  assert.equal(second.error?.code, 'IMPORT_BUSY');
  const cli = spawnSync(process.execPath, [join(ROOT, 'bin', 'diemthu.mjs'), 'import', file, '--data-dir', w.ctx.dataDir], { encoding: 'utf8' });
  assert.equal(cli.status, 2, cli.stderr);
  assert.match(cli.stderr, /\[IMPORT_BUSY\] Đang có một lần nhập bảng nợ khác chạy/);
  assert.equal((await first).ok, true);
});

test('[#10.7] `diemthu import` killed (SIGKILL) while loading or swapping leaves the old snapshot whole, and the next import takes over its lock', async (t) => {
  const w = world(t);
  const file = nextDayFile(60_000);
  const before = dumpDatabase(w.ctx);
  for (const delay of [400, 1500]) {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'diemthu.mjs'), 'import', file, '--data-dir', w.ctx.dataDir], { stdio: 'ignore' });
    await until('the CLI to take the import lock', () => existsSync(join(w.ctx.dataDir, IMPORT_LOCK_FILE)));
    await sleep(delay);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    if (!existsSync(join(w.ctx.dataDir, IMPORT_LOCK_FILE))) break; // it finished before the kill: nothing to prove with this delay
    assert.deepEqual(dumpDatabase(w.ctx), before, `killed after ${delay} ms: nothing half-imported`);
  }
  const again = spawnSync(process.execPath, [join(ROOT, 'bin', 'diemthu.mjs'), 'import', file, '--data-dir', w.ctx.dataDir, '--json'], { encoding: 'utf8' });
  assert.equal(again.status, 0, again.stderr);
  assert.equal((JSON.parse(again.stdout) as { value: { status: string } }).value.status, 'imported');
});
