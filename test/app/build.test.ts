import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import vm from 'node:vm';
import { buildElectron, IMPORT_META_URL_SHIM, NATIVE_MODULES, type BuildElectronResult } from '../../scripts/build-electron.ts';
import { channels, eventApiName, eventChannel, events } from '../../electron/ipc/contract.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { VERSION } from '../../electron/core/version.ts';
import { openSnapshotReader } from '../../electron/cmis/parallel-read.ts';
import { readSnapshot } from '../../electron/cmis/read-snapshot.ts';
import { importJobs } from '../../electron/cmis/import-job.ts';
import { previewInWorker } from '../../electron/backups/preview-job.ts';
import { previewRestore } from '../../electron/backups/restore.ts';
import { backupNow } from '../../electron/backups/backups.ts';
import { corpus, freshPoint } from '../cmis/helpers.ts';
import { APP_ENTRY_URL, APP_SCHEME_PRIVILEGES, contentSecurityPolicy } from '../../electron/app/security.ts';

const outDir = join(tempDir(), 'dist-electron');
let built: BuildElectronResult;
before(async () => {
  built = await buildElectron({ outDir });
});

/** Every module a CommonJS bundle still require()s at run time. */
function requires(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...new Set([...source.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1] ?? ''))].sort();
}

test('the preload bundle requires nothing but electron and holds no zod', () => {
  assert.deepEqual(requires(built.preload), ['electron']);
  const source = readFileSync(built.preload, 'utf8');
  assert.doesNotMatch(source, /zod|ZodError/);
  assert.ok(source.length < 10_000, `preload is small (${source.length} bytes)`);
  const inputs = Object.keys(built.metafiles.preload.inputs);
  assert.deepEqual(inputs.filter((f) => f.includes('node_modules')), [], 'no package is bundled into the preload');
});

test('the preload exposes exactly the contract: one function per channel, on<Event> per event', async () => {
  const invoked: Array<[string, unknown]> = [];
  const listeners = new Map<string, Set<(event: unknown, payload: unknown) => void>>();
  let exposed: { name: string; api: Record<string, (arg: unknown) => unknown> } | undefined;
  const electron = {
    contextBridge: { exposeInMainWorld: (name: string, api: Record<string, (arg: unknown) => unknown>) => (exposed = { name, api }) },
    ipcRenderer: {
      invoke: async (channel: string, payload: unknown) => {
        invoked.push([channel, payload]);
        return { ok: true, value: channel };
      },
      on: (channel: string, listener: (event: unknown, payload: unknown) => void) => {
        if (!listeners.has(channel)) listeners.set(channel, new Set());
        listeners.get(channel)?.add(listener);
      },
      removeListener: (channel: string, listener: (event: unknown, payload: unknown) => void) => listeners.get(channel)?.delete(listener),
    },
  };
  const module = { exports: {} };
  vm.runInNewContext(readFileSync(built.preload, 'utf8'), {
    module,
    exports: module.exports,
    require: (name: string) => {
      assert.equal(name, 'electron');
      return electron;
    },
  });
  assert.ok(exposed);
  assert.equal(exposed.name, 'diemthu');
  const expected = [...Object.keys(channels), ...Object.keys(events).map((e) => eventApiName(e as keyof typeof events))].sort();
  assert.deepEqual(Object.keys(exposed.api).sort(), expected);

  assert.deepEqual(await exposed.api.findCustomers?.({ query: 'nguyen' }), { ok: true, value: 'findCustomers' });
  assert.deepEqual(invoked, [['findCustomers', { query: 'nguyen' }]]);

  const seen: unknown[] = [];
  const unsubscribe = exposed.api.onScan?.((payload: unknown) => seen.push(payload)) as () => void;
  const scanListeners = listeners.get(eventChannel('scan'));
  assert.equal(scanListeners?.size, 1, 'subscribed on the contract channel');
  for (const l of scanListeners ?? []) l({ sender: 'the ipc event must not reach the page' }, { code: 'PC12AA0012345', source: 'hid' });
  assert.deepEqual(seen, [{ code: 'PC12AA0012345', source: 'hid' }]);
  unsubscribe();
  assert.equal(scanListeners?.size, 0);
});

test('the main bundle builds: electron and the native modules stay external, everything else is inlined', () => {
  const allowed = new Set<string>(['electron', ...NATIVE_MODULES]);
  const foreign = requires(built.main).filter((name) => !allowed.has(name) && !name.startsWith('node:') && !builtinModules.includes(name));
  assert.deepEqual(foreign, [], 'a package required at run time would be missing from the installer');
  assert.ok(requires(built.main).includes('electron'));
  assert.ok(requires(built.main).includes('better-sqlite3'));
});

