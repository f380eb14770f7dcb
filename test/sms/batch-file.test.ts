import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { openContext, type Ctx } from '../../electron/store/context.ts';
import { steppingClock } from '../../electron/core/clock.ts';
import { initPoint } from '../../electron/store/point.ts';
import { setSettings } from '../../electron/store/settings.ts';
import { exportAgain, exportClearing } from '../../electron/cmis/write-clearing.ts';
import type { ClearingManifest } from '../../electron/cmis/stored-batch.ts';
import { verifyStore } from '../../electron/verify/verify.ts';
import { SMS_COLUMNS } from '../../electron/sms/messages.ts';
import { seedPayment, seedSnapshot } from '../helpers/seed.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { DEFAULT_PROFILE_TEXT } from './helpers.ts';

// 17:00 on 27/11/2026, Việt Nam time: the evening export.
const EVENING = new Date('2026-11-27T10:00:00.000Z');
const TINNHAN = 'TINNHAN_PT01_20261127_01.csv';

function setup(): { ctx: Ctx; outDir: string; pay: (ma: string, bills: string[], opts?: Parameters<typeof seedPayment>[3]) => number } {
  const dir = tempDir();
  const ctx = openContext(join(dir, 'data'), { clock: steppingClock(EVENING) });
  initPoint(ctx, { pointCode: 'PT01', unitCode: 'PC12AA', pointName: '' });
  const bill = (idHdon: string, thang: number) => ({ idHdon, thang, nam: 2026, soTien: 100000, tienGtgt: 8000 });
  const seeded = seedSnapshot(ctx, [
    { maKhang: 'PC12AA0000001', tenKhang: 'Nguyễn Văn An', dchiKhang: '12 Lê Lợi', dthoaiSms: '0905123456', tthaiCat: true, bills: [bill('HD001', 9), bill('HD002', 10)] },
    { maKhang: 'PC12AA0000002', tenKhang: 'Trần Thị Bình', dchiKhang: '3 Hùng Vương', dthoaiSms: '0168 123 4567', bills: [bill('HD003', 10)] },
    { maKhang: 'PC12AA0000003', tenKhang: 'Lê Văn Cường', dchiKhang: '9 Trần Phú', dthoaiSms: null, bills: [bill('HD004', 10)] },
    { maKhang: 'PC12AA0000004', tenKhang: 'Phạm Thị Dung', dchiKhang: '1 Nguyễn Huệ', dthoaiSms: '024 3825 1234', bills: [bill('HD005', 10)] },
    { maKhang: 'PC12AA0000005', tenKhang: 'Hoàng Văn Em', dchiKhang: '5 Lý Thường Kiệt', dthoaiSms: '+84 912 345 678', bills: [bill('HD006', 10)] },
    { maKhang: 'PC12AA0000006', tenKhang: 'Vũ Thị Phượng', dchiKhang: '7 Bạch Đằng', dthoaiSms: '0121.555.6789', bills: [bill('HD007', 10)] },
  ]);
  const pay = (ma: string, bills: string[], opts = {}) => seedPayment(ctx, seeded.ids.get(ma)!, bills.map((b) => seeded.billIds.get(b)!), opts);
  return { ctx, outDir: join(dir, 'out'), pay };
}

const rowsOf = (bytes: Buffer) => parse(bytes.toString('utf8').slice(1), { columns: true }) as Record<string, string>[];

