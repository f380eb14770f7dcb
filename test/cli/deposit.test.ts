import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../electron/cli/diemthu.ts';
import { captureIo } from '../helpers/capture-io.ts';
import { closedDay } from '../helpers/answered-day.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { hundredsDay } from '../helpers/hundreds-day.ts';

async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const io = captureIo(env);
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

test('diemthu deposit: a supervisor with their PIN counts the notes; the slip shown, printed and written beside the clearing files; the bank reference added once; refusals exit 2 with their code', async () => {
  const w = closedDay();
  w.ctx.close();
  const d = ['--data-dir', w.ctx.dataDir, '--date', '2026-11-27'];
  const out = tempDir();
  const pin = { DIEMTHU_SUPERVISOR_PIN: '987654' };
  const make = ['deposit', '--supervisor', 'GS01', '--out', out, ...d];

  assert.match((await cli(make, pin)).err, /^\[CLI_BAD_ARGS\] Cần --count/);
  assert.match((await cli([...make, '--count', '500000=x'], pin)).err, /^\[CLI_BAD_ARGS\] --count: "500000=x"/);
  assert.match((await cli([...make, '--count', '300000=1'], pin)).err, /^\[DEPOSIT_COUNT_INVALID\]/);
  assert.match((await cli([...make, '--count', '100.000=1,50000=1,20000=2,5000=1'], { DIEMTHU_SUPERVISOR_PIN: '000000' })).err, /^\[(PIN_INVALID|LOGIN_FAILED)\]/);
  const cashier = await cli(['deposit', '--supervisor', 'TN01', '--count', '100000=1', ...d], { DIEMTHU_SUPERVISOR_PIN: '123456' });
  assert.match(cashier.err, /^\[SUPERVISOR_REQUIRED\]/, 'a cashier does not make the slip');
  const short = await cli([...make, '--count', '100000=1,50000=1,20000=2'], pin);
  assert.equal(short.code, 2);
  assert.match(short.err, /^\[DEPOSIT_REASON_REQUIRED\] Tiền đếm được 190\.000 ₫ khác tiền phải nộp 195\.000 ₫ \(chênh lệch -5\.000 ₫\)/);

  const made = await cli([...make, '--count', '100.000=1,50000=1,20000=2,5000=1', '--json'], pin);
  assert.equal(made.code, 0, made.err);
  const value = (JSON.parse(made.out) as { value: { slip: { counted: number; expected: number; difference: number; cashiers: { cashier: { code: string }; handedOver: number }[] }; file: string } }).value;
  assert.deepEqual([value.slip.counted, value.slip.expected, value.slip.difference], [195_000, 195_000, 0]);
  assert.deepEqual(value.slip.cashiers.map((c) => [c.cashier.code, c.handedOver]), [['TN01', 162_000], ['TN02', 33_000]]);
  assert.equal(value.file, join(out, 'BANGKE_DT0001_20261127.csv'));
  assert.match(readFileSync(value.file, 'utf8'), /TONG,,,,3,292200,0,1,97200,,,195000,0,,GS01,\r\n$/);
  assert.match((await cli([...make, '--count', '100000=2'], pin)).err, /^\[DEPOSIT_EXISTS\]/);

  const shown = await cli(['deposit', '--show', ...d]);
  assert.equal(shown.code, 0, shown.err);
  assert.match(shown.out, /TN01 \(ca 1\): thu 2 biên nhận 259\.200 ₫, hoàn 1 phiếu 97\.200 ₫, nộp 162\.000 ₫/);
  assert.match(shown.out, /Số tham chiếu ngân hàng: \(chưa có\)/);

  const ref = await cli(['deposit', '--reference', 'VCB-2611-0042', '--supervisor', 'GS01', '--out', out, ...d], pin);
  assert.equal(ref.code, 0, ref.err);
  assert.match(readFileSync(value.file, 'utf8'), /,GS01,VCB-2611-0042\r\n$/);
  assert.match((await cli(['deposit', '--reference', 'VCB-X', '--supervisor', 'GS01', ...d], pin)).err, /^\[DEPOSIT_REFERENCE_EXISTS\]/);
  assert.match((await cli(['deposit', '--show', '--json', ...d])).out, /"bankRef":"VCB-2611-0042"/);
  assert.match((await cli(['deposit', '--show', '--data-dir', w.ctx.dataDir, '--date', '2026-11-26'])).err, /^\[DEPOSIT_NOT_FOUND\]/);

  const again = tempDir();
  const exported = await cli(['deposit', '--export', '--out', again, ...d]);
  assert.equal(exported.code, 0, exported.err);
  assert.deepEqual(readFileSync(join(again, 'BANGKE_DT0001_20261127.csv')), readFileSync(value.file), 'written again byte for byte');
  const verified = await cli(['verify', '--data-dir', w.ctx.dataDir]);
  assert.equal(verified.code, 0, verified.out + verified.err);
});

test('diemthu deposit --count …,500=n,200=n --loose <đồng>: a day ending in hundreds matches to the đồng without a reason; without the loose change it is a difference; 200 ₫ and more is not loose change', async () => {
  const w = hundredsDay();
  w.ctx.close();
  const pin = { DIEMTHU_SUPERVISOR_PIN: '987654' };
  const make = ['deposit', '--supervisor', 'GS01', '--out', tempDir(), '--data-dir', w.ctx.dataDir, '--date', '2026-11-27', '--count', '200000=1,5000=1,500=1,200=1'];
  assert.match((await cli(make, pin)).err, /^\[DEPOSIT_REASON_REQUIRED\] Tiền đếm được 205\.700 ₫ khác tiền phải nộp 205\.853 ₫ \(chênh lệch -153 ₫\)/);
  assert.match((await cli([...make, '--loose', '200'], pin)).err, /^\[DEPOSIT_COUNT_INVALID\] Tiền lẻ dưới 200 ₫/);
  assert.match((await cli([...make, '--loose', '1,5'], pin)).err, /^\[CLI_BAD_ARGS\] --loose/);
  const made = await cli([...make, '--loose', '153'], pin);
  assert.equal(made.code, 0, made.err);
  assert.match(made.out, /Loại tiền: 200\.000 ₫ x 1, 5\.000 ₫ x 1, 500 ₫ x 1, 200 ₫ x 1, tiền lẻ 153 ₫\n  Tiền phải nộp: 205\.853 ₫; nộp ngân hàng: 205\.853 ₫; chênh lệch: 0 ₫\n/);
  const verified = await cli(['verify', '--data-dir', w.ctx.dataDir]);
  assert.equal(verified.code, 0, verified.out + verified.err);
});
