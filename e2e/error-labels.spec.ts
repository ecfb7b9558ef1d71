import { expect, ready, shot, test } from './fixtures';

// A refusal of the engine's input check names each field as the form labels it ("Start sequence number"),
// not by the check's path (`from.sequenceNumber`), which is no word of the app's.

test('a read refused for its start names the field as the form does, not its path', async ({ app }) => {
  await ready(app);
  await app.getByRole('link', { name: 'Inspector' }).click();
  await expect(app.getByTestId('inspector-stream')).toHaveText('sluice-sandbox');
  await app.getByLabel('Start at').selectOption('sequence');
  await app.getByLabel('Sequence number').fill('12ab');
  await app.getByRole('button', { name: 'Read records' }).click();
  const banner = app.getByTestId('error-banner');
  await expect(banner.getByRole('listitem')).toHaveText(['Start sequence number: A sequence number is digits only, at most 128 of them']);
  await expect(banner).not.toContainText('from.');
  await expect(banner.locator('code')).toHaveCount(0);
  await shot(app, 'inspector-start-refused');
});
