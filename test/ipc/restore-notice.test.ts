import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { dispatch } from '../../electron/ipc/register.ts';
import { APP_ENTRY_URL } from '../../electron/app/security.ts';
import { startRuntime } from '../../electron/app/runtime.ts';
import { RESTORE_OUTCOME_FILE, writeRestoreOutcome } from '../../electron/backups/restore-outcome.ts';
import { collectWorld } from '../helpers/collect-fixture.ts';

const dialogs = { chooseSnapshotFile: async () => null, chooseResultFile: async () => null, chooseFolder: async () => null, chooseBackupFile: async () => null };
const FAILED = { ok: false, file: '/media/USB/diemthu.sqlite', at: '2026-11-27T02:00:00.000Z', code: 'RESTORE_CORRUPT', message: 'Tệp sao lưu hỏng.' } as const;

/** The app's start over a point's data folder, its IPC called as the window calls it. */
function started(t: { after(fn: () => unknown): void }, prepare: (dataDir: string) => void) {
  const w = collectWorld();
  prepare(w.ctx.dataDir);
  const runtime = startRuntime(w.ctx, { dialogs, send: () => {}, log: () => {}, relaunch: () => {} });
  t.after(() => runtime.stop());
  const call = (channel: string, payload: unknown = {}) =>
    dispatch(runtime.handlers, channel, payload, { url: APP_ENTRY_URL, isMainFrame: true }, { trustedOrigins: [APP_ENTRY_URL], validateResponses: true });
  return { w, call };
}

test('a restore outcome that cannot be removed (a folder of that name, a file an antivirus holds open) does not stop the app from starting', async (t) => {
  const { call } = started(t, (dataDir) => mkdirSync(join(dataDir, RESTORE_OUTCOME_FILE)));
  assert.deepEqual(await call('restoreNotice'), { ok: true, value: null }, 'nothing readable to say, and the app runs');
});

test('the restore outcome is shown on the login screens until someone logs in, not again after a logout or the idle lock', async (t) => {
  const { call } = started(t, (dataDir) => writeRestoreOutcome(dataDir, FAILED));
  for (let screen = 0; screen < 2; screen++) {
    const shown = await call('restoreNotice');
    assert.ok(shown.ok);
    assert.equal((shown.value as { code?: string } | null)?.code, 'RESTORE_CORRUPT', 'every login screen before the first login says it (a window reloaded, a double mount)');
  }
  assert.ok((await call('login', { code: 'TN01', pin: '123456' })).ok);
  assert.ok((await call('logout')).ok);
  assert.deepEqual(await call('restoreNotice'), { ok: true, value: null });
});
