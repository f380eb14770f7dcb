import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, readdirSync, mkdirSync, copyFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { collectPayment } from '../../electron/payments/collect.ts';
import { voidPayment } from '../../electron/payments/voids.ts';
import { exportClearing } from '../../electron/cmis/write-clearing.ts';
import { setSettings } from '../../electron/store/settings.ts';
import { isAppError } from '../../electron/core/errors.ts';
import { openDb } from '../../server/db/connect.ts';
import { migrate } from '../../server/db/migrate.ts';
import { addPoint } from '../../server/points.ts';
import { applyEvents } from '../../server/sync/apply.ts';
import { ingestFile } from '../../server/files/ingest.ts';
import { consolidate } from '../../server/files/consolidate.ts';
import { collectWorld } from '../helpers/collect-fixture.ts';
import { seedSnapshot } from '../helpers/seed.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { testDatabase } from './pg.ts';
import { moneyState } from './helpers.ts';
import { buildEvents } from '../../electron/sync/events.ts';
import { waitingItems } from '../../electron/sync/outbox.ts';

/** A real point (DT0001): five payments (one with a locally charged reconnection fee), one voided before export, two clearing batches. */
function pointDay() {
  const world = collectWorld(new Date('2026-11-27T02:00:00.000Z'));
  const { ctx, cashier, supervisor } = world;
  setSettings(ctx.sqlite, { reconnection_fee: 150_000 }, null, new Date());
  seedSnapshot(ctx, [
    { maKhang: 'PC12AA0000001', tenKhang: 'Nguyễn Văn An, "Bé"', dchiKhang: '12 Lê Lợi', tthaiCat: true, bills: [{ idHdon: 'HD001', thang: 9, nam: 2026, soTien: 100_000, tienGtgt: 8_000 }, { idHdon: 'HD002', thang: 10, nam: 2026, soTien: 200_000, tienGtgt: 16_000 }] },
    { maKhang: 'PC12AA0000002', tenKhang: 'Trần Thị Bình', dchiKhang: '3 Hùng Vương', bills: [{ idHdon: 'HD003', thang: 10, nam: 2026, soTien: 50_000, tienGtgt: 4_000 }] },
    { maKhang: 'PC12AA0000003', tenKhang: 'Lê Văn Cường', dchiKhang: '9 Trần Phú', bills: [{ idHdon: 'HD004', thang: 10, nam: 2026, soTien: 70_000, tienGtgt: 5_600 }] },
    { maKhang: 'PC12BB0000004', maDviqly: 'PC12BB', tenKhang: 'Phạm Thị Dung', dchiKhang: '1 Nguyễn Huệ', bills: [{ idHdon: 'HD005', thang: 10, nam: 2026, soTien: 90_000, tienGtgt: 7_200 }] },
    { maKhang: 'PC12AA0000005', tenKhang: 'Hoàng Văn Em', dchiKhang: '7 Lý Thường Kiệt', bills: [{ idHdon: 'HD006', thang: 10, nam: 2026, soTien: 60_000, tienGtgt: 4_800 }] },
  ]);
  const pay = (customer: string, key: string) => collectPayment(ctx, { customer, cashierId: cashier.id, idempotencyKey: key });
  pay('PC12AA0000001', 'k1');
  const voided = pay('PC12AA0000002', 'k2');
  pay('PC12AA0000003', 'k3');
  pay('PC12BB0000004', 'k4');
  voidPayment(ctx, { receiptNo: voided.receiptNo, reason: 'thu nhầm', supervisorId: supervisor.id });
  const out = join(tempDir(), 'stick');
  exportClearing(ctx, { outDir: out });
  pay('PC12AA0000005', 'k5');
  world.now.at = new Date('2026-11-27T10:00:00.000Z');
  exportClearing(ctx, { outDir: out });
  return { ctx, out, voided: voided.receiptNo };
}

const point = pointDay();
/** The point's own outbox, as its sync pushes it (payment, void and batch events in the order they happened). */
const outbox = () => buildEvents(point.ctx.sqlite, waitingItems(point.ctx.sqlite, 1000));
const csvFiles = readdirSync(point.out).filter((f) => f.startsWith('GACHNO_')).filter((f) => f.endsWith('.csv')).sort();

async function freshServer() {
  const db = openDb(await testDatabase());
  test.after(() => db.destroy());
  await migrate(db);
  await addPoint(db, { point: 'DT0001', unit: 'PC12AA', office: 'PGD 1' });
  return db;
}

const byIngest = await freshServer();
const byPush = await freshServer();

test('the point wrote two batches (the fixture is what the test thinks)', () => {
  assert.deepEqual(csvFiles, ['GACHNO_DT0001_20261127_01.csv', 'GACHNO_DT0001_20261127_02.csv']);
});

