import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { openContext, type Ctx } from '../../electron/store/context.ts';
import { steppingClock } from '../../electron/core/clock.ts';
import { initPoint } from '../../electron/store/point.ts';
import { setSettings } from '../../electron/store/settings.ts';
import { backupAfter, backupNow } from '../../electron/backups/backups.ts';
import { previewRestore, restore } from '../../electron/backups/restore.ts';
import { verifyJournal } from '../../electron/store/journal.ts';
import { DATABASE_FILE } from '../../electron/store/data-dir.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { addUser } from '../../electron/users/users.ts';
import { collectPayment } from '../../electron/payments/collect.ts';
import { exportClearing } from '../../electron/cmis/write-clearing.ts';
import { collectWorld, TEST_PIN_COST } from '../helpers/collect-fixture.ts';
import { seedSnapshot } from '../helpers/seed.ts';
import { captureIo } from '../helpers/capture-io.ts';
import { main } from '../../electron/cli/diemthu.ts';
import { randomBytes } from 'node:crypto';
import { latestVersion } from '../../electron/store/migrations.ts';
import { listing, readOnlyView } from '../helpers/files.ts';

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

test('restore of an older backup, forced by a supervisor, replaces the database and keeps a safety copy of the current one', async () => {
  const { ctx, root, dataDir } = setup();
  addUser(ctx, { code: 'GS01', name: 'Giám sát', role: 'supervisor', pin: '987654', approvedBy: [] }, TEST_PIN_COST);
  setSettings(ctx.sqlite, { point_name: 'trước' }, null, START);
  const { file } = await backupNow(ctx, { outDir: join(root, 'b') });
  setSettings(ctx.sqlite, { point_name: 'sau' }, null, START);
  ctx.close();

  const result = await restore(dataDir, file, { clock: steppingClock(START), force: { supervisorCode: 'GS01', pin: '987654' } });
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
  await assert.rejects(async () => restore(dataDir, corrupt), (e: { code?: string }) => e.code === 'DB_CORRUPT' || e.code === 'RESTORE_CORRUPT');

  const tampered = join(root, 'tampered.sqlite');
  fs.copyFileSync(file, tampered);
  const Database = (await import('better-sqlite3')).default;
  const db = new Database(tampered);
  db.exec('DROP TRIGGER journal_no_update');
  db.prepare("UPDATE journal SET payload = '{}' WHERE id = 1").run();
  db.close();
  await assert.rejects(async () => restore(dataDir, tampered), { code: 'RESTORE_JOURNAL_BROKEN' });

  await assert.rejects(async () => restore(dataDir, join(root, 'missing.sqlite')), { code: 'RESTORE_FILE_MISSING' });
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
  assert.match(refused.err(), /^\[BACKUP_INVALID\] /);
});

test('the newest backup restores without --force: after it the current database only journaled the backup itself', async () => {
  const { ctx, root, dataDir } = setup();
  const { file } = await backupNow(ctx, { outDir: join(root, 'b') });
  ctx.close();
  assert.ok((await restore(dataDir, file, { clock: steppingClock(START) })).safetyCopy !== null);
});

