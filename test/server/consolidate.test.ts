import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { isAppError } from '../../electron/core/errors.ts';
import { CLEARING_COLUMNS } from '../../protocol/clearing-file.ts';
import { batchFileName, type BatchBody, type PaymentBody } from '../../protocol/payment.ts';
import { consolidate } from '../../server/files/consolidate.ts';
import { addPoint } from '../../server/points.ts';
import { applyEvents } from '../../server/sync/apply.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { payEvent, payment, serverDb } from './helpers.ts';

const { db } = await serverDb();
await addPoint(db, { point: 'PT01', unit: 'PC12AA' });
await addPoint(db, { point: 'PT02', unit: 'PC12AA' });

const total = (ps: PaymentBody[]) => ps.reduce((s, p) => s + p.lines.reduce((t, l) => t + l.tongTien, 0), 0);
const batch = (point: string, seq: number, ps: PaymentBody[]): BatchBody => ({
  pointCode: point, batchDay: '20261127', batchSeq: seq, csvSha256: 'a'.repeat(64), rowCount: ps.reduce((n, p) => n + p.lines.length, 0), totalTongTien: total(ps), receipts: ps.map((p) => p.receiptNo), voidedReceipts: [],
});

// PT01: batches 01 and 03 (02 never arrived); PT02: batch 01, and one payment not yet exported.
const pt1a = [payment({ point: 'PT01', seq: 1, bills: ['B01', 'B02'], fee: 150_000 }), payment({ point: 'PT01', seq: 2, bills: ['B03'] })];
const pt1c = [payment({ point: 'PT01', seq: 5, bills: ['B05'], paidAt: '2026-11-27T16:59:59Z' })]; // 23:59:59 local: still the 27th
const pt2a = [payment({ point: 'PT02', seq: 1, bills: ['B03', 'B06'] })]; // B03 again: the later arrival, a conflict
const pt2open = [payment({ point: 'PT02', seq: 2, bills: ['B07'] })];
const otherDay = [payment({ point: 'PT02', seq: 3, bills: ['B08'], paidAt: '2026-11-27T17:00:00Z' })]; // 00:00 local on the 28th
const otherUnit = [payment({ point: 'PT02', seq: 4, bills: ['B09'], unit: 'PC12BB' })];

let seq = 0;
const events = (ps: PaymentBody[]) => ps.map((p) => payEvent(++seq, p));
await applyEvents(db, 'PT01', [...events(pt1a), { kind: 'export', seq: ++seq, batch: batch('PT01', 1, pt1a) }, ...events(pt1c), { kind: 'export', seq: ++seq, batch: batch('PT01', 3, pt1c) }], 'push', { recordSeq: true });
await applyEvents(db, 'PT02', [...events(pt2a), { kind: 'export', seq: ++seq, batch: batch('PT02', 1, pt2a) }, ...events([...pt2open, ...otherDay, ...otherUnit])], 'push', { recordSeq: true });

test('the consolidated file holds each bill of the unit and day once, from its holder, fee lines included; the manifest names batches, gaps and conflicts', async () => {
  const out = tempDir();
  const { files, manifest } = await consolidate(db, { unit: 'PC12AA', date: '2026-11-27', outDir: out });
  assert.deepEqual(readdirSync(out).sort(), ['GACHNO_PC12AA_20261127_TH.csv', 'GACHNO_PC12AA_20261127_TH.json']);
  const bytes = readFileSync(files[0]!);
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const rows = parse(bytes.toString('utf8').slice(1), { columns: true }) as Record<string, string>[];
  assert.deepEqual(Object.keys(rows[0]!), [...CLEARING_COLUMNS]);
  assert.deepEqual(
    rows.map((r) => [r.MA_DIEMTHU, r.SO_BIENNHAN, r.ID_HDON, r.LOAI_HDON, r.TONG_TIEN, r.NGAY_NOP]),
    [
      ['PT01', 'PT01-26-000001', 'B01', 'TD', '108000', '27/11/2026 09:00:00'],
      ['PT01', 'PT01-26-000001', 'B02', 'TD', '108000', '27/11/2026 09:00:00'],
      ['PT01', 'PT01-26-000001', '', 'DC', '150000', '27/11/2026 09:00:00'],
      ['PT01', 'PT01-26-000002', 'B03', 'TD', '108000', '27/11/2026 09:00:00'],
      ['PT01', 'PT01-26-000005', 'B05', 'TD', '108000', '27/11/2026 23:59:59'],
      ['PT02', 'PT02-26-000001', 'B06', 'TD', '108000', '27/11/2026 09:00:00'],
      ['PT02', 'PT02-26-000002', 'B07', 'TD', '108000', '27/11/2026 09:00:00'],
    ],
  );
  assert.equal(manifest.totalTongTien, rows.reduce((s, r) => s + Number(r.TONG_TIEN), 0));
  assert.deepEqual(manifest.pointBatches.map((b) => [b.csvFile, b.totalTongTien, b.totalInFile]), [
    [batchFileName({ pointCode: 'PT01', batchDay: '20261127', batchSeq: 1 }), total(pt1a), total(pt1a)],
    ['GACHNO_PT01_20261127_03.csv', total(pt1c), total(pt1c)],
    ['GACHNO_PT02_20261127_01.csv', total(pt2a), total(pt2a) - 108_000], // its B03 is the conflict, not cleared from it
  ]);
  assert.deepEqual(manifest.unbatched, [{ pointCode: 'PT02', receipts: 1, totalInFile: 108_000 }]);
  assert.deepEqual(manifest.missingBatches, [{ pointCode: 'PT01', batchDay: '20261127', missing: [2] }]);
  assert.deepEqual(manifest.conflicts, [{ idHdon: 'B03', heldBy: 'PT01-26-000002', heldByPoint: 'PT01', receiptNo: 'PT02-26-000001', pointCode: 'PT02' }]);
});

test('written again from the same state: byte for byte the same files; after a void the receipt is gone from it', async () => {
  const a = tempDir();
  const b = tempDir();
  await consolidate(db, { unit: 'PC12AA', date: '2026-11-27', outDir: a });
  await consolidate(db, { unit: 'PC12AA', date: '2026-11-27', outDir: b });
  for (const f of readdirSync(a)) assert.deepEqual(readFileSync(join(a, f)), readFileSync(join(b, f)), f);

  await applyEvents(db, 'PT02', [{ kind: 'void', seq: ++seq, receiptNo: 'PT02-26-000002' }], 'push', { recordSeq: true });
  const { manifest } = await consolidate(db, { unit: 'PC12AA', date: '2026-11-27', outDir: b });
  assert.equal(manifest.rowCount, 6, 'the voided B07 is gone');
  assert.deepEqual(manifest.unbatched, []);
});

test('a day with nothing writes nothing and says so; a bad unit or date is refused', async () => {
  const out = tempDir();
  await assert.rejects(consolidate(db, { unit: 'PC12AA', date: '2026-11-20', outDir: out }), (e: unknown) => isAppError(e) && e.code === 'CONSOLIDATE_NOTHING');
  await assert.rejects(consolidate(db, { unit: 'pc-12', date: '2026-11-27', outDir: out }), (e: unknown) => isAppError(e) && e.code === 'UNIT_CODE_INVALID');
  await assert.rejects(consolidate(db, { unit: 'PC12AA', date: '27/11/2026', outDir: out }), (e: unknown) => isAppError(e) && e.code === 'DATE_INVALID');
  assert.deepEqual(readdirSync(out), []);
});
