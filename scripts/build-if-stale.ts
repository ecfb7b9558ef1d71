import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const STAMP = path.join(root, 'dist', '.build-stamp');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** Runs `npm run build` unless dist/ is newer than every source file. */
export function buildIfStale(): void {
  const sources = ['main', 'renderer', 'shared'].map((d) => newestMtime(path.join(root, d)));
  const configs = ['package.json', 'vite.config.ts'].map((f) => fs.statSync(path.join(root, f)).mtimeMs);
  const stamp = fs.existsSync(STAMP) ? fs.statSync(STAMP).mtimeMs : 0;
  if (stamp > Math.max(...sources, ...configs)) return;
  console.log('Building Sluice…');
  const result = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
  fs.writeFileSync(STAMP, new Date().toISOString());
}
