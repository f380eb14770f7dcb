import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../electron/cli/diemthu.ts';
import { openContext } from '../../electron/store/context.ts';
import { addUser } from '../../electron/users/users.ts';
import { captureIo } from '../helpers/capture-io.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { corpus, dumpDatabase } from '../cmis/helpers.ts';

async function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const io = captureIo(env);
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

async function initialised(): Promise<string> {
  const dir = tempDir();
  assert.equal((await run(['init', '--point', 'DT0001', '--unit', 'PC12AA,PC12AB', '--data-dir', dir])).code, 0);
  return dir;
}

test('import: exit 0 with a summary; the same file again says so; status shows the snapshot', async () => {
  const dir = await initialised();
  const first = await run(['import', corpus('good-utf8.csv'), '--data-dir', dir]);
  assert.equal(first.code, 0, first.err);
  assert.match(first.out, /Đã nhập tệp good-utf8\.csv/);
  assert.match(first.out, /8 khách hàng, 13 hóa đơn, tổng 15\.694\.344 ₫/);
  const again = await run(['import', corpus('good-utf8.csv'), '--data-dir', dir, '--json']);
  assert.equal(again.code, 0);
  const json = JSON.parse(again.out) as { ok: boolean; value: { code: string; status: string } };
  assert.deepEqual([json.ok, json.value.code, json.value.status], [true, 'SNAPSHOT_ALREADY_IMPORTED', 'already_imported']);

  const status = await run(['status', '--data-dir', dir, '--json']);
  assert.equal(status.code, 0);
  const s = (JSON.parse(status.out) as { value: Record<string, unknown> }).value as {
    point: { pointCode: string };
    snapshot: { fileName: string; sha256: string };
    customers: number;
    outstanding: { count: number; total: number };
    paidNotExported: { count: number; total: number };
    conflicts: unknown[];
  };
  assert.equal(s.point.pointCode, 'DT0001');
  assert.equal(s.snapshot.fileName, 'good-utf8.csv');
  assert.match(s.snapshot.sha256, /^[0-9a-f]{64}$/);
  assert.deepEqual([s.customers, s.outstanding, s.paidNotExported, s.conflicts], [8, { count: 13, total: 15694344 }, { count: 0, total: 0 }, []]);
  const text = await run(['status', '--data-dir', dir]);
  assert.match(text.out, /Hóa đơn còn nợ: 13, tổng 15\.694\.344 ₫/);
});

test('import: a bad file exits 2 with every problem on stderr (Vietnamese) and structured under --json', async () => {
  const dir = await initialised();
  const bad = await run(['import', corpus('bad-period.csv'), '--data-dir', dir]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /^\[SNAPSHOT_INVALID\] Tệp bad-period\.csv bị từ chối: 4 lỗi/);
  for (const line of ['dòng 2, cột THANG, giá trị "13"', 'dòng 3, cột KY, giá trị "4"', 'dòng 4, cột NAM, giá trị "26x"', 'dòng 5, cột KY, giá trị ""']) {
    assert.ok(bad.err.includes(line), line);
  }
  const json = await run(['import', corpus('bad-period.csv'), '--data-dir', dir, '--json']);
  assert.equal(json.code, 2);
  const parsed = JSON.parse(json.out) as { ok: boolean; error: { code: string; details: { problemCount: number; problems: { line: number; column: string }[] } } };
  assert.equal(parsed.ok, false);
  assert.equal(parsed.error.code, 'SNAPSHOT_INVALID');
  assert.deepEqual(parsed.error.details.problems.map((p) => [p.line, p.column]), [[2, 'THANG'], [3, 'KY'], [4, 'NAM'], [5, 'KY']]);
  const header = await run(['import', corpus('bad-missing-column.csv'), '--data-dir', dir]);
  assert.equal(header.code, 2);
  assert.match(header.err, /SNAPSHOT_HEADER_INVALID/);
});

test('import: --encoding is checked, --profile renames columns, --dry-run writes nothing', async () => {
  const dir = await initialised();
  assert.equal((await run(['import', corpus('good-utf8.csv'), '--encoding', 'latin1', '--data-dir', dir])).code, 2);
  const ctx = openContext(dir);
  const before = dumpDatabase(ctx);
  ctx.close();
  const dry = await run(['import', corpus('good-profile.csv'), '--profile', corpus('profile-site.json'), '--dry-run', '--data-dir', dir]);
  assert.equal(dry.code, 0, dry.err);
  assert.match(dry.out, /Chạy thử/);
  const check = openContext(dir);
  assert.deepEqual(dumpDatabase(check), before);
  check.close();
  const real = await run(['import', corpus('good-windows1258.csv'), '--encoding', 'windows1258', '--data-dir', dir]);
  assert.equal(real.code, 0, real.err);
});

test('import: --skip-invalid needs --supervisor and the PIN in DIEMTHU_PIN', async () => {
  const dir = await initialised();
  const ctx = openContext(dir);
  addUser(ctx, { code: 'GS01', name: 'Giám sát', role: 'supervisor', pin: '246813', approvedBy: [] }, { N: 16, r: 1, p: 1 });
  ctx.close();
  const file = corpus('bad-one-bad-row.csv');
  assert.equal((await run(['import', file, '--skip-invalid', '--data-dir', dir])).code, 2);
  const noPin = await run(['import', file, '--skip-invalid', '--supervisor', 'GS01', '--data-dir', dir]);
  assert.equal(noPin.code, 2);
  assert.match(noPin.err, /PIN_REQUIRED/);
  const ok = await run(['import', file, '--skip-invalid', '--supervisor', 'GS01', '--data-dir', dir, '--json'], { DIEMTHU_PIN: '246813' });
  assert.equal(ok.code, 0, ok.err);
  const value = (JSON.parse(ok.out) as { value: { skippedCount: number; rejectsFile: string } }).value;
  assert.equal(value.skippedCount, 1);
  assert.ok(existsSync(value.rejectsFile));
});

