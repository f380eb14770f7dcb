import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openContext, type Ctx } from '../../electron/store/context.ts';
import { steppingClock } from '../../electron/core/clock.ts';
import { initPoint } from '../../electron/store/point.ts';
import { exportClearing } from '../../electron/cmis/write-clearing.ts';
import { importResult } from '../../electron/cmis/import-result.ts';
import { batchStates } from '../../electron/cmis/clearing-state.ts';
import { verifyJournal } from '../../electron/store/journal.ts';
import { verifyStore } from '../../electron/verify/verify.ts';
import { main } from '../../electron/cli/diemthu.ts';
import { captureIo } from '../helpers/capture-io.ts';
import { seedPayment, seedSnapshot } from '../helpers/seed.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { count, refusedWith } from '../helpers/collect-fixture.ts';
import { dumpDatabase } from './helpers.ts';

const HEADER = 'SO_BIENNHAN,ID_HDON,KET_QUA,GHI_CHU';

/** A point PT01 with one exported batch GACHNO_PT01_20261127_01: receipt 1 (HD001, HD002, a fee), receipt 2 (HD003). */
function answeredWorld(): { ctx: Ctx; dir: string; result: (lines: string[], name?: string, header?: string) => string } {
  const dir = tempDir();
  const ctx = openContext(join(dir, 'data'), { clock: steppingClock(new Date('2026-11-27T10:00:00.000Z')) });
  initPoint(ctx, { pointCode: 'PT01', unitCode: 'PC12AA', pointName: '' });
  const seeded = seedSnapshot(ctx, [
    { maKhang: 'PC12AA0000001', tenKhang: 'Nguyễn Văn An', dchiKhang: '12 Lê Lợi', bills: [{ idHdon: 'HD001', thang: 9, nam: 2026, soTien: 100000, tienGtgt: 8000 }, { idHdon: 'HD002', thang: 10, nam: 2026, soTien: 200000, tienGtgt: 16000 }] },
    { maKhang: 'PC12AA0000002', tenKhang: 'Trần Thị Bình', dchiKhang: '3 Hùng Vương', bills: [{ idHdon: 'HD003', thang: 10, nam: 2026, soTien: 50000, tienGtgt: 4000 }] },
  ]);
  seedPayment(ctx, seeded.ids.get('PC12AA0000001')!, [seeded.billIds.get('HD001')!, seeded.billIds.get('HD002')!], { fee: 30000 });
  seedPayment(ctx, seeded.ids.get('PC12AA0000002')!, [seeded.billIds.get('HD003')!], { at: '2026-11-27T03:00:00.000Z' });
  assert.equal(exportClearing(ctx, { outDir: join(dir, 'usb') }).code, 'EXPORTED');
  let n = 0;
  const result = (lines: string[], name = 'KQGACHNO_PT01_20261127_01.csv', header = HEADER) => {
    const folder = join(dir, `r${++n}`);
    mkdirSync(folder);
    const path = join(folder, name);
    writeFileSync(path, `\uFEFF${[header, ...lines].join('\r\n')}\r\n`);
    return path;
  };
  return { ctx, dir, result };
}

const R1 = 'SEED-26-000001';
const R2 = 'SEED-26-000002';
const ALL_OK = [`${R1},HD001,OK,`, `${R1},HD002,OK,`, `${R1},,OK,`, `${R2},HD003,OK,`];

function stateOf(ctx: Ctx) {
  return batchStates(ctx.sqlite).map((s) => [s.csvFile, s.stage, s.lines, s.answered, s.ok, s.rejected]);
}

test('each line OK or rejected with CMIS\'s reason; lines missing are listed; the batch goes sent -> answered -> closed', (t) => {
  const { ctx, result } = answeredWorld();
  t.after(() => ctx.close());
  assert.deepEqual(stateOf(ctx), [['GACHNO_PT01_20261127_01.csv', 'sent', 4, 0, 0, 0]]);
  const first = importResult(ctx, result([`${R1},HD001,OK,`, `${R1},HD002,DA_GACH,"Đã gạch qua ngân hàng, 20/11"`, `${R2},HD003,OK,`]));
  assert.equal(first.status, 'recorded');
  assert.deepEqual(first.lines.map((l) => [l.receiptNo, l.idHdon, l.ketQua, l.ghiChu]), [
    [R1, 'HD001', 'OK', ''],
    [R1, 'HD002', 'DA_GACH', 'Đã gạch qua ngân hàng, 20/11'],
    [R2, 'HD003', 'OK', ''],
  ]);
  assert.deepEqual(first.missing, [{ receiptNo: R1, idHdon: '' }], 'the fee line has no answer yet');
  assert.deepEqual([first.batch.stage, first.batch.answered, first.batch.rejected], ['answered', 3, 1]);
  // A later file may answer the missing line, repeating the others unchanged.
  const rest = importResult(ctx, result([`${R1},HD001,OK,`, `${R1},,OK,`], 'KQGACHNO_PT01_20261127_01.csv'));
  assert.deepEqual([rest.status, rest.newCount, rest.missing], ['recorded', 1, []]);
  assert.deepEqual(stateOf(ctx), [['GACHNO_PT01_20261127_01.csv', 'answered', 4, 4, 3, 1]], 'a rejected line waits for a decision');
  assert.deepEqual(verifyStore(ctx).problems, []);
});

