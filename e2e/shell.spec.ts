import { expect, ready, startHostProcess, test } from './fixtures';

const SECTIONS = ['Sources', 'Models', 'Destinations', 'Syncs', 'Debugger', 'Inspector', 'Capture'];

test('the app shell loads with its navigation, the demo, and empty states', async ({ app }, testInfo) => {
  await ready(app);
  const nav = app.getByRole('navigation', { name: 'Sections' });
  for (const name of [...SECTIONS, 'Settings']) await expect(nav.getByRole('link', { name })).toBeVisible();
  // A first start opens the demo: a model, a sandbox destination and a sync are there at once.
  await expect(app.getByRole('region', { name: 'Models' }).or(app.getByLabel('Models'))).toContainText('Customers');
  await app.screenshot({ path: testInfo.outputPath('shell.png') });
  await nav.getByRole('link', { name: 'Destinations' }).click();
  await expect(app.getByRole('table', { name: 'Destinations' })).toContainText('Sandbox stream');
  await nav.getByRole('link', { name: 'Syncs' }).click();
  await expect(app.getByLabel('Syncs')).toContainText('Customers to sandbox');

  // A fresh workspace has made no API calls yet; the Inspector offers the demo's sandbox stream to read.
  const headings: Record<string, string> = {
    Debugger: 'No API calls recorded yet',
    Inspector: 'Inspector',
  };
  for (const [link, heading] of Object.entries(headings)) {
    await nav.getByRole('link', { name: link }).click();
    await expect(nav.getByRole('link', { name: link })).toHaveAttribute('aria-current', 'page');
    await expect(app.getByRole('heading', { name: heading })).toBeVisible();
  }
});

test('the theme follows the OS, and an explicit choice wins and is remembered', async ({ app }) => {
  await ready(app);
  const background = () => app.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await app.emulateMedia({ colorScheme: 'dark' });
  expect(await background()).toBe('rgb(22, 24, 29)');
  await app.emulateMedia({ colorScheme: 'light' });
  expect(await background()).toBe('rgb(255, 255, 255)');

  await app.getByRole('link', { name: 'Settings' }).click();
  await app.getByLabel('Theme').selectOption('dark');
  await expect.poll(background).toBe('rgb(22, 24, 29)');
  await app.reload();
  await ready(app);
  await expect.poll(background).toBe('rgb(22, 24, 29)');
});

test('input the engine refuses comes back as a readable error naming the field', async ({ app }) => {
  await ready(app);
  await app.getByRole('link', { name: 'Settings' }).click();
  await app.getByLabel('Debugger retention (days)').fill('0');
  await app.getByRole('button', { name: 'Save', exact: true }).click();
  const banner = app.getByTestId('error-banner');
  await expect(banner).toContainText('Could not save settings: the input is not valid');
  // Its words name the field as the form does, once; not by the input's path (debuggerRetentionDays).
  await expect(banner.getByRole('listitem')).toHaveText(['Debugger retention must be at least 1 day']);

  await app.getByLabel('Debugger retention (days)').fill('14');
  await app.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(app.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
  await expect(banner).toHaveCount(0);
});

test('a secret saved from Settings goes to the OS keychain and is never shown again', async ({ app }) => {
  await ready(app);
  await app.getByRole('link', { name: 'Settings' }).click();
  await expect(app.getByTestId('keychain-banner')).toHaveCount(0);
  await app.getByLabel('Secret name').fill('kafka/prod');
  await app.getByLabel('Secret value').fill('e2e-secret-value-91');
  await app.getByRole('button', { name: 'Save secret' }).click();
  const row = app.getByRole('table', { name: 'Saved secrets' }).getByRole('row', { name: /kafka\/prod/ });
  await expect(row).toContainText('OS keychain');
  await expect(app.getByLabel('Secret value')).toHaveValue('');
  expect(await app.content()).not.toContain('e2e-secret-value-91');
  await row.getByRole('button', { name: 'Delete' }).click();
  await expect(row).toHaveCount(0);
});

test.describe('browser host only', () => {
  test.skip(({ mode }) => mode !== 'browser-host', 'concerns the browser host, not the Electron window');

  test('without a keychain, the UI says so and how to enable one', async ({ page, workspace }) => {
    const env = { ...process.env };
    delete env.DBUS_SESSION_BUS_ADDRESS;
    const host = await startHostProcess(workspace, env);
    try {
      await page.goto(host.url);
      await ready(page);
      const banner = page.getByTestId('keychain-banner');
      await expect(banner).toContainText('The OS keychain is not available');
      await expect(banner).toContainText('GNOME Keyring');
    } finally {
      await host.stop();
    }
  });

  test('a page opened without the launch token cannot reach the engine and says why', async ({ page, workspace }) => {
    const host = await startHostProcess(workspace);
    try {
      await page.goto(host.origin + '/');
      await expect(page.getByRole('alert')).toContainText('opened without its access token');
      // A token in the fragment of the open tab is taken (the page reloads itself with it).
      await page.goto(host.origin + '/#token=not-the-token');
      await expect(page.getByRole('alert')).toContainText('Could not connect to the Sluice engine');
      // The URL Sluice printed, pasted into the same tab (only the fragment changes: no reload of its own) connects.
      await page.goto(host.url);
      await ready(page);
    } finally {
      await host.stop();
    }
  });
});

test('the sandbox destination’s connection test passes step by step', async ({ app }) => {
  await ready(app);
  await app.getByRole('link', { name: 'Destinations' }).click();
  await app
    .getByRole('row', { name: /Sandbox stream/ })
    .getByRole('button', { name: 'Test connection' })
    .click();
  const result = app.getByRole('region', { name: 'Connection test' });
  await expect(result).toContainText('Sandbox stream: connection works');
  await expect(result.getByRole('listitem')).toHaveCount(6);
  await expect(result).toContainText('The stream "sluice-sandbox" is ACTIVE with 2 open shard(s)');
});
