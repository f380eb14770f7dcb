import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { openContext, type Ctx } from '../../electron/store/context.ts';
import { steppingClock } from '../../electron/core/clock.ts';
import { initPoint } from '../../electron/store/point.ts';
import { exportAgain, exportClearing, CLEARING_COLUMNS, type ExportResult } from '../../electron/cmis/write-clearing.ts';
import type { ClearingManifest } from '../../electron/cmis/stored-batch.ts';
import { realFs, type AtomicFs } from '../../electron/store/atomic-write.ts';
import { verifyJournal } from '../../electron/store/journal.ts';
import { seedPayment, seedSnapshot, type SeedPaymentOptions } from '../helpers/seed.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { AppError } from '../../electron/core/errors.ts';

// 2026-11-27 17:00 local (UTC+7): the evening export.
const EVENING = new Date('2026-11-27T10:00:00.000Z');

function setup(): { ctx: Ctx; outDir: string; pay: (ma: string, bills: string[], opts?: SeedPaymentOptions) => number } {
  const dir = tempDir();
  const ctx = openContext(join(dir, 'data'), { clock: steppingClock(EVENING) });
  initPoint(ctx, { pointCode: 'PT01', unitCode: 'PC12AA', pointName: 'Điểm thu Phường 1' });
  const seeded = seedSnapshot(ctx, [
    {
      maKhang: 'PC12AA0000001', tenKhang: 'Nguyễn Văn An, "Bé"', dchiKhang: '12 Lê Lợi', dthoaiSms: '0905123456', tthaiCat: true,
      bills: [
        { idHdon: 'HD001', thang: 9, nam: 2026, soTien: 100000, tienGtgt: 8000 },
        { idHdon: 'HD002', thang: 10, nam: 2026, soTien: 200000, tienGtgt: 16000 },
      ],
    },
    { maKhang: 'PC12AA0000002', tenKhang: 'Trần Thị Bình', dchiKhang: '3 Hùng Vương', bills: [{ idHdon: 'HD003', thang: 10, nam: 2026, soTien: 50000, tienGtgt: 4000 }] },
    { maKhang: 'PC12AA0000003', tenKhang: 'Lê Văn Cường', dchiKhang: '9 Trần Phú', bills: [{ idHdon: 'HD004', thang: 10, nam: 2026, soTien: 70000, tienGtgt: 5600 }] },
  ]);
  const pay = (ma: string, bills: string[], opts: SeedPaymentOptions = {}) =>
    seedPayment(ctx, seeded.ids.get(ma)!, bills.map((b) => seeded.billIds.get(b)!), opts);
  return { ctx, outDir: join(dir, 'out'), pay };
}

function listFiles(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
}

function unexported(ctx: Ctx): number {
  return (ctx.sqlite.prepare('SELECT COUNT(*) AS n FROM payments WHERE batch_id IS NULL AND voided_at IS NULL').get() as { n: number }).n;
}

