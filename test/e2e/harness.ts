/**
 * The app in real headless Chromium (Debian's /usr/bin/chromium, never a downloaded browser) with the
 * real services behind the IPC contract. The preload's role is played by a bridge over Playwright's
 * exposeBinding that calls the SAME dispatch() as Electron's ipcMain, with the page's URL and frame
 * as the sender. The built renderer (dist/, rebuilt when stale) is served from 127.0.0.1 with the
 * CSP meta tag the build puts in index.html.
 */
import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type CDPSession, type Locator, type Page } from 'playwright-core';
import { openContext, type Ctx } from '../../electron/store/context.ts';
import type { Clock } from '../../electron/core/clock.ts';
import { initPoint } from '../../electron/store/point.ts';
import { addUser } from '../../electron/users/users.ts';
import { setSettings } from '../../electron/store/settings.ts';
import { importSnapshot } from '../../electron/cmis/import-snapshot.ts';
import { createScanStream } from '../../electron/devices/scanner/stream.ts';
import { channels, events, eventApiName, type EventName, type EventPayload } from '../../electron/ipc/contract.ts';
import { dispatch, type Handlers } from '../../electron/ipc/register.ts';
import { createPaymentGate, gateHandlers } from '../../electron/ipc/shutdown.ts';
import { inAppRestorer } from '../../electron/ipc/restore-in-app.ts';
import { createHandlers } from '../../electron/ipc/handlers.ts';
import { createSession } from '../../electron/ipc/session.ts';
import type { DeviceSources } from '../../electron/devices/device-list.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { filePrinting, jammedPrinting, type FilePrinting } from './file-printing.ts';

export const ROOT = resolve(import.meta.dirname, '../..');
const DIST = join(ROOT, 'dist');
export const FIXTURES = join(import.meta.dirname, 'fixtures');
export const GOOD_SNAPSHOT = join(FIXTURES, 'morning-good.csv');
export const BROKEN_SNAPSHOT = join(FIXTURES, 'morning-broken.csv');
/** Customers with many bills: five (PC12AA0000008), twelve (…09), and a cut customer with two (…10). */
export const BILLS_SNAPSHOT = join(FIXTURES, 'counter-bills.csv');
/** The usual point PC's screen. */
export const COUNTER_VIEWPORT = { width: 1366, height: 768 };

/**
 * A services' clock that starts at 09:05 on 27/11/2026 in Việt Nam and runs at real speed: a test
 * that looks at "today" (the day's shifts, the home chart) then never crosses midnight in Việt Nam
 * (17:00 UTC) or a new year halfway, whenever it runs.
 */
export function morningClock(): Clock {
  const t0 = Date.now();
  return () => new Date(Date.parse('2026-11-27T02:05:00Z') + Date.now() - t0);
}
export const CASHIER = { code: 'TN01', name: 'Nguyễn Thị Thu', pin: '123456' };
/** Added, like the cashier, by the point's head: the supervisor who voids the cashier's receipts. */
export const SUPERVISOR = { code: 'GS01', name: 'Trần Văn Giám', pin: '987654' };
export const HEAD = { code: 'GS00', name: 'Hoàng Văn Trưởng', pin: '246800' };
const TEST_PIN_COST = { N: 2 ** 10, r: 8, p: 1 };
const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

// ---------------------------------------------------------------- renderer build

const RENDERER_INPUTS = ['src', 'vite.config.ts', 'electron/ipc/contract.ts', 'electron/core', 'electron/app/security.ts'];

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

