import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { FuseState, FuseV1Options, FuseVersion, getCurrentFuseWire } from '@electron/fuses';
import { NATIVE_MODULES } from '../../scripts/build-electron.ts';
import { defaultDataDir } from '../../electron/store/data-dir.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };
const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  validateConfiguration(config: unknown, debug: { isEnabled: boolean; add(): void }): Promise<void>;
};
const afterPack = require('../../build/after-pack.cjs') as ((context: unknown) => Promise<void>) & {
  default: unknown;
  fuseConfig(fuses: { FuseVersion: typeof FuseVersion; FuseV1Options: typeof FuseV1Options }): Record<string, unknown>;
  electronBinaryPath(context: unknown): string;
};

type Config = Record<string, unknown> & {
  win: { target: Array<{ target: string; arch: string[] }>; extraFiles: Array<{ from: string; to: string }> };
  nsis: Record<string, unknown>;
  linux: { target: Array<{ target: string; arch: string[] }> };
  asarUnpack: string[];
  files: string[];
};
const config = yaml.load(readFileSync(new URL('../../electron-builder.yml', import.meta.url), 'utf8')) as Config;
const noDebug = { isEnabled: false, add() {} };

test("electron-builder.yml passes electron-builder's own schema, and the schema check can fail", async () => {
  await validateConfiguration(config, noDebug);
  await assert.rejects(validateConfiguration({ ...config, nsis: { ...config.nsis, perMachineX: true } }, noDebug));
});

test('targets: NSIS x64 per-machine for Windows, AppImage and deb x64 for Linux', () => {
  assert.deepEqual(config.win.target, [{ target: 'nsis', arch: ['x64'] }]);
  assert.equal(config.nsis.perMachine, true);
  assert.equal(config.nsis.oneClick, false);
  assert.equal(config.nsis.deleteAppDataOnUninstall, false, 'an uninstall must never delete the database');
  assert.deepEqual(
    config.linux.target.map((t) => `${t.target}:${t.arch.join()}`),
    ['AppImage:x64', 'deb:x64'],
  );
});

test('Windows: the launchers run the executable with --cli, passing every argument and the exit code: diemthu-cli beside it, diemthu in bin/ (on PATH)', () => {
  assert.deepEqual(config.win.extraFiles, [
    { from: 'build/diemthu-cli.cmd', to: 'diemthu-cli.cmd' },
    // Not beside diemthu.exe: PATHEXT tries .EXE before .CMD, so `diemthu` there would open the window.
    { from: 'build/diemthu.cmd', to: 'bin/diemthu.cmd' },
  ]);
  for (const [file, exe] of [['diemthu-cli.cmd', '%~dp0'], ['diemthu.cmd', '%~dp0..\\\\']] as const) {
    const launcher = readFileSync(new URL(`../../build/${file}`, import.meta.url), 'utf8');
    assert.match(launcher, new RegExp(`"${exe}${config.executableName}\\.exe" --cli %\\*\r\n`), file);
    assert.match(launcher, /exit \/b %ERRORLEVEL%/);
    assert.ok(launcher.split('\n').every((line) => line === '' || line.endsWith('\r')), `${file}: CRLF lines, as cmd.exe reads them`);
    assert.ok(!/^rem .*[<>|&]/im.test(launcher), `${file}: no redirection or pipe characters in a rem line`);
  }
});

test("Windows: the installer makes the PC's data folder (the one the app opens) writable by every user of the PC", () => {
  const script = readFileSync(new URL('../../build/installer.nsh', import.meta.url), 'utf8');
  // $APPDATA is %PROGRAMDATA% once the shell context is "all".
  const folder = defaultDataDir({ PROGRAMDATA: '$APPDATA' }, 'win32');
  const install = macro(script, 'customInstall');
  assert.ok(install.indexOf('SetShellVarContext all') >= 0 && install.indexOf('SetShellVarContext all') < install.indexOf(`CreateDirectory "${folder}"`), install);
  assert.ok(install.includes(`icacls "${folder}" /grant *S-1-5-32-545:(OI)(CI)M`), 'the Users group, by SID');
});

/** The body of `!macro name` … `!macroend` in an NSIS script. */
function macro(script: string, name: string): string {
  const body = new RegExp(`^!macro ${name}\\b[^\\n]*\\n([\\s\\S]*?)^!macroend`, 'm').exec(script)?.[1];
  assert.ok(body !== undefined, `!macro ${name}`);
  return body;
}

