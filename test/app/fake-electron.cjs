/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS module for node --require */
// A stand-in for the `electron` module, preloaded (node --require) into a child process that runs the
// BUILT main bundle: it records what main.ts installs, then drives it like Electron would (ready,
// a protocol request, an IPC call from the window, a navigation, quit) and writes a JSON report.
'use strict';
const Module = require('node:module');
const { writeFileSync } = require('node:fs');

const report = { calls: [], appEvents: [], ipcChannels: [], guards: [], sessionGuards: [], window: null, results: {} };
const appListeners = new Map();
const record = (...call) => report.calls.push(call);
let protocolHandler = null;
const ipcHandlers = new Map();
let windowInstance = null;
const created = (window) => (windowInstance = window);

const app = {
  isPackaged: true,
  setPath: (name, value) => record('app.setPath', name, value),
  enableSandbox: () => record('app.enableSandbox'),
  requestSingleInstanceLock: () => true,
  getAppPath: () => process.env.FAKE_APP_PATH,
  on(event, listener) {
    report.appEvents.push(event);
    appListeners.set(event, [...(appListeners.get(event) ?? []), listener]);
    return app;
  },
  whenReady: () => Promise.resolve(),
  quit() {
    record('app.quit');
    let prevented = false;
    for (const listener of appListeners.get('before-quit') ?? []) listener({ preventDefault: () => (prevented = true) });
    if (!prevented) finish();
  },
  exit: (code) => {
    record('app.exit', code);
    finish();
  },
};

const webContentsListeners = new Map();
class BrowserWindow {
  constructor(options) {
    report.window = options;
    this.webContents = {
      mainFrame: { url: 'app://diemthu/index.html' },
      sent: [],
      on: (event, listener) => {
        webContentsListeners.set(event, listener);
        report.guards.push(event);
        return this.webContents;
      },
      setWindowOpenHandler: (handler) => {
        report.guards.push('setWindowOpenHandler');
        this.openHandler = handler;
      },
      send: (channel, payload) => this.webContents.sent.push([channel, payload]),
    };
    for (const listener of appListeners.get('web-contents-created') ?? []) listener({}, this.webContents);
    created(this);
  }
  on() {}
  once(event, listener) {
    if (event === 'ready-to-show') this.show = () => record('window.show');
    this.readyToShow = listener;
  }
  isDestroyed() {
    return false;
  }
  isMinimized() {
    return false;
  }
  async loadURL(url) {
    record('window.loadURL', url);
    setImmediate(drive);
  }
}

const session = {
  defaultSession: {
    setPermissionRequestHandler: (h) => report.sessionGuards.push(['permissionRequest', h.length]),
    setPermissionCheckHandler: (h) => report.sessionGuards.push(['permissionCheck', h()]),
    setDevicePermissionHandler: (h) => report.sessionGuards.push(['devicePermission', h()]),
    on: (event) => report.sessionGuards.push([event]),
    webRequest: {
      onHeadersReceived: (listener) =>
        listener({ responseHeaders: {} }, (answer) => report.sessionGuards.push(['csp', answer.responseHeaders['Content-Security-Policy'][0]])),
    },
  },
};

const electron = {
  app,
  BrowserWindow,
  session,
  dialog: { showOpenDialog: async () => ({ canceled: true, filePaths: [] }), showErrorBox: (title, text) => record('dialog.showErrorBox', title, text) },
  ipcMain: { handle: (channel, handler) => (report.ipcChannels.push(channel), ipcHandlers.set(channel, handler)) },
  protocol: {
    registerSchemesAsPrivileged: (schemes) => record('protocol.registerSchemesAsPrivileged', schemes),
    handle: (scheme, handler) => {
      record('protocol.handle', scheme);
      protocolHandler = handler;
    },
  },
};

async function drive() {
  const fromWindow = { senderFrame: windowInstance.webContents.mainFrame, sender: { mainFrame: windowInstance.webContents.mainFrame } };
  const fromFrame = { senderFrame: { url: 'app://diemthu/index.html' }, sender: { mainFrame: windowInstance.webContents.mainFrame } };
  const index = await protocolHandler({ url: 'app://diemthu/index.html', method: 'GET' });
  report.results.index = { status: index.status, csp: index.headers.get('content-security-policy'), body: await index.text() };
  report.results.traversal = (await protocolHandler({ url: 'app://diemthu/%2e%2e/%2e%2e/etc/passwd', method: 'GET' })).status;
  report.results.session = await ipcHandlers.get('session')(fromWindow, {});
  report.results.subFrame = await ipcHandlers.get('session')(fromFrame, {});
  report.results.badPayload = await ipcHandlers.get('login')(fromWindow, { code: 42 });
  let navigationPrevented = false;
  webContentsListeners.get('will-navigate')({ preventDefault: () => (navigationPrevented = true) }, 'https://evil.example/');
  report.results.navigationPrevented = navigationPrevented;
  report.results.windowOpen = windowInstance.openHandler({ url: 'https://evil.example/' });
  app.quit();
}

let finished = false;
function finish() {
  if (finished) return;
  finished = true;
  report.sent = windowInstance ? windowInstance.webContents.sent.map(([channel]) => channel) : [];
  writeFileSync(process.env.FAKE_REPORT, JSON.stringify(report));
  process.exit(0);
}

const originalLoad = Module._load;
Module._load = function load(request, parent, isMain) {
  if (request === 'electron') return electron;
  return originalLoad.call(this, request, parent, isMain);
};