test('ingest of the clearing files and a push of the same payments give the same server state and the same consolidated bytes', async () => {
  for (const f of csvFiles) {
    const r = await ingestFile(byIngest, join(point.out, f));
    assert.equal(r.alreadyIngested, false);
  }
  // What the point's outbox pushes, less the voided payment's body (no file carries it: the manifest lists it as voided).
  const inFiles = outbox().filter((e) => !(e.kind === 'payment' && e.payment.receiptNo === point.voided));
  const pushed = await applyEvents(byPush, 'DT0001', inFiles, 'push', { recordSeq: true });
  assert.deepEqual(new Set(pushed.acks.map((a) => a.status)), new Set(['accepted']));
  assert.deepEqual(await moneyState(byPush), await moneyState(byIngest));

  const outA = join(tempDir(), 'a');
  const outB = join(tempDir(), 'b');
  const a = await consolidate(byIngest, { unit: 'PC12AA', date: '2026-11-27', outDir: outA });
  await consolidate(byPush, { unit: 'PC12AA', date: '2026-11-27', outDir: outB });
  for (const name of ['GACHNO_PC12AA_20261127_TH.csv', 'GACHNO_PC12AA_20261127_TH.json']) {
    assert.deepEqual(readFileSync(join(outA, name)), readFileSync(join(outB, name)), name);
  }
  // PC12AA: HD001 + HD002 + the 150,000 fee, HD004, HD006; PC12BB's HD005 is another unit's file; the voided HD003 nowhere.
  assert.equal(a.manifest.rowCount, 5);
  assert.equal(a.manifest.totalTongTien, 108_000 + 216_000 + 150_000 + 75_600 + 64_800);
  assert.deepEqual(a.manifest.pointBatches.map((b) => b.csvFile), csvFiles);
});

test('the same file ingested again changes nothing and says so; the voided receipt of the manifest is a void', async () => {
  const before = await moneyState(byIngest);
  const again = await ingestFile(byIngest, join(point.out, csvFiles[0]!));
  assert.equal(again.alreadyIngested, true);
  assert.deepEqual(await moneyState(byIngest), before);
  const voids = (before as { voids: { receipt_no: string }[] }).voids.map((v) => v.receipt_no);
  assert.deepEqual(voids, [point.voided]);
});

test('after a push of everything (the voided payment too), ingesting the files is a no-op', async () => {
  const db = await freshServer();
  const everything = outbox();
  await applyEvents(db, 'DT0001', everything, 'push', { recordSeq: true });
  const before = await moneyState(db);
  for (const f of csvFiles) assert.equal((await ingestFile(db, join(point.out, f))).alreadyIngested, true);
  assert.deepEqual(await moneyState(db), before);
});

async function refusedIngest(db: Awaited<ReturnType<typeof freshServer>>, file: string, code: string): Promise<void> {
  const before = await moneyState(db);
  await assert.rejects(ingestFile(db, file), (e: unknown) => isAppError(e) && e.code === code);
  assert.deepEqual(await moneyState(db), before, `${code}: nothing written`);
}

test('files that are almost right are refused whole: changed byte, manifest totals, other batch name, missing manifest, unknown point', async () => {
  const db = await freshServer();
  const dir = tempDir();
  const [name] = csvFiles as [string];
  const csv = readFileSync(join(point.out, name));
  const manifest = JSON.parse(readFileSync(join(point.out, name.replace('.csv', '.json')), 'utf8')) as Record<string, unknown>;
  const put = (sub: string, bytes: Buffer, m: Record<string, unknown> | null, fileName = name) => {
    mkdirSync(join(dir, sub));
    writeFileSync(join(dir, sub, fileName), bytes);
    if (m !== null) writeFileSync(join(dir, sub, fileName.replace('.csv', '.json')), JSON.stringify(m));
    return join(dir, sub, fileName);
  };
  const tampered = Buffer.from(csv.toString('utf8').replace('100000,8000,108000', '100001,8000,108001'), 'utf8');
  assert.notDeepEqual(tampered, csv);
  await refusedIngest(db, put('sha', tampered, manifest), 'INGEST_SHA_MISMATCH');
  const sha = createHash('sha256').update(tampered).digest('hex');
  await refusedIngest(db, put('total', tampered, { ...manifest, csvSha256: sha }), 'INGEST_MANIFEST_MISMATCH');
  await refusedIngest(db, put('rows', csv, { ...manifest, rowCount: 99 }), 'INGEST_MANIFEST_MISMATCH');
  const inconsistent = Buffer.from(csv.toString('utf8').replace('100000,8000,108000', '100000,8000,108001'), 'utf8');
  await refusedIngest(db, put('row', inconsistent, { ...manifest, csvSha256: createHash('sha256').update(inconsistent).digest('hex') }), 'INGEST_ROW_INVALID');
  await refusedIngest(db, put('name', csv, manifest, name.replace('_01.csv', '_03.csv')), 'INGEST_BATCH_MISMATCH');
  await refusedIngest(db, put('nomanifest', csv, null), 'INGEST_FILE_UNREADABLE');
  const otherPoint = await freshServer();
  await otherPoint.deleteFrom('points').execute();
  await refusedIngest(otherPoint, join(point.out, name), 'POINT_UNKNOWN');
  copyFileSync(join(point.out, name), join(dir, 'plain.csv'));
  await refusedIngest(db, join(dir, 'plain.csv'), 'INGEST_NAME_INVALID');
});