test('export writes the clearing CSV, manifest and reconnection orders per contract section 3', () => {
  const { ctx, outDir, pay } = setup();
  pay('PC12AA0000001', ['HD001', 'HD002'], { at: '2026-11-27T01:02:03.000Z', fee: 30000 });
  pay('PC12AA0000002', ['HD003'], { voided: true });
  pay('PC12AA0000003', ['HD004'], { at: '2026-11-27T03:00:00.000Z' });

  const result = exportClearing(ctx, { outDir });
  assert.equal(result.code, 'EXPORTED');
  assert.deepEqual(listFiles(outDir), ['GACHNO_PT01_20261127_01.csv', 'GACHNO_PT01_20261127_01.json', 'LENHDONGDIEN_PT01_20261127_01.csv', 'TINNHAN_PT01_20261127_01.csv']);

  const bytes = fs.readFileSync(join(outDir, 'GACHNO_PT01_20261127_01.csv'));
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
  const text = bytes.toString('utf8').slice(1);
  assert.ok(text.endsWith('\r\n'));
  assert.equal(text.replace(/\r\n/g, '').includes('\n'), false, 'CRLF only');
  const rows = parse(text, { columns: true }) as Record<string, string>[];
  assert.deepEqual(Object.keys(rows[0]!), [...CLEARING_COLUMNS]);
  assert.deepEqual(
    rows.map((r) => [r.SO_BIENNHAN, r.ID_HDON, r.LOAI_HDON, r.TONG_TIEN]),
    [
      ['SEED-26-000001', 'HD001', 'TD', '108000'],
      ['SEED-26-000001', 'HD002', 'TD', '216000'],
      ['SEED-26-000001', '', 'DC', '30000'],
      ['SEED-26-000003', 'HD004', 'TD', '75600'],
    ],
  );
  const first = rows[0]!;
  assert.equal(first.MA_DVIQLY, 'PC12AA');
  assert.equal(first.MA_DIEMTHU, 'PT01');
  assert.equal(first.TEN_KHANG, 'Nguyễn Văn An, "Bé"');
  assert.equal(first.NGAY_NOP, '27/11/2026 08:02:03');
  assert.equal(first.MA_TNGAN, 'SEED');
  assert.deepEqual([first.KY, first.THANG, first.NAM, first.SO_TIEN, first.TIEN_GTGT], ['1', '9', '2026', '100000', '8000']);
  assert.deepEqual([rows[2]!.KY, rows[2]!.THANG, rows[2]!.NAM], ['', '', '']);

  const manifest = JSON.parse(fs.readFileSync(join(outDir, 'GACHNO_PT01_20261127_01.json'), 'utf8')) as ClearingManifest;
  assert.equal(manifest.csvSha256, createHash('sha256').update(bytes).digest('hex'));
  assert.equal(manifest.rowCount, 4);
  assert.equal(manifest.totalTongTien, 108000 + 216000 + 30000 + 75600);
  assert.equal(manifest.firstReceipt, 'SEED-26-000001');
  assert.equal(manifest.lastReceipt, 'SEED-26-000003');
  assert.deepEqual(manifest.voidedReceipts, ['SEED-26-000002']);
  assert.equal(manifest.pointCode, 'PT01');
  assert.equal(manifest.batchSeq, 1);

  const orders = parse(fs.readFileSync(join(outDir, 'LENHDONGDIEN_PT01_20261127_01.csv'), 'utf8').slice(1), { columns: true }) as Record<string, string>[];
  assert.equal(orders.length, 1);
  assert.equal(orders[0]!.MA_KHANG, 'PC12AA0000001');
  assert.equal(orders[0]!.DTHOAI_SMS, '0905123456');
  assert.equal(orders[0]!.SO_BIENNHAN, 'SEED-26-000001');

  assert.equal(unexported(ctx), 0);
  const voidBatch = ctx.sqlite.prepare("SELECT void_batch_id AS b FROM payments WHERE receipt_no = 'SEED-26-000002'").get() as { b: number };
  assert.equal(voidBatch.b, result.code === 'EXPORTED' ? result.batchId : -1);
  assert.equal(verifyJournal(ctx.sqlite).ok, true);
  const journal = ctx.sqlite.prepare("SELECT COUNT(*) AS n FROM journal WHERE kind = 'export'").get() as { n: number };
  assert.equal(journal.n, 1);
  ctx.close();
});

