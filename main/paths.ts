import fs from 'node:fs';
import path from 'node:path';

let cachedRoot: string | undefined;

/**
 * The folder holding Sluice's package.json, found by walking up from this file. Works from the
 * TypeScript sources (tsx, Vitest), from the esbuild bundles in dist/main, and inside an asar.
 */
export function packageRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, 'package.json');
    if (fs.existsSync(candidate)) {
      const pkg = JSON.parse(fs.readFileSync(candidate, 'utf8')) as { name?: string };
      if (pkg.name === 'sluice') return (cachedRoot = dir);
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`Cannot find Sluice's package.json above ${__dirname}`);
    dir = parent;
  }
}

export function packageVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** The built renderer (vite build output). */
export function rendererDist(): string {
  return path.join(packageRoot(), 'dist', 'renderer');
}
