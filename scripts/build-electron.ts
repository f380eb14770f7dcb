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
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export const NATIVE_MODULES = ['better-sqlite3', 'node-hid', 'serialport', 'usb', '@napi-rs/canvas'] as const;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface BuildElectronOptions {
  outDir?: string;
  minify?: boolean;
}

export interface BuildElectronResult {
  main: string;
  preload: string;
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
  const [mainResult, preloadResult] = await Promise.all([
    build({
      ...common,
      entryPoints: [join(root, 'electron/main.ts')],
      metafile: true,
      outfile: main,
      platform: 'node',
      target: 'node22',
      external: ['electron', ...NATIVE_MODULES],
    }),
    build({
      ...common,
      entryPoints: [join(root, 'electron/preload.ts')],
      metafile: true,
      outfile: preload,
      platform: 'browser',
      target: 'chrome140',
      external: ['electron'],
    }),
  ]);
  return { main, preload, metafiles: { main: mainResult.metafile, preload: preloadResult.metafile } };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = await buildElectron({ minify: process.argv.includes('--minify') });
  console.log(`built ${result.main}\nbuilt ${result.preload}`);
}
