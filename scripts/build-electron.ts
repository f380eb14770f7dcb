/**
 * Bundles the Electron main process and the preload with esbuild (`npm run build:electron`).
 *
 * - main -> dist-electron/main.cjs: Node 22 (Electron 45), CommonJS so `electron` and the native
 *   modules resolve with plain require(). Native modules stay external: they load their prebuilt
 *   .node files from node_modules (unpacked from the asar, see electron-builder.yml).
 * - preload -> dist-electron/preload.cjs: a sandboxed preload may require only `electron` (and a few
 *   Node-free built-ins), so everything else is inlined and the contract is imported for types only.
 */
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { cpSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export const NATIVE_MODULES = ['better-sqlite3', 'node-hid', 'serialport', 'usb', '@napi-rs/canvas'] as const;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * `import.meta.url` for the CommonJS bundle (esbuild would leave it empty). Modules use it only to find
 * files shipped beside them (the receipt fonts, copied to dist-electron/fonts/). Those files are read by
 * native code (@napi-rs/canvas), which cannot see inside app.asar, so they are unpacked
 * (electron-builder.yml) and the URL points into app.asar.unpacked.
 */
export const IMPORT_META_URL_SHIM =
  'const __diemthu_import_meta_url = require("node:url").pathToFileURL(__filename.replace(/app\\.asar([\\\\/])/, "app.asar.unpacked$1")).href;';

export interface BuildElectronOptions {
  outDir?: string;
  minify?: boolean;
}

export interface BuildElectronResult {
  main: string;
  preload: string;
  readWorker: string;
  importWorker: string;
  previewWorker: string;
  metafiles: { main: Metafile; preload: Metafile };
}

export async function buildElectron(options: BuildElectronOptions = {}): Promise<BuildElectronResult> {
  const outDir = options.outDir ?? join(root, 'dist-electron');
  const common: BuildOptions = {
    bundle: true,
    format: 'cjs',
    sourcemap: 'linked',
    minify: options.minify ?? false,
    logLevel: 'warning',
    absWorkingDir: root,
    legalComments: 'none',
  };
  const main = join(outDir, 'main.cjs');
  const preload = join(outDir, 'preload.cjs');
  const readWorker = join(outDir, 'read-worker.mjs');
  const importWorker = join(outDir, 'import-worker.mjs');
  const previewWorker = join(outDir, 'preview-worker.mjs');
  const searchWorker = join(outDir, 'search-worker.mjs');
  const [mainResult, preloadResult] = await Promise.all([
    build({
      ...common,
      entryPoints: [join(root, 'electron/app/entry.ts')],
      metafile: true,
      outfile: main,
      platform: 'node',
      target: 'node22',
      external: ['electron', ...NATIVE_MODULES],
      define: { 'import.meta.url': '__diemthu_import_meta_url' },
      banner: { js: IMPORT_META_URL_SHIM },
    }),
    build({
      ...common,
      entryPoints: [join(root, 'electron/app/preload.ts')],
      metafile: true,
      outfile: preload,
      platform: 'browser',
      target: 'chrome140',
      external: ['electron'],
    }),
    // The snapshot reader's worker thread (cmis/parallel-read.ts), the morning import's (cmis/import-job.ts,
    // its own connection), the first import's search index builder (cmis/search-aside.ts) and the restore
    // preview's (backups/preview-job.ts) are found beside main.cjs. ESM for the reader's top-level await; bundled
    // CommonJS dependencies get a real `require` for Node's built-ins.
    ...(
      [
        ['electron/cmis/read-worker.ts', readWorker],
        ['electron/cmis/import-worker.ts', importWorker],
        ['electron/cmis/search-worker.ts', searchWorker],
        ['electron/backups/preview-worker.ts', previewWorker],
      ] as const
    ).map(([entry, outfile]) =>
      build({
        ...common,
        entryPoints: [join(root, entry)],
        outfile,
        format: 'esm',
        platform: 'node',
        target: 'node22',
        external: ['electron', ...NATIVE_MODULES],
        banner: { js: 'import { createRequire as __diemthu_createRequire } from "node:module"; const require = __diemthu_createRequire(import.meta.url);' },
      }),
    ),
  ]);
  cpSync(join(root, 'electron/devices/printer/fonts'), join(outDir, 'fonts'), { recursive: true });
  return { main, preload, readWorker, importWorker, previewWorker, metafiles: { main: mainResult.metafile, preload: preloadResult.metafile } };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = await buildElectron({ minify: process.argv.includes('--minify') });
  console.log(`built ${result.main}\nbuilt ${result.preload}`);
}
