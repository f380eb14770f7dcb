import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { backupNow } from '../../electron/backups/backups.ts';
import { previewRestore } from '../../electron/backups/restore.ts';
import { previewInWorker } from '../../electron/backups/preview-job.ts';
import { restoreHandlers } from '../../electron/ipc/handlers/restore.ts';
import { addUser } from '../../electron/users/users.ts';
import { freshPoint } from '../cmis/helpers.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { TEST_PIN_COST } from '../helpers/collect-fixture.ts';
import type { Till } from '../../electron/ipc/handlers/deps.ts';

test('the restore preview runs in a worker: the same answer and refusals as previewRestore, and the window\'s thread turns meanwhile', async (t) => {
  const ctx = freshPoint();
  t.after(() => ctx.close());
  addUser(ctx, { code: 'GS01', name: 'Giám sát', role: 'supervisor', pin: '987654', approvedBy: [] }, TEST_PIN_COST);
  const { file } = await backupNow(ctx, { outDir: join(tempDir(), 'usb') });
  assert.deepEqual(await previewInWorker(ctx.dataDir, file), previewRestore(ctx.dataDir, file));
  const other = join(tempDir(), 'khong-phai.sqlite');
  writeFileSync(other, 'không phải cơ sở dữ liệu, chỉ là chữ');
  await assert.rejects(previewInWorker(ctx.dataDir, other), { code: 'BACKUP_INVALID' });
  await assert.rejects(previewInWorker(ctx.dataDir, join(tempDir(), 'khong-co.sqlite')), { code: 'RESTORE_FILE_MISSING' });

  // Through the handler: the answer comes after the thread has served other work (a synchronous check would block it until it ends).
  const till = { ctx, supervisor: () => ({ code: 'GS01' }), session: { requireUser: () => undefined, everLoggedIn: true } } as unknown as Till;
  const handlers = restoreHandlers(till);
  let turned = false;
  const answer = handlers.restorePreview({ supervisor: { code: 'GS01', pin: '987654' }, path: file });
  setImmediate(() => (turned = true));
  assert.deepEqual(await answer, previewRestore(ctx.dataDir, file));
  assert.equal(turned, true, 'the thread turned while the backup was checked');
});

test('two previews at once (a double click) both answer: the staged copy of one is never the other\'s', async (t) => {
  const ctx = freshPoint();
  t.after(() => ctx.close());
  const { file } = await backupNow(ctx, { outDir: join(tempDir(), 'usb') });
  const expected = previewRestore(ctx.dataDir, file);
  const answers = await Promise.all([1, 2, 3].map(() => previewInWorker(ctx.dataDir, file)));
  assert.deepEqual(answers, [expected, expected, expected]);
});