test('all OK closes the batch; the same file twice is a no-op; the same answers in another file too', (t) => {
  const { ctx, result } = answeredWorld();
  t.after(() => ctx.close());
  const file = result(ALL_OK);
  assert.equal(importResult(ctx, file).status, 'recorded');
  assert.deepEqual(stateOf(ctx)[0]?.[1], 'closed');
  const before = dumpDatabase(ctx);
  assert.deepEqual([importResult(ctx, file).status, importResult(ctx, file).newCount], ['already_recorded', 0]);
  // Same answers, other bytes (semicolons, other order): nothing new either.
  const copy = result([...ALL_OK].reverse().map((l) => l.replaceAll(',', ';')), undefined, HEADER.replaceAll(',', ';'));
  assert.equal(importResult(ctx, copy).status, 'already_recorded');
  assert.deepEqual(dumpDatabase(ctx), before);
});

test('a different second answer for a line is refused and listed; nothing of the file is recorded', (t) => {
  const { ctx, result } = answeredWorld();
  t.after(() => ctx.close());
  importResult(ctx, result([`${R1},HD001,OK,`, `${R1},HD002,OK,`, `${R2},HD003,OK,`]));
  const before = dumpDatabase(ctx);
  // The same result with one line changed, and the missing fee line: the fee line is not taken either.
  const changed = result([`${R1},HD001,OK,`, `${R1},HD002,SAI_SO_TIEN,Số tiền CMIS 216.001`, `${R1},,OK,`, `${R2},HD003,OK,`]);
  assert.throws(() => importResult(ctx, changed), (e: Error & { code?: string }) => e.code === 'RESULT_CHANGED' && /dòng 3, cột KET_QUA, giá trị "SAI_SO_TIEN": biên nhận SEED-26-000001, hóa đơn HD002 đã được ghi nhận là OK/.test(e.message));
  // Only the note changed: still another answer.
  assert.throws(() => importResult(ctx, result([`${R2},HD003,OK,đã gạch`])), refusedWith('RESULT_CHANGED'));
  assert.deepEqual(dumpDatabase(ctx), before);
  assert.throws(() => ctx.sqlite.prepare("UPDATE clearing_result_lines SET ket_qua = 'DA_GACH'").run(), /never changed/);
  assert.throws(() => ctx.sqlite.prepare('DELETE FROM clearing_result_lines').run(), /never changed/);
  assert.throws(() => ctx.sqlite.prepare('DELETE FROM clearing_results').run(), /never changed/);
  // By SQL too, an answer is only for a line its batch carried.
  assert.throws(() => ctx.sqlite.prepare("INSERT INTO clearing_result_lines (batch_id, payment_line_id, result_id, ket_qua, ghi_chu) VALUES (1, 999, 1, 'OK', '')").run(), /answers a line of its batch/);
});