test('restore refuses while another process has the database open, and changes nothing', async () => {
  const { ctx, root, dataDir } = setup();
  const { file } = await backupNow(ctx, { outDir: join(root, 'b') });
  ctx.close();
  const dbPath = join(dataDir, DATABASE_FILE);
  // The app in another process: an idle connection that has read the database.
  const app = spawn(
    process.execPath,
    ['-e', `const D = require('better-sqlite3'); const db = new D(${JSON.stringify(dbPath)}); db.prepare('SELECT COUNT(*) FROM journal').get(); console.log('open'); setInterval(() => {}, 1000);`],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await once(app.stdout, 'data');
  const before = fs.readFileSync(dbPath);
  try {
    await assert.rejects(async () => restore(dataDir, file), (e: { code?: string; message?: string }) => e.code === 'RESTORE_DB_IN_USE' && /đang mở/.test(e.message ?? ''));
  } finally {
    app.kill();
  }
  await once(app, 'exit');
  assert.ok(fs.readFileSync(dbPath).equals(before), 'database untouched');
  assert.equal(fs.existsSync(join(dataDir, 'safety')), false);
  assert.ok((await restore(dataDir, file)).safetyCopy !== null, 'restores once the other process is gone');
});

test('an older backup is refused; forced by a supervisor it keeps receipt numbers and clearing batch numbers moving forward, journaled', async () => {
  const w = collectWorld();
  const dataDir = w.ctx.dataDir;
  const root = join(dataDir, '..');
  seedSnapshot(w.ctx, ['PC12AA0000001', 'PC12AA0000002', 'PC12AA0000003'].map((ma, i) => ({
    maKhang: ma, tenKhang: `Khách ${i}`, dchiKhang: 'Số 1', bills: [{ idHdon: `HD${i}`, thang: 10, nam: 2026, soTien: 10000, tienGtgt: 1000 }],
  })));
  const collect = (ctx: Ctx, ma: string, key: string) => collectPayment(ctx, { customer: ma, cashierId: w.cashier.id, idempotencyKey: key }).receiptNo;
  assert.equal(collect(w.ctx, 'PC12AA0000001', 'k1'), 'DT0001-26-000001');
  const { file } = await backupNow(w.ctx, { outDir: join(root, 'b') });
  assert.equal(collect(w.ctx, 'PC12AA0000002', 'k2'), 'DT0001-26-000002');
  const outDir = join(root, 'usb');
  assert.equal(exportClearing(w.ctx, { outDir }).code, 'EXPORTED'); // GACHNO_DT0001_20261127_01: receipts 1 and 2
  w.ctx.close();

  const clock = steppingClock(new Date('2026-11-27T05:00:00.000Z'));
  await assert.rejects(async () => restore(dataDir, file, { clock }), (e: { code?: string; message?: string }) => e.code === 'RESTORE_OLDER_THAN_CURRENT' && /--force/.test(e.message ?? ''));
  await assert.rejects(async () => restore(dataDir, file, { clock, force: { supervisorCode: 'TN01', pin: '123456' } }), { code: 'SUPERVISOR_REQUIRED' });
  await assert.rejects(async () => restore(dataDir, file, { clock, force: { supervisorCode: 'GS01', pin: '0000' } }), { code: 'LOGIN_FAILED' });
  assert.equal(fs.existsSync(join(dataDir, 'safety')), false, 'refused: nothing replaced');

  const result = await restore(dataDir, file, { clock, force: { supervisorCode: 'GS01', pin: '987654' } });
  assert.ok(result.safetyCopy !== null && fs.existsSync(result.safetyCopy));
  const ctx = openContext(dataDir, { clock });
  const exportedIn = (no: string) => (ctx.sqlite.prepare('SELECT batch_id AS b FROM payments WHERE receipt_no = ?').get(no) as { b: number | null }).b;
  assert.equal(exportedIn('DT0001-26-000001'), 1, 'already in batch _01 on the stick: not cleared a second time');
  assert.equal(collect(ctx, 'PC12AA0000003', 'k3'), 'DT0001-26-000003', 'receipt 2 was issued: never reissued');
  const next = exportClearing(ctx, { outDir });
  assert.equal(next.code === 'EXPORTED' && next.manifest.csvFile, 'GACHNO_DT0001_20261127_02.csv');
  assert.equal(next.code === 'EXPORTED' && `${next.manifest.firstReceipt}..${next.manifest.lastReceipt}`, 'DT0001-26-000003..DT0001-26-000003');
  const journal = ctx.sqlite.prepare("SELECT actor_id AS actor, payload FROM journal WHERE kind = 'restore'").get() as { actor: number; payload: string };
  assert.equal(journal.actor, w.supervisor.id);
  assert.deepEqual(
    (({ forced, receiptCounters, batchesCarried, paymentsMarkedExported }) => ({ forced, receiptCounters, batchesCarried, paymentsMarkedExported }))(
      JSON.parse(journal.payload) as Record<string, unknown>,
    ),
    { forced: true, receiptCounters: [{ pointCode: 'DT0001', year: 2026, from: 1, to: 2 }], batchesCarried: [1], paymentsMarkedExported: ['DT0001-26-000001'] },
  );
  assert.equal(verifyJournal(ctx.sqlite).ok, true);
  ctx.close();
});

test('CLI: restore of an older backup exits 2 without --force, and 0 with --force --supervisor (PIN from DIEMTHU_PIN)', async () => {
  const { ctx, root, dataDir } = setup();
  addUser(ctx, { code: 'GS01', name: 'Giám sát', role: 'supervisor', pin: '987654', approvedBy: [] }, TEST_PIN_COST);
  const { file } = await backupNow(ctx, { outDir: join(root, 'b') });
  setSettings(ctx.sqlite, { point_name: 'sau' }, null, START);
  ctx.close();
  const refused = captureIo();
  assert.equal(await main(['restore', file, '--data-dir', dataDir], refused), 2);
  assert.match(refused.err(), /\[RESTORE_OLDER_THAN_CURRENT\]/);
  const unbound = captureIo({ DIEMTHU_PIN: '987654' });
  assert.equal(await main(['restore', file, '--force', '--supervisor', 'GS01', '--data-dir', dataDir], unbound), 2, 'forced without --expect');
  assert.match(unbound.err(), /\[CLI_BAD_ARGS\] --force cần --expect/);
  const checked = captureIo();
  assert.equal(await main(['restore', file, '--check', '--data-dir', dataDir], checked), 0, checked.err());
  const expect = /Mã bản sao lưu \(cho --expect\): ([0-9a-f]{64})/.exec(checked.out())?.[1];
  assert.ok(expect !== undefined, checked.out());
  const forced = captureIo({ DIEMTHU_PIN: '987654' });
  assert.equal(await main(['restore', file, '--force', '--supervisor', 'GS01', '--expect', expect, '--data-dir', dataDir], forced), 0, forced.err());
  assert.match(forced.out(), /Khôi phục bắt buộc/);
});

test('CLI: a forced restore is bound to the file --check described: a backup swapped in at that path since is refused, nothing replaced', async () => {
  const { ctx, root, dataDir } = setup();
  addUser(ctx, { code: 'GS01', name: 'Giám sát', role: 'supervisor', pin: '987654', approvedBy: [] }, TEST_PIN_COST);
  const older = await backupNow(ctx, { outDir: join(root, 'older') });
  setSettings(ctx.sqlite, { point_name: 'giữa' }, null, START);
  const checkedBackup = await backupNow(ctx, { outDir: join(root, 'checked') });
  setSettings(ctx.sqlite, { point_name: 'sau' }, null, START);
  ctx.close();
  const checked = captureIo();
  assert.equal(await main(['restore', checkedBackup.file, '--check', '--json', '--data-dir', dataDir], checked), 0, checked.err());
  const expect = (JSON.parse(checked.out()) as { value: { journalHead: string } }).value.journalHead;
  // The older backup takes the checked one's place on the stick.
  fs.copyFileSync(older.file, checkedBackup.file);
  const forced = captureIo({ DIEMTHU_PIN: '987654' });
  assert.equal(await main(['restore', checkedBackup.file, '--force', '--supervisor', 'GS01', '--expect', expect, '--data-dir', dataDir], forced), 2);
  assert.match(forced.err(), /\[RESTORE_BACKUP_CHANGED\]/);
  const after = openContext(dataDir);
  assert.equal(pointName(after), 'sau', 'nothing replaced');
  after.close();
});

test('[#13] restore from read-only media (a write-protected USB stick) works and leaves nothing beside the backup', async (t) => {
  const { ctx, root, dataDir } = setup();
  const usb = join(root, 'usb');
  const backup = await backupNow(ctx, { outDir: usb });
  setSettings(ctx.sqlite, { point_name: 'sau' }, null, START);
  addUser(ctx, { code: 'GS01', name: 'Giám sát', role: 'supervisor', pin: '987654', approvedBy: [] }, TEST_PIN_COST);
  ctx.close();
  const stick = readOnlyView(t, usb);
  const file = join(stick, backup.file.split('/').pop()!);
  const before = listing(stick);
  // The backup is older now: checking it against the current database reads it twice.
  await assert.rejects(async () => restore(dataDir, file), { code: 'RESTORE_OLDER_THAN_CURRENT' });
  const forced = captureIo({ DIEMTHU_PIN: '987654' });
  const expect = previewRestore(dataDir, file).journalHead;
  assert.equal(await main(['restore', file, '--force', '--supervisor', 'GS01', '--expect', expect, '--data-dir', dataDir], forced), 0, forced.err());
  const again = captureIo();
  assert.equal(await main(['restore', file, '--data-dir', dataDir], again), 2, 'the restored database has journaled the restore: the backup is older than it');
  assert.deepEqual(listing(stick), before, 'no -wal, -shm or anything else written beside the backup');
  const restored = openContext(dataDir);
  assert.equal(pointName(restored), '');
  restored.close();
  assert.deepEqual(fs.readdirSync(dataDir).filter((n) => n.startsWith('restore')), [], 'the checked copy is removed');
});

test('[#13] backup rotation removes -wal/-shm files left beside backups and unfinished copies of dead processes', async () => {
  const { ctx, root } = setup();
  const usb = join(root, 'usb');
  const { file } = await backupNow(ctx, { outDir: usb });
  const stale = [`${file}-wal`, `${file}-shm`, join(usb, 'diemthu-20200101-000000.sqlite-wal'), join(usb, 'diemthu-20200101-000000.sqlite-shm'), `${file}.partial`, `${file}.partial-${2 ** 22 + 1}`];
  for (const path of stale) fs.writeFileSync(path, 'x');
  const next = await backupNow(ctx, { outDir: usb });
  assert.deepEqual(fs.readdirSync(usb).sort(), [file, next.file].map((f) => f.split('/').pop()).sort());
  ctx.close();
});

test('[#14] restore of an empty file, random bytes or a SQLite file that is not a Điểm Thu database is refused with a clear code (exit 2), nothing changed', async () => {
  const { ctx, root, dataDir } = setup();
  const { file: good } = await backupNow(ctx, { outDir: join(root, 'b') });
  ctx.close();
  const other = openContext(join(root, 'other'));
  initPoint(other, { pointCode: 'PT02', unitCode: 'PC12AA', pointName: '' });
  const { file: otherPoint } = await backupNow(other, { outDir: join(root, 'b2') });
  other.close();
  const Database = (await import('better-sqlite3')).default;
  const sqliteFile = (path: string, sql: string, version: number) => {
    const db = new Database(path);
    db.exec(sql);
    db.pragma(`user_version = ${version}`);
    db.close();
  };
  const files = join(root, 'files');
  fs.mkdirSync(files);
  const cases: [string, string, (path: string) => void][] = [
    ['an empty file', 'BACKUP_INVALID', (p) => fs.writeFileSync(p, '')],
    ['random bytes', 'BACKUP_INVALID', (p) => fs.writeFileSync(p, randomBytes(64 * 1024))],
    ['a SQLite header and nothing right after it', 'BACKUP_INVALID', (p) => fs.writeFileSync(p, Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(8192, 0xa5)]))],
    ['an empty SQLite database', 'BACKUP_NOT_DIEMTHU', (p) => sqliteFile(p, 'PRAGMA page_size = 4096; VACUUM', 0)],
    ["another program's SQLite database", 'BACKUP_NOT_DIEMTHU', (p) => sqliteFile(p, 'CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES (1)', 0)],
    ["another program's SQLite database with a high user_version", 'BACKUP_NOT_DIEMTHU', (p) => sqliteFile(p, 'CREATE TABLE journal (x)', 99)],
    ['Điểm Thu tables with user_version 0', 'BACKUP_NOT_DIEMTHU', (p) => (fs.copyFileSync(good, p), sqliteFile(p, 'SELECT 1', 0))],
    ['a backup from a newer Điểm Thu', 'BACKUP_TOO_NEW', (p) => (fs.copyFileSync(good, p), sqliteFile(p, 'SELECT 1', latestVersion + 1))],
    ['a backup of another point', 'BACKUP_OTHER_POINT', (p) => fs.copyFileSync(otherPoint, p)],
  ];
  const before = listing(dataDir);
  for (const [name, code, make] of cases) {
    const path = join(files, `${name}.sqlite`);
    make(path);
    const bytes = fs.readFileSync(path);
    for (const json of [false, true]) {
      const io = captureIo();
      assert.equal(await main(['restore', path, '--data-dir', dataDir, ...(json ? ['--json'] : [])], io), 2, `${name}: ${io.err()}`);
      assert.match(io.err(), new RegExp(`^\\[${code}\\] [^\\n]+\\n$`), name);
      if (json) assert.equal((JSON.parse(io.out()) as { error: { code: string } }).error.code, code, name);
    }
    assert.ok(fs.readFileSync(path).equals(bytes), `${name}: the file is not changed`);
  }
  assert.deepEqual(fs.readdirSync(files).sort(), cases.map(([name]) => `${name}.sqlite`).sort(), 'nothing written beside the files');
  assert.deepEqual(listing(dataDir), before, 'the data folder is unchanged: no safety copy, no leftover');
});

