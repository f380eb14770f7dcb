import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectPayment } from '../../electron/payments/collect.ts';
import { exportClearing } from '../../electron/cmis/write-clearing.ts';
import { main } from '../../electron/cli/diemthu.ts';
import { collectWorld } from '../helpers/collect-fixture.ts';
import { captureIo } from '../helpers/capture-io.ts';
import { seedSnapshot } from '../helpers/seed.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const R1 = 'DT0001-26-000001';
const R2 = 'DT0001-26-000002';

/** A point whose first batch went out; CMIS's answer waits on the stick: HD-A11 paid twice, HD-B11 an error. */
function sentDay() {
  const w = collectWorld();
  seedSnapshot(w.ctx, [
    { maKhang: 'PC12AA0000001', tenKhang: 'Lê Văn An', dchiKhang: 'x', bills: [{ idHdon: 'HD-A10', thang: 10, nam: 2026, soTien: 100_000, tienGtgt: 8_000 }, { idHdon: 'HD-A11', thang: 11, nam: 2026, soTien: 90_000, tienGtgt: 7_200 }] },
    { maKhang: 'PC12AA0000002', tenKhang: 'Trần Thị Bình', dchiKhang: 'y', bills: [{ idHdon: 'HD-B11', thang: 11, nam: 2026, soTien: 50_000, tienGtgt: 4_000 }] },
  ]);
  collectPayment(w.ctx, { customer: 'PC12AA0000001', cashierId: w.cashier.id, idempotencyKey: 'k-1' });
  collectPayment(w.ctx, { customer: 'PC12AA0000002', cashierId: w.cashier.id, idempotencyKey: 'k-2' });
  const dir = tempDir();
  exportClearing(w.ctx, { outDir: join(dir, 'usb1') });
  mkdirSync(join(dir, 'kq'));
  const answer = join(dir, 'kq', 'KQGACHNO_DT0001_20261127_01.csv');
  writeFileSync(answer, ['SO_BIENNHAN,ID_HDON,KET_QUA,GHI_CHU', `${R1},HD-A10,OK,`, `${R1},HD-A11,DA_GACH,ngân hàng`, `${R2},HD-B11,LOI,`].join('\r\n'));
  w.ctx.close();
  return { dataDir: w.ctx.dataDir, dir, answer };
}

async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const io = captureIo(env);
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

test('diemthu refund and resend: a supervisor and another cashier, each with their PIN; refusals exit 2 with their code; the Z report and the next clearing file show them', async () => {
  const { dataDir, dir, answer } = sentDay();
  const d = ['--data-dir', dataDir];
  const pins = { DIEMTHU_SUPERVISOR_PIN: '987654', DIEMTHU_PIN: '123456' };
  assert.equal((await cli(['result', answer, ...d])).code, 0);

  const refund = ['refund', R1, '--bills', 'HD-A11', '--reason', 'Khách đã trả ở ngân hàng', '--cashier', 'TN01', ...d];
  const linked = await cli([...refund, '--supervisor', 'GS00'], { ...pins, DIEMTHU_SUPERVISOR_PIN: '246800' });
  assert.equal(linked.code, 2);
  assert.match(linked.err, /^\[REFUND_LINKED_USERS\] .*GS00 → TN01/);
  const wrongPin = await cli([...refund, '--supervisor', 'GS01'], { ...pins, DIEMTHU_PIN: '000000' });
  assert.equal(wrongPin.code, 2, 'the cashier who pays out confirms with their PIN');
  assert.equal((await cli(['refund', R1, '--bills', 'HD-A10', '--reason', 'x', '--cashier', 'TN01', '--supervisor', 'GS01', ...d], pins)).err.slice(0, 19), '[LINE_NOT_REJECTED]');
  assert.match((await cli(['refund', R1, '--bills', 'HD-A11', '--cashier', 'TN01', '--supervisor', 'GS01', ...d], pins)).err, /^\[CLI_BAD_ARGS\] Cần --reason/);

  const done = await cli([...refund, '--supervisor', 'GS01', '--json'], pins);
  assert.equal(done.code, 0, done.err);
  const value = (JSON.parse(done.out) as { value: { total: number; receiptNo: string; lines: { idHdon: string }[] } }).value;
  assert.deepEqual([value.receiptNo, value.total, value.lines.map((l) => l.idHdon)], [R1, 97_200, ['HD-A11']]);
  assert.match((await cli([...refund, '--supervisor', 'GS01'], pins)).err, /^\[LINE_ALREADY_DECIDED\]/);

  const resend = await cli(['resend', R2, '--bills', 'HD-B11', '--supervisor', 'GS01', ...d], pins);
  assert.equal(resend.code, 0, resend.err);
  assert.match(resend.out, /HD-B11 sẽ được gửi lại trong lần xuất gạch nợ sau/);
  assert.match((await cli(['resend', R2, '--bills', 'HD-B11', '--supervisor', 'GS01', ...d], pins)).err, /^\[LINE_ALREADY_DECIDED\]/);

  const z = await cli(['report', '--shift', '1', ...d]);
  assert.equal(z.code, 0, z.err);
  assert.match(z.out, /Hoàn tiền: 1 phiếu, 97\.200/);
  assert.match(z.out, /tiền phải có: 662\.000/, '500.000 + 259.200 collected - 97.200 refunded');
  const exported = await cli(['export', '--out', join(dir, 'usb2'), '--json', ...d]);
  assert.equal(exported.code, 0, exported.err);
  const manifest = (JSON.parse(exported.out) as { value: { manifest: { csvFile: string; resent: unknown[] } } }).value.manifest;
  assert.equal(manifest.resent.length, 1);
  const csv = readFileSync(join(dir, 'usb2', manifest.csvFile), 'utf8');
  assert.match(csv, new RegExp(`${R2},PC12AA0000002,Trần Thị Bình,HD-B11,`));
  const status = await cli(['status', ...d]);
  assert.match(status.out, /GACHNO_DT0001_20261127_01\.csv: đã xong \[closed\]/);
  assert.equal((await cli(['verify', ...d])).code, 0);
});
