// electron-builder afterPack hook (electron-builder.yml): flips the Electron fuses chosen in
// main/electron/fuses.ts in the packaged app's binary. afterPack runs before signing, as fuses must.
/* eslint-disable @typescript-eslint/no-require-imports */
const path = require('node:path');
const tsx = require('tsx/cjs/api');

/** @param {{ electronPlatformName: string, arch: number, packager: { addElectronFuses(context: unknown, fuses: unknown): Promise<unknown> } }} context */
async function afterPack(context) {
  const { fuseConfig } = tsx.require(path.join(__dirname, '..', 'main', 'electron', 'fuses.ts'), __filename);
  const fuses = fuseConfig({ platform: context.electronPlatformName, arch: context.arch });
  // electron-builder finds the binary for the platform (Foo.app, Foo.exe, foo) and runs
  // @electron/fuses' flipFuses on it.
  await context.packager.addElectronFuses(context, fuses);
}

// electron-builder takes the export named after the hook, else the default one.
exports.afterPack = afterPack;
exports.default = afterPack;