function rendererIsFresh(): boolean {
  const index = join(DIST, 'index.html');
  if (!existsSync(index)) return false;
  const built = statSync(index).mtimeMs;
  return RENDERER_INPUTS.every((p) => !existsSync(join(ROOT, p)) || newestMtime(join(ROOT, p)) <= built);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** vite build once, when dist/ is missing or older than its sources; a lock keeps parallel test files from building twice. */
export async function ensureRendererBuilt(): Promise<void> {
  const lock = join(ROOT, 'test-results', '.renderer-build.lock');
  mkdirSync(join(ROOT, 'test-results'), { recursive: true });
  for (;;) {
    if (rendererIsFresh()) return;
    try {
      mkdirSync(lock);
    } catch {
      // Another test file is building; a lock older than two minutes is a crashed build.
      if (Date.now() - statSync(lock, { throwIfNoEntry: false })!.mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      await sleep(200);
      continue;
    }
    try {
      if (!rendererIsFresh()) {
        const { build } = await import('vite');
        await build({ configFile: join(ROOT, 'vite.config.ts'), root: join(ROOT, 'src'), logLevel: 'warn' });
      }
      return;
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}

// ---------------------------------------------------------------- static server

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2' };

/** Serves dist/ only (no directory listing, no path outside it). */
export async function serveDist(): Promise<{ origin: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(DIST, path === '/' ? 'index.html' : path));
    if (!file.startsWith(DIST + sep) || !existsSync(file) || statSync(file).isDirectory()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

// ---------------------------------------------------------------- the bridge (the preload's role)

/** Runs in the page before any script: builds window.diemthu from the contract's names over the binding. */
function installBridge(names: { channels: string[]; events: Array<[string, string]> }): void {
  type Invoke = (channel: string, payload: unknown) => Promise<unknown>;
  const w = window as unknown as { __diemthuInvoke: Invoke; __diemthuEmit?: (name: string, payload: unknown) => void; diemthu?: unknown };
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const api: Record<string, unknown> = {};
  for (const channel of names.channels) api[channel] = (request: unknown) => w.__diemthuInvoke(channel, request);
  for (const [event, apiName] of names.events) {
    listeners.set(event, new Set());
    api[apiName] = (listener: (payload: unknown) => void) => {
      listeners.get(event)?.add(listener);
      return () => listeners.get(event)?.delete(listener);
    };
  }
  w.__diemthuEmit = (name, payload) => listeners.get(name)?.forEach((l) => l(payload));
  Object.defineProperty(window, 'diemthu', { value: Object.freeze(api), writable: false, configurable: false });
}

export interface AppUnderTest {
  page: Page;
  ctx: Ctx;
  dataDir: string;
  exportDir: string;
  handlers: Handlers;
  printing: FilePrinting;
  origin: string;
  /** Calls counted by the bridge, per channel (tests on refused calls check that nothing ran). */
  calls: string[];
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void;
  /** What the shell's file dialog for a backup returns from now on. */
  chooseBackupFile(path: string | null): void;
  /** How many times the app "relaunched" (after a restore from the settings). */
  relaunches(): number;
  shot(name: string): Promise<void>;
  cdp(): Promise<CDPSession>;
  close(): Promise<void>;
}

export interface StartOptions {
  scenario: string;
  /** Import the good morning file (or `snapshot`) before the page opens. */
  imported?: boolean;
  /** A new install: an empty data folder, no point and no user (the first-run screens). */
  empty?: boolean;
  snapshot?: string;
  autoCollect?: boolean;
  reconnectionFee?: number;
  /** What the shell's file dialog returns. */
  chosenFile?: string;
  /** What the shell's dialog for CMIS's result file returns. */
  chosenResultFile?: string;
  viewport?: { width: number; height: number };
  /** An initialised data dir to use (e.g. the province bench data); default: a fresh point DT01. */
  dataDir?: string;
  /** Where the fresh point DT01 lives and where the folder picker points (default: a temp folder and its usb/). */
  folders?: { data: string; export: string };
  /** The printer is out of paper: nothing prints (default: the file printer). */
  jammed?: boolean;
  /** The services' clock (default: the real one). */
  clock?: Clock;
  /**
   * Wraps every call behind the bridge: `run` calls the real handler. A test can hold an answer (a slow
   * commit) or run something first (another process at the worst moment).
   */
  around?: (channel: string, run: () => Promise<unknown>) => Promise<unknown>;
  /** What the device listing finds (default: this machine's serial ports and USB bus). */
  deviceSources?: DeviceSources;
}

let shared: Promise<{ browser: Browser; origin: string; server: Server }> | null = null;

/** One build, one server and one browser per test process. */
function sharedEnvironment() {
  shared ??= (async () => {
    await ensureRendererBuilt();
    const { origin, server } = await serveDist();
    const browser = await launchChromium();
    return { browser, origin, server };
  })();
  return shared;
}

export async function stopSharedEnvironment(): Promise<void> {
  if (shared === null) return;
  const { browser, server } = await shared;
  shared = null;
  await browser.close();
  await new Promise((r) => server.close(r));
}

/** A fresh point (initialised, three users), its handlers and a page of the app logged out. */
export async function startApp(options: StartOptions): Promise<AppUnderTest> {
  const { browser, origin } = await sharedEnvironment();
  const dataDir = options.dataDir ?? options.folders?.data ?? tempDir('diemthu-e2e-');
  const exportDir = options.folders?.export ?? join(dataDir, 'usb');
  const ctx = openContext(dataDir, { pinCost: TEST_PIN_COST, ...(options.clock === undefined ? {} : { clock: options.clock }) });
  if (options.empty !== true) {
    if (options.dataDir === undefined) initPoint(ctx, { pointCode: 'DT01', unitCode: 'PC12AA', pointName: 'Điểm thu Tân Lợi' });
    const head = addUser(ctx, { ...HEAD, role: 'supervisor', approvedBy: [] });
    addUser(ctx, { ...CASHIER, role: 'cashier', approvedBy: [head.id] });
    addUser(ctx, { ...SUPERVISOR, role: 'supervisor', approvedBy: [head.id] });
    setSettings(
      ctx.sqlite,
      { company_name: 'CÔNG TY ĐIỆN LỰC ĐẮK LẮK', auto_collect: options.autoCollect ?? false, reconnection_fee: options.reconnectionFee ?? 330000 },
      null,
      ctx.clock(),
    );
  }
  if (options.imported === true) importSnapshot(ctx, { file: options.snapshot ?? GOOD_SNAPSHOT });

  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 860 }, locale: 'vi-VN' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000); // generous: the test machine is shared
  const calls: string[] = [];
  const emit = <E extends EventName>(name: E, payload: EventPayload<E>) => {
    page.evaluate(([n, p]) => (window as unknown as { __diemthuEmit?: (n: string, p: unknown) => void }).__diemthuEmit?.(n, p), [name, payload] as const).catch(() => undefined);
  };
  const dialogAnswers: { backupFile: string | null } = { backupFile: null };
  let relaunches = 0;
  /**
   * The services as the runtime wires them (payments through the shutdown gate). A restore from the
   * settings ends in `relaunch`: the stand-in for app.relaunch() opens them again on the same data
   * folder and reloads the page, as a new process would.
   */
  const openServices = (ctx: Ctx) => {
    const printing = options.jammed === true ? jammedPrinting() : filePrinting(ctx);
    const gate = createPaymentGate();
    const relaunch = async () => {
      services = openServices(openContext(dataDir, { pinCost: TEST_PIN_COST, ...(options.clock === undefined ? {} : { clock: options.clock }) }));
      relaunches += 1;
      await page.reload();
    };
    const handlers = createHandlers({
      ctx,
      session: createSession(options.clock),
      dialogs: {
        chooseSnapshotFile: async () => options.chosenFile ?? null,
        chooseResultFile: async () => options.chosenResultFile ?? null,
        chooseFolder: async () => exportDir,
        chooseBackupFile: async () => dialogAnswers.backupFile,
      },
      printing,
      scanner: { stream: createScanStream({ clock: ctx.clock }), status: () => ({ mode: 'wedge', state: 'ready' }) },
      emit,
      deviceSources: options.deviceSources,
      gate,
      restoreApp: inAppRestorer({ gate, ctx, dataDir, clock: ctx.clock, stopDevices: () => printing.stop(), relaunch }).start,
    });
    return { ctx, printing, handlers: gateHandlers(handlers, gate) };
  };
  let services = openServices(ctx);
  const counted = new Proxy({} as Handlers, {
    get: (_target, name: string) => {
      const fn = services.handlers[name as keyof Handlers] as ((r: unknown) => unknown) | undefined;
      if (fn === undefined) return undefined;
      return (request: unknown) => {
        calls.push(name);
        return options.around === undefined ? fn(request) : options.around(name, async () => fn(request));
      };
    },
  });
  await page.exposeBinding('__diemthuInvoke', (source, channel: string, payload: unknown) =>
    dispatch(counted, channel, payload, { url: source.frame.url(), isMainFrame: source.frame === source.page.mainFrame() }, { trustedOrigins: [origin], validateResponses: true }),
  );
  await page.addInitScript(installBridge, {
    channels: Object.keys(channels),
    events: (Object.keys(events) as EventName[]).map((e) => [e, eventApiName(e)] as [string, string]),
  });
  await page.goto(`${origin}/index.html`);

  const shotsDir = join(ROOT, 'test-results', options.scenario);
  mkdirSync(shotsDir, { recursive: true });
  let shotNo = 0;
  return {
    page,
    get ctx() {
      return services.ctx;
    },
    dataDir,
    exportDir,
    get handlers() {
      return services.handlers;
    },
    get printing() {
      return services.printing;
    },
    origin,
    calls,
    emit,
    chooseBackupFile: (path) => {
      dialogAnswers.backupFile = path;
    },
    relaunches: () => relaunches,
    shot: async (name) => {
      shotNo += 1;
      await page.screenshot({ path: join(shotsDir, `${String(shotNo).padStart(2, '0')}-${name}.png`), fullPage: true });
    },
    cdp: () => context.newCDPSession(page),
    close: async () => {
      await context.close();
      await services.printing.stop();
      services.ctx.close();
    },
  };
}

// ---------------------------------------------------------------- cashier actions

export async function login(app: AppUnderTest, user = CASHIER): Promise<void> {
  const { page } = app;
  await page.getByLabel('Mã thu ngân').fill(user.code);
  await page.getByLabel('Mã PIN').fill(user.pin);
  await page.getByRole('button', { name: /Đăng nhập/ }).click();
  // Signed in once the form is gone: keys sent while the PIN is checked would go to the form, not to the counter.
  await page.getByLabel('Mã thu ngân').waitFor({ state: 'detached' });
}

export async function loginAndOpenShift(app: AppUnderTest, openingFloat = '500.000'): Promise<void> {
  await login(app);
  await app.page.getByLabel('Tiền lẻ đầu ca (đồng)').fill(openingFloat);
  await app.page.keyboard.press('Enter');
  await app.page.getByText('Sẵn sàng quét thẻ').waitFor();
}

/** A card scanned and its quoted total collected with Enter; the receipt number shown. */
export async function scanAndCollect(app: AppUnderTest, code: string, name: string): Promise<string> {
  await sendKeys(app, scannerKeys(code));
  await app.page.getByTestId('customer').getByText(name).waitFor();
  // the quoted total is on the card: Enter collects what it shows (Enter before it: test/e2e/counter.test.ts)
  await app.page.getByTestId('customer').getByTestId('grand-total').waitFor();
  await app.page.keyboard.press('Enter');
  const text = await app.page.getByTestId('collected').getByText(/biên nhận DT01-/).innerText();
  return /(DT01-\d\d-\d{6})/.exec(text)?.[1] ?? '';
}

/** A supervisor-only screen (F7, F9) opened: a cashier's PIN is refused with SUPERVISOR_REQUIRED, then the supervisor's opens it. */
export async function unlockAsSupervisor(app: AppUnderTest, key: 'F7' | 'F9'): Promise<void> {
  const { page } = app;
  await page.keyboard.press(key);
  for (const [user, refused] of [[CASHIER, true], [SUPERVISOR, false]] as const) {
    await page.getByLabel('Mã giám sát viên').fill(user.code);
    await page.getByLabel('PIN giám sát viên').fill(user.pin);
    await page.keyboard.press('Enter');
    if (refused) await page.getByRole('alert').getByText(/\(SUPERVISOR_REQUIRED\)$/).waitFor();
  }
}

/** One keydown as a device or an input method delivers it (code and key may disagree under Telex). */
export interface KeyEvent {
  code: string;
  key: string;
  shiftKey: boolean;
}

const VK: Record<string, number> = { Enter: 13, Backspace: 8, Tab: 9 };

/** Real, trusted key events through the DevTools protocol; each resolves once the page has handled it. */
export async function keySender(app: AppUnderTest): Promise<{ send(keys: KeyEvent[]): Promise<void>; detach(): Promise<void> }> {
  const cdp = await app.cdp();
  return {
    async send(keys) {
      // Pipelined, not awaited one by one, and stamped 4 ms apart as a scanner's keys reach the OS:
      // a busy renderer handles them late but reads their own times, so a loaded 2-core machine
      // cannot stretch a scan's key gaps (40 ms) into typing. The session keeps their order.
      const sent: Promise<unknown>[] = [];
      const start = Date.now() / 1000;
      for (const [i, k] of keys.entries()) {
        const text = [...k.key].length === 1 ? k.key : k.key === 'Enter' ? '\r' : undefined;
        const vk = VK[k.key] ?? (/^Key[A-Z]$/.test(k.code) ? k.code.charCodeAt(3) : /^Digit\d$/.test(k.code) ? k.code.charCodeAt(5) : 0);
        const base = { key: k.key, code: k.code, modifiers: k.shiftKey ? 8 : 0, windowsVirtualKeyCode: vk, timestamp: start + i * 0.004 };
        sent.push(cdp.send('Input.dispatchKeyEvent', { type: text === undefined ? 'rawKeyDown' : 'keyDown', ...base, ...(text === undefined ? {} : { text }) }));
        sent.push(cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', ...base }));
      }
      await Promise.all(sent);
    },
    detach: () => cdp.detach(),
  };
}

/** Key events a few ms apart, like a wedge scanner (or an input method rewriting them). */
export async function sendKeys(app: AppUnderTest, keys: KeyEvent[]): Promise<void> {
  const sender = await keySender(app);
  await sender.send(keys);
  await sender.detach();
}

/** The keys a US-layout wedge scanner sends for a code, ended by Enter. */
export function scannerKeys(code: string): KeyEvent[] {
  const keys = [...code].map((ch) => {
    const upper = /[A-Z]/.test(ch);
    return { code: /\d/.test(ch) ? `Digit${ch}` : `Key${ch.toUpperCase()}`, key: ch, shiftKey: upper };
  });
  return [...keys, { code: 'Enter', key: 'Enter', shiftKey: false }];
}

/** UniKey Telex "key" mode: the second A of AA arrives with code KeyA but key Â (likewise DD, EE). */
export function telexRewritten(keys: KeyEvent[]): KeyEvent[] {
  return keys.map((k, i) => {
    const composed = ({ A: 'Â', D: 'Đ', E: 'Ê' } as Record<string, string>)[k.key];
    return composed !== undefined && keys[i - 1]?.key === k.key ? { ...k, key: composed } : k;
  });
}

/** UniKey Telex "backspace" mode: the second letter is swallowed, then Backspace and an injected composed letter (no code). */
export function telexBackspaced(keys: KeyEvent[]): KeyEvent[] {
  const out: KeyEvent[] = [];
  for (const k of keys) {
    const composed = ({ A: 'Â', D: 'Đ', E: 'Ê' } as Record<string, string>)[k.key];
    if (composed !== undefined && out.at(-1)?.key === k.key) {
      out.push({ code: 'Backspace', key: 'Backspace', shiftKey: false }, { code: '', key: composed, shiftKey: false });
    } else out.push(k);
  }
  return out;
}

/** A field filled by a picker (folder, file) gets its value after the click's round trip through the bridge. */
export async function waitForValue(field: Locator, expected: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  let value = await field.inputValue();
  while (value !== expected && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 50));
    value = await field.inputValue();
  }
  if (value !== expected) throw new Error(`field value ${JSON.stringify(value)}, expected ${JSON.stringify(expected)}`);
}

export function count(ctx: Ctx, sql: string, ...params: unknown[]): number {
  return (ctx.sqlite.prepare(sql).get(...params) as { n: number }).n;
}
