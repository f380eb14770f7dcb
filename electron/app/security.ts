import { readFile } from 'node:fs/promises';
import nodePath from 'node:path';

// Only main.ts and preload.ts may import `electron` (lint), so the handlers below take
// the few members of Electron's objects they use as plain structural types: main.ts
// passes the real objects, tests pass plain ones.

/** The renderer is served from this origin; nothing else is ever loaded into the window. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'diemthu';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** Standard + secure so the origin behaves like https (fetch, CSP 'self', storage) without a server. */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
} as const;

const CSP_DIRECTIVES: ReadonlyArray<readonly [string, string]> = [
  ['default-src', "'self'"],
  ['script-src', "'self'"],
  ['style-src', "'self' 'unsafe-inline'"],
  ['img-src', "'self' data:"],
  ['connect-src', "'self'"],
  ['object-src', "'none'"],
  ['base-uri', "'none'"],
  ['frame-ancestors', "'none'"],
  ['form-action', "'none'"],
];

/**
 * The Content-Security-Policy of every response the window receives: no remote content at all.
 * With the Vite dev server (development only) its inline React-refresh preamble and HMR websocket
 * must run, so those two directives are widened for that one origin.
 */
export function contentSecurityPolicy(devServerUrl?: string): string {
  const dev = devServerUrl ? new URL(devServerUrl) : undefined;
  return CSP_DIRECTIVES.map(([name, value]) => {
    if (dev && name === 'script-src') return `${name} ${value} 'unsafe-inline'`;
    if (dev && name === 'connect-src') return `${name} ${value} ws://${dev.host}`;
    return `${name} ${value}`;
  }).join('; ');
}

export interface HeadersDetails {
  responseHeaders?: Record<string, string[]>;
}

/** onHeadersReceived listener: replaces any CSP the response carried (whatever its case) with ours. */
export function withCsp(csp: string) {
  return (details: HeadersDetails, callback: (response: { responseHeaders: Record<string, string[]> }) => void): void => {
    const headers: Record<string, string[]> = {};
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      if (name.toLowerCase() !== 'content-security-policy') headers[name] = value;
    }
    headers['Content-Security-Policy'] = [csp];
    callback({ responseHeaders: headers });
  };
}

export interface PreventableEvent {
  preventDefault(): void;
}

/**
 * will-navigate / will-frame-navigate / will-redirect: the app is one page, so no navigation is legitimate, not even to
 * another path of our own origin (a link or a form would otherwise reload the cashier's screen).
 */
export function denyNavigation(event: PreventableEvent): void {
  event.preventDefault();
}

/** will-attach-webview: no webview may ever be created. */
export function denyWebview(event: PreventableEvent): void {
  event.preventDefault();
}

/** setWindowOpenHandler: window.open and target=_blank open nothing. */
export function denyWindowOpen(): { action: 'deny' } {
  return { action: 'deny' };
}

/** setPermissionRequestHandler: camera, notifications, HID, serial, ... all refused (devices live in main). */
export function denyPermissionRequest(_webContents: unknown, _permission: string, callback: (granted: boolean) => void): void {
  callback(false);
}

/** setPermissionCheckHandler / setDevicePermissionHandler. */
export function denyPermissionCheck(): boolean {
  return false;
}

export interface GuardedContents {
  on(event: 'will-navigate' | 'will-frame-navigate' | 'will-redirect' | 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: () => { action: 'deny' }): void;
}

/** Installed on every webContents when it is created (app 'web-contents-created'). */
export function installContentsGuards(contents: GuardedContents): void {
  contents.on('will-navigate', denyNavigation);
  contents.on('will-frame-navigate', denyNavigation); // sub-frames too
  contents.on('will-redirect', denyNavigation);
  contents.on('will-attach-webview', denyWebview);
  contents.setWindowOpenHandler(denyWindowOpen);
}

export interface GuardedSession {
  setPermissionRequestHandler(handler: typeof denyPermissionRequest): void;
  setPermissionCheckHandler(handler: typeof denyPermissionCheck): void;
  setDevicePermissionHandler(handler: typeof denyPermissionCheck): void;
  on(event: 'will-download', listener: (event: PreventableEvent) => void): unknown;
  webRequest: { onHeadersReceived(listener: ReturnType<typeof withCsp>): void };
}

/** Installed once on the default session before the window is created. */
export function installSessionGuards(session: GuardedSession, csp: string): void {
  session.setPermissionRequestHandler(denyPermissionRequest);
  session.setPermissionCheckHandler(denyPermissionCheck);
  session.setDevicePermissionHandler(denyPermissionCheck);
  session.on('will-download', (event) => event.preventDefault());
  session.webRequest.onHeadersReceived(withCsp(csp));
}

type PathModule = Pick<typeof nodePath, 'resolve' | 'relative' | 'isAbsolute' | 'sep'>;

/**
 * Maps an `app://diemthu/...` URL to a file under `root`, or null when the URL is not ours or tries
 * to leave `root`. The raw URL is checked as well as the decoded path, because Chromium and the WHATWG
 * parser may already have folded `..` away: any dot segment, backslash, NUL, drive letter or doubled
 * slash, plain or percent-encoded, is refused rather than interpreted.
 */
export function resolveAppPath(root: string, rawUrl: string, path: PathModule = nodePath): string | null {
  const prefix = `${APP_ORIGIN}/`;
  if (!rawUrl.toLowerCase().startsWith(prefix)) return null;
  const rest = rawUrl.slice(prefix.length).split(/[?#]/, 1)[0] ?? '';
  let decoded: string;
  try {
    decoded = decodeURIComponent(rest);
  } catch {
    return null;
  }
  if (decoded === '') decoded = 'index.html';
  if (/[\\\0:]/.test(decoded) || decoded.startsWith('/')) return null;
  const segments = decoded.split('/');
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..')) return null;
  const base = path.resolve(root);
  const file = path.resolve(base, ...segments);
  const relative = path.relative(base, file);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return null;
  return file;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};

export interface AppProtocolOptions {
  /** The built renderer folder (dist/). */
  root: string;
  csp: string;
  read?: (file: string) => Promise<Uint8Array>;
}

/**
 * protocol.handle('app', ...) handler: serves the built renderer read-only, with the CSP on every
 * response (webRequest does not see custom-protocol responses reliably, so it is set here too).
 */
export function appProtocolHandler(options: AppProtocolOptions): (request: { url: string; method: string }) => Promise<Response> {
  const read = options.read ?? ((file: string) => readFile(file));
  const headers = (contentType: string) => ({
    'Content-Type': contentType,
    'Content-Security-Policy': options.csp,
    'X-Content-Type-Options': 'nosniff',
  });
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response(null, { status: 405, headers: headers('text/plain; charset=utf-8') });
    }
    const file = resolveAppPath(options.root, request.url);
    if (file === null) return new Response('Forbidden', { status: 403, headers: headers('text/plain; charset=utf-8') });
    const type = CONTENT_TYPES[nodePath.extname(file).toLowerCase()] ?? 'application/octet-stream';
    try {
      const body = await read(file);
      return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers: headers(type) });
    } catch {
      return new Response('Not found', { status: 404, headers: headers('text/plain; charset=utf-8') });
    }
  };
}
