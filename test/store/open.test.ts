import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync, readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { openStore } from '../../electron/store/open.ts';
import { latestVersion, migrations } from '../../electron/store/migrations.ts';
import { isAppError } from '../../electron/core/errors.ts';
import { tempDir } from '../helpers/temp-dir.ts';

test('a new database is migrated to the latest version with WAL, FULL sync and foreign keys', () => {
  const store = openStore(join(tempDir(), 'a.sqlite'));
  assert.equal(store.sqlite.pragma('user_version', { simple: true }), latestVersion);
  assert.equal(store.sqlite.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(store.sqlite.pragma('synchronous', { simple: true }), 2); // FULL
  assert.equal(store.sqlite.pragma('foreign_keys', { simple: true }), 1);
  store.close();
});

test('synchronous is FULL again on every reopen of a WAL database (a plain reopen gives NORMAL)', () => {
  const path = join(tempDir(), 'b.sqlite');
  openStore(path).close();
  // What better-sqlite3 does by itself on a WAL file: not FULL. This is why openStore sets it.
  const plain = new Database(path);
  const plainSync = plain.pragma('synchronous', { simple: true });
  plain.close();
  const store = openStore(path);
  assert.equal(store.sqlite.pragma('synchronous', { simple: true }), 2);
  assert.notEqual(plainSync, 2, 'if plain opens became FULL this test would no longer prove anything');
  store.close();
});

test('migrations are numbered 1..n without gaps', () => {
  assert.deepEqual(
    migrations.map((m) => m.version),
    migrations.map((_, i) => i + 1),
  );
});

test('a database from a newer version is refused and left untouched', () => {
  const path = join(tempDir(), 'c.sqlite');
  openStore(path).close();
  const raw = new Database(path);
  raw.pragma(`user_version = ${latestVersion + 1}`);
  raw.close();
  const before = readFileSync(path);
  assert.throws(() => openStore(path), (e: unknown) => isAppError(e) && e.code === 'DB_TOO_NEW');
  assert.deepEqual(readFileSync(path), before);
});

test('a file that is not a database gives DB_CORRUPT and is not written', () => {
  const path = join(tempDir(), 'd.sqlite');
  writeFileSync(path, 'this is not sqlite, just text that is long enough to have a header '.repeat(20));
  const before = readFileSync(path);
  assert.throws(() => openStore(path), (e: unknown) => isAppError(e) && (e.code === 'DB_CORRUPT' || e.code === 'DB_OPEN_FAILED'));
  assert.deepEqual(readFileSync(path), before);
});

test('a damaged page fails quick_check with DB_CORRUPT', () => {
  const path = join(tempDir(), 'e.sqlite');
  const store = openStore(path);
  const insert = store.sqlite.prepare('INSERT INTO settings (key, value) VALUES (?, ?)');
  store.sqlite.transaction(() => {
    for (let i = 0; i < 2000; i++) insert.run(`k${i}`, JSON.stringify('x'.repeat(100)));
  })();
  store.close();
  const bytes = readFileSync(path);
  const pageSize = bytes.readUInt16BE(16);
  // Scribble over the middle of a late b-tree page (not the header page).
  const page = Math.floor(bytes.length / pageSize) - 2;
  bytes.fill(0xff, page * pageSize + 8, page * pageSize + pageSize - 8);
  writeFileSync(path, bytes);
  assert.throws(() => openStore(path), (e: unknown) => isAppError(e) && e.code === 'DB_CORRUPT');
});
