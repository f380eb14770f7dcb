// electron-builder afterPack hook: flips Electron's fuses in the packed binary, before signing
// (electron-builder signs after afterPack, so the signature covers the flipped bits).
// Every fuse is set explicitly (strictlyRequireAllFuses): a new fuse in a later Electron fails the
// build instead of silently taking its default.
'use strict';

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

/** @param {import('app-builder-lib').AfterPackContext} context */
async function afterPack(context) {
  // @electron/fuses is ESM-only; the packager method resolves the binary name per platform.
  const fuses = await import('@electron/fuses');
  await context.packager.addElectronFuses(context, fuseConfig(fuses));
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.fuseConfig = fuseConfig;
