import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { openContext, type Ctx } from '../../electron/context.ts';
import { steppingClock } from '../../electron/core/clock.ts';
import { initPoint } from '../../electron/point.ts';
import { exportAgain, exportClearing, CLEARING_COLUMNS, type ClearingManifest } from '../../electron/cmis/write-clearing.ts';
import { realFs, type AtomicFs } from '../../electron/atomic-write.ts';
import { verifyJournal } from '../../electron/journal.ts';
import { seedPayment, seedSnapshot } from '../helpers/seed.ts';
import { tempDir } from '../helpers/temp-dir.ts';

// 2026-11-27 17:00 local (UTC+7): the evening export.
const EVENING = new Date('2026-11-27T10:00:00.000Z');

function setup(): { ctx: Ctx; outDir: string; pay: (ma: string, bills: string[], opts?: { voided?: boolean; at?: string }) => number } {
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
  const pay = (ma: string, bills: string[], opts: { voided?: boolean; at?: string } = {}) =>
    seedPayment(ctx, seeded.ids.get(ma)!, bills.map((b) => seeded.billIds.get(b)!), opts);
  return { ctx, outDir: join(dir, 'out'), pay };
}

/** A fee line and a reconnection order on payment `paymentId`, as the payment service writes them. */
function addFeeAndOrder(ctx: Ctx, paymentId: number, fee: number): void {
  ctx.sqlite.transaction(() => {
    ctx.sqlite
      .prepare("INSERT INTO payment_lines (payment_id, bill_id, id_hdon, loai_hdon, so_tien, tien_gtgt, tong_tien) VALUES (?, NULL, NULL, 'DC', ?, 0, ?)")
      .run(paymentId, fee, fee);
    ctx.sqlite
      .prepare("INSERT INTO reconnection_orders (payment_id, customer_id, requested_at, fee_source) SELECT id, customer_id, paid_at, 'settings' FROM payments WHERE id = ?")
      .run(paymentId);
  })();
}

function listFiles(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
}

function unexported(ctx: Ctx): number {
  return (ctx.sqlite.prepare('SELECT COUNT(*) AS n FROM payments WHERE batch_id IS NULL AND voided_at IS NULL').get() as { n: number }).n;
}

