import { expect, ready, shot, test } from './fixtures';

// Renaming a destination on the Destinations page: the demo's sync follows the new name and keeps its
// history (its next run sends nothing), and a refused rename says why, in one sentence, and changes nothing.

test('renaming the demo destination: the sync list shows the new name, and its next run sends nothing; a refused rename changes nothing', async ({ app }) => {
  await app.setViewportSize({ width: 1400, height: 900 });
  await ready(app);
  await app.getByRole('link', { name: 'Syncs' }).click();
  const listed = app.getByLabel('Syncs').getByRole('button', { name: /Customers to sandbox/ });
  await expect(listed).toContainText('Customers → Sandbox stream');
  await app.getByRole('button', { name: 'Run now' }).click();
  const history = app.getByRole('table', { name: 'Run history' });
  await expect(history.getByRole('row').nth(1)).toContainText('Succeeded');

  await app.getByRole('link', { name: 'Destinations' }).click();
  const table = app.getByRole('table', { name: 'Destinations' });
  await app.getByRole('button', { name: 'Rename Sandbox stream' }).click();
  const form = app.getByRole('form', { name: 'Rename Sandbox stream' });
  await expect(form).toContainText('New name of the destination “Sandbox stream”');
  await form.getByLabel('New name').fill('Local stream');
  await shot(app, 'destination-rename-form');
  await form.getByRole('button', { name: 'Rename', exact: true }).click();
  await expect(app.getByRole('status').filter({ hasText: 'Renamed' })).toContainText(
    'Renamed "Sandbox stream" to "Local stream" (1 sync updated; their history is kept).',
  );
  await expect(form).toHaveCount(0);
  await expect(table.getByRole('row', { name: /Local stream/ })).toBeVisible();
  await expect(table).not.toContainText('Sandbox stream');

  // A name that is not one: refused in words, the form kept to fix it, nothing renamed.
  await app.getByRole('button', { name: 'Rename Local stream' }).click();
  const again = app.getByRole('form', { name: 'Rename Local stream' });
  await again.getByLabel('New name').fill('-local');
  await again.getByRole('button', { name: 'Rename', exact: true }).click();
  const banner = app.getByTestId('error-banner');
  await expect(banner).toContainText('Could not rename the destination: the input is not valid');
  await expect(banner.getByRole('listitem')).toHaveText([
    'The new name starts with a letter or digit and may use letters, digits, spaces and . _ - (letters A–Z without accents)',
  ]);
  await expect(again).toBeVisible();
  await shot(app, 'destination-rename-refused');
  // Editing the name takes the refusal of the one typed before away (it stayed, even with the name put back).
  await again.getByLabel('New name').fill('Local stream');
  await expect(banner).toHaveCount(0);
  await again.getByRole('button', { name: 'Cancel' }).click();
  await expect(table.getByRole('row', { name: /Local stream/ })).toBeVisible();

  // The sync follows the new name, keeps its run, and its next run sends nothing: the model did not change.
  await app.getByRole('link', { name: 'Syncs' }).click();
  await expect(listed).toContainText('Customers → Local stream');
  await expect(history.getByRole('row')).toHaveCount(2);
  await app.getByRole('button', { name: 'Run now' }).click();
  await expect(history.getByRole('row')).toHaveCount(3);
  const latest = history.getByRole('row').nth(1);
  await expect(latest).toContainText('Succeeded');
  const run = app.getByLabel(/^Run \d+$/);
  await expect(run).toContainText('Read 2,000 rows: 0 added, 0 changed, 0 removed, 2,000 unchanged.');
  await expect(run.getByTestId('run-delivered')).toHaveText('Nothing to send: every row is as last delivered.');
  await expect(run.getByTestId('no-records')).toHaveText('This run sent nothing, so it has no records.');
});

test.describe('a destination with a secret named after it', () => {
  test.use({
    config: `version: 1
destinations:
  - kind: kinesis
    name: kin
    stream: customers
    region: eu-west-1
    endpoint: http://127.0.0.1:1
    auth: { kind: access-key, accessKeyId: AKIAIOSFODNN7EXAMPLE, secretAccessKey: { keychain: kin/secret-access-key } }
`,
  });

  test('its rename says the secret it moved by its new name, as Settings → Secrets lists it', async ({ app }) => {
    await app.setViewportSize({ width: 1400, height: 900 });
    await ready(app);
    await app.getByRole('link', { name: 'Settings' }).click();
    await app.getByLabel('Secret name').fill('kin/secret-access-key');
    await app.getByLabel('Secret value').fill('e2e-aws-secret-4');
    await app.getByRole('button', { name: 'Save secret' }).click();
    const secrets = app.getByRole('table', { name: 'Saved secrets' });
    await expect(secrets.getByRole('row', { name: /kin\/secret-access-key/ })).toContainText('OS keychain');

    await app.getByRole('link', { name: 'Destinations' }).click();
    await app.getByRole('button', { name: 'Rename kin' }).click();
    const form = app.getByRole('form', { name: 'Rename kin' });
    await form.getByLabel('New name').fill('Kinesis prod');
    await form.getByRole('button', { name: 'Rename', exact: true }).click();
    await expect(app.getByRole('status').filter({ hasText: 'Renamed' })).toContainText(
      'Renamed "kin" to "Kinesis prod". Its secret "kin/secret-access-key" is now "Kinesis prod/secret-access-key".',
    );
    await shot(app, 'destination-rename-secret');

    await app.getByRole('link', { name: 'Settings' }).click();
    await expect(secrets.getByRole('row', { name: /secret-access-key/ })).toHaveText([/^Kinesis prod\/secret-access-key/]);
  });
});
