import type { Locator } from '@playwright/test';
import { expect, ready, test } from './fixtures';

// The destination wizard's long values are seen whole in a wide window: the Kafka brokers (the field's own
// example was cut at "b-2.exampl"), a VPC endpoint, and a secret's keychain name (cut at "…/secret-acces").

/** The input shows its whole value: nothing scrolled out of sight. */
async function showsAll(input: Locator): Promise<void> {
  await expect.poll(() => input.evaluate((el: HTMLInputElement) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
}

test('brokers, a VPC endpoint and a keychain name are seen whole at 1400×900', async ({ app }) => {
  await app.setViewportSize({ width: 1400, height: 900 });
  await ready(app);
  await app.getByRole('link', { name: 'Destinations' }).click();
  await app.getByRole('button', { name: 'New destination' }).click();
  const wizard = app.getByRole('region', { name: 'New destination' });

  await wizard.getByRole('radio', { name: /Amazon Kinesis Data Streams/ }).click();
  await wizard.getByLabel('Name', { exact: true }).fill('kinesis-local');
  await wizard.getByLabel('Endpoint').fill('https://vpce-0a1b2c3d4e5f67890-abcdefgh.kinesis.us-east-1.vpce.amazonaws.com');
  await showsAll(wizard.getByLabel('Endpoint'));
  await expect(wizard.getByLabel('Secret access key: keychain name')).toHaveValue('kinesis-local/secret-access-key');
  await showsAll(wizard.getByLabel('Secret access key: keychain name'));

  await wizard.getByRole('button', { name: 'Back' }).click();
  await wizard.getByRole('radio', { name: /Apache Kafka/ }).click();
  const brokers = wizard.getByLabel('Brokers');
  await brokers.fill((await brokers.getAttribute('placeholder')) ?? '');
  await expect(brokers).toHaveValue('b-1.example:9096,b-2.example:9096');
  await showsAll(brokers);
});
