import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../../electron/store/open.ts';
import { latestVersion } from '../../electron/store/migrations.ts';
import { migration0001 } from '../../migrations/0001-initial.ts';
import { migration0002 } from '../../migrations/0002-devices.ts';
import { migration0003 } from '../../migrations/0003-users.ts';
import { tempDir } from '../helpers/temp-dir.ts';

test('migration 0004 upgrades a version-3 database: users keep their PINs (none temporary), a deactivated user stays so', () => {
  const path = join(tempDir(), 'v3.sqlite');
  const v3 = new Database(path);
  for (const m of [migration0001, migration0002, migration0003]) v3.exec(m.sql);
  v3.pragma('user_version = 3');
  v3.prepare("INSERT INTO users (code, name, role, pin_hash, created_at) VALUES ('GS00', 'Trưởng', 'supervisor', 'h0', '2026-11-27T01:00:00.000Z')").run();
  v3.prepare("INSERT INTO users (code, name, role, pin_hash, created_at, approved_by, active) VALUES ('TN01', 'Thu', 'cashier', 'h1', '2026-11-27T01:00:01.000Z', 1, 0)").run();
  v3.close();

  const store = openStore(path);
  assert.equal(store.sqlite.pragma('user_version', { simple: true }), latestVersion);
  assert.deepEqual(store.sqlite.prepare('SELECT code, pin_hash, must_change_pin, active FROM users ORDER BY id').all(), [
    { code: 'GS00', pin_hash: 'h0', must_change_pin: 0, active: 1 },
    { code: 'TN01', pin_hash: 'h1', must_change_pin: 0, active: 0 },
  ]);
  assert.throws(() => store.sqlite.prepare("UPDATE users SET active = 1 WHERE code = 'TN01'").run(), /stays deactivated/);
  assert.throws(() => store.sqlite.prepare("UPDATE users SET active = 0 WHERE code = 'GS00'").run(), /last active supervisor/);
  assert.throws(() => store.sqlite.prepare("UPDATE users SET must_change_pin = 2 WHERE code = 'GS00'").run(), /CHECK constraint failed/);
  store.close();
});
