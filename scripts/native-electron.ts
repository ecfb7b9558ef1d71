// Compiles better-sqlite3 for the installed Electron into native/electron-<version>-<platform>-<arch>/,
// next to (not over) the Node build in node_modules. See main/state/native-binding.ts.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { electronBindingDir } from '../main/state/native-binding';

const root = path.resolve(__dirname, '..');

export function electronVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;
}

export function hasElectronBinding(): boolean {
  return fs.existsSync(path.join(electronBindingDir(electronVersion()), 'better_sqlite3.node'));
}

export function buildElectronBinding(force = false): void {
  const version = electronVersion();
  const outDir = electronBindingDir(version);
  if (!force && hasElectronBinding()) return;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-native-'));
  const pkg = path.join(work, 'better-sqlite3');
  try {
    fs.cpSync(path.join(root, 'node_modules/better-sqlite3'), pkg, { recursive: true, filter: (src) => !src.includes(`${path.sep}build${path.sep}`) });
    const env = { ...process.env };
    delete env.npm_config_nodedir; // Node's headers are the wrong ones for Electron.
    const gyp = path.join(root, 'node_modules/node-gyp/bin/node-gyp.js');
    console.log(`Compiling better-sqlite3 for Electron ${version} (${process.platform}-${process.arch})…`);
    const result = spawnSync(
      process.execPath,
      [gyp, 'rebuild', '--release', `--target=${version}`, '--runtime=electron', `--arch=${process.arch}`, '--dist-url=https://electronjs.org/headers'],
      { cwd: pkg, env, stdio: 'inherit' },
    );
    if (result.status !== 0) {
      throw new Error(
        `Could not compile better-sqlite3 for Electron ${version}. It needs a C++ toolchain (Python, make, a compiler) ` +
          "and Electron's headers from electronjs.org. The browser host (npm run dev:web) does not need this.",
      );
    }
    fs.mkdirSync(outDir, { recursive: true });
    fs.copyFileSync(path.join(pkg, 'build/Release/better_sqlite3.node'), path.join(outDir, 'better_sqlite3.node'));
    console.log(`Wrote ${path.relative(root, outDir)}/better_sqlite3.node`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  try {
    buildElectronBinding(process.argv.includes('--force'));
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  }
}
