import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { openContext, type Ctx } from '../electron/context.ts';
import { steppingClock } from '../electron/core/clock.ts';
import { initPoint } from '../electron/point.ts';
import { setSettings } from '../electron/settings.ts';
import { backupAfter, backupNow, restore } from '../electron/backups.ts';
import { verifyJournal } from '../electron/journal.ts';
import { DATABASE_FILE } from '../electron/data-dir.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { captureIo } from './helpers/capture-io.ts';
import { main } from '../electron/cli/diemthu.ts';

const START = new Date('2026-11-27T10:00:00.000Z'); // 17:00 local

function setup(): { ctx: Ctx; root: string; dataDir: string } {
  const root = tempDir();
  const dataDir = join(root, 'data');
  const ctx = openContext(dataDir, { clock: steppingClock(START, 1000) });
  initPoint(ctx, { pointCode: 'PT01', unitCode: 'PC12AA', pointName: '' });
  return { ctx, root, dataDir };
}

function pointName(ctx: Ctx): string {
  return JSON.parse((ctx.sqlite.prepare("SELECT value FROM settings WHERE key = 'point_name'").get() as { value: string }).value) as string;
}

test('backupNow writes a local-time named online backup into backup_dir, keeps the last N and journals it', async () => {
  const { ctx, root } = setup();
  const usb = join(root, 'usb');
  setSettings(ctx.sqlite, { backup_dir: usb, backup_keep: 2 }, null, START);
  const first = await backupNow(ctx);
  assert.match(first.file, /diemthu-20261127-1700\d\d\.sqlite$/);
  await backupNow(ctx);
  const third = await backupNow(ctx);
  const names = fs.readdirSync(usb).sort();
  assert.equal(names.length, 2);
  assert.equal(names.includes(first.file.split('/').pop()!), false, 'the oldest was removed');
  assert.deepEqual(third.removed, [first.file.split('/').pop()]);
  const journal = ctx.sqlite.prepare("SELECT COUNT(*) AS n FROM journal WHERE kind = 'backup'").get() as { n: number };
  assert.equal(journal.n, 3);
  // --out wins over the setting.
  const out = await backupNow(ctx, { outDir: join(root, 'elsewhere') });
  assert.ok(out.file.startsWith(join(root, 'elsewhere')));
  ctx.close();
});

test('backupAfter reports a failed backup instead of throwing', async () => {
  const { ctx, root } = setup();
  const blocker = join(root, 'not-a-dir');
  fs.writeFileSync(blocker, 'x');
  const result = await backupAfter(ctx, join(blocker, 'sub'));
  assert.equal(result.ok, false);
  assert.equal(!result.ok && result.code, 'BACKUP_FAILED');
  ctx.close();
});

test('restore replaces the database with a checked backup and keeps a safety copy of the current one', async () => {
  const { ctx, root, dataDir } = setup();
  setSettings(ctx.sqlite, { point_name: 'trước' }, null, START);
  const { file } = await backupNow(ctx, { outDir: join(root, 'b') });
  setSettings(ctx.sqlite, { point_name: 'sau' }, null, START);
  ctx.close();

  const result = restore(dataDir, file, { clock: steppingClock(START) });
  assert.ok(result.safetyCopy !== null && fs.existsSync(result.safetyCopy));
  const restored = openContext(dataDir);
  assert.equal(pointName(restored), 'trước');
  assert.equal(verifyJournal(restored.sqlite).ok, true);
  const last = restored.sqlite.prepare('SELECT kind FROM journal ORDER BY id DESC LIMIT 1').get() as { kind: string };
  assert.equal(last.kind, 'restore');
  restored.close();
  const safety = openContext(join(result.safetyCopy!, '..'));
  assert.equal(pointName(safety), 'sau');
  safety.close();
});

test('restore refuses a corrupt file and a file with a tampered journal, and changes nothing', async () => {
  const { ctx, root, dataDir } = setup();
  const { file } = await backupNow(ctx, { outDir: join(root, 'b') });
  ctx.close();
  const before = fs.readFileSync(join(dataDir, DATABASE_FILE));

  const corrupt = join(root, 'corrupt.sqlite');
  const bytes = fs.readFileSync(file);
  bytes.fill(0x5a, 4096, bytes.length); // every page after the first overwritten
  fs.writeFileSync(corrupt, bytes);
  assert.throws(() => restore(dataDir, corrupt), (e: { code?: string }) => e.code === 'DB_CORRUPT' || e.code === 'RESTORE_CORRUPT');

  const tampered = join(root, 'tampered.sqlite');
  fs.copyFileSync(file, tampered);
  const Database = (await import('better-sqlite3')).default;
  const db = new Database(tampered);
  db.exec('DROP TRIGGER journal_no_update');
  db.prepare("UPDATE journal SET payload = '{}' WHERE id = 1").run();
  db.close();
  assert.throws(() => restore(dataDir, tampered), { code: 'RESTORE_JOURNAL_BROKEN' });

  assert.throws(() => restore(dataDir, join(root, 'missing.sqlite')), { code: 'RESTORE_FILE_MISSING' });
  assert.ok(fs.readFileSync(join(dataDir, DATABASE_FILE)).equals(before), 'database untouched');
  assert.equal(fs.existsSync(join(dataDir, 'safety')), false, 'nothing was replaced, so no safety copy was needed');
});

test('CLI: backup --out, then restore of that file (exit 0) and of a corrupt file (exit 2)', async () => {
  const { ctx, root, dataDir } = setup();
  ctx.close();
  const io = captureIo();
  assert.equal(await main(['backup', '--out', join(root, 'b'), '--data-dir', dataDir, '--json'], io), 0);
  const { file } = (JSON.parse(io.out()) as { value: { file: string } }).value;
  const restored = captureIo();
  assert.equal(await main(['restore', file, '--data-dir', dataDir], restored), 0, restored.err());
  assert.match(restored.out(), /Đã khôi phục/);
  const junk = join(root, 'junk.sqlite');
  fs.writeFileSync(junk, 'this is not a database, only text '.repeat(200));
  const refused = captureIo();
  assert.equal(await main(['restore', junk, '--data-dir', dataDir], refused), 2);
  assert.match(refused.err(), /\[(DB_CORRUPT|RESTORE_CORRUPT)\]/);
});
