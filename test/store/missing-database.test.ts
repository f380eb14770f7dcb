import { mock, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { openContext } from '../../electron/store/context.ts';
import { DATABASE_FILE } from '../../electron/store/data-dir.ts';
import { backupNow } from '../../electron/backups/backups.ts';
import { collectPayment } from '../../electron/payments/collect.ts';
import { main } from '../../electron/cli/diemthu.ts';
import { collectWorld } from '../helpers/collect-fixture.ts';
import { seedSnapshot } from '../helpers/seed.ts';
import { captureIo } from '../helpers/capture-io.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { listing } from '../helpers/files.ts';

// The CLI's collect runs on the machine's clock: a fixed one, the day of collectWorld's (receipts DT0001-26-… in any year).
mock.timers.enable({ apis: ['Date'], now: new Date('2026-11-27T03:00:00Z') });

const CUSTOMERS = ['PC12AA0000001', 'PC12AA0000002'];

async function cli(dataDir: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const io = captureIo(env);
  const exit = await main([...args, '--data-dir', dataDir], io);
  return { exit, out: io.out(), err: io.err() };
}

/** Point DT0001 that collected receipt 1 and exported batch 01, with a backup in <dataDir>/backups. */
async function heldPoint(): Promise<{ dataDir: string; backup: string }> {
  const w = collectWorld();
  seedSnapshot(w.ctx, CUSTOMERS.map((maKhang, i) => ({ maKhang, tenKhang: `Khách ${i}`, dchiKhang: 'Số 1', bills: [{ idHdon: `HD${i}`, thang: 10, nam: 2026, soTien: 10_000 }] })));
  assert.equal(collectPayment(w.ctx, { customer: CUSTOMERS[0]!, cashierId: w.cashier.id, idempotencyKey: 'k1' }).receiptNo, 'DT0001-26-000001');
  const { file } = await backupNow(w.ctx);
  const dataDir = w.ctx.dataDir;
  w.ctx.close();
  return { dataDir, backup: file };
}

const DAMAGES: [string, (dbPath: string) => void][] = [
  ['0-byte', (db) => fs.truncateSync(db, 0)],
  ['missing', (db) => fs.rmSync(db)],
  ['header-less (zeroed)', (db) => fs.writeFileSync(db, Buffer.alloc(fs.statSync(db).size))],
];

for (const [name, damage] of DAMAGES) {
  test(`[#8] a ${name} database in a data folder that has held a point is DB_MISSING: nothing written, the message says how to restore`, async () => {
    const { dataDir, backup } = await heldPoint();
    const dbPath = join(dataDir, DATABASE_FILE);
    damage(dbPath);
    const before = listing(dataDir);
    for (const args of [['verify'], ['status'], ['init', '--point', 'DT0001', '--unit', 'PC12AA'], ['collect', CUSTOMERS[1]!, '--cashier', 'TN01'], ['export', '--out', join(dataDir, '..', 'usb')]]) {
      const run = await cli(dataDir, args);
      assert.equal(run.exit, 2, `${args[0]}: ${run.out}${run.err}`);
      assert.match(run.err, /^\[DB_MISSING\] .*DT0001.*diemthu restore/s, args[0]);
      assert.ok(run.err.includes(backup), `${args[0]} names the newest backup found: ${run.err}`);
    }
    assert.throws(() => openContext(dataDir), { code: 'DB_MISSING' }, 'the window opens the same way');
    assert.deepEqual(listing(dataDir), before, 'nothing written in the data folder');

    const restored = await cli(dataDir, ['restore', backup]);
    assert.equal(restored.exit, 0, restored.err);
    const next = await cli(dataDir, ['collect', CUSTOMERS[1]!, '--cashier', 'TN01', '--json']);
    assert.equal(next.exit, 0, next.err);
    assert.equal((JSON.parse(next.out) as { value: { receiptNo: string } }).value.receiptNo, 'DT0001-26-000002', 'receipt 1 is never issued again');
  });
}

test('[#8] a folder whose database was lost before it ever had the marker still counts as having held a point when it holds backups', async () => {
  const { dataDir } = await heldPoint();
  for (const name of fs.readdirSync(dataDir)) if (name !== 'backups') fs.rmSync(join(dataDir, name), { recursive: true });
  const run = await cli(dataDir, ['verify']);
  assert.equal(run.exit, 2, run.out);
  assert.match(run.err, /^\[DB_MISSING\]/);
  assert.equal(fs.existsSync(join(dataDir, DATABASE_FILE)), false);
});

test('[#8] a genuinely new data folder still initialises, and an empty database file there is set up', async () => {
  const fresh = join(tempDir(), 'new');
  const init = await cli(fresh, ['init', '--point', 'DT0002', '--unit', 'PC12AA']);
  assert.equal(init.exit, 0, init.err);
  const empty = tempDir();
  fs.writeFileSync(join(empty, DATABASE_FILE), '');
  const again = await cli(empty, ['init', '--point', 'DT0003', '--unit', 'PC12AA']);
  assert.equal(again.exit, 0, again.err);
  const verify = await cli(empty, ['verify']);
  assert.equal(verify.exit, 0, verify.err);
});
