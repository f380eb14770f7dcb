/**
 * `npm run dist:smoke`: runs the real electron-builder pipeline (files, asar, asarUnpack, afterPack
 * fuses) for a Linux `dir` target against a STAND-IN Electron (a small file carrying Electron 45's fuse
 * wire), since the real binary cannot be downloaded here. Then checks what the package holds: the
 * bundles and renderer inside app.asar, the native modules and the receipt fonts unpacked, the build
 * tooling left out, the fuses flipped, and that the packaged main.cjs starts (under a stand-in electron
 * module, with only the package's own node_modules). Needs dist/ (npm run build:renderer) first.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { buildElectron } from './build-electron.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const asar = createRequire(import.meta.url)('@electron/asar') as {
  listPackage(archive: string): string[];
  extractAll(archive: string, dest: string): void;
};

/**
 * Runs the packaged main.cjs from the extracted app (no NODE_PATH: every require must resolve inside
 * the package) under the stand-in electron module the tests use, and returns what went wrong.
 */
function runPackagedMain(appDir: string, work: string): string[] {
  const report = join(work, 'report.json');
  const child = spawnSync(process.execPath, ['--require', join(root, 'test', 'electron', 'fake-electron.cjs'), join(appDir, 'dist-electron', 'main.cjs')], {
    cwd: work,
    env: { PATH: process.env.PATH, DIEMTHU_DATA_DIR: join(work, 'data'), FAKE_APP_PATH: appDir, FAKE_REPORT: report },
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (child.status !== 0 || !existsSync(report)) return [`packaged main did not run: ${child.stderr.slice(0, 2000)}`];
  const results = (JSON.parse(readFileSync(report, 'utf8')) as { results: { index?: { status: number }; session?: { ok: boolean } } }).results;
  const problems: string[] = [];
  if (results.index?.status !== 200) problems.push('packaged main did not serve index.html');
  if (results.session?.ok !== true) problems.push('packaged main did not answer IPC');
  return problems;
}

/** The fuse sentinel, wire version 1 and Electron 45's 9 default fuse states. */
function standInElectron(dir: string): void {
  mkdirSync(join(dir, 'resources'), { recursive: true });
  const wire = Buffer.from('101100011', 'latin1');
  const body = Buffer.concat([
    Buffer.from('#!/bin/sh\necho "stand-in Electron"\n'),
    Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'),
    Buffer.from([1, wire.length]),
    wire,
  ]);
  writeFileSync(join(dir, 'electron'), body);
  chmodSync(join(dir, 'electron'), 0o755);
  writeFileSync(join(dir, 'version'), '45.5.0');
  writeFileSync(join(dir, 'LICENSE'), 'stand-in');
}

export async function run(): Promise<string[]> {
  if (!existsSync(join(root, 'dist', 'index.html'))) throw new Error('dist/ is missing: run `npm run build:renderer` first');
  await buildElectron({ minify: true });
  const work = mkdtempSync(join(tmpdir(), 'diemthu-package-'));
  try {
    standInElectron(join(work, 'electron'));
    const builder = spawnSync(
      join(root, 'node_modules', '.bin', 'electron-builder'),
      ['--linux', 'dir', '--x64', '--publish', 'never', `-c.electronDist=${join(work, 'electron')}`, `-c.directories.output=${join(work, 'out')}`],
      { cwd: root, encoding: 'utf8' },
    );
    if (builder.status !== 0) throw new Error(`electron-builder failed:\n${builder.stdout}\n${builder.stderr}`);
    const app = join(work, 'out', 'linux-unpacked');
    const problems: string[] = [];
    const packed = new Set(asar.listPackage(join(app, 'resources', 'app.asar')).map((f) => f.replaceAll('\\', '/')));
    for (const file of ['/package.json', '/dist/index.html', '/dist-electron/main.cjs', '/dist-electron/preload.cjs']) {
      if (!packed.has(file)) problems.push(`${file} missing from app.asar`);
    }
    for (const left of ['/node_modules/tsx', '/node_modules/esbuild', '/node_modules/zod', '/node_modules/kysely', '/electron', '/src', '/test']) {
      if (packed.has(left)) problems.push(`${left} should not be packaged`);
    }
    const unpacked = join(app, 'resources', 'app.asar.unpacked');
    for (const dir of ['node_modules/better-sqlite3/prebuilds', 'node_modules/node-hid', 'node_modules/usb', 'node_modules/@serialport/bindings-cpp', 'node_modules/@napi-rs/canvas']) {
      if (!existsSync(join(unpacked, dir))) problems.push(`${dir} not unpacked`);
    }
    if (!readdirSync(join(unpacked, 'dist-electron', 'fonts')).some((f) => f.endsWith('.ttf'))) problems.push('receipt fonts not unpacked');
    const fuses = await getCurrentFuseWire(join(app, 'diemthu'));
    const expect: Array<[FuseV1Options, boolean]> = [
      [FuseV1Options.RunAsNode, false],
      [FuseV1Options.OnlyLoadAppFromAsar, true],
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable, false],
      [FuseV1Options.EnableNodeCliInspectArguments, false],
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation, true],
      [FuseV1Options.EnableCookieEncryption, true],
    ];
    for (const [fuse, on] of expect) {
      if ((fuses[fuse] === FuseState.ENABLE) !== on) problems.push(`fuse ${FuseV1Options[fuse]} should be ${on ? 'on' : 'off'}`);
    }
    const extracted = join(work, 'extracted');
    asar.extractAll(join(app, 'resources', 'app.asar'), extracted);
    problems.push(...runPackagedMain(extracted, work));
    console.log(problems.length === 0 ? `package smoke: OK (${packed.size} entries in app.asar, fuses flipped, packaged main starts)` : `package smoke: ${problems.length} problem(s)`);
    for (const p of problems) console.log(`  - ${p}`);
    return problems;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const problems = await run();
  process.exitCode = problems.length === 0 ? 0 : 1;
}