test('files found beside a module (the receipt fonts) ship beside the bundle, unpacked from the asar', () => {
  assert.ok(readFileSync(built.main, 'utf8').startsWith(IMPORT_META_URL_SHIM), 'the shim comes first');
  assert.doesNotMatch(readFileSync(built.main, 'utf8'), /import\.meta/);
  assert.ok(existsSync(join(outDir, 'fonts', 'BeVietnamPro_500Medium.ttf')));
  const urlFor = (filename: string) => {
    const context = { require: (name: string) => (assert.equal(name, 'node:url'), { pathToFileURL: (p: string) => new URL(`file://${p}`) }), __filename: filename };
    return vm.runInNewContext(`${IMPORT_META_URL_SHIM} __diemthu_import_meta_url`, context) as string;
  };
  assert.equal(urlFor('/opt/diemthu/resources/app.asar/dist-electron/main.cjs'), 'file:///opt/diemthu/resources/app.asar.unpacked/dist-electron/main.cjs');
  assert.equal(
    new URL('./fonts/a.ttf', urlFor('/opt/diemthu/resources/app.asar/dist-electron/main.cjs')).pathname,
    '/opt/diemthu/resources/app.asar.unpacked/dist-electron/fonts/a.ttf',
  );
  assert.equal(urlFor('/work/main/dist-electron/main.cjs'), 'file:///work/main/dist-electron/main.cjs', 'unpackaged runs are left alone');
  assert.equal(urlFor('C:\\app\\resources\\app.asar\\dist-electron\\main.cjs'), 'file:///C:/app/resources/app.asar.unpacked/dist-electron/main.cjs');
});