test('nothing new: nothing written, and the result says so; the next export of the day is _02', () => {
  const { ctx, outDir, pay } = setup();
  assert.equal(exportClearing(ctx, { outDir }).code, 'EXPORT_NOTHING_NEW');
  assert.deepEqual(listFiles(outDir), []);
  pay('PC12AA0000002', ['HD003']);
  assert.equal(exportClearing(ctx, { outDir }).code, 'EXPORTED');
  const before = listFiles(outDir);
  assert.equal(exportClearing(ctx, { outDir }).code, 'EXPORT_NOTHING_NEW');
  assert.deepEqual(listFiles(outDir), before);
  pay('PC12AA0000003', ['HD004']);
  const second = exportClearing(ctx, { outDir });
  assert.equal(second.code === 'EXPORTED' && second.manifest.csvFile, 'GACHNO_PT01_20261127_02.csv');
  ctx.close();
});

test('export --again rewrites all four files of a past batch byte for byte, even after the customer, unit code and cashier code changed', () => {
  const { ctx, outDir, pay } = setup();
  const p1 = pay('PC12AA0000001', ['HD001'], { fee: 30000 });
  pay('PC12AA0000002', ['HD003'], { voided: true });
  const first = exportClearing(ctx, { outDir });
  assert.equal(first.code, 'EXPORTED');
  pay('PC12AA0000003', ['HD004']);
  exportClearing(ctx, { outDir });
  // The receipt document fixes the name printed on the receipt; a new snapshot renames the customer.
  ctx.sqlite
    .prepare("INSERT INTO print_jobs (kind, payment_id, document, created_at) VALUES ('receipt', ?, ?, '2026-11-27T02:00:00.000Z')")
    .run(p1, JSON.stringify({ customer: { tenKhang: 'Nguyễn Văn An, "Bé"', dchiKhang: '12 Lê Lợi' } }));
  ctx.sqlite.prepare("UPDATE customers SET ten_khang = 'Tên mới', dchi_khang = 'Địa chỉ mới' WHERE ma_khang = 'PC12AA0000001'").run();
  // The unit code, the SMS phone and the cashier's code change too: nothing of the written batch may follow.
  ctx.sqlite.prepare("UPDATE customers SET ma_dviqly = 'PC12BB', dthoai_sms = '0912000000'").run();
  ctx.sqlite.prepare("UPDATE users SET code = 'OTHER' WHERE code = 'SEED'").run();

  const again = join(outDir, '..', 'again');
  const result = exportAgain(ctx, { batch: 'GACHNO_PT01_20261127_01', outDir: again });
  assert.equal(result.code, 'EXPORTED');
  const names = listFiles(outDir).filter((n) => n.endsWith('_01.csv') || n.endsWith('_01.json'));
  assert.equal(names.length, 4);
  for (const name of names) {
    assert.ok(fs.readFileSync(join(again, name)).equals(fs.readFileSync(join(outDir, name))), `${name} identical`);
  }
  assert.equal(listFiles(again).length, 4);
  assert.throws(() => exportAgain(ctx, { batch: '99', outDir: again }), { code: 'EXPORT_BATCH_UNKNOWN' });
  ctx.close();
});

for (const column of ['csv_bytes', 'reconnection_bytes', 'sms_bytes', 'manifest'] as const) {
  test(`export --again refuses a batch whose stored ${column} no longer matches its SHA-256, and writes nothing`, () => {
    const { ctx, outDir, pay } = setup();
    pay('PC12AA0000002', ['HD003']);
    assert.equal(exportClearing(ctx, { outDir }).code, 'EXPORTED');
    const value = column === 'manifest' ? "replace(manifest, 'PT01', 'PT02')" : `CAST(replace(CAST(${column} AS TEXT), 'MA_KHANG', 'MA_KHACH') AS BLOB)`;
    if (column === 'sms_bytes') {
      // The message file is written once (a trigger); someone who drops it is caught by the SHA-256.
      assert.throws(() => ctx.sqlite.prepare(`UPDATE clearing_batches SET ${column} = ${value}`).run(), /written once/);
      ctx.sqlite.exec('DROP TRIGGER clearing_batches_sms_fixed');
    }
    ctx.sqlite.prepare(`UPDATE clearing_batches SET ${column} = ${value}`).run();
    const again = join(outDir, '..', 'again');
    assert.throws(() => exportAgain(ctx, { batch: '1', outDir: again }), { code: 'EXPORT_BATCH_MISMATCH' });
    assert.deepEqual(listFiles(again), []);
    ctx.close();
  });
}

