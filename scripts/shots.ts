// npm run shots [-- <folder>]: a PNG of every view, at 1400×900 and 1024×700, light and dark, for a person to
// look at (issue 15). It is the desk check's walk (e2e/desk-check.spec.ts) with $SLUICE_SHOTS_DIR set: each
// view as the window shows it, plus `-full` with the whole page where it is taller than the window. The PNGs
// are written even when the check finds a problem; the check's verdict is the exit status.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildIfStale } from './build-if-stale';

const root = path.resolve(__dirname, '..');
const dir = path.resolve(root, process.argv[2] ?? 'shots');

buildIfStale();
fs.rmSync(dir, { recursive: true, force: true });
fs.mkdirSync(dir, { recursive: true });
const result = spawnSync(
  process.execPath,
  [path.join(root, 'node_modules/@playwright/test/cli.js'), 'test', 'e2e/desk-check.spec.ts', '--project=browser-host', '--workers=1'],
  {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, SLUICE_SHOTS_DIR: dir },
  },
);
const pngs = fs.readdirSync(dir).filter((f) => f.endsWith('.png'));
console.log(`${pngs.length} PNGs in ${path.relative(process.cwd(), dir) || '.'}${result.status === 0 ? '' : ' (the desk check found problems: see above)'}`);
process.exit(result.status ?? 1);
