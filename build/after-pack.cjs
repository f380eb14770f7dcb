// electron-builder afterPack hook: flips Electron's fuses in the packed binary, before signing
// (electron-builder signs after afterPack, so the signature covers the flipped bits).
// Every fuse is set explicitly (strictlyRequireAllFuses): a new fuse in a later Electron fails the
// build instead of silently taking its default.
'use strict';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- electron-builder require()s this hook: it is CommonJS
const path = require('node:path');

/** @param {typeof import('@electron/fuses')} fuses */
function fuseConfig({ FuseVersion, FuseV1Options }) {
  return {
    version: FuseVersion.V1,
    strictlyRequireAllFuses: true,
    // ELECTRON_RUN_AS_NODE would turn the signed binary into a plain Node interpreter.
    [FuseV1Options.RunAsNode]: false,
    [FuseV1Options.EnableCookieEncryption]: true,
    // NODE_OPTIONS / --inspect would let anyone at the PC inject code into main (and the database).
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    // electron-builder embeds the asar header hash (Windows and macOS; Linux ignores the fuse).
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
    // Without it a loose resources/app folder next to app.asar would be loaded instead.
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
    // The renderer is served from app://, never file://.
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
    [FuseV1Options.WasmTrapHandlers]: true,
  };
}

/**
 * The packed Electron binary (same naming as electron-builder's own fuse step).
 * @param {import('app-builder-lib').AfterPackContext} context
 */
function electronBinaryPath({ appOutDir, electronPlatformName, packager }) {
  if (electronPlatformName === 'win32') return path.join(appOutDir, `${packager.appInfo.productFilename}.exe`);
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') return path.join(appOutDir, `${packager.appInfo.productFilename}.app`);
  return path.join(appOutDir, packager.executableName);
}

/**
 * Our own @electron/fuses (ESM-only, hence import()), not packager.addElectronFuses: that one uses
 * electron-builder's nested, older copy, which does not know every fuse of Electron 45's wire and
 * makes strictlyRequireAllFuses fail.
 * @param {import('app-builder-lib').AfterPackContext} context
 */
async function afterPack(context) {
  const fuses = await import('@electron/fuses');
  await fuses.flipFuses(electronBinaryPath(context), fuseConfig(fuses));
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.fuseConfig = fuseConfig;
module.exports.electronBinaryPath = electronBinaryPath;
