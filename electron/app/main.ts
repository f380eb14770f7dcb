/**
 * The Electron main process: thin wiring only. Every handler it installs is a plain function tested
 * without Electron (security.ts, shutdown.ts, window.ts, runtime.ts, ipc/register.ts).
 */
import { app, BrowserWindow, dialog, ipcMain, protocol, session } from 'electron';
import path from 'node:path';
import { defaultDataDir, legacyDataDir } from '../store/data-dir.ts';
import { openContext, type Ctx } from '../store/context.ts';
import { toErrorShape } from '../core/errors.ts';
import { registerIpc } from '../ipc/register.ts';
import {
  APP_ENTRY_URL,
  APP_SCHEME,
  APP_SCHEME_PRIVILEGES,
  appProtocolHandler,
  contentSecurityPolicy,
  installContentsGuards,
  installSessionGuards,
} from './security.ts';
import { installQuitDrain } from '../ipc/shutdown.ts';
import { entryUrl, trustedOrigins, windowOptions } from './window.ts';
import { startRuntime, type Dialogs } from './runtime.ts';
import { fileLog } from './main-log.ts';
import { systemClock } from '../core/clock.ts';

// One folder for the database and Chromium's own files: the CLI finds the same database.
const dataDir = defaultDataDir();
const log = fileLog(dataDir, systemClock, undefined, (message, error) => console.error(`[diemthu] ${message}`, error ?? ''));
// A fault in a device callback must not close the till: log it and keep going (payments are
// committed before anything else happens, so there is nothing half-done to protect).
process.on('uncaughtException', (error) => log('uncaught exception', error));
process.on('unhandledRejection', (reason) => log('unhandled rejection', reason));
app.setPath('userData', dataDir);
app.enableSandbox();
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
app.on('web-contents-created', (_event, contents) => installContentsGuards(contents));

let mainWindow: BrowserWindow | null = null;

if (!app.requestSingleInstanceLock()) {
  // A second start (double click on the shortcut) just brings the first window forward.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app.whenReady().then(start, fail);
}

function dialogs(window: BrowserWindow): Dialogs {
  const pick = async (options: Electron.OpenDialogOptions) => {
    const answer = await dialog.showOpenDialog(window, options);
    return answer.canceled ? null : (answer.filePaths[0] ?? null);
  };
  /** One file of `kind`, any file allowed too (a stick may carry a renamed copy). */
  const pickFile = (title: string, kind: Electron.FileFilter) => pick({ title, properties: ['openFile'], filters: [kind, { name: 'Mọi tệp', extensions: ['*'] }] });
  return {
    chooseSnapshotFile: () => pickFile('Chọn tệp bảng nợ CMIS', { name: 'Tệp CMIS (CSV, TXT)', extensions: ['csv', 'txt'] }),
    chooseResultFile: () => pickFile('Chọn tệp kết quả gạch nợ CMIS (KQGACHNO_…)', { name: 'Kết quả gạch nợ (CSV)', extensions: ['csv'] }),
    chooseBackupFile: () => pickFile('Chọn tệp sao lưu Điểm Thu (diemthu-….sqlite)', { name: 'Bản sao lưu (SQLite)', extensions: ['sqlite'] }),
    chooseFolder: () => pick({ title: 'Chọn thư mục (USB) để xuất tệp gạch nợ', properties: ['openDirectory', 'createDirectory'] }),
  };
}

async function start(): Promise<void> {
  const entry = entryUrl();
  const csp = contentSecurityPolicy(entry === APP_ENTRY_URL ? undefined : entry);
  installSessionGuards(session.defaultSession, csp);
  protocol.handle(APP_SCHEME, appProtocolHandler({ root: path.join(app.getAppPath(), 'dist'), csp }));

  let ctx: Ctx;
  try {
    ctx = openContext(dataDir, { adoptFrom: legacyDataDir() });
  } catch (error) {
    // DB_CORRUPT, DB_TOO_NEW...: say it in Vietnamese and stop before any window shows stale data.
    const shape = toErrorShape(error);
    dialog.showErrorBox('Điểm Thu không mở được dữ liệu', `${shape.message}\n\nMã lỗi: ${shape.code}\nThư mục dữ liệu: ${dataDir}`);
    app.exit(1);
    return;
  }

  const window = new BrowserWindow(windowOptions(path.join(app.getAppPath(), 'dist-electron', 'preload.cjs'), !app.isPackaged));
  mainWindow = window;
  window.on('closed', () => (mainWindow = null));
  // A crashed or killed renderer is reloaded: the state that matters lives in main and the database.
  window.webContents.on('render-process-gone', (_event, details) => {
    log(`renderer gone: ${details.reason}`);
    if (details.reason !== 'clean-exit' && !window.isDestroyed()) void window.loadURL(entry);
  });

  const runtime = startRuntime(ctx, {
    dialogs: dialogs(window),
    send: (channel, payload) => {
      if (!window.isDestroyed()) window.webContents.send(channel, payload);
    },
    log,
    // After a restore from the settings (everything already closed): a new process opens the restored database.
    // Electron's relauncher starts the new process once this one has exited (the single-instance lock is free then).
    relaunch: () => {
      app.relaunch();
      app.exit(0);
    },
  });
  registerIpc(ipcMain, runtime.handlers, trustedOrigins(entry), {
    validateResponses: !app.isPackaged,
    onInternalError: (channel, error) => log(`IPC ${channel} failed`, error),
  });
  installQuitDrain(app, runtime.shutdown, log);

  window.once('ready-to-show', () => window.show());
  await window.loadURL(entry);
}

function fail(error: unknown): void {
  log('start-up failed', error);
  dialog.showErrorBox('Điểm Thu không khởi động được', toErrorShape(error).message);
  app.exit(1);
}