test('a result for another batch, another point, or with lines the batch never had is refused whole', (t) => {
  const { ctx, result } = answeredWorld();
  t.after(() => ctx.close());
  const before = dumpDatabase(ctx);
  assert.throws(() => importResult(ctx, result(ALL_OK, 'KQGACHNO_PT01_20261127_02.csv')), refusedWith('RESULT_BATCH_UNKNOWN'));
  assert.throws(() => importResult(ctx, result(ALL_OK, 'KQGACHNO_PT02_20261127_01.csv')), refusedWith('RESULT_OTHER_POINT'));
  assert.throws(() => importResult(ctx, result(ALL_OK, 'GACHNO_PT01_20261127_01.csv')), refusedWith('RESULT_NAME_INVALID'));
  assert.throws(
    () => importResult(ctx, result([...ALL_OK, `${R2},HD999,OK,`])),
    (e: Error & { code?: string }) => e.code === 'RESULT_LINE_UNKNOWN' && /dòng 6, cột SO_BIENNHAN, giá trị "SEED-26-000002": biên nhận SEED-26-000002, hóa đơn HD999 không có trong lần xuất/.test(e.message),
  );
  assert.throws(() => importResult(ctx, result([...ALL_OK, `${R2},HD003,OK,`])), (e: Error & { code?: string }) => e.code === 'RESULT_LINE_UNKNOWN' && /đã có kết quả ở dòng 5/.test(e.message));
  assert.throws(() => importResult(ctx, result([`${R1},HD001,XONG,`])), (e: Error & { code?: string }) => e.code === 'RESULT_INVALID' && /cột KET_QUA, giá trị "XONG"/.test(e.message));
  assert.throws(() => importResult(ctx, result([])), refusedWith('RESULT_NO_ROWS'));
  assert.throws(() => importResult(ctx, result(ALL_OK, undefined, 'SO_BIENNHAN,ID_HDON,GHI_CHU,X')), refusedWith('RESULT_HEADER_INVALID'));
  assert.throws(() => importResult(ctx, result([`${R1},HD001,OK,a\u0007b`])), (e: Error & { code?: string }) => e.code === 'RESULT_INVALID' && /ký tự điều khiển/.test(e.message));
  assert.deepEqual(dumpDatabase(ctx), before);
});

test('SIGKILL after the result lines are written and before their journal row: nothing recorded, the chain intact, the file then taken', async (t) => {
  const { ctx, dir, result } = answeredWorld();
  const file = result(ALL_OK);
  const dataDir = join(dir, 'data');
  ctx.close();
  const worker = join(import.meta.dirname, '..', 'workers', 'stall-in-transaction.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', worker, dataDir, 'clearing_result', 'result', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => child.kill('SIGKILL'));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => (String(chunk).includes('inside') ? resolve() : undefined));
    child.on('exit', (code) => reject(new Error(`the child ended (${code}) before its transaction stalled`)));
  });
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));
  const after = openContext(dataDir);
  t.after(() => after.close());
  assert.deepEqual([count(after, 'clearing_results'), count(after, 'clearing_result_lines')], [0, 0]);
  assert.equal(verifyJournal(after.sqlite).ok, true);
  assert.equal(importResult(after, file).status, 'recorded');
  assert.equal(batchStates(after.sqlite)[0]?.stage, 'closed');
});

test('CLI: diemthu result prints each line and what is missing; status shows the batch stage; refusals exit 2', async () => {
  const { ctx, dir, result } = answeredWorld();
  ctx.close();
  const dataDir = join(dir, 'data');
  const cli = async (argv: string[]) => {
    const io = captureIo();
    const code = await main([...argv, '--data-dir', dataDir], io);
    return { code, out: io.out(), err: io.err() };
  };
  const first = await cli(['result', result([`${R1},HD001,OK,`, `${R1},HD002,KHONG_TON_TAI,Không có hóa đơn`, `${R2},HD003,OK,`])]);
  assert.equal(first.code, 0, first.err);
  assert.match(first.out, /OK +SEED-26-000001 HD001/);
  assert.match(first.out, /BỊ TỪ CHỐI SEED-26-000001 HD002: KHONG_TON_TAI — CMIS không có hóa đơn này \(Không có hóa đơn\)/);
  assert.match(first.out, /Chưa có kết quả cho 1 dòng:\n {2}SEED-26-000001 \(phí đóng điện\)/);
  const status = await cli(['status', '--json']);
  const batches = (JSON.parse(status.out) as { value: { batches: { csvFile: string; stage: string; rejected: number }[] } }).value.batches;
  assert.deepEqual(batches.map((b) => [b.csvFile, b.stage, b.rejected]), [['GACHNO_PT01_20261127_01.csv', 'answered', 1]]);
  assert.match((await cli(['status'])).out, /Lần xuất GACHNO_PT01_20261127_01\.csv: đã có kết quả, còn việc chờ xử lý \[answered\]; 4 dòng: 2 OK, 1 bị từ chối \(1 chờ giám sát quyết định\), 1 chưa có kết quả\./);
  const changed = await cli(['result', result([`${R1},HD002,OK,`])]);
  assert.equal(changed.code, 2);
  assert.match(changed.err, /^\[RESULT_CHANGED\]/);
});
