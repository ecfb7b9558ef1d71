// npm start: build if needed, then open the Electron app. Where the Electron binary is missing and
// cannot be fetched, say so in one line and start the browser host instead, printing its URL.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { buildIfStale } from './build-if-stale';
import { electronBinary } from './electron-binary';
import { buildElectronBinding } from './native-electron';

const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2);

function tryFetchElectron(): void {
  if (process.env.SLUICE_NO_ELECTRON || process.env.CI) return;
  // npm install ran with ELECTRON_SKIP_BINARY_DOWNLOAD=1 (README); fetch it now, once, quietly.
  const env = { ...process.env };
  delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  spawnSync(process.execPath, [path.join(root, 'node_modules/electron/install.js')], { env, stdio: 'ignore', timeout: 180_000 });
}

function run(command: string, commandArgs: string[]): void {
  const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 0));
}

buildIfStale();
let binary = electronBinary();
if ('missing' in binary) {
  tryFetchElectron();
  binary = electronBinary();
}
if ('path' in binary) {
  try {
    buildElectronBinding();
    run(binary.path, [root, ...args]);
  } catch (err) {
    console.log(`${err instanceof Error ? err.message : String(err)} Starting Sluice in your browser instead.`);
    run(process.execPath, [path.join(root, 'dist/main/host.cjs'), ...(process.env.CI ? [] : ['--open']), ...args]);
  }
} else {
  console.log("Electron's binary is not installed here and could not be downloaded: starting Sluice in your browser instead.");
  run(process.execPath, [path.join(root, 'dist/main/host.cjs'), ...(process.env.CI ? [] : ['--open']), ...args]);
}
