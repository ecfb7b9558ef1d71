import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { test as base, _electron, type ElectronApplication, type Page, type TestInfo } from '@playwright/test';
import { electronBinary } from '../scripts/electron-binary';

export type Mode = 'browser-host' | 'electron';

export interface HostProcess {
  url: string;
  origin: string;
  stop(): Promise<void>;
}

const root = path.resolve(__dirname, '..');

/** Starts the built browser host on a fresh workspace and waits for its ready line. */
export async function startHostProcess(workspace: string, env: NodeJS.ProcessEnv = process.env, options: { demo?: boolean } = {}): Promise<HostProcess> {
  const args = [path.join(root, 'dist/main/host.cjs'), '--workspace', workspace, '--json', ...(options.demo === false ? ['--no-demo'] : [])];
  const child: ChildProcess = spawn(process.execPath, args, {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const ready = await new Promise<{ url: string; origin: string }>((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolve(JSON.parse(line) as { url: string; origin: string }));
    child.once('exit', (code) => reject(new Error(`The Sluice host exited (${code}) before it was ready: ${stderr}`)));
  });
  return {
    ...ready,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export function freshWorkspace(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-e2e-'));
}

export interface SluiceOptions {
  mode: Mode;
}

/** Applies a YAML configuration to a workspace with the real CLI (before the app starts on it). */
export function applyConfig(workspace: string, yaml: string): void {
  const file = path.join(workspace, 'e2e-config.yaml');
  fs.writeFileSync(file, yaml);
  const result = spawnSync(process.execPath, [path.join(root, 'bin/sluice.cjs'), '--workspace', workspace, 'apply', '-f', file], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`sluice apply failed: ${result.stderr}`);
}

interface SluiceFixtures extends SluiceOptions {
  /** A fresh user-data folder for this test (Bruno/Insomnia style). */
  workspace: string;
  /** YAML applied to the workspace before the app starts (config as code). */
  config: string | undefined;
  /** Runs on the workspace after `config` and before the app starts (e.g. to seed recorded calls). */
  prepare: { run(workspace: string): void } | undefined;
  /** false: start on an empty workspace, without the demo (`--no-demo`). */
  demo: boolean;
  /** The Sluice window: a Chromium page on the browser host, or the Electron main window. */
  app: Page;
}

export const test = base.extend<SluiceFixtures>({
  mode: ['browser-host', { option: true }],
  config: [undefined, { option: true }],
  prepare: [undefined, { option: true }],
  demo: [true, { option: true }],
  workspace: async ({}, use) => {
    const dir = freshWorkspace();
    await use(dir);
    fs.rmSync(dir, { recursive: true, force: true });
  },
  // Deliberately not built on the `page` fixture: in Electron mode no browser is launched at all.
  app: async ({ mode, workspace, config, prepare, demo, playwright, launchOptions }, use, testInfo) => {
    if (config) applyConfig(workspace, config);
    prepare?.run(workspace);
    if (mode === 'electron') {
      const binary = electronBinary();
      if ('missing' in binary) {
        testInfo.skip(true, `Electron mode skipped: ${binary.missing}`);
        return;
      }
      const electronApp: ElectronApplication = await _electron.launch({
        executablePath: binary.path,
        args: [root, '--workspace', workspace, ...(demo ? [] : ['--no-demo'])],
      });
      const window = await electronApp.firstWindow();
      await use(window);
      if (testInfo.status !== testInfo.expectedStatus) {
        await testInfo.attach('screenshot', { body: await window.screenshot(), contentType: 'image/png' });
      }
      await electronApp.close();
      return;
    }
    const host = await startHostProcess(workspace, process.env, { demo });
    const browser = await playwright.chromium.launch(launchOptions);
    // A page of a context of its own (not browser.newPage()): @axe-core/playwright needs to open pages in its context.
    const page = await (await browser.newContext()).newPage();
    await page.goto(host.url);
    await use(page);
    if (testInfo.status !== testInfo.expectedStatus) {
      await testInfo.attach('screenshot', { body: await page.screenshot(), contentType: 'image/png' });
    }
    await browser.close();
    await host.stop();
  },
});

export const expect = test.expect;

/**
 * First thing in a beforeAll that starts peers: in Electron mode on a machine without the Electron
 * binary (where the app fixture skips every test), skips the whole group before any peer is started.
 */
export function skipWithoutApp(testInfo: TestInfo): void {
  if ((testInfo.project.use as Partial<SluiceOptions>).mode !== 'electron') return;
  const binary = electronBinary();
  if ('missing' in binary) testInfo.skip(true, `Electron mode skipped: ${binary.missing}`);
}

/** Waits for the app-ready marker the shell sets once it has talked to the engine. */
export async function ready(app: Page): Promise<void> {
  await app.locator('[data-app-ready="true"]').waitFor();
}

/** A screenshot of the app as `<name>.png` in $SLUICE_SHOTS_DIR, for a person to look at; nothing when that is not set. */
export async function shot(app: Page, name: string): Promise<void> {
  const dir = process.env.SLUICE_SHOTS_DIR;
  if (!dir) return;
  fs.mkdirSync(dir, { recursive: true });
  await app.screenshot({ path: path.join(dir, `${name}.png`) });
}