/** node:fs whose `failAt`-th rename (1-based) or second file's write (a full disk) fails. */
function failingFs(fail: { rename: number } | 'write'): AtomicFs {
  let writes = 0;
  let renames = 0;
  return {
    ...realFs,
    renameSync: (from, to) => {
      if (fail !== 'write' && ++renames === fail.rename) throw Object.assign(new Error('simulated crash before rename'), { code: 'ECRASH' });
      realFs.renameSync(from, to);
    },
    writeSync: ((...args: Parameters<typeof realFs.writeSync>) => {
      // The second file hits a full disk, after the first is complete.
      if (fail === 'write' && ++writes > 1) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      return (realFs.writeSync as (...a: unknown[]) => number)(...args);
    }) as AtomicFs['writeSync'],
  };
}

function batches(ctx: Ctx): { id: number; csv_name: string; status: string }[] {
  return ctx.sqlite.prepare('SELECT id, csv_name, status FROM clearing_batches ORDER BY id').all() as { id: number; csv_name: string; status: string }[];
}

const BATCH_01 = ['GACHNO_PT01_20261127_01.csv', 'GACHNO_PT01_20261127_01.json', 'LENHDONGDIEN_PT01_20261127_01.csv', 'TINNHAN_PT01_20261127_01.csv'];

for (const fail of [{ rename: 1 }, { rename: 2 }, { rename: 3 }, { rename: 4 }, 'write'] as const) {
  const what = fail === 'write' ? 'write of the 2nd file (ENOSPC)' : `rename ${fail.rename} of 4`;
  test(`a failure at the ${what}: every file left is of the pending batch, which the next export finishes byte for byte`, () => {
    const { ctx, outDir, pay } = setup();
    pay('PC12AA0000001', ['HD001']);
    pay('PC12AA0000002', ['HD003']);
    // A full stick is said as such (DISK_FULL, with what to do); other write faults stay EXPORT_WRITE_FAILED.
    assert.throws(() => exportClearing(ctx, { outDir, fs: failingFs(fail) }), { code: fail === 'write' ? 'DISK_FULL' : 'EXPORT_WRITE_FAILED' });
    const left = listFiles(outDir);
    // Written in this order: the CSV, the reconnection orders, the messages, the manifest last.
    const writeOrder = [BATCH_01[0]!, BATCH_01[2]!, BATCH_01[3]!, BATCH_01[1]!];
    assert.deepEqual(left, fail === 'write' ? [] : writeOrder.slice(0, fail.rename - 1).sort());
    // The batch is known and holds the payments (they cannot be voided or exported in another batch).
    assert.deepEqual(batches(ctx), [{ id: 1, csv_name: BATCH_01[0], status: 'pending' }]);
    assert.equal(unexported(ctx), 0);
    const leftBytes = left.map((n) => fs.readFileSync(join(outDir, n)));
    const retry = exportClearing(ctx, { outDir });
    assert.equal(retry.code === 'EXPORTED' && retry.manifest.csvFile, BATCH_01[0]);
    assert.deepEqual(listFiles(outDir), BATCH_01);
    left.forEach((n, i) => assert.ok(fs.readFileSync(join(outDir, n)).equals(leftBytes[i]!), `${n} rewritten byte for byte`));
    assert.deepEqual(batches(ctx), [{ id: 1, csv_name: BATCH_01[0], status: 'complete' }]);
    assert.equal(verifyJournal(ctx.sqlite).ok, true);
    ctx.close();
  });
}