test('[#1] a backup with another page size still goes into the database through SQLite', async () => {
  const { ctx, root, dataDir } = setup();
  const { file } = await backupNow(ctx, { outDir: join(root, 'b') });
  ctx.close();
  const Database = (await import('better-sqlite3')).default;
  const db = new Database(file);
  db.pragma('journal_mode = DELETE');
  db.pragma('page_size = 8192');
  db.exec('VACUUM');
  db.close();
  const result = await restore(dataDir, file);
  assert.ok(result.safetyCopy !== null);
  const restored = openContext(dataDir);
  assert.equal(restored.sqlite.pragma('page_size', { simple: true }), 4096);
  assert.equal(verifyJournal(restored.sqlite).ok, true);
  restored.close();
});

test('restore over a damaged database (pages scribbled, quick_check fails) puts the backup in without --force', async () => {
  const { ctx, root, dataDir } = setup();
  setSettings(ctx.sqlite, { point_name: 'trước' }, null, START);
  const { file } = await backupNow(ctx, { outDir: join(root, 'b') });
  const insert = ctx.sqlite.prepare('INSERT INTO settings (key, value) VALUES (?, ?)');
  ctx.sqlite.transaction(() => {
    for (let i = 0; i < 2000; i++) insert.run(`k${i}`, JSON.stringify('x'.repeat(100)));
  })();
  ctx.close();
  const dbPath = join(dataDir, DATABASE_FILE);
  const bytes = fs.readFileSync(dbPath);
  const pageSize = bytes.readUInt16BE(16);
  const page = Math.floor(bytes.length / pageSize) - 2;
  bytes.fill(0xff, page * pageSize + 8, page * pageSize + pageSize - 8);
  fs.writeFileSync(dbPath, bytes);
  assert.throws(() => openContext(dataDir), { code: 'DB_CORRUPT' });
  const result = await restore(dataDir, file);
  assert.ok(result.safetyCopy !== null && fs.readFileSync(result.safetyCopy).equals(bytes), 'the damaged file is kept as it was');
  const restored = openContext(dataDir);
  assert.equal(pointName(restored), 'trước');
  assert.equal(restored.sqlite.pragma('integrity_check', { simple: true }), 'ok');
  restored.close();
});

test('a restore that replaced the database but could not confirm it says so (RESTORE_NOT_CONFIRMED, the safety copy named), never "nothing changed"', async () => {
  const { ctx, root, dataDir } = setup();
  const { file } = await backupNow(ctx, { outDir: join(root, 'b') });
  ctx.close();
  await assert.rejects(
    async () =>
      restore(dataDir, file, {
        clock: steppingClock(START),
        afterReplace: () => {
          throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
        },
      }),
    (e: { code?: string; message?: string; details?: { safetyCopy?: string } }) =>
      e.code === 'RESTORE_NOT_CONFIRMED' && /chưa xác nhận được \(EIO: i\/o error, fsync\)/.test(e.message ?? '') && !/nguyên vẹn/.test(e.message ?? '') && fs.existsSync(e.details?.safetyCopy ?? ''),
  );
});
