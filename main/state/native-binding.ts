import fs from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../paths';

/**
 * better-sqlite3 is a native module and must be compiled per runtime ABI. Plain Node (engine,
 * CLI, tests, browser host) uses the binding npm built in node_modules. Electron uses a second
 * binding compiled by `npm run native:electron` into `native/electron-<version>-<platform>-<arch>/`
 * and picked here through better-sqlite3's `nativeBinding` option, so neither build overwrites
 * the other and switching runtimes needs no rebuild.
 */
export function electronBindingDir(electronVersion: string, platform = process.platform, arch = process.arch): string {
  return path.join(packageRoot(), 'native', `electron-${electronVersion}-${platform}-${arch}`);
}

export function nativeBindingPath(): string | undefined {
  const electronVersion = process.versions.electron;
  if (!electronVersion) return undefined;
  const file = path.join(electronBindingDir(electronVersion), 'better_sqlite3.node');
  // Inside a packaged app the file sits in app.asar.unpacked.
  const unpacked = file.replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`);
  for (const candidate of [unpacked, file]) if (fs.existsSync(candidate)) return candidate;
  throw new Error(
    `better-sqlite3 has no binding for Electron ${electronVersion} (${process.platform}-${process.arch}). ` +
      'Run "npm run native:electron" once (npm start does it for you).',
  );
}