test('a batch left pending by a crash before midnight is finished under its own name the next day, not cleared again as a new one', () => {
  let now = EVENING;
  const dir = tempDir();
  const ctx = openContext(join(dir, 'data'), { clock: () => now });
  initPoint(ctx, { pointCode: 'PT01', unitCode: 'PC12AA', pointName: '' });
  const seeded = seedSnapshot(ctx, [
    { maKhang: 'PC12AA0000002', tenKhang: 'Trần Thị Bình', dchiKhang: '3 Hùng Vương', bills: [{ idHdon: 'HD003', thang: 10, nam: 2026, soTien: 50000, tienGtgt: 4000 }] },
    { maKhang: 'PC12AA0000003', tenKhang: 'Lê Văn Cường', dchiKhang: '9 Trần Phú', bills: [{ idHdon: 'HD004', thang: 10, nam: 2026, soTien: 70000, tienGtgt: 5600 }] },
  ]);
  const outDir = join(dir, 'out');
  seedPayment(ctx, seeded.ids.get('PC12AA0000002')!, [seeded.billIds.get('HD003')!]);
  // Killed after the CSV, the order file and the messages were renamed, before the manifest.
  assert.throws(() => exportClearing(ctx, { outDir, fs: failingFs({ rename: 4 }) }), { code: 'EXPORT_WRITE_FAILED' });
  now = new Date('2026-11-28T02:00:00.000Z'); // 09:00 the next day
  seedPayment(ctx, seeded.ids.get('PC12AA0000003')!, [seeded.billIds.get('HD004')!]);
  const result = exportClearing(ctx, { outDir });
  assert.equal(result.code === 'EXPORTED' && result.manifest.csvFile, 'GACHNO_PT01_20261128_01.csv');
  assert.deepEqual(result.code === 'EXPORTED' && result.resumed.map((b) => b.manifest.csvFile), ['GACHNO_PT01_20261127_01.csv']);
  const receiptsIn = (name: string) =>
    (parse(fs.readFileSync(join(outDir, name), 'utf8').slice(1), { columns: true }) as Record<string, string>[]).map((r) => r.SO_BIENNHAN);
  assert.deepEqual(receiptsIn('GACHNO_PT01_20261127_01.csv'), ['SEED-26-000001']);
  assert.deepEqual(receiptsIn('GACHNO_PT01_20261128_01.csv'), ['SEED-26-000002'], 'each payment in exactly one file on disk');
  assert.equal(listFiles(outDir).length, 8);
  ctx.close();
});

test('the batch is marked complete only after every file is complete, and no write lock is held while writing', () => {
  const { ctx, outDir, pay } = setup();
  pay('PC12AA0000001', ['HD001']);
  let seen: { files: string[]; status: string[] } | undefined;
  const other = openContext(ctx.dataDir, { busyTimeoutMs: 50 });
  exportClearing(ctx, {
    outDir,
    beforeMark: () => {
      // A collection in another process is not kept waiting by a slow USB stick.
      other.sqlite.transaction(() => other.sqlite.prepare("UPDATE settings SET value = value WHERE key = 'point_code'").run()).immediate();
      seen = { files: listFiles(outDir), status: batches(ctx).map((b) => b.status) };
    },
  });
  assert.deepEqual(seen, { files: BATCH_01, status: ['pending'] });
  assert.deepEqual(batches(ctx).map((b) => b.status), ['complete']);
  other.close();
  ctx.close();
});

test('temporaries of a killed export are swept by the next one, those of a live writer are kept', () => {
  const { ctx, outDir, pay } = setup();
  pay('PC12AA0000001', ['HD001']);
  fs.mkdirSync(outDir, { recursive: true });
  // A writer that is gone (no pid that high) and one still alive (this test's parent process).
  fs.writeFileSync(join(outDir, 'GACHNO_PT01_20261127_01.csv.partial-2147483646'), 'half');
  const live = `GACHNO_PT01_20261127_01.csv.partial-${process.ppid}`;
  fs.writeFileSync(join(outDir, live), 'being written');
  exportClearing(ctx, { outDir });
  assert.deepEqual(listFiles(outDir).filter((n) => n.includes('partial')), [live]);
  ctx.close();
});

