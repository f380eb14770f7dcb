import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectPayment } from '../../electron/payments/collect.ts';
import { exportClearing } from '../../electron/cmis/write-clearing.ts';
import { importResult } from '../../electron/cmis/import-result.ts';
import { resendLines } from '../../electron/cmis/resends.ts';
import { isAppError } from '../../electron/core/errors.ts';
import { addPoint } from '../../server/points.ts';
import { ingestFile } from '../../server/files/ingest.ts';
import { consolidate } from '../../server/files/consolidate.ts';
import { collectWorld } from '../helpers/collect-fixture.ts';
import { seedSnapshot } from '../helpers/seed.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { moneyState, serverDb } from './helpers.ts';

/**
 * A real point (DT0001): batch 01 carried An (HD-A10, HD-A11) and Bình (HD-B11); CMIS rejected HD-A11;
 * the supervisor resent it; batch 02 carries it again with Cường's new payment.
 */
function resentDay() {
  const w = collectWorld(new Date('2026-11-27T02:00:00.000Z'));
  seedSnapshot(w.ctx, [
    { maKhang: 'PC12AA0000001', tenKhang: 'Lê Văn An', dchiKhang: 'x', bills: [{ idHdon: 'HD-A10', thang: 10, nam: 2026, soTien: 100_000, tienGtgt: 8_000 }, { idHdon: 'HD-A11', thang: 11, nam: 2026, soTien: 90_000, tienGtgt: 7_200 }] },
    { maKhang: 'PC12AA0000002', tenKhang: 'Trần Thị Bình', dchiKhang: 'y', bills: [{ idHdon: 'HD-B11', thang: 11, nam: 2026, soTien: 50_000, tienGtgt: 4_000 }] },
    { maKhang: 'PC12AA0000003', tenKhang: 'Phạm Văn Cường', dchiKhang: 'z', bills: [{ idHdon: 'HD-C11', thang: 11, nam: 2026, soTien: 30_000, tienGtgt: 3_000 }] },
  ]);
  const pay = (customer: string, key: string) => collectPayment(w.ctx, { customer, cashierId: w.cashier.id, idempotencyKey: key });
  const an = pay('PC12AA0000001', 'k1');
  pay('PC12AA0000002', 'k2');
  const out = join(tempDir(), 'stick');
  exportClearing(w.ctx, { outDir: out });
  const kq = join(tempDir(), 'KQGACHNO_DT0001_20261127_01.csv');
  writeFileSync(kq, ['SO_BIENNHAN,ID_HDON,KET_QUA,GHI_CHU', `${an.receiptNo},HD-A10,OK,`, `${an.receiptNo},HD-A11,SAI_SO_TIEN,CMIS 97.201`, 'DT0001-26-000002,HD-B11,OK,'].join('\r\n'));
  importResult(w.ctx, kq);
  resendLines(w.ctx, { receiptNo: an.receiptNo, bills: ['HD-A11'], supervisorId: w.supervisor.id });
  pay('PC12AA0000003', 'k3');
  w.now.at = new Date('2026-11-27T10:00:00.000Z');
  exportClearing(w.ctx, { outDir: out });
  w.ctx.close();
  const files = readdirSync(out).filter((f) => /^GACHNO_.*\.csv$/.test(f)).sort();
  return { out, files, an: an.receiptNo };
}

const day = resentDay();

async function server() {
  const { db } = await serverDb();
  await addPoint(db, { point: 'DT0001', unit: 'PC12AA', office: 'PGD 1' });
  return db;
}

