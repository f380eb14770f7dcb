import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import vm from 'node:vm';
import { buildElectron, IMPORT_META_URL_SHIM, NATIVE_MODULES, type BuildElectronResult } from '../../scripts/build-electron.ts';
import { channels, eventApiName, eventChannel, events } from '../../electron/ipc/contract.ts';
import { tempDir } from '../helpers/temp-dir.ts';

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
