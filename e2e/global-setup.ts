import fs from 'node:fs';
import path from 'node:path';
import { electronBinary } from '../scripts/electron-binary';

export default function globalSetup(): void {
  const root = path.resolve(__dirname, '..');
  for (const file of ['dist/renderer/index.html', 'dist/main/host.cjs', 'dist/main/electron.cjs']) {
    if (!fs.existsSync(path.join(root, file))) throw new Error(`${file} is missing: run "npm run build" before the end-to-end tests.`);
  }
  const binary = electronBinary();
  if ('missing' in binary) {
    // Said out loud, never a silent skip.
    console.log(`\n[e2e] Electron mode is skipped on this machine: ${binary.missing}. The same specs run in Debian Chromium against the browser host.\n`);
  }
}
