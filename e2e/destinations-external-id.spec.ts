import { CreateStreamCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { awsClientConfig } from '../main/aws/client-config';
import { startMoto, type MotoPeer } from '../main/testing/peers/moto';
import { expect, ready, shot, test, skipWithoutApp } from './fixtures';

// Assume a role in the destination wizard (moto: STS and Kinesis): Sluice generates the external ID,
// shows it, keeps it in the keychain, and puts it in the trust policy on the review step.

let moto: MotoPeer;
test.beforeAll(async ({}, testInfo) => {
  skipWithoutApp(testInfo);
  moto = await startMoto();
  const client = new KinesisClient(awsClientConfig({ region: moto.region, endpoint: moto.endpoint, credentials: moto.credentials }));
  await client.send(new CreateStreamCommand({ StreamName: 'orders', ShardCount: 1 }));
  client.destroy();
});
test.afterAll(async () => {
  await moto?.stop();
});

test('assume role: a generated external ID is shown, saved to the keychain and required by the trust policy', async ({ app }) => {
  test.setTimeout(90_000);
  await ready(app);
  await app.getByRole('link', { name: 'Destinations' }).click();
  await app.getByRole('button', { name: 'New destination' }).click();
  const wizard = app.getByRole('region', { name: 'New destination' });
  await wizard.getByRole('radio', { name: /Amazon Kinesis Data Streams/ }).click();
  await wizard.getByLabel('Name', { exact: true }).fill('Orders');
  await wizard.getByLabel('Endpoint').fill(moto.endpoint);
  await wizard.getByLabel('Credentials', { exact: true }).selectOption('assume-role');
  await wizard.getByLabel('Role ARN').fill('arn:aws:iam::123456789012:role/sluice-writer');
  await wizard.getByLabel('STS endpoint', { exact: true }).fill(moto.endpoint);
  await wizard.getByLabel('Access key ID', { exact: true }).fill(moto.credentials.accessKeyId);
  await wizard.getByLabel('Secret access key: value').fill(moto.credentials.secretAccessKey);

  const externalId = wizard.getByLabel('External ID: value');
  await expect(externalId).toHaveValue(/^sluice-[0-9a-f]{32}$/);
  const first = await externalId.inputValue();
  await wizard.getByRole('button', { name: 'Generate a new external ID' }).click();
  await expect(externalId).not.toHaveValue(first);
  await expect(externalId).toHaveValue(/^sluice-[0-9a-f]{32}$/);
  const id = await externalId.inputValue();
  await expect(wizard.getByLabel('External ID: keychain name')).toHaveValue('Orders/external-id');
  await shot(app, 'wizard-external-id');

  await wizard.getByRole('button', { name: 'Test the connection' }).click();
  await expect(wizard.getByRole('region', { name: 'Connection test' }).locator('[data-step="Authentication"]')).toHaveAttribute('data-status', 'ok');
  await wizard.getByRole('button', { name: 'Choose the stream' }).click();
  await wizard.getByLabel('Stream', { exact: true }).selectOption('orders');
  await wizard.getByRole('button', { name: 'Review' }).click();

  await expect(wizard.getByTestId('policy-trust')).toContainText(`require the external ID ${id}.`);
  await expect(wizard.getByLabel('Trust policy', { exact: true })).toContainText(`"sts:ExternalId": "${id}"`);
  await shot(app, 'wizard-trust-policy');
  await wizard.getByRole('button', { name: 'Save destination' }).click();
  await expect(app.getByText('Saved "Orders".')).toBeVisible();

  // Kept in the keychain: the destination refers to it by name.
  await app.getByRole('button', { name: 'Edit Orders' }).click();
  const edit = app.getByRole('region', { name: 'Edit Orders' });
  await expect(edit.getByLabel('External ID: source')).toHaveValue('existing');
  await expect(edit.getByLabel('External ID: saved secret')).toHaveValue('Orders/external-id');
});