test('import before init is refused', async () => {
  const dir = tempDir();
  const r = await run(['import', corpus('good-utf8.csv'), '--data-dir', dir]);
  assert.equal(r.code, 2);
  assert.match(r.err, /NOT_INITIALISED/);
});

test('[#16] import of /dev/zero, a FIFO or a folder ends at once with a clear code', async () => {
  const dir = await initialised();
  const fifo = join(tempDir(), 'snapshot.csv');
  execFileSync('mkfifo', [fifo]);
  const bin = fileURLToPath(new URL('../../bin/diemthu.mjs', import.meta.url));
  for (const path of ['/dev/zero', fifo, tempDir()]) {
    const started = performance.now();
    const child = spawnSync(process.execPath, [bin, 'import', path, '--data-dir', dir, '--json'], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(child.status, 2, `${path}: ${child.signal ?? ''} ${child.stderr}`);
    assert.equal((JSON.parse(child.stdout) as { error: { code: string } }).error.code, 'SNAPSHOT_NOT_A_FILE', path);
    assert.ok(performance.now() - started < 20_000, path);
  }
});

test('[#11] amounts past the bounds are refused before anything is committed; at the bounds status, collect, Z report, shift close and export stay exact', async () => {
  const dir = await initialised();
  const root = tempDir();
  const header = 'MA_DVIQLY,MA_KHANG,TEN_KHANG,DCHI_KHANG,ID_HDON,KY,THANG,NAM,SO_TIEN,TIEN_GTGT,TONG_TIEN';
  /** One customer with `count` bills of `amount` đồng each (VAT 0). */
  const file = (name: string, count: number, amount: number) => {
    const path = join(root, name);
    const rows = Array.from({ length: count }, (_, i) => `PC12AA,PC12AA0000001,Lê Văn A,Thôn 1,${9000 + i},1,11,2026,${amount},0,${amount}`);
    writeFileSync(path, [header, ...rows, ''].join('\r\n'));
    return path;
  };
  const ctx = openContext(dir);
  const boss = addUser(ctx, { code: 'GS01', name: 'Giám sát', role: 'supervisor', pin: '246824', approvedBy: [] }, { N: 16, r: 1, p: 1 });
  addUser(ctx, { code: 'TN01', name: 'Thu ngân', role: 'cashier', pin: '135791', approvedBy: [boss.id] }, { N: 16, r: 1, p: 1 });
  const before = dumpDatabase(ctx);
  ctx.close();
  const nearLimit = await run(['import', corpus('bad-huge-amount.csv'), '--data-dir', dir]);
  assert.equal(nearLimit.code, 2);
  assert.match(nearLimit.err, /dòng 2, cột SO_TIEN, giá trị "9007199254740000": vượt quá 100\.000\.000\.000 đồng/);
  const oneOver = await run(['import', file('one-over.csv', 1, 100_000_000_001), '--data-dir', dir]);
  assert.match(oneOver.err, /^\[SNAPSHOT_INVALID\]/);
  const totalOver = await run(['import', file('total-over.csv', 101, 100_000_000_000), '--data-dir', dir]);
  assert.equal(totalOver.code, 2);
  assert.match(totalOver.err, /^\[SNAPSHOT_TOTAL_TOO_LARGE\]/);
  const check = openContext(dir);
  assert.deepEqual(dumpDatabase(check), before);
  check.close();

  // At the bounds: 100 bills of 100 billion đồng, 10^13 in all, paid at once.
  assert.equal((await run(['import', file('at-bound.csv', 100, 100_000_000_000), '--data-dir', dir])).code, 0);
  const json = async (args: string[], pin?: string) => {
    const r = await run([...args, '--data-dir', dir, '--json'], pin === undefined ? {} : { DIEMTHU_PIN: pin });
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.err}`);
    return (JSON.parse(r.out) as { value: Record<string, unknown> }).value;
  };
  assert.deepEqual((await json(['status'])).outstanding, { count: 100, total: 10_000_000_000_000 });
  await json(['shift', 'open', '--cashier', 'TN01', '--float', '500000'], '135791');
  assert.equal((await json(['collect', 'PC12AA0000001', '--cashier', 'TN01'], '135791')).total, 10_000_000_000_000);
  assert.deepEqual((await json(['status'])).paidNotExported, { count: 1, total: 10_000_000_000_000 });
  assert.equal((await run(['status', '--data-dir', dir])).code, 0);
  assert.equal(((await json(['report'])).report as { grandTotal: number }).grandTotal, 10_000_000_000_000);
  const closed = await json(['shift', 'close', '--cashier', 'TN01', '--counted', '10000000500000'], '135791');
  assert.equal(closed.variance, 0);
  const exported = await json(['export', '--out', join(root, 'usb')]);
  assert.equal((exported.manifest as { totalTongTien: number }).totalTongTien, 10_000_000_000_000);
});
