import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../../electron/store/open.ts';
import { latestVersion } from '../../electron/store/migrations.ts';
import { migration0001 } from '../../migrations/0001-initial.ts';
import { migration0002 } from '../../migrations/0002-devices.ts';
import { migration0003 } from '../../migrations/0003-users.ts';
import { batchRows, sha256, storedBatch } from '../../electron/cmis/stored-batch.ts';
import { selectOne } from '../../electron/store/typed-query.ts';
import { tempDir } from '../helpers/temp-dir.ts';

test('migration 0007 upgrades a version-3 database: an old batch keeps its three files, a message file is all or nothing and written once', (t) => {
  const path = join(tempDir(), 'v3.sqlite');
  const v3 = new Database(path);
  for (const m of [migration0001, migration0002, migration0003]) v3.exec(m.sql);
  v3.pragma('user_version = 3');
  const csv = Buffer.from('\ufeffMA_DVIQLY\r\n');
  const manifest = JSON.stringify({ csvFile: 'GACHNO_PT01_20261127_01.csv', reconnectionFile: 'LENHDONGDIEN_PT01_20261127_01.csv', csvSha256: sha256(csv) });
  const insert = `INSERT INTO clearing_batches (batch_day, seq, created_at, csv_name, csv_sha256, row_count, total, first_receipt, last_receipt, manifest, out_dir,
                                               csv_bytes, reconnection_bytes, reconnection_sha256, manifest_sha256, status, completed_at)
                  VALUES ('20261127', ?, '2026-11-27T10:00:00.000Z', ?, ?, 1, 1, 'r', 'r', ?, '/tmp', ?, ?, ?, ?, 'complete', '2026-11-27T10:00:00.000Z')`;
  v3.prepare(insert).run(1, 'GACHNO_PT01_20261127_01.csv', sha256(csv), manifest, csv, csv, sha256(csv), sha256(manifest));
  v3.close();

  const store = openStore(path);
  t.after(() => store.close());
  assert.equal(store.sqlite.pragma('user_version', { simple: true }), latestVersion);
  const old = selectOne(store.sqlite, batchRows);
  const stored = storedBatch(old);
  assert.deepEqual(stored.bad, []);
  assert.deepEqual(stored.files.map((f) => f.name), ['GACHNO_PT01_20261127_01.csv', 'LENHDONGDIEN_PT01_20261127_01.csv', 'GACHNO_PT01_20261127_01.json']);

  const withSms = insert.replace('manifest_sha256, status', 'manifest_sha256, sms_bytes, sms_sha256, status').replace("?, ?, 'complete'", "?, ?, ?, ?, 'complete'");
  const args = (seq: number, bytes: Buffer | null, sha: string | null) => [seq, `GACHNO_PT01_20261127_0${seq}.csv`, sha256(csv), manifest, csv, csv, sha256(csv), sha256(manifest), bytes, sha];
  assert.throws(() => store.sqlite.prepare(withSms).run(...args(2, csv, null)), /message file and its SHA-256, or neither/);
  assert.throws(() => store.sqlite.prepare(withSms).run(...args(2, null, sha256(csv))), /message file and its SHA-256, or neither/);
  store.sqlite.prepare(withSms).run(...args(2, csv, sha256(csv)));
  assert.throws(() => store.sqlite.prepare('UPDATE clearing_batches SET sms_bytes = X\'00\' WHERE seq = 2').run(), /written once/);
  assert.throws(() => store.sqlite.prepare('UPDATE clearing_batches SET sms_sha256 = ? WHERE seq = 1').run(sha256(csv)), /written once/);
});
