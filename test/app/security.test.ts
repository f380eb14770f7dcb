import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import {
  APP_ENTRY_URL,
  appProtocolHandler,
  contentSecurityPolicy,
  denyPermissionCheck,
  denyPermissionRequest,
  installContentsGuards,
  installSessionGuards,
  resolveAppPath,
  withCsp,
  type GuardedContents,
  type GuardedSession,
  type PreventableEvent,
} from '../../electron/app/security.ts';
import { tempDir } from '../helpers/temp-dir.ts';

function fakeEvent(): PreventableEvent & { prevented: boolean } {
  return {
    prevented: false,
    preventDefault() {
      this.prevented = true;
    },
  };
}

function fakeContents() {
  const listeners = new Map<string, (event: PreventableEvent) => void>();
  let openHandler: (() => { action: 'deny' }) | undefined;
  const contents: GuardedContents = {
    on(event, listener) {
      listeners.set(event, listener);
      return contents;
    },
    setWindowOpenHandler(handler) {
      openHandler = handler;
    },
  };
  installContentsGuards(contents);
  const fire = (name: string) => {
    const listener = listeners.get(name);
    assert.ok(listener, `${name} listener installed`);
    const event = fakeEvent();
    listener(event);
    return event.prevented;
  };
  return { fire, openHandler: () => openHandler };
}

test('every navigation is prevented, our own origin included', () => {
  const { fire } = fakeContents();
  // The listener gets the URL too in Electron; it must not matter which one.
  assert.equal(fire('will-navigate'), true);
  assert.equal(fire('will-frame-navigate'), true);
  assert.equal(fire('will-redirect'), true);
});

test('webview attachment is prevented and window.open is denied', () => {
  const { fire, openHandler } = fakeContents();
  assert.equal(fire('will-attach-webview'), true);
  const handler = openHandler();
  assert.ok(handler);
  assert.deepEqual(handler(), { action: 'deny' });
});

test('permission requests and checks are denied, downloads prevented, CSP installed', () => {
  const granted: boolean[] = [];
  denyPermissionRequest({}, 'media', (g) => granted.push(g));
  denyPermissionRequest({}, 'hid', (g) => granted.push(g));
  assert.deepEqual(granted, [false, false]);
  assert.equal(denyPermissionCheck(), false);

  const installed: Record<string, unknown> = {};
  let download: ((event: PreventableEvent) => void) | undefined;
  const session: GuardedSession = {
    setPermissionRequestHandler: (h) => (installed.request = h),
    setPermissionCheckHandler: (h) => (installed.check = h),
    setDevicePermissionHandler: (h) => (installed.device = h),
    on: (_name, listener) => (download = listener),
    webRequest: { onHeadersReceived: (listener) => (installed.headers = listener) },
  };
  installSessionGuards(session, 'default-src none');
  assert.equal(installed.request, denyPermissionRequest);
  assert.equal(installed.check, denyPermissionCheck);
  assert.equal(installed.device, denyPermissionCheck);
  assert.equal(typeof installed.headers, 'function');
  const event = fakeEvent();
  download?.(event);
  assert.equal(event.prevented, true);
});

test('the CSP allows no remote content', () => {
  const csp = contentSecurityPolicy();
  assert.equal(
    csp,
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
      "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
  );
  assert.doesNotMatch(csp, /https?:|\*/);
  const dev = contentSecurityPolicy('http://localhost:5173');
  assert.match(dev, /script-src 'self' 'unsafe-inline'/);
  assert.match(dev, /connect-src 'self' ws:\/\/localhost:5173/);
  assert.doesNotMatch(dev, /https?:/);
});

test('withCsp replaces any CSP header whatever its case and keeps the others', () => {
  let answer: { responseHeaders: Record<string, string[]> } | undefined;
  withCsp('default-src x')(
    { responseHeaders: { 'content-security-policy': ['*'], 'Content-Type': ['text/html'] } },
    (response) => (answer = response),
  );
  assert.deepEqual(answer, { responseHeaders: { 'Content-Type': ['text/html'], 'Content-Security-Policy': ['default-src x'] } });
  withCsp('a')({}, (response) => (answer = response));
  assert.deepEqual(answer, { responseHeaders: { 'Content-Security-Policy': ['a'] } });
});

