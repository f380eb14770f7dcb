import { test } from 'node:test';
import assert from 'node:assert/strict';
import { entryUrl, trustedOrigins, windowOptions } from '../../electron/app/window.ts';
import { APP_ENTRY_URL } from '../../electron/app/security.ts';
import { isTrustedSender } from '../../electron/ipc/register.ts';

test('the window is isolated, sandboxed, without Node, with web security and the preload', () => {
  const options = windowOptions('/app/dist-electron/preload.cjs', false);
  assert.deepEqual(
    {
      preload: options.webPreferences.preload,
      contextIsolation: options.webPreferences.contextIsolation,
      sandbox: options.webPreferences.sandbox,
      nodeIntegration: options.webPreferences.nodeIntegration,
      nodeIntegrationInWorker: options.webPreferences.nodeIntegrationInWorker,
      nodeIntegrationInSubFrames: options.webPreferences.nodeIntegrationInSubFrames,
      webSecurity: options.webPreferences.webSecurity,
      allowRunningInsecureContent: options.webPreferences.allowRunningInsecureContent,
      webviewTag: options.webPreferences.webviewTag,
      devTools: options.webPreferences.devTools,
    },
    {
      preload: '/app/dist-electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
    },
  );
  assert.equal(windowOptions('/p', true).webPreferences.devTools, true);
});

test('entry URL: app:// by default, a local Vite dev server when asked, never a remote site', () => {
  assert.equal(entryUrl({}), APP_ENTRY_URL);
  assert.equal(entryUrl({ DIEMTHU_DEV_SERVER: 'http://localhost:5173' }), 'http://localhost:5173/');
  assert.equal(entryUrl({ DIEMTHU_DEV_SERVER: 'http://127.0.0.1:5173/' }), 'http://127.0.0.1:5173/');
  assert.throws(() => entryUrl({ DIEMTHU_DEV_SERVER: 'https://evil.example/' }));
  assert.throws(() => entryUrl({ DIEMTHU_DEV_SERVER: 'http://192.168.1.5:5173' }));
  assert.throws(() => entryUrl({ DIEMTHU_DEV_SERVER: 'file:///etc/passwd' }));
});

test('IPC trusts our origin, plus the dev server only when it is the entry', () => {
  const packaged = trustedOrigins(APP_ENTRY_URL);
  assert.ok(isTrustedSender({ url: 'app://diemthu/index.html', isMainFrame: true }, packaged));
  assert.ok(!isTrustedSender({ url: 'http://localhost:5173/', isMainFrame: true }, packaged));
  const dev = trustedOrigins('http://localhost:5173/');
  assert.ok(isTrustedSender({ url: 'http://localhost:5173/', isMainFrame: true }, dev));
  assert.ok(!isTrustedSender({ url: 'http://localhost:5174/', isMainFrame: true }, dev));
});
