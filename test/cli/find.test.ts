import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Writable } from 'node:stream';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { execFileSync, spawnSync } from 'node:child_process';
import { main } from '../../electron/cli/diemthu.ts';
import { openContext } from '../../electron/store/context.ts';
import { initPoint } from '../../electron/store/point.ts';
import { seedSnapshot } from '../helpers/seed.ts';
import { captureIo } from '../helpers/capture-io.ts';
import { tempDir } from '../helpers/temp-dir.ts';

/** An initialised point with two same-named customers and one with a card number. */
function pointWithCustomers(): string {
  const dir = tempDir();
  const ctx = openContext(dir);
  initPoint(ctx, { pointCode: 'DT0001', unitCode: 'PC12AA', pointName: 'Điểm thu Tân Lợi' });
  seedSnapshot(ctx, [
    {
      maKhang: 'PC12AA0000001', tenKhang: 'Nguyễn Thị Đào', dchiKhang: '12 Lê Duẩn, P. Tân Lợi', maSogcs: 'AA01', stt: '15', soCto: '10234567',
      bills: [{ idHdon: 'H1', thang: 10, nam: 2026, soTien: 1_000_000, tienGtgt: 80_000 }],
    },
    { maKhang: 'PC12AA0000002', tenKhang: 'Nguyễn Thị Đào', dchiKhang: '45 Phan Bội Châu, P. Thành Công', soCto: '10999888' },
    { maKhang: 'PC12AA0000003', tenKhang: "H'Hen Niê", dchiKhang: 'Buôn Ako Dhông', maThe: '8400123456', tthaiCat: true },
  ]);
  ctx.close();
  return dir;
}

test('find prints a table that tells same-named customers apart', async () => {
  const dir = pointWithCustomers();
  const io = captureIo();
  assert.equal(await main(['find', 'nguyen', 'thi', 'dao', '--data-dir', dir], io), 0);
  const lines = io.out().trimEnd().split('\n');
  assert.match(lines[0] ?? '', /^Mã KH\s+Tên khách hàng\s+Địa chỉ\s+Sổ GCS\/STT\s+Công tơ\s+Số HĐ nợ\s+Tổng nợ$/);
  assert.match(lines[1] ?? '', /^PC12AA0000001 {2}Nguyễn Thị Đào {2}12 Lê Duẩn, P\. Tân Lợi\s+AA01\/15\s+10234567\s+1 {2}1\.080\.000 ₫$/);
  assert.match(lines[2] ?? '', /^PC12AA0000002 .*10999888\s+0\s+0 ₫$/);
  assert.equal(lines[3], '2 khách hàng.');
});

test('find --json gives the hits; a card number finds its customer', async () => {
  const dir = pointWithCustomers();
  const io = captureIo();
  assert.equal(await main(['find', ' 8400123456 ', '--json', '--data-dir', dir], io), 0);
  const out = JSON.parse(io.out()) as { ok: boolean; value: { maKhang: string; tthaiCat: boolean }[] };
  assert.equal(out.ok, true);
  assert.deepEqual(out.value.map((h) => [h.maKhang, h.tthaiCat]), [['PC12AA0000003', true]]);
});

test('find with no match says so and exits 0; --limit bounds the hits', async () => {
  const dir = pointWithCustomers();
  const none = captureIo();
  assert.equal(await main(['find', 'xyz', '--data-dir', dir], none), 0);
  assert.equal(none.out(), 'Không tìm thấy khách hàng nào.\n');
  const one = captureIo();
  assert.equal(await main(['find', 'dao', '--limit', '1', '--json', '--data-dir', dir], one), 0);
  assert.equal((JSON.parse(one.out()) as { value: unknown[] }).value.length, 1);
});

test('refusals exit 2 with a code: no query, bad limit, query and --stdin, point not initialised', async () => {
  const dir = pointWithCustomers();
  for (const argv of [['find'], ['find', '  '], ['find', 'dao', '--limit', '0'], ['find', 'dao', '--limit', '51'], ['find', 'dao', '--stdin']]) {
    const io = captureIo();
    assert.equal(await main([...argv, '--data-dir', dir], io), 2, argv.join(' '));
    assert.match(io.err(), /^\[CLI_BAD_ARGS\] /);
  }
  const io = captureIo();
  assert.equal(await main(['find', 'dao', '--json', '--data-dir', tempDir()], io), 2);
  assert.equal((JSON.parse(io.out()) as { error: { code: string } }).error.code, 'NOT_INITIALISED');
});

test('find --stdin answers each line as soon as it is read', { timeout: 10_000 }, async () => {
  const dir = pointWithCustomers();
  const io = captureIo();
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const answers = createInterface({ input: stdout })[Symbol.asyncIterator]();
  const done = main(['find', '--stdin', '--data-dir', dir], { ...io, stdin, stdout });
  const ask = async (line: string) => {
    stdin.write(line + '\n');
    const next = await answers.next();
    return JSON.parse(next.value as string) as { query: string; hits: { maKhang: string }[] };
  };
  // Each answer arrives while stdin is still open: nothing waits for the end of the input.
  const first = await ask('PC12AA0000002');
  assert.deepEqual([first.query, first.hits.map((h) => h.maKhang)], ['PC12AA0000002', ['PC12AA0000002']]);
  const second = await ask('  hen nie ');
  assert.deepEqual([second.query, second.hits.map((h) => h.maKhang)], ['hen nie', ['PC12AA0000003']]);
  assert.deepEqual((await ask('')).hits, [], 'an empty line still gets its line');
  stdin.end();
  assert.equal(await done, 0);
  stdout.end();
  await once(stdout, 'end');
});

test('find --stdin stops quietly when the reader goes away (EPIPE)', { timeout: 10_000 }, async () => {
  const dir = pointWithCustomers();
  let written = 0;
  const stdout = new Writable({
    highWaterMark: 1,
    write(_chunk, _enc, done) {
      written += 1;
      done(written > 1 ? Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }) : null);
    },
  });
  const stdin = new PassThrough();
  stdin.end(Array.from({ length: 50 }, () => 'nguyen').join('\n') + '\n');
  const io = captureIo();
  assert.equal(await main(['find', '--stdin', '--data-dir', dir], { ...io, stdin, stdout }), 0);
  assert.ok(written < 50, `stopped after ${written} lines`);
  assert.equal(io.err(), '');
});

test('the installed command: find --stdin over a pipe, exit codes 0 and 2', () => {
  const dir = pointWithCustomers();
  const out = execFileSync('npx', ['diemthu', 'find', '--stdin', '--data-dir', dir], { input: 'nguyen thi dao\nxyz\n', encoding: 'utf8' });
  const lines = out.trimEnd().split('\n').map((l) => JSON.parse(l) as { hits: unknown[] });
  assert.deepEqual(lines.map((l) => l.hits.length), [2, 0]);
  const refused = spawnSync('npx', ['diemthu', 'find', '--data-dir', dir], { encoding: 'utf8' });
  assert.equal(refused.status, 2);
  assert.match(refused.stderr, /\[CLI_BAD_ARGS\]/);
});
