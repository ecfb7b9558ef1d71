import fs from 'node:fs';
import { defineConfig } from '@playwright/test';
import type { SluiceOptions } from './e2e/fixtures';

// The same specs run in two modes: Chromium against the browser host (always), and the real
// Electron app via _electron.launch (where an Electron binary exists; skipped with a reason otherwise).
const chromium = process.env.SLUICE_CHROMIUM ?? (fs.existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

export default defineConfig<SluiceOptions>({
  testDir: './e2e',
  globalSetup: './e2e/global-setup.ts',
  fullyParallel: false,
  workers: process.env.CI ? 1 : 2,
  retries: 0,
  timeout: 30_000,
  reporter: [['list'], ['json', { outputFile: 'reports/playwright.json' }]],
  outputDir: 'test-results',
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'browser-host',
      use: {
        mode: 'browser-host',
        browserName: 'chromium',
        launchOptions: {
          executablePath: chromium,
          args: ['--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
        },
      },
    },
    { name: 'electron', use: { mode: 'electron' } },
  ],
});
