import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../electron/cli/diemthu.ts';
import { captureIo } from '../helpers/capture-io.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { billLine, SNAPSHOT_HEADER } from '../cmis/helpers.ts';

async function run(dir: string, argv: string[], env: NodeJS.ProcessEnv = {}) {
  const io = captureIo(env);
  const code = await main([...argv, '--data-dir', dir], io);
  return { code, out: io.out(), err: io.err() };
}

let variant = 0;
/** `n` customers with one bill each, in a file named `name` (amounts differ from file to file). */
function snapshot(root: string, name: string, n: number, unit = 'PC12AA'): string {
  const path = join(root, name);
  const amount = 1000 + 100 * ++variant;
  const lines = Array.from({ length: n }, (_, i) => billLine(`${unit}${String(i + 1).padStart(7, '0')}`, `Khách ${i + 1}`, `${unit}-B${i + 1}`, 11, amount).replace(/^PC12AA,/, `${unit},`));
  writeFileSync(path, [SNAPSHOT_HEADER, ...lines].join('\r\n') + '\r\n');
  return path;
}

test('CLI: init --unit takes a list; import --supervisor confirms, --force takes an older file; status shows the age', async () => {
  const root = tempDir();
  const dir = join(root, 'data');
  assert.equal((await run(dir, ['init', '--point', 'DT0001', '--unit', 'PC12AA,PC12AB'])).code, 0);
  assert.equal((await run(dir, ['user', 'add', 'GS01', '--name', 'Trần Văn Giám', '--role', 'supervisor'], { DIEMTHU_PIN: '987654' })).code, 0);
  assert.equal((await run(dir, ['user', 'add', 'TN01', '--name', 'Nguyễn Thị Thu', '--role', 'cashier', '--supervisor', 'GS01'], { DIEMTHU_PIN: '123456', DIEMTHU_SUPERVISOR_PIN: '987654' })).code, 0);
  assert.equal((await run(dir, ['import', snapshot(root, 'NO_PC12AB_20261127_0600.csv', 10, 'PC12AB')])).code, 0);

  const other = await run(dir, ['import', snapshot(root, 'NO_PC12AC_20261127_0600.csv', 10, 'PC12AC')]);
  assert.equal(other.code, 2);
  assert.match(other.err, /^\[SNAPSHOT_UNIT_NOT_SERVED\] .*PC12AC.*\(PC12AA, PC12AB\)/);

  const half = snapshot(root, 'NO_PC12AB_20261128_0600.csv', 5, 'PC12AB');
  const refused = await run(dir, ['import', half]);
  assert.equal(refused.code, 2);
  assert.match(refused.err, /^\[SNAPSHOT_CONFIRMATION_REQUIRED\] .*5 trong 10 hóa đơn đang nợ/);
  const preview = await run(dir, ['import', half, '--dry-run']);
  assert.equal(preview.code, 0);
  assert.match(preview.out, /Cần người giám sát xác nhận: .*\[SNAPSHOT_CLEARS_MANY\]/);
  assert.match(preview.out, /Thời điểm trích: 28\/11\/2026 06:00 \(theo tên tệp\)/);
  // A cashier's PIN confirms nothing.
  const cashier = await run(dir, ['import', half, '--supervisor', 'TN01'], { DIEMTHU_SUPERVISOR_PIN: '123456' });
  assert.equal(cashier.code, 2);
  assert.match(cashier.err, /^\[SUPERVISOR_REQUIRED\]/);
  const confirmed = await run(dir, ['import', half, '--supervisor', 'GS01', '--json'], { DIEMTHU_SUPERVISOR_PIN: '987654' });
  assert.equal(confirmed.code, 0, confirmed.err);
  assert.deepEqual((JSON.parse(confirmed.out) as { value: { guards: { code: string }[] } }).value.guards.map((g) => g.code), ['SNAPSHOT_CLEARS_MANY', 'SNAPSHOT_FEWER_CUSTOMERS']);

  const yesterday = snapshot(root, 'NO_PC12AB_20261127_0700.csv', 5, 'PC12AB');
  const older = await run(dir, ['import', yesterday, '--supervisor', 'GS01'], { DIEMTHU_SUPERVISOR_PIN: '987654' });
  assert.equal(older.code, 2);
  assert.match(older.err, /^\[SNAPSHOT_OLDER\]/);
  assert.equal((await run(dir, ['import', yesterday, '--force'])).code, 2, '--force needs --supervisor');
  const forced = await run(dir, ['import', yesterday, '--force', '--supervisor', 'GS01'], { DIEMTHU_SUPERVISOR_PIN: '987654' });
  assert.equal(forced.code, 0, forced.err);
  assert.match(forced.out, /Đã được người giám sát cho phép \(--force\)/);

  const status = await run(dir, ['status', '--json']);
  const s = (JSON.parse(status.out) as { value: { point: { unitCodes: string[] }; snapshot: { extract: { source: string }; age: { hours: number; old: boolean } } } }).value;
  assert.deepEqual(s.point.unitCodes, ['PC12AA', 'PC12AB']);
  assert.equal(s.snapshot.extract.source, 'name_minute');
  assert.ok(s.snapshot.age.hours > 24 && s.snapshot.age.old, `${s.snapshot.age.hours} hours`);
  assert.match((await run(dir, ['status'])).out, /Tuổi dữ liệu nợ: \d+ giờ \(trích 27\/11\/2026 07:00 \(theo tên tệp\)\) — CŨ/);
});