test('resolveAppPath maps our files under the root', () => {
  const root = path.resolve('/srv/dist');
  assert.equal(resolveAppPath(root, APP_ENTRY_URL), path.join(root, 'index.html'));
  assert.equal(resolveAppPath(root, 'app://diemthu/'), path.join(root, 'index.html'));
  assert.equal(resolveAppPath(root, 'app://diemthu/assets/index-abc.js?v=1#x'), path.join(root, 'assets', 'index-abc.js'));
  assert.equal(resolveAppPath(root, 'app://diemthu/fonts/B%C3%A1n.woff2'), path.join(root, 'fonts', 'Bán.woff2'));
});

const hostile = [
  'app://diemthu/../../etc/passwd',
  'app://diemthu/assets/../../../etc/passwd',
  'app://diemthu/%2e%2e/%2e%2e/etc/passwd',
  'app://diemthu/%2E%2E%2Fsecret',
  'app://diemthu/..%2f..%2fetc%2fpasswd',
  'app://diemthu/..%5c..%5cwindows%5cwin.ini',
  'app://diemthu/..\\..\\windows\\win.ini',
  'app://diemthu/assets\\..\\..\\x',
  'app://diemthu//etc/passwd',
  'app://diemthu/%2fetc%2fpasswd',
  'app://diemthu/C:/Windows/win.ini',
  'app://diemthu/C%3A%5CWindows%5Cwin.ini',
  'app://diemthu/./index.html',
  'app://diemthu/index.html%00.png',
  'app://diemthu/%E0%A4%A', // malformed escape
  'app://other/index.html',
  'file:///etc/passwd',
  'https://diemthu/index.html',
];

test('resolveAppPath refuses traversal, encoded dots, backslashes and absolute paths (POSIX and Windows rules)', () => {
  for (const [pathModule, root] of [
    [path.posix, '/srv/dist'],
    [path.win32, 'C:\\Program Files\\Diem Thu\\resources\\app.asar\\dist'],
  ] as const) {
    for (const url of hostile) {
      assert.equal(resolveAppPath(root, url, pathModule), null, `${url} must be refused`);
    }
    assert.equal(resolveAppPath(root, 'app://diemthu/assets/a.js', pathModule), pathModule.join(root, 'assets', 'a.js'));
  }
});

test('the protocol handler serves dist with the CSP, 403 for traversal, 404 for missing, 405 for POST', async () => {
  const root = tempDir();
  mkdirSync(path.join(root, 'dist', 'assets'), { recursive: true });
  writeFileSync(path.join(root, 'dist', 'index.html'), '<!doctype html><title>Điểm Thu</title>');
  writeFileSync(path.join(root, 'dist', 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(path.join(root, 'secret.txt'), 'do not serve');
  const handle = appProtocolHandler({ root: path.join(root, 'dist'), csp: 'default-src x' });

  const index = await handle({ url: APP_ENTRY_URL, method: 'GET' });
  assert.equal(index.status, 200);
  assert.equal(index.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.equal(index.headers.get('content-security-policy'), 'default-src x');
  assert.equal(await index.text(), '<!doctype html><title>Điểm Thu</title>');

  const script = await handle({ url: 'app://diemthu/assets/app.js', method: 'GET' });
  assert.equal(script.headers.get('content-type'), 'text/javascript; charset=utf-8');
  assert.equal(await script.text(), 'console.log(1)');

  const escape = await handle({ url: 'app://diemthu/%2e%2e/secret.txt', method: 'GET' });
  assert.equal(escape.status, 403);
  assert.doesNotMatch(await escape.text(), /do not serve/);

  assert.equal((await handle({ url: 'app://diemthu/missing.js', method: 'GET' })).status, 404);
  assert.equal((await handle({ url: 'app://diemthu/assets', method: 'GET' })).status, 404);
  assert.equal((await handle({ url: APP_ENTRY_URL, method: 'POST' })).status, 405);
  const head = await handle({ url: APP_ENTRY_URL, method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(await head.text(), '');
});

test('property: whatever the URL, a resolved path never leaves the root', () => {
  const piece = fc.constantFrom('..', '.', '%2e', '%2E%2e', '%2f', '%5c', '\\', '/', 'a', 'index.html', '%00', ':', 'C:', '%25');
  for (const [pathModule, root] of [
    [path.posix, '/srv/dist'],
    [path.win32, 'C:\\app\\dist'],
  ] as const) {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const file = resolveAppPath(root, `app://diemthu/${pieces.join('')}`, pathModule);
        if (file === null) return true;
        const relative = pathModule.relative(root, file);
        return relative !== '' && !relative.startsWith('..') && !pathModule.isAbsolute(relative);
      }),
      { numRuns: 2000 },
    );
  }
});
