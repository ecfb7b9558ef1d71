import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { FuseV1Options, FuseVersion, type FuseV1Config } from '@electron/fuses';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { fuseConfig } from './fuses';

const root = path.resolve(__dirname, '..', '..');

describe('Electron fuses of the packaged app', () => {
  it('turns off run-as-node, NODE_OPTIONS and --inspect, and turns on cookie encryption and the asar-only, checked app', () => {
    const config = fuseConfig({ platform: 'linux', arch: 'x64' });
    expect(config.version).toBe(FuseVersion.V1);
    expect(config[FuseV1Options.RunAsNode]).toBe(false);
    expect(config[FuseV1Options.EnableCookieEncryption]).toBe(true);
    expect(config[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false);
    expect(config[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false);
    expect(config[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true);
    expect(config[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
  });

  it('resets the ad-hoc signature only for Apple silicon builds', () => {
    expect(fuseConfig({ platform: 'darwin', arch: 'arm64' }).resetAdHocDarwinSignature).toBe(true);
    expect(fuseConfig({ platform: 'darwin', arch: 3 }).resetAdHocDarwinSignature).toBe(true);
    expect(fuseConfig({ platform: 'darwin', arch: 'universal' }).resetAdHocDarwinSignature).toBe(true);
    expect(fuseConfig({ platform: 'darwin', arch: 'x64' }).resetAdHocDarwinSignature).toBe(false);
    expect(fuseConfig({ platform: 'win32', arch: 'arm64' }).resetAdHocDarwinSignature).toBe(false);
  });

  it('are flipped by electron-builder through the afterPack hook', async () => {
    const builder = parse(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as { afterPack?: string };
    expect(builder.afterPack).toBe('./scripts/electron-fuses.cjs');
    const hook = createRequire(import.meta.url)(path.join(root, builder.afterPack ?? '')) as {
      afterPack: (context: unknown) => Promise<void>;
      default: unknown;
    };
    expect(hook.default).toBe(hook.afterPack);
    const flipped: FuseV1Config[] = [];
    const context = {
      electronPlatformName: 'darwin',
      arch: 3,
      appOutDir: '/tmp/out',
      packager: { addElectronFuses: async (_context: unknown, fuses: FuseV1Config) => void flipped.push(fuses) },
    };
    await hook.afterPack(context);
    expect(flipped).toEqual([fuseConfig({ platform: 'darwin', arch: 'arm64' })]);
  });
});