test('a clearing file holding a resent row (made by export after a resend) is ingested: the row is taken once as resent, never as a second payment, and the consolidation lists it as resent', async () => {
  assert.deepEqual(day.files, ['GACHNO_DT0001_20261127_01.csv', 'GACHNO_DT0001_20261127_02.csv']);
  const db = await server();
  const first = await ingestFile(db, join(day.out, day.files[0]!));
  assert.deepEqual([first.payments, first.accepted], [2, 2]);
  const before = (await moneyState(db)) as { payments: unknown[] };

  const second = await ingestFile(db, join(day.out, day.files[1]!));
  assert.deepEqual([second.alreadyIngested, second.payments, second.accepted, second.duplicates, second.resent], [false, 1, 1, 0, 1]);
  const after = (await moneyState(db)) as { payments: unknown[] };
  assert.equal(after.payments.length, before.payments.length + 1, 'Cường\'s payment only: the resent row is not a payment');

  // The same file again: nothing new.
  const again = await ingestFile(db, join(day.out, day.files[1]!));
  assert.equal(again.alreadyIngested, true);
  assert.deepEqual(await moneyState(db), after);

  const out = join(tempDir(), 'th');
  const { manifest } = await consolidate(db, { unit: 'PC12AA', date: '2026-11-27', outDir: out });
  assert.equal(manifest.rowCount, 4, 'each bill once: HD-A10, HD-A11, HD-B11, HD-C11');
  assert.equal(manifest.totalTongTien, 108_000 + 97_200 + 54_000 + 33_000);
  assert.deepEqual(manifest.resent, [{ pointCode: 'DT0001', csvFile: 'GACHNO_DT0001_20261127_02.csv', receiptNo: day.an, idHdon: 'HD-A11', tongTien: 97_200, firstCsvFile: 'GACHNO_DT0001_20261127_01.csv' }]);
  assert.deepEqual(manifest.pointBatches.map((b) => [b.csvFile, b.rowCount, b.rowsInFile]), [['GACHNO_DT0001_20261127_01.csv', 3, 3], ['GACHNO_DT0001_20261127_02.csv', 1, 1]]);
});

test('a resent row whose first batch the server has not got is refused whole, with its code: nothing written; the first batch, then the second, go in', async () => {
  const db = await server();
  const before = await moneyState(db);
  await assert.rejects(ingestFile(db, join(day.out, day.files[1]!)), (e: unknown) => isAppError(e) && e.code === 'RESEND_LINE_UNKNOWN' && /HD-A11/.test(e.message));
  assert.deepEqual(await moneyState(db), before);
  await ingestFile(db, join(day.out, day.files[0]!));
  assert.equal((await ingestFile(db, join(day.out, day.files[1]!))).resent, 1);
});

test('a manifest that does not list a row of an old receipt as resent, or lists it with another amount, is refused whole', async () => {
  const db = await server();
  await ingestFile(db, join(day.out, day.files[0]!));
  const dir = join(tempDir(), 'almost');
  mkdirSync(dir);
  const { readFileSync } = await import('node:fs');
  const name = day.files[1]!;
  writeFileSync(join(dir, name), readFileSync(join(day.out, name)));
  const manifest = JSON.parse(readFileSync(join(day.out, name.replace('.csv', '.json')), 'utf8')) as Record<string, unknown>;
  const refused = async (m: Record<string, unknown>, code: string) => {
    writeFileSync(join(dir, name.replace('.csv', '.json')), JSON.stringify(m));
    const before = await moneyState(db);
    await assert.rejects(ingestFile(db, join(dir, name)), (e: unknown) => isAppError(e) && e.code === code);
    assert.deepEqual(await moneyState(db), before, `${code}: nothing written`);
  };
  // Unlisted: the row reads as the receipt's whole payment, which the server holds with two lines.
  await refused({ ...manifest, resent: undefined }, 'PAYMENT_BODY_CHANGED');
  const [listed] = manifest.resent as { tongTien: number }[];
  await refused({ ...manifest, resent: [{ ...listed, tongTien: 97_201 }] }, 'INGEST_MANIFEST_MISMATCH');
  await refused({ ...manifest, resent: [{ ...listed, firstCsvFile: 'GACHNO_DT0001_20261126_01.csv' }] }, 'RESEND_LINE_UNKNOWN');
});

test('server migration 004: resent_lines holds a line once, against a payment and a point batch the server has, and never changes', async () => {
  const db = await server();
  const { sql } = await import('kysely');
  assert.deepEqual((await sql<{ version: number; name: string }>`SELECT version, name FROM schema_migrations WHERE version = 4`.execute(db)).rows, [{ version: 4, name: 'resends' }]);
  for (const f of day.files) await ingestFile(db, join(day.out, f));
  const insert = (receipt: string, seq: number) =>
    sql`INSERT INTO resent_lines (point_code, batch_day, batch_seq, receipt_no, id_hdon, tong_tien, first_csv_file, source)
        VALUES ('DT0001', '20261127', ${seq}, ${receipt}, 'HD-A11', 97200, 'GACHNO_DT0001_20261127_01.csv', 'ingest')`.execute(db);
  await assert.rejects(insert(day.an, 2), /duplicate key|resent_lines_pkey/);
  await assert.rejects(insert('DT0001-26-000099', 2), /foreign key/);
  await assert.rejects(insert('DT0001-26-000002', 7), /foreign key/);
  await assert.rejects(sql`UPDATE resent_lines SET tong_tien = 1`.execute(db), /a resent line never changes/);
  await assert.rejects(sql`DELETE FROM resent_lines`.execute(db), /a resent line never changes/);
});
