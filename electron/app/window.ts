import { APP_ENTRY_URL } from './security.ts';

/**
 * The one window's options. The renderer gets no Node, runs sandboxed in an isolated world and
 * reaches main only through the preload's named functions. DevTools only in unpackaged runs.
 */
export function windowOptions(preloadPath: string, devTools: boolean) {
  return {
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 700,
    show: false,
    title: 'Điểm Thu',
    backgroundColor: '#f6f4ef',
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools,
    },
  };
}

/**
 * What the window loads: the Vite dev server during development (only an http URL on this machine
 * is accepted, so an environment variable cannot point the app at a remote site), else the built
 * renderer over app://.
 */
export function entryUrl(env: NodeJS.ProcessEnv = process.env): string {
  const dev = env.DIEMTHU_DEV_SERVER;
  if (!dev) return APP_ENTRY_URL;
  const url = new URL(dev);
  const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
  if (url.protocol !== 'http:' || !local) throw new Error(`DIEMTHU_DEV_SERVER must be http://localhost:<port>, got ${dev}`);
  return url.href;
}

/** Origins the IPC layer accepts calls from: ours, plus the dev server when one is used. */
export function trustedOrigins(entry: string): string[] {
  return entry === APP_ENTRY_URL ? [APP_ENTRY_URL] : [APP_ENTRY_URL, entry];
}
