import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';

const ROOT = join(import.meta.dirname, '..', '..');
const eslint = new ESLint({ cwd: ROOT });

/** The rules a source would break if it were planted at `filePath` (nothing is written). */
async function broken(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: join(ROOT, filePath) });
  return [...new Set(result?.messages.map((m) => m.ruleId ?? m.message) ?? [])].sort();
}

test('lint fails on a planted forbidden import: a domain folder importing the shell, the IPC adapter or the CLI', async () => {
  assert.deepEqual(await broken('electron/payments/planted.ts', "export { createHandlers } from '../ipc/handlers.ts';\n"), ['diemthu/zones']);
  assert.deepEqual(await broken('electron/customers/planted.ts', "export { startRuntime } from '../app/runtime.ts';\n"), ['diemthu/zones']);
  assert.deepEqual(await broken('electron/shifts/planted.ts', "export { commands } from '../cli/commands/index.ts';\n"), ['diemthu/zones']);
  assert.deepEqual(await broken('electron/cmis/planted.ts', "export type { StatusView } from '../ipc/contract.ts';\n"), ['diemthu/zones'], 'type-only imports count');
});

test('devices/ imports neither the store nor a domain; the store imports no domain; core imports only core', async () => {
  assert.deepEqual(await broken('electron/devices/printer/planted.ts', "export { getSetting } from '../../store/settings.ts';\n"), ['diemthu/zones']);
  assert.deepEqual(await broken('electron/devices/scanner/planted.ts', "export { drainOutbox } from '../../printing/outbox.ts';\n"), ['diemthu/zones']);
  assert.deepEqual(await broken('electron/store/planted.ts', "export { requireSupervisor } from '../users/users.ts';\n"), ['diemthu/zones']);
  assert.deepEqual((await broken('electron/core/planted.ts', "export { openStore } from '../store/open.ts';\n")).includes('diemthu/zones'), true);
  assert.deepEqual(await broken('electron/planted.ts', "export const x = 1;\nexport { fold } from './core/fold.ts';\n"), ['diemthu/zones'], 'no file at the top of electron/');
});

test('only the Electron shell (electron/app/) imports electron', async () => {
  const source = "import { app } from 'electron';\nexport const name = app.getName();\n";
  assert.deepEqual(await broken('electron/ipc/planted.ts', source), ['no-restricted-imports']);
  assert.deepEqual(await broken('electron/devices/printer/planted.ts', source), ['no-restricted-imports']);
  assert.deepEqual(await broken('src/screens/Planted.ts', source), ['no-restricted-imports']);
  assert.deepEqual(await broken('electron/app/planted.ts', source), []);
});

test('lint fails on a planted import cycle, a type-only one included', async () => {
  const quote = readFileSync(join(ROOT, 'electron/payments/quote.ts'), 'utf8');
  assert.deepEqual(await broken('electron/payments/quote.ts', quote), [], 'the file as it is passes');
  // collect.ts imports quote.ts: quote.ts importing collect.ts closes a circle.
  assert.deepEqual(await broken('electron/payments/quote.ts', `import type { CollectRequest } from './collect.ts';\nexport type Planted = CollectRequest;\n${quote}`), ['diemthu/no-import-cycle']);
});

test('what a zone may import passes: a domain over the store, the devices, core and another domain; the shell over ipc', async () => {
  const domain = "export { openStore } from '../store/open.ts';\nexport { fold } from '../core/fold.ts';\nexport { lookupCode } from '../customers/find.ts';\nexport type { Transport } from '../devices/printer/printer.ts';\n";
  assert.deepEqual(await broken('electron/shifts/planted.ts', domain), []);
  assert.deepEqual(await broken('electron/app/planted.ts', "export { createHandlers } from '../ipc/handlers.ts';\n"), []);
});

test('no SQL in ipc/: a query planted in a handler fails the lint', async () => {
  const planted = "import type { Ctx } from '../../store/context.ts';\nexport const n = (ctx: Ctx) => ctx.sqlite.prepare('SELECT COUNT(*) FROM users').get();\n";
  assert.deepEqual(await broken('electron/ipc/handlers/planted.ts', planted), ['no-restricted-syntax']);
  const kysely = "import { query } from '../../store/typed-query.ts';\nexport const q = () => query.selectFrom('users').selectAll();\n";
  assert.deepEqual(await broken('electron/ipc/handlers/planted.ts', kysely), ['no-restricted-syntax']);
});