test('each clearing batch writes TINNHAN with its NN: one confirmation per valid payment with a mobile, voids never, skips counted in the manifest', () => {
  const { ctx, outDir, pay } = setup();
  setSettings(ctx.sqlite, { sms_opt_out: ['84912345678'] }, null, EVENING);
  pay('PC12AA0000001', ['HD001', 'HD002'], { at: '2026-11-27T01:02:03.000Z', fee: 30000 });
  pay('PC12AA0000002', ['HD003'], { voided: true });
  pay('PC12AA0000003', ['HD004']);
  pay('PC12AA0000004', ['HD005']);
  pay('PC12AA0000005', ['HD006']);
  pay('PC12AA0000006', ['HD007'], { at: '2026-11-27T03:04:00.000Z' });

  const result = exportClearing(ctx, { outDir });
  assert.equal(result.code, 'EXPORTED');
  const bytes = fs.readFileSync(join(outDir, TINNHAN));
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
  const rows = rowsOf(bytes);
  assert.deepEqual(Object.keys(rows[0]!), [...SMS_COLUMNS]);
  assert.deepEqual(
    rows.map((r) => [r.MA_TIN, r.LOAI_TIN, r.MA_KHANG, r.SO_DTHOAI]),
    [
      ['SEED-26-000001-XNTT', 'XNTT', 'PC12AA0000001', '84905123456'],
      ['SEED-26-000006-XNTT', 'XNTT', 'PC12AA0000006', '84795556789'], // 0121 -> 079
    ],
  );
  const first = rows[0]!;
  assert.match(first.NOI_DUNG!, /^EVN da nhan 246\.000 dong tien dien thang 9-10\/2026 cua ma KH PC12AA0000001 tai diem thu SEED luc 08:02 27\/11\/2026\. So bien nhan SEED-26-000001/);
  assert.equal(first.SO_KY_TU, String(first.NOI_DUNG!.length));
  assert.deepEqual([first.SO_BAN_TIN, first.GUI_TU, first.HET_HAN, first.MA_DVIQLY], ['1', '27/11/2026 17:00', '30/11/2026 17:00', 'PC12AA']);

  const manifest = JSON.parse(fs.readFileSync(join(outDir, 'GACHNO_PT01_20261127_01.json'), 'utf8')) as ClearingManifest;
  assert.equal(manifest.smsFile, TINNHAN);
  assert.equal(manifest.smsSha256, createHash('sha256').update(bytes).digest('hex'));
  assert.equal(manifest.smsMessages, 2);
  // The void is neither a message nor a skip; no phone, a landline, an opted-out number are skips.
  assert.deepEqual(manifest.smsSkipped, { empty: 1, invalid: 0, foreign: 0, landline: 1, not_mobile: 0, opted_out: 1, bad_data: 0 });
  const journaled = ctx.sqlite.prepare("SELECT json_extract(payload, '$.smsSha256') AS sha FROM journal WHERE kind = 'export'").get() as { sha: string };
  assert.equal(journaled.sha, manifest.smsSha256);
  const verified = verifyStore(ctx);
  assert.equal(verified.ok, true, JSON.stringify(verified.problems));
  ctx.close();
});

test('export --again writes TINNHAN byte for byte after the phone, the opt-out list and the profile changed', () => {
  const { ctx, outDir, pay } = setup();
  pay('PC12AA0000001', ['HD001']);
  pay('PC12AA0000006', ['HD007']);
  assert.equal(exportClearing(ctx, { outDir }).code, 'EXPORTED');
  ctx.sqlite.prepare("UPDATE customers SET dthoai_sms = '0988000111'").run();
  const profile = JSON.parse(DEFAULT_PROFILE_TEXT) as { templates: { XNTT: { id: string; text: string }[] } };
  profile.templates.XNTT = [{ id: 'XNTT_KHAC', text: 'Da thu {amount}d cua {code}, bien nhan {receipt}' }];
  setSettings(ctx.sqlite, { sms_opt_out: ['84905123456'], sms_profile: JSON.stringify(profile) }, null, EVENING);
  const again = join(outDir, '..', 'again');
  exportAgain(ctx, { batch: '1', outDir: again });
  assert.ok(fs.readFileSync(join(again, TINNHAN)).equals(fs.readFileSync(join(outDir, TINNHAN))));

  // The next batch follows the new settings: the point's own profile, its opt-out list.
  pay('PC12AA0000003', ['HD004']);
  pay('PC12AA0000002', ['HD003']);
  const next = exportClearing(ctx, { outDir });
  assert.equal(next.code === 'EXPORTED' && next.manifest.smsFile, 'TINNHAN_PT01_20261127_02.csv');
  const rows = rowsOf(fs.readFileSync(join(outDir, 'TINNHAN_PT01_20261127_02.csv')));
  assert.deepEqual(rows.map((r) => [r.MA_KHANG, r.MA_MAU, r.SO_DTHOAI]), [
    ['PC12AA0000003', 'XNTT_KHAC', '84988000111'],
    ['PC12AA0000002', 'XNTT_KHAC', '84988000111'],
  ]);
  ctx.close();
});

test('a batch whose payments have no usable number still writes its TINNHAN (a header only) so every batch has the same files', () => {
  const { ctx, outDir, pay } = setup();
  pay('PC12AA0000003', ['HD004']);
  const result = exportClearing(ctx, { outDir });
  assert.equal(result.code === 'EXPORTED' && result.manifest.smsMessages, 0);
  assert.equal(fs.readFileSync(join(outDir, TINNHAN), 'utf8'), `\ufeff${SMS_COLUMNS.join(',')}\r\n`);
  ctx.close();
});