test('a second export while one is writing finishes the same batch instead of making another', () => {
  const { ctx, outDir, pay } = setup();
  pay('PC12AA0000001', ['HD001']);
  const other = openContext(ctx.dataDir, { busyTimeoutMs: 50 });
  let second: ExportResult | undefined;
  const first = exportClearing(ctx, { outDir, beforeMark: () => (second = exportClearing(other, { outDir })) });
  assert.equal(second?.code === 'EXPORTED' && second.manifest.csvFile, BATCH_01[0]);
  assert.equal(first.code === 'EXPORTED' && first.manifest.csvFile, BATCH_01[0]);
  assert.deepEqual(listFiles(outDir), BATCH_01);
  const stored = ctx.sqlite.prepare('SELECT csv_name, csv_sha256, status FROM clearing_batches').all() as { csv_name: string; csv_sha256: string; status: string }[];
  assert.equal(stored.length, 1);
  assert.equal(stored[0]!.status, 'complete');
  assert.equal(createHash('sha256').update(fs.readFileSync(join(outDir, stored[0]!.csv_name))).digest('hex'), stored[0]!.csv_sha256);
  assert.equal(exportClearing(other, { outDir }).code, 'EXPORT_NOTHING_NEW');
  other.close();
  ctx.close();
});

test('[#20] the clearing writer refuses a field a spreadsheet would run or that breaks the record, and commits nothing', () => {
  // Data the import now refuses, put in by hand (an old database, an edited one): the writer is the last line.
  const cases: { name: string; address: string; column: string }[] = [
    { name: '=HYPERLINK("http://evil.example","Bấm")', address: '12 Lê Lợi', column: 'TEN_KHANG' },
    { name: ' @SUM(1+1)', address: '12 Lê Lợi', column: 'TEN_KHANG' },
    { name: 'Nguyễn Văn\r\nAn', address: '12 Lê Lợi', column: 'TEN_KHANG' },
    { name: 'Nguyễn\u0000Văn An', address: '12 Lê Lợi', column: 'TEN_KHANG' },
    { name: 'Nguyễn Văn An', address: "+cmd|' /C calc'!A0", column: 'DCHI_KHANG' },
    { name: 'Nguyễn Văn An', address: '-2+3', column: 'DCHI_KHANG' },
  ];
  for (const c of cases) {
    const dir = tempDir();
    const ctx = openContext(join(dir, 'data'), { clock: steppingClock(EVENING) });
    initPoint(ctx, { pointCode: 'PT01', unitCode: 'PC12AA', pointName: '' });
    const seeded = seedSnapshot(ctx, [
      { maKhang: 'PC12AA0000001', tenKhang: c.name, dchiKhang: c.address, tthaiCat: true, bills: [{ idHdon: 'HD001', thang: 10, nam: 2026, soTien: 100000 }] },
    ]);
    seedPayment(ctx, seeded.ids.get('PC12AA0000001')!, [seeded.billIds.get('HD001')!], { fee: 30000 });
    const batchesBefore = ctx.sqlite.prepare('SELECT COUNT(*) AS n FROM clearing_batches').get();
    const outDir = join(dir, 'out');
    assert.throws(
      () => exportClearing(ctx, { outDir }),
      (e: unknown) => e instanceof AppError && e.code === 'EXPORT_UNSAFE_FIELD' && e.message.includes(c.column) && e.message.includes('SEED-26-000001'),
      JSON.stringify(c),
    );
    assert.deepEqual(ctx.sqlite.prepare('SELECT COUNT(*) AS n FROM clearing_batches').get(), batchesBefore);
    assert.equal(unexported(ctx), 1);
    assert.deepEqual(listFiles(outDir), []);
    ctx.close();
  }
});