test('export writes the clearing CSV, manifest and reconnection orders per contract section 3', () => {
  const { ctx, outDir, pay } = setup();
  const p1 = pay('PC12AA0000001', ['HD001', 'HD002'], { at: '2026-11-27T01:02:03.000Z' });
  addFeeAndOrder(ctx, p1, 30000);
  pay('PC12AA0000002', ['HD003'], { voided: true });
  pay('PC12AA0000003', ['HD004'], { at: '2026-11-27T03:00:00.000Z' });

  const result = exportClearing(ctx, { outDir });
  assert.equal(result.code, 'EXPORTED');
  assert.deepEqual(listFiles(outDir), ['GACHNO_PT01_20261127_01.csv', 'GACHNO_PT01_20261127_01.json', 'LENHDONGDIEN_PT01_20261127_01.csv']);

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

test('export --again rewrites a past batch byte for byte, even after the customer was renamed', () => {
  const { ctx, outDir, pay } = setup();
  const p1 = pay('PC12AA0000001', ['HD001']);
  addFeeAndOrder(ctx, p1, 30000);
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

  const again = join(outDir, '..', 'again');
  const result = exportAgain(ctx, { batch: 'GACHNO_PT01_20261127_01', outDir: again });
  assert.equal(result.code, 'EXPORTED');
  for (const name of listFiles(outDir).filter((n) => n.endsWith('_01.csv') || n.endsWith('_01.json'))) {
    assert.ok(fs.readFileSync(join(again, name)).equals(fs.readFileSync(join(outDir, name))), `${name} identical`);
  }
  assert.equal(listFiles(again).length, 3);
  assert.throws(() => exportAgain(ctx, { batch: '99', outDir: again }), { code: 'EXPORT_BATCH_UNKNOWN' });
  ctx.close();
});

test('export --again refuses when the database no longer gives the same bytes', () => {
  const { ctx, outDir, pay } = setup();
  pay('PC12AA0000002', ['HD003']);
  const first = exportClearing(ctx, { outDir });
  assert.equal(first.code, 'EXPORTED');
  ctx.sqlite.prepare("UPDATE users SET code = 'OTHER' WHERE code = 'SEED'").run();
  const again = join(outDir, '..', 'again');
  assert.throws(() => exportAgain(ctx, { batch: '1', outDir: again }), { code: 'EXPORT_AGAIN_MISMATCH' });
  assert.deepEqual(listFiles(again), []);
  ctx.close();
});

function failingFs(fail: 'rename' | 'write'): AtomicFs {
  let writes = 0;
  return {
    ...realFs,
    renameSync: fail === 'rename' ? () => { throw Object.assign(new Error('simulated crash before rename'), { code: 'ECRASH' }); } : realFs.renameSync,
    writeSync: ((...args: Parameters<typeof realFs.writeSync>) => {
      // The second file hits a full disk, after the first is complete.
      if (fail === 'write' && ++writes > 1) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      return (realFs.writeSync as (...a: unknown[]) => number)(...args);
    }) as AtomicFs['writeSync'],
  };
}

for (const fail of ['rename', 'write'] as const) {
  test(`a failure at ${fail === 'rename' ? 'rename (crash between write and rename)' : 'write (ENOSPC)'} leaves no file and no payment marked`, () => {
    const { ctx, outDir, pay } = setup();
    pay('PC12AA0000001', ['HD001']);
    pay('PC12AA0000002', ['HD003']);
    const journalBefore = verifyJournal(ctx.sqlite).rows;
    assert.throws(() => exportClearing(ctx, { outDir, fs: failingFs(fail) }), { code: fail === 'rename' ? 'ECRASH' : 'ENOSPC' });
    assert.deepEqual(listFiles(outDir), []);
    assert.equal(unexported(ctx), 2);
    assert.equal((ctx.sqlite.prepare('SELECT COUNT(*) AS n FROM clearing_batches').get() as { n: number }).n, 0);
    assert.equal(verifyJournal(ctx.sqlite).rows, journalBefore);
    // The retry writes batch 01 in full.
    const retry = exportClearing(ctx, { outDir });
    assert.equal(retry.code === 'EXPORTED' && retry.manifest.csvFile, 'GACHNO_PT01_20261127_01.csv');
    assert.equal(unexported(ctx), 0);
    ctx.close();
  });
}

test('payments are marked exported only after every file is complete', () => {
  const { ctx, outDir, pay } = setup();
  pay('PC12AA0000001', ['HD001']);
  let seen: { files: string[]; unexported: number } | undefined;
  exportClearing(ctx, { outDir, beforeMark: () => (seen = { files: listFiles(outDir), unexported: unexported(ctx) }) });
  assert.deepEqual(seen, { files: ['GACHNO_PT01_20261127_01.csv', 'GACHNO_PT01_20261127_01.json', 'LENHDONGDIEN_PT01_20261127_01.csv'], unexported: 1 });
  assert.equal(unexported(ctx), 0);
  ctx.close();
});

test('temporaries of a killed export are swept by the next one', () => {
  const { ctx, outDir, pay } = setup();
  pay('PC12AA0000001', ['HD001']);
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(join(outDir, 'GACHNO_PT01_20261127_01.csv.partial-123'), 'half');
  exportClearing(ctx, { outDir });
  assert.deepEqual(listFiles(outDir).filter((n) => n.includes('partial')), []);
  ctx.close();
});

test('a second export while one is writing waits for it instead of writing the same batch number', () => {
  const { ctx, outDir, pay } = setup();
  pay('PC12AA0000001', ['HD001']);
  const other = openContext(ctx.dataDir, { busyTimeoutMs: 50 });
  let blocked: unknown;
  exportClearing(ctx, {
    outDir,
    beforeMark: () => {
      try {
        exportClearing(other, { outDir });
      } catch (error) {
        blocked = error;
      }
    },
  });
  assert.equal((blocked as { code?: string } | undefined)?.code, 'SQLITE_BUSY');
  const stored = ctx.sqlite.prepare('SELECT csv_name, csv_sha256 FROM clearing_batches').all() as { csv_name: string; csv_sha256: string }[];
  assert.equal(stored.length, 1);
  assert.equal(createHash('sha256').update(fs.readFileSync(join(outDir, stored[0]!.csv_name))).digest('hex'), stored[0]!.csv_sha256);
  assert.equal(exportClearing(other, { outDir }).code, 'EXPORT_NOTHING_NEW');
  other.close();
  ctx.close();
});
