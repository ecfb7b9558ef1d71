// Pure: the Electron fuses Sluice's packaged app is built with. scripts/electron-fuses.cjs (the
// electron-builder afterPack hook) applies them to the packaged binary before it is signed.
import { FuseV1Options, FuseVersion, type FuseV1Config } from '@electron/fuses';

/** Each fuse we set, by its name in @electron/fuses' FuseV1Options. Fuses not listed keep Electron's default. */
export const FUSE_CHOICES = {
  /** ELECTRON_RUN_AS_NODE would turn the app into a plain Node.js with the app's identity and keychain access. */
  RunAsNode: false,
  /** Cookies on disk are encrypted with an OS-held key. */
  EnableCookieEncryption: true,
  /** NODE_OPTIONS could preload code into the main process. */
  EnableNodeOptionsEnvironmentVariable: false,
  /** --inspect and friends would open a debugger into the main process. */
  EnableNodeCliInspectArguments: false,
  /** macOS and Windows check app.asar against the hash recorded at packaging. */
  EnableEmbeddedAsarIntegrityValidation: true,
  /** The app is loaded only from app.asar (whose integrity is checked), never from a loose app folder. */
  OnlyLoadAppFromAsar: true,
} as const satisfies Partial<Record<keyof typeof FuseV1Options, boolean>>;

/** electron-builder's Arch enum (builder-util), by value. */
const BUILDER_ARCHS = ['ia32', 'x64', 'armv7l', 'arm64', 'universal'] as const;

export function archName(arch: number | string): string {
  return typeof arch === 'number' ? (BUILDER_ARCHS[arch] ?? String(arch)) : arch;
}

/**
 * The configuration for @electron/fuses' flipFuses. On Apple silicon the ad-hoc signature flipping
 * invalidates is reset (the README's advice), else an unsigned build would not start.
 */
export function fuseConfig(target: { platform: string; arch: number | string }): FuseV1Config {
  const arch = archName(target.arch);
  const darwin = target.platform === 'darwin' || target.platform === 'mas';
  return {
    version: FuseVersion.V1,
    resetAdHocDarwinSignature: darwin && (arch === 'arm64' || arch === 'universal'),
    [FuseV1Options.RunAsNode]: FUSE_CHOICES.RunAsNode,
    [FuseV1Options.EnableCookieEncryption]: FUSE_CHOICES.EnableCookieEncryption,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: FUSE_CHOICES.EnableNodeOptionsEnvironmentVariable,
    [FuseV1Options.EnableNodeCliInspectArguments]: FUSE_CHOICES.EnableNodeCliInspectArguments,
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: FUSE_CHOICES.EnableEmbeddedAsarIntegrityValidation,
    [FuseV1Options.OnlyLoadAppFromAsar]: FUSE_CHOICES.OnlyLoadAppFromAsar,
  };
}
