import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { adoptLegacyData, defaultDataDir, legacyDataDir, MOVED_NOTE } from '../../electron/store/data-dir.ts';
import { openContext } from '../../electron/store/context.ts';
import { initPoint, pointIdentity } from '../../electron/store/point.ts';
import { verifyStore } from '../../electron/verify/verify.ts';
import { isAppError } from '../../electron/core/errors.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { TEST_PIN_COST } from '../helpers/collect-fixture.ts';

const WINDOWS = { PROGRAMDATA: 'C:\\ProgramData', APPDATA: 'C:\\Users\\thu.ngan\\AppData\\Roaming' };

test('Windows: one data folder for the PC (%PROGRAMDATA%\\DiemThu); the per-user folder of older versions is where data is taken over from', () => {
  assert.equal(defaultDataDir(WINDOWS, 'win32'), 'C:\\ProgramData\\DiemThu');
  assert.equal(defaultDataDir({ ...WINDOWS, APPDATA: 'C:\\Users\\khac\\AppData\\Roaming' }, 'win32'), 'C:\\ProgramData\\DiemThu', 'the same for every Windows account');
  assert.equal(legacyDataDir(WINDOWS, 'win32'), 'C:\\Users\\thu.ngan\\AppData\\Roaming\\diemthu');
  assert.equal(defaultDataDir({ ...WINDOWS, DIEMTHU_DATA_DIR: 'D:\\DT' }, 'win32'), 'D:\\DT');
  assert.equal(legacyDataDir({ ...WINDOWS, DIEMTHU_DATA_DIR: 'D:\\DT' }, 'win32'), null, 'a folder set by IT takes nothing over');
  assert.equal(legacyDataDir({ XDG_CONFIG_HOME: '/home/a/.config' }, 'linux'), null);
});

/** A point as an older version left it in the user's folder. */
function legacyPoint(): string {
  const legacy = join(tempDir(), 'roaming', 'diemthu');
  const ctx = openContext(legacy, { pinCost: TEST_PIN_COST });
  initPoint(ctx, { pointCode: 'DT07', unitCode: 'PC12AA', pointName: 'Điểm thu cũ' });
  ctx.close();
  mkdirSync(join(legacy, 'logs'));
  writeFileSync(join(legacy, 'logs', 'main.log'), 'old log\n');
  return legacy;
}

test('the first start after the upgrade moves the point over once, journaled; the old folder says where it went', () => {
  const legacy = legacyPoint();
  const dir = join(tempDir(), 'programdata', 'DiemThu');
  const ctx = openContext(dir, { adoptFrom: legacy, pinCost: TEST_PIN_COST });
  assert.equal(pointIdentity(ctx)?.pointCode, 'DT07');
  const moved = ctx.sqlite.prepare("SELECT payload FROM journal WHERE kind = 'data_dir_moved'").pluck().all() as string[];
  assert.deepEqual(moved.map((p) => JSON.parse(p) as unknown), [{ from: legacy, to: dir }]);
  assert.equal(readFileSync(join(dir, 'logs', 'main.log'), 'utf8'), 'old log\n');
  assert.deepEqual(readdirSync(legacy), [MOVED_NOTE]);
  assert.equal(verifyStore(ctx).ok, true);
  ctx.close();
  const again = openContext(dir, { adoptFrom: legacy, pinCost: TEST_PIN_COST });
  assert.equal((again.sqlite.prepare("SELECT COUNT(*) FROM journal WHERE kind = 'data_dir_moved'").pluck().get() as number), 1, 'once');
  again.close();
});

test('a move that fails half-way is undone: the data stays whole in the old folder, the new one gets no database, the error says so', () => {
  const legacy = legacyPoint();
  const dir = join(tempDir(), 'programdata', 'DiemThu');
  // Something already in the new folder that one entry cannot be renamed onto (a non-empty folder of the same name).
  mkdirSync(join(dir, 'logs'), { recursive: true });
  writeFileSync(join(dir, 'logs', 'other.log'), 'x');
  const before = readdirSync(legacy).sort();
  assert.throws(
    () => adoptLegacyData(dir, legacy),
    (error) => isAppError(error) && error.code === 'DATA_DIR_MOVE_FAILED' && error.message.includes(legacy),
  );
  assert.deepEqual(readdirSync(legacy).sort(), before, 'everything back where it was');
  assert.equal(existsSync(join(dir, 'diemthu.sqlite')), false);
  const ctx = openContext(legacy, { pinCost: TEST_PIN_COST });
  assert.equal(pointIdentity(ctx)?.pointCode, 'DT07');
  ctx.close();
});

test('nothing is taken over into a folder that already holds a point, or from a folder without one', () => {
  const legacy = legacyPoint();
  const empty = join(tempDir(), 'nothing-here');
  mkdirSync(empty);
  assert.equal(adoptLegacyData(join(tempDir(), 'new'), empty), null);
  const current = join(tempDir(), 'current');
  const ctx = openContext(current, { pinCost: TEST_PIN_COST });
  initPoint(ctx, { pointCode: 'DT08', unitCode: 'PC12AA', pointName: 'Điểm thu mới' });
  ctx.close();
  assert.equal(adoptLegacyData(current, legacy), null);
  assert.ok(existsSync(join(legacy, 'diemthu.sqlite')), 'the old point is left alone');
});