/** NSIS's own constants (makensis -WX, as electron-builder runs it, stops on any other $NAME). */
const NSIS_CONSTANTS = new Set(
  (
    'PROGRAMFILES PROGRAMFILES32 PROGRAMFILES64 COMMONFILES COMMONFILES32 COMMONFILES64 DESKTOP EXEDIR EXEFILE EXEPATH ' +
    'WINDIR SYSDIR TEMP STARTMENU SMPROGRAMS SMSTARTUP QUICKLAUNCH DOCUMENTS SENDTO RECENT FAVORITES MUSIC PICTURES ' +
    'VIDEOS NETHOOD FONTS TEMPLATES APPDATA LOCALAPPDATA PRINTHOOD INTERNET_CACHE COOKIES HISTORY PROFILE ADMINTOOLS ' +
    'RESOURCES RESOURCES_LOCALIZED CDBURN_AREA HWNDPARENT PLUGINSDIR INSTDIR OUTDIR CMDLINE LANGUAGE'
  ).split(' '),
);

test('Windows installer script: every $NAME it uses is one NSIS knows, a register or a LogicLib/define expansion', () => {
  const script = readFileSync(new URL('../../build/installer.nsh', import.meta.url), 'utf8').replace(/^\s*;.*$/gm, '');
  const names = [...script.matchAll(/\$(?![{\\(])([A-Za-z_]\w*)/g)].map((m) => m[1]!);
  const unknown = names.filter((n) => !NSIS_CONSTANTS.has(n) && !/^R?\d$/.test(n));
  assert.deepEqual(unknown, []);
});

test('Windows installer: bin/ goes on the machine PATH only when the PATH was read whole with room to spare; uninstall takes out exactly that entry, with the same guard', () => {
  const script = readFileSync(new URL('../../build/installer.nsh', import.meta.url), 'utf8');
  const read = macro(script, 'diemthuReadPath');
  // ReadRegStr sets the error flag (and gives "") for a value longer than an NSIS string; a value of exactly that length comes back cut.
  assert.match(read, /ClearErrors\s+ReadRegStr \$R0 HKLM "\$\{DIEMTHU_ENV_KEY\}" "Path"/);
  assert.match(read, /\$\{If\} \$\{Errors\}\s+\$\{OrIf\} \$R0 == ""\s+StrCpy \$R1 "unreadable"/);
  assert.match(read, /StrLen \$R2 \$R0\s+StrLen \$R3 "\$\{DIEMTHU_BIN\}"\s+IntOp \$R2 \$R2 \+ \$R3\s+IntOp \$R2 \$R2 \+ \$\{DIEMTHU_PATH_ROOM\}\s+\$\{If\} \$R2 >= \$\{NSIS_MAX_STRLEN\}\s+StrCpy \$R1 "too-long"/);
  assert.match(script, /!define DIEMTHU_ENV_KEY "SYSTEM\\CurrentControlSet\\Control\\Session Manager\\Environment"/);
  assert.match(script, /!define DIEMTHU_BIN "\$INSTDIR\\bin"/);
  for (const [name, write] of [['diemthuAddToPath', /\$\{If\} \$R4 == 0[\s\S]*WriteRegExpandStr/], ['diemthuRemoveFromPath', /\$\{If\} \$R4 > 0\s+WriteRegExpandStr HKLM "\$\{DIEMTHU_ENV_KEY\}" "Path" \$R3/]] as const) {
    const body = macro(script, name);
    // The only writes of the PATH, and only on the "ok" branch after the read.
    const guard = body.indexOf('${If} $R1 != "ok"');
    const elseAt = body.indexOf('${Else}', guard);
    assert.ok(body.indexOf('!insertmacro diemthuReadPath') < guard && guard >= 0 && elseAt > guard, `${name}: guarded`);
    assert.ok([...body.matchAll(/WriteRegExpandStr/g)].every((m) => m.index > elseAt), `${name}: writes only after the guard's else`);
    assert.match(body, write);
    assert.match(body, /SendMessage \$\{HWND_BROADCAST\} \$\{WM_SETTINGCHANGE\} 0 "STR:Environment" \/TIMEOUT=5000/);
    assert.match(body, /!insertmacro diemthuSaveRegisters[\s\S]*!insertmacro diemthuRestoreRegisters\s*$/);
  }
  assert.equal([...script.matchAll(/WriteReg\w+ HKLM/g)].length, 3, 'no other registry write');
  assert.match(macro(script, 'customInstall'), /!insertmacro diemthuAddToPath/);
  assert.match(macro(script, 'customUnInstall'), /!insertmacro diemthuRemoveFromPath/);
  assert.match(macro(script, 'diemthuPathWithout'), /\$\{If\} \$R6 == "\$\{DIEMTHU_BIN\}"\s+\$\{OrIf\} \$R6 == "\$\{DIEMTHU_BIN\}\\"/);
});

test('asar on, no native rebuild (Node-API prebuilds), every native module unpacked, fuses in afterPack', () => {
  assert.equal(config.asar, true);
  assert.equal(config.npmRebuild, false);
  assert.equal(config.nodeGypRebuild, false);
  assert.equal(config.buildDependenciesFromSource, false);
  assert.equal(config.afterPack, './build/after-pack.cjs');
  assert.equal(config.electronFuses, undefined, 'fuses are flipped once, in afterPack');
  for (const name of NATIVE_MODULES) {
    const dir = name === 'serialport' ? '@serialport/bindings-cpp' : name;
    assert.ok(
      config.asarUnpack.some((glob) => glob.startsWith(`node_modules/${dir}`)),
      `${name}'s binary must be unpacked from the asar`,
    );
  }
  assert.ok(config.asarUnpack.includes('dist-electron/fonts/**/*'), 'fonts are read by native code');
  assert.ok(config.files.includes('dist/**/*') && config.files.includes('dist-electron/**/*'));
  // The build script's external list and the yml's keep-list must agree: an excluded package must not be external.
  const excluded = config.files.find((f) => f.startsWith('!node_modules/{')) ?? '';
  for (const name of NATIVE_MODULES) assert.ok(!excluded.includes(name), `${name} is loaded at run time`);
});

test('fuse configuration: every fuse set, RunAsNode off, OnlyLoadAppFromAsar on, node options/inspect off', () => {
  const fuses = afterPack.fuseConfig({ FuseVersion, FuseV1Options });
  assert.equal(fuses.version, FuseVersion.V1);
  assert.equal(fuses.strictlyRequireAllFuses, true);
  const expected: Record<keyof typeof FuseV1Options, boolean> = {
    RunAsNode: false,
    EnableCookieEncryption: true,
    EnableNodeOptionsEnvironmentVariable: false,
    EnableNodeCliInspectArguments: false,
    EnableEmbeddedAsarIntegrityValidation: true,
    OnlyLoadAppFromAsar: true,
    LoadBrowserProcessSpecificV8Snapshot: false,
    GrantFileProtocolExtraPrivileges: false,
    WasmTrapHandlers: true,
  };
  const names = Object.keys(FuseV1Options).filter((k) => Number.isNaN(Number(k))) as Array<keyof typeof FuseV1Options>;
  assert.deepEqual(names.sort(), Object.keys(expected).sort(), 'a fuse this Electron knows is missing from the expectation');
  for (const name of names) assert.equal(fuses[FuseV1Options[name]], expected[name], name);
});

test('the afterPack hook flips those fuses with @electron/fuses on the packed binary (a stand-in with Electron 45\'s wire)', async () => {
  // The sentinel, wire version 1, 9 fuses in Electron's shipped defaults, padding around.
  const appOutDir = tempDir();
  const wire = Buffer.from('101100011', 'latin1');
  const binary = Buffer.concat([randomBytes(4096), Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'), Buffer.from([1, wire.length]), wire, randomBytes(4096)]);
  writeFileSync(join(appOutDir, 'diemthu'), binary);
  const context = { appOutDir, electronPlatformName: 'linux', packager: { executableName: 'diemthu', appInfo: { productFilename: 'Điểm Thu' } } };
  assert.equal(afterPack.default, afterPack);
  await afterPack(context);
  const flipped = await getCurrentFuseWire(join(appOutDir, 'diemthu'));
  const on = (option: FuseV1Options) => flipped[option] === FuseState.ENABLE;
  assert.equal(on(FuseV1Options.RunAsNode), false);
  assert.equal(on(FuseV1Options.OnlyLoadAppFromAsar), true);
  assert.equal(on(FuseV1Options.EnableNodeOptionsEnvironmentVariable), false);
  assert.equal(on(FuseV1Options.EnableNodeCliInspectArguments), false);
  assert.equal(on(FuseV1Options.EnableEmbeddedAsarIntegrityValidation), true);
  assert.equal(on(FuseV1Options.EnableCookieEncryption), true);
  assert.equal(on(FuseV1Options.GrantFileProtocolExtraPrivileges), false);

  assert.equal(afterPack.electronBinaryPath({ ...context, electronPlatformName: 'win32' }), join(appOutDir, 'Điểm Thu.exe'));
});

test('package.json: start builds both sides then runs electron; dist runs electron-builder; main is the bundle', () => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    main: string;
    scripts: Record<string, string>;
  };
  assert.equal(pkg.main, 'dist-electron/main.cjs');
  assert.match(pkg.scripts.start ?? '', /build:renderer.*build:electron.*electron \.$/);
  assert.match(pkg.scripts.dist ?? '', /build:renderer.*build:electron.*electron-builder/);
  assert.equal(pkg.scripts['build:electron'], 'tsx scripts/build-electron.ts');
});

test('the committed icons are a 512 px PNG and an ICO with a 256 px PNG inside', () => {
  const png = readFileSync(new URL('../../build/icon.png', import.meta.url));
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
  assert.equal(png.readUInt32BE(16), 512);
  const ico = readFileSync(new URL('../../build/icon.ico', import.meta.url));
  assert.deepEqual([ico.readUInt16LE(2), ico.readUInt16LE(4), ico[6]], [1, 1, 0]);
  const offset = ico.readUInt32LE(18);
  assert.equal(ico.subarray(offset + 1, offset + 4).toString('latin1'), 'PNG');
  assert.equal(ico.readUInt32BE(offset + 16), 256);
});
