import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { migrations } from '../../electron/store/migrations.ts';
import { openContext } from '../../electron/store/context.ts';
import { sequentialIds } from '../../electron/core/clock.ts';
import { importSnapshot } from '../../electron/cmis/import-snapshot.ts';
import { pointUnits } from '../../electron/store/point.ts';
import { currentSnapshot } from '../../electron/cmis/snapshots.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { billLine, SNAPSHOT_HEADER } from '../cmis/helpers.ts';

/** A version-3 database as the previous release left it: one unit in settings, one snapshot without an extract time. */
function versionThree(dataDir: string): void {
  const db = new Database(join(dataDir, 'diemthu.sqlite'));
  for (const m of migrations.slice(0, 3)) db.exec(m.sql);
  db.pragma('user_version = 3');
  db.prepare("INSERT INTO settings (key, value) VALUES ('point_code', '\"DT0001\"'), ('unit_code', '\"PC12AA\"')").run();
  db.prepare(
    `INSERT INTO snapshots (file_name, sha256, encoding, delimiter, imported_at, row_count, customer_count, bill_count, bill_total)
     VALUES ('NO_PC12AA_20261128.csv', 'x', 'utf8', ',', '2026-11-28T00:30:00.000Z', 1, 1, 1, 1080)`,
  ).run();
  db.close();
}

test('migration 0005: a single-unit point keeps its unit; its old snapshot has no extract time and is not compared', () => {
  const dataDir = tempDir();
  versionThree(dataDir);
  const ctx = openContext(dataDir, { clock: () => new Date('2026-11-29T01:00:00.000Z'), newId: sequentialIds() });
  try {
    assert.equal(ctx.sqlite.pragma('user_version', { simple: true }), migrations.length);
    assert.deepEqual(pointUnits(ctx.sqlite), ['PC12AA']);
    assert.deepEqual(currentSnapshot(ctx.sqlite)?.extract, null);
    // Named a day before the old snapshot's name: not compared, since the old one has no recorded extract time.
    const path = join(tempDir(), 'NO_PC12AA_20261127.csv');
    writeFileSync(path, [SNAPSHOT_HEADER, billLine('PC12AA0000001', 'An', 'B1', 11, 1000)].join('\r\n') + '\r\n');
    const result = importSnapshot(ctx, { file: path });
    assert.deepEqual([result.status, result.guards], ['imported', []]);
    assert.throws(() => ctx.sqlite.prepare("UPDATE snapshots SET extract_source = 'guess' WHERE id = 2").run(), /CHECK constraint failed/);
  } finally {
    ctx.close();
  }
});
