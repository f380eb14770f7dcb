import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readdirSync, writeFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { openContext, type Ctx } from '../../electron/store/context.ts';
import { steppingClock, sequentialIds } from '../../electron/core/clock.ts';
import { initPoint } from '../../electron/store/point.ts';
import { addUser } from '../../electron/users/users.ts';
import { backupNow } from '../../electron/backups/backups.ts';
import { previewRestore } from '../../electron/backups/restore.ts';
import { tempDir } from '../helpers/temp-dir.ts';

function context(): Ctx {
  const ctx = openContext(tempDir(), { clock: steppingClock(new Date('2026-11-27T02:00:00Z')), newId: sequentialIds('k') });
  initPoint(ctx, { pointCode: 'DT01', unitCode: 'PC12AA', pointName: 'Điểm thu' });
  addUser(ctx, { code: 'GS01', name: 'Giám Sát', role: 'supervisor', pin: '246800', approvedBy: [] });
  return ctx;
}

const staged = (dir: string) => readdirSync(dir).filter((n) => n.startsWith('restore-')).sort();

/** The pid of a process that has ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

test('a restore killed before it replaced the database leaves its staged copy; the next start of the data folder removes it', async (t) => {
  const ctx = context();
  const { file } = await backupNow(ctx, { outDir: join(tempDir(), 'usb') });
  ctx.close();
  const child = spawnSync(process.execPath, ['--import', 'tsx', new URL('./restore-kill-child.ts', import.meta.url).pathname, ctx.dataDir, file], { encoding: 'utf8' });
  assert.equal(child.signal, 'SIGKILL', child.stderr);
  assert.deepEqual(staged(ctx.dataDir), [`restore-${child.pid}-0-1.sqlite`], 'the killed restore left its full copy (process, main thread, first staging)');
  const next = openContext(ctx.dataDir); // the next start (app or CLI)
  t.after(() => next.close());
  assert.deepEqual(staged(ctx.dataDir), [], 'staged copies left behind');
  assert.equal(next.sqlite.prepare("SELECT COUNT(*) FROM journal WHERE kind = 'restore'").pluck().get(), 0, 'the database was not replaced');
});

test('staging removes the staged copies (and their -wal/-shm) of processes that ended, and keeps the copy of a restore running in a live process', async (t) => {
  const ctx = context();
  t.after(() => ctx.close());
  const { file } = await backupNow(ctx, { outDir: join(tempDir(), 'usb') });
  const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  t.after(() => live.kill());
  const dead = deadPid();
  copyFileSync(file, join(ctx.dataDir, `restore-${dead}.sqlite`));
  writeFileSync(join(ctx.dataDir, `restore-${dead}.sqlite-wal`), 'wal');
  writeFileSync(join(ctx.dataDir, `restore-${dead}.sqlite-shm`), 'shm');
  copyFileSync(file, join(ctx.dataDir, `restore-${dead}-3-7.sqlite`)); // a preview worker's copy
  writeFileSync(join(ctx.dataDir, `restore-${dead}-3-7.sqlite-wal`), 'wal');
  copyFileSync(file, join(ctx.dataDir, `restore-${live.pid}.sqlite`));
  copyFileSync(file, join(ctx.dataDir, `restore-${live.pid}-2-1.sqlite`));
  writeFileSync(join(ctx.dataDir, 'restore-notes.txt'), 'not ours'); // not a staged copy: left alone
  assert.equal(previewRestore(ctx.dataDir, file).older, false);
  assert.deepEqual(staged(ctx.dataDir), [`restore-${live.pid}-2-1.sqlite`, `restore-${live.pid}.sqlite`, 'restore-notes.txt'].sort());
});
