import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../../electron/store/open.ts';
import { latestVersion } from '../../electron/store/migrations.ts';
import { migration0001 } from '../../migrations/0001-initial.ts';
import { tempDir } from '../helpers/temp-dir.ts';

test('migration 0002 upgrades a version-1 database: print jobs keep their rows, set_aside_at only on a failed job', () => {
  const path = join(tempDir(), 'v1.sqlite');
  const v1 = new Database(path);
  v1.exec(migration0001.sql);
  v1.pragma('user_version = 1');
  v1.prepare("INSERT INTO print_jobs (kind, document, created_at, status) VALUES ('test_page', '{}', '2026-11-27T01:00:00.000Z', 'done')").run();
  v1.prepare("INSERT INTO print_jobs (kind, document, created_at) VALUES ('test_page', '{}', '2026-11-27T01:00:01.000Z')").run();
  v1.close();

  const store = openStore(path);
  assert.equal(store.sqlite.pragma('user_version', { simple: true }), latestVersion);
  assert.deepEqual(store.sqlite.prepare('SELECT id, status, set_aside_at FROM print_jobs ORDER BY id').all(), [
    { id: 1, status: 'done', set_aside_at: null },
    { id: 2, status: 'pending', set_aside_at: null },
  ]);
  assert.throws(() => store.sqlite.prepare("UPDATE print_jobs SET set_aside_at = '2026-11-27T02:00:00.000Z' WHERE id = 2").run(), /CHECK constraint failed/);
  store.sqlite.prepare("UPDATE print_jobs SET status = 'failed', set_aside_at = '2026-11-27T02:00:00.000Z' WHERE id = 2").run();
  assert.throws(() => store.sqlite.prepare("UPDATE print_jobs SET status = 'pending' WHERE id = 2").run(), /CHECK constraint failed/, 'a job set aside is not put back by hand half-way');
  store.close();
});