test('the built main bundle, run under a stand-in electron module, installs every guard and serves, answers and drains', () => {
  const appPath = dirname(outDir);
  mkdirSync(join(appPath, 'dist'), { recursive: true });
  writeFileSync(join(appPath, 'dist', 'index.html'), '<!doctype html><title>Điểm Thu</title>');
  const dataDir = join(appPath, 'data');
  const reportFile = join(appPath, 'report.json');
  const child = spawnSync(process.execPath, ['--require', fileURLToPath(new URL('./fake-electron.cjs', import.meta.url)), built.main], {
    env: { ...process.env, DIEMTHU_DATA_DIR: dataDir, FAKE_APP_PATH: appPath, FAKE_REPORT: reportFile, NODE_PATH: fileURLToPath(new URL('../../node_modules', import.meta.url)) },
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(child.status, 0, child.stderr);
  const report = JSON.parse(readFileSync(reportFile, 'utf8'));

  assert.deepEqual(report.calls.slice(0, 3), [['app.setPath', 'userData', dataDir], ['app.enableSandbox'], ['protocol.registerSchemesAsPrivileged', [APP_SCHEME_PRIVILEGES]]]);
  assert.deepEqual(report.window.webPreferences.preload, join(appPath, 'dist-electron', 'preload.cjs'));
  assert.equal(report.window.webPreferences.sandbox, true);
  assert.equal(report.window.webPreferences.devTools, false, 'no DevTools in a packaged app');
  assert.deepEqual(report.guards.sort(), ['render-process-gone', 'setWindowOpenHandler', 'will-attach-webview', 'will-frame-navigate', 'will-navigate', 'will-redirect']);
  assert.deepEqual(report.sessionGuards, [['permissionRequest', 3], ['permissionCheck', false], ['devicePermission', false], ['will-download'], ['csp', contentSecurityPolicy()]]);
  assert.ok(report.calls.some((c: unknown[]) => c[0] === 'window.loadURL' && c[1] === APP_ENTRY_URL));
  assert.deepEqual(report.ipcChannels.sort(), Object.keys(channels).sort());

  assert.deepEqual(report.results.index, { status: 200, csp: contentSecurityPolicy(), body: '<!doctype html><title>Điểm Thu</title>' });
  assert.equal(report.results.traversal, 403);
  assert.deepEqual(report.results.session, { ok: true, value: null });
  assert.equal(report.results.subFrame.error.code, 'FORBIDDEN_SENDER');
  assert.equal(report.results.badPayload.error.code, 'BAD_REQUEST');
  assert.equal(report.results.navigationPrevented, true);
  assert.deepEqual(report.results.windowOpen, { action: 'deny' });

  // Quit: held once for the drain, then let through; the store is checkpointed and closed.
  assert.deepEqual(report.calls.filter((c: unknown[]) => c[0] === 'app.quit').length, 2);
  assert.ok(existsSync(join(dataDir, 'diemthu.sqlite')));
  assert.ok(!existsSync(join(dataDir, 'diemthu.sqlite-wal')) || statSync(join(dataDir, 'diemthu.sqlite-wal')).size === 0);
});

test('the bundled snapshot reader worker reads the rows itself, the same rows as the reader on the calling thread', () => {
  const file = fileURLToPath(new URL('../../fixtures/snapshots/good-quoted-multiline.csv', import.meta.url));
  const rowsOf = (read: (onRow: (row: unknown) => void) => unknown) => {
    const rows: unknown[] = [];
    read((row) => rows.push(row));
    return rows;
  };
  const reader = openSnapshotReader(file, pathToFileURL(built.readWorker));
  let viaWorker: unknown[];
  try {
    viaWorker = rowsOf((onRow) => reader.read({ encoding: 'utf8' }, onRow));
  } finally {
    reader.close();
  }
  assert.equal(reader.via(), 'worker', 'the bundle loaded in a worker thread (no fallback to the calling thread)');
  assert.ok(viaWorker.length > 0);
  assert.deepEqual(viaWorker, rowsOf((onRow) => readSnapshot(file, { encoding: 'utf8' }, onRow)));
});

test('the built main bundle with --cli runs diemthu commands with no window and never loads electron: init, status --json, verify', () => {
  const dataDir = join(tempDir(), 'point');
  // Loading `electron` at all would mean the till's code ran: the stand-in refuses it.
  const noElectron = join(tempDir(), 'no-electron.cjs');
  writeFileSync(
    noElectron,
    "const Module = require('node:module'); const load = Module._load; Module._load = function (request, ...rest) { if (request === 'electron') throw new Error('electron loaded in --cli'); return load.call(this, request, ...rest); };\n",
  );
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ['--require', noElectron, built.main, '--cli', ...args, '--data-dir', dataDir], {
      env: { ...process.env, NODE_PATH: fileURLToPath(new URL('../../node_modules', import.meta.url)) },
      encoding: 'utf8',
      timeout: 60_000,
    });
  const init = run('init', '--point', 'DT09', '--unit', 'PC12AA', '--name', 'Điểm thu thử');
  assert.equal(init.status, 0, init.stderr);
  const status = run('status', '--json');
  assert.equal(status.status, 0, status.stderr);
  const answer = JSON.parse(status.stdout) as { ok: boolean; value: { version: string; point: { pointCode: string } } };
  assert.equal(answer.ok, true);
  assert.equal(answer.value.version, VERSION, 'the version IT reads in status');
  assert.equal(answer.value.point.pointCode, 'DT09');
  const verify = run('verify');
  assert.equal(verify.status, 0, verify.stderr);
  assert.match(verify.stdout, /đạt|Đã đối chiếu/);
  const unknown = run('frobnicate');
  assert.equal(unknown.status, 2, 'a refusal exits 2 as the CLI does');
  assert.match(unknown.stderr + unknown.stdout, /CLI_UNKNOWN_COMMAND/);
});

test('the bundled import worker imports a snapshot on its own connection, with progress, no TypeScript loader needed', async (t) => {
  const ctx = freshPoint();
  t.after(() => ctx.close());
  // As in the installer: the packages beside dist-electron (app.asar/node_modules), found by ESM resolution.
  const beside = join(dirname(outDir), 'node_modules');
  if (!existsSync(beside)) symlinkSync(fileURLToPath(new URL('../../node_modules', import.meta.url)), beside);
  const jobs = importJobs({ dataDir: ctx.dataDir, sqlite: ctx.sqlite, clock: ctx.clock, pinCost: ctx.pinCost, worker: { url: pathToFileURL(built.importWorker), execArgv: [] } });
  const phases: string[] = [];
  const result = await jobs.run({ file: corpus('good-quoted-multiline.csv') }, (p) => phases.push(p.phase));
  assert.equal(result.status, 'imported');
  assert.equal(ctx.sqlite.prepare('SELECT COUNT(*) FROM bills').pluck().get(), result.billCount);
  assert.deepEqual([...new Set(phases)], ['reading', 'checking', 'writing']);
});

test('the bundled restore preview worker checks a backup as previewRestore does, and refuses what it refuses, no TypeScript loader needed', async (t) => {
  const ctx = freshPoint();
  t.after(() => ctx.close());
  const beside = join(dirname(outDir), 'node_modules');
  if (!existsSync(beside)) symlinkSync(fileURLToPath(new URL('../../node_modules', import.meta.url)), beside);
  const worker = { url: pathToFileURL(built.previewWorker), execArgv: [] };
  const { file } = await backupNow(ctx, { outDir: join(tempDir(), 'usb') });
  assert.deepEqual(await previewInWorker(ctx.dataDir, file, worker), previewRestore(ctx.dataDir, file));
  const empty = join(tempDir(), 'empty.sqlite');
  writeFileSync(empty, '');
  await assert.rejects(previewInWorker(ctx.dataDir, empty, worker), { code: 'BACKUP_INVALID' });
});
