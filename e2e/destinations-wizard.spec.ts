import { CreateStreamCommand, waitUntilStreamExists } from '@aws-sdk/client-kinesis';
import type { Page } from '@playwright/test';
import { expect, ready, shot, test, skipWithoutApp } from './fixtures';
import { startKafka, type KafkaPeer } from '../main/testing/peers/kafka';
import { freePort } from '../main/testing/peers/ports';
import { LOCAL_AWS_CREDENTIALS, startKinesisLocal, type KinesisPeer } from '../main/testing/peers/kinesis';

// The destination wizard driven end to end against a real kinesis-local.

let kinesis: KinesisPeer;
test.beforeAll(async ({}, testInfo) => {
  skipWithoutApp(testInfo);
  kinesis = await startKinesisLocal();
  const client = kinesis.client();
  for (const name of ['clicks', 'orders']) {
    await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    await waitUntilStreamExists({ client, maxWaitTime: 30, minDelay: 1 }, { StreamName: name });
  }
  client.destroy();
});
test.afterAll(async () => {
  await kinesis?.stop();
});

/** The New destination wizard, Amazon Kinesis Data Streams chosen. */
async function newKinesisDestination(app: Page) {
  await ready(app);
  await app.getByRole('link', { name: 'Destinations' }).click();
  await app.getByRole('button', { name: 'New destination' }).click();
  const wizard = app.getByRole('region', { name: 'New destination' });
  await wizard.getByRole('radio', { name: /Amazon Kinesis Data Streams/ }).click();
  return wizard;
}

test('creates a Kinesis destination: secret to the keychain, test, stream from the list, IAM policy, save, listed', async ({ app }) => {
  test.setTimeout(60_000);
  const wizard = await newKinesisDestination(app);

  await wizard.getByLabel('Name', { exact: true }).fill('Clicks');
  await wizard.getByLabel('Endpoint').fill(kinesis.endpoint);
  await wizard.getByLabel('Access key ID').fill(LOCAL_AWS_CREDENTIALS.accessKeyId);
  await expect(wizard.getByLabel('Secret access key: keychain name')).toHaveValue('Clicks/secret-access-key');
  await wizard.getByLabel('Secret access key: value').fill(LOCAL_AWS_CREDENTIALS.secretAccessKey);
  await wizard.getByRole('button', { name: 'Test the connection' }).click();

  const steps = wizard.getByRole('region', { name: 'Connection test' });
  await expect(steps.locator('[data-step="Authorisation"]')).toHaveAttribute('data-status', 'ok');
  await expect(steps.locator('[data-step="Listing"]')).toHaveAttribute('data-status', 'ok');
  await expect(steps.locator('[data-step="TLS"]')).toContainText('plain HTTP');
  await wizard.getByRole('button', { name: 'Choose the stream' }).click();

  const streamPicker = wizard.getByLabel('Stream', { exact: true });
  await expect(streamPicker.locator('option')).toContainText(['Choose…', 'clicks', 'orders']);
  await streamPicker.selectOption('clicks');
  await wizard.getByRole('button', { name: 'Review' }).click();

  const policy = wizard.getByLabel('IAM policy', { exact: true });
  await expect(policy).toContainText('"kinesis:PutRecords"');
  await expect(policy).toContainText('"kinesis:ListStreams"');
  await expect(policy).toContainText(/arn:aws:kinesis:us-east-1:\d{12}:stream\/clicks/);
  await expect(policy).not.toContainText('kinesis:GetRecords');
  await wizard.getByLabel(/record inspector/).check();
  await expect(policy).toContainText('"kinesis:GetRecords"');
  await wizard.getByRole('button', { name: 'Save destination' }).click();

  const table = app.getByRole('table', { name: 'Destinations' });
  const row = table.getByRole('row', { name: /Clicks/ });
  await expect(row).toContainText('Amazon Kinesis Data Streams');
  await expect(row).toContainText('clicks');
  await expect(app.getByText('Saved "Clicks".')).toBeVisible();

  // The secret went to the keychain and the destination refers to it by name.
  await app.getByRole('button', { name: 'Edit Clicks' }).click();
  const edit = app.getByRole('region', { name: 'Edit Clicks' });
  await expect(edit.getByLabel('Secret access key: source')).toHaveValue('existing');
  await expect(edit.getByLabel('Secret access key: saved secret')).toHaveValue('Clicks/secret-access-key');
  await edit.getByRole('button', { name: 'Cancel' }).click();

  await row.getByRole('button', { name: 'Test connection' }).click();
  await expect(app.getByRole('region', { name: 'Connection test' })).toContainText('Clicks: connection works');
});

test("a local emulator's region (local) is taken with a custom endpoint, and refused without one, at the field", async ({ app }) => {
  test.setTimeout(60_000);
  const wizard = await newKinesisDestination(app);
  await wizard.getByLabel('Name', { exact: true }).fill('Emulated');
  await wizard.getByLabel('Region', { exact: true }).fill('local');
  await wizard.getByLabel('Access key ID').fill(LOCAL_AWS_CREDENTIALS.accessKeyId);
  await wizard.getByLabel('Secret access key: value').fill(LOCAL_AWS_CREDENTIALS.secretAccessKey);
  // Without an endpoint the calls would go to AWS: refused, under the field, before anything is sent.
  await wizard.getByRole('button', { name: 'Test the connection' }).click();
  // (the message names its field itself: not "Region: region must…")
  await expect(wizard.getByTestId('error-banner').getByRole('listitem')).toHaveText([
    /^\s*region must be an AWS region code, like us-east-1, eu-central-2 or us-gov-west-1$/,
  ]);
  await wizard.getByLabel('Endpoint').fill(kinesis.endpoint);
  await wizard.getByRole('button', { name: 'Test the connection' }).click();
  const steps = wizard.getByRole('region', { name: 'Connection test' });
  await expect(steps.locator('[data-step="Listing"]')).toHaveAttribute('data-status', 'ok');
  await wizard.getByRole('button', { name: 'Choose the stream' }).click();
  await wizard.getByLabel('Stream', { exact: true }).selectOption('orders');
  await wizard.getByRole('button', { name: 'Review' }).click();
  await wizard.getByRole('button', { name: 'Save destination' }).click();
  await expect(app.getByText('Saved "Emulated".')).toBeVisible();
  await expect(app.getByRole('table', { name: 'Destinations' }).getByRole('row', { name: /Emulated/ })).toContainText('local');
});

test('Kafka with AWS IAM (Amazon MSK): the region and any of the AWS credential modes', async ({ app }) => {
  await ready(app);
  await app.getByRole('link', { name: 'Destinations' }).click();
  await app.getByRole('button', { name: 'New destination' }).click();
  const wizard = app.getByRole('region', { name: 'New destination' });
  await wizard.getByRole('radio', { name: /Apache Kafka/ }).click();
  await wizard.getByLabel('Brokers').fill('b-1.prod.a1b2c3.c2.kafka.eu-west-1.amazonaws.com:9098');
  await wizard.getByLabel('Authentication').selectOption('aws');
  await expect(wizard.getByLabel('Authentication').locator('option:checked')).toHaveText('AWS IAM (Amazon MSK, SASL/OAUTHBEARER)');
  await expect(wizard.getByLabel('Region', { exact: true })).toHaveValue('');
  await expect(wizard.getByLabel('Region', { exact: true })).toHaveAttribute('placeholder', 'us-east-1');
  await expect(wizard.getByLabel('Credentials', { exact: true }).locator('option')).toHaveText(['Access key', 'Assume a role', /AWS default chain/]);
  await expect(wizard.getByLabel('Access key ID')).toBeVisible();
  await wizard.getByLabel('Credentials', { exact: true }).selectOption('assume-role');
  await expect(wizard.getByLabel('Role ARN')).toBeVisible();
  // MSK's assumed role gets the same generated external ID as Kinesis and Firehose.
  await expect(wizard.getByLabel('Require an external ID')).toBeChecked();
  await expect(wizard.getByLabel('External ID: value')).toHaveValue(/^sluice-[0-9a-f]{32}$/);
  await expect(wizard.getByLabel('Base credentials')).toBeVisible();
  await expect(wizard.getByText('Authorization identity')).toHaveCount(0);
  await wizard.getByLabel('Region', { exact: true }).fill('eu-west-1');
  await wizard.getByLabel('Role ARN').fill('arn:aws:iam::123456789012:role/msk-writer');
  await app.screenshot({ path: '/tmp/msk-wizard.png', fullPage: true });
});

test('the Kafka wizard says a broker whose port is no port at the field, naming it, and tests nothing until it is fixed', async ({ app }) => {
  await ready(app);
  await app.getByRole('link', { name: 'Destinations' }).click();
  await app.getByRole('button', { name: 'New destination' }).click();
  const wizard = app.getByRole('region', { name: 'New destination' });
  await wizard.getByRole('radio', { name: /Apache Kafka/ }).click();
  await wizard.getByLabel('Name', { exact: true }).fill('orders-kafka');
  const brokers = wizard.getByLabel('Brokers');
  await brokers.fill('kafka-1:9092,kafka-2:99999,kafka-3:abc');
  // While typing, nothing; once the field is left, each broker the client could not connect to.
  await expect(wizard.locator('.field-error')).toHaveCount(0);
  await brokers.press('Tab');
  await expect(wizard.locator('.field-error')).toHaveText([
    'Broker 2 (kafka-2:99999): the port must be a number from 1 to 65535',
    'Broker 3 (kafka-3:abc): the port must be a number from 1 to 65535',
  ]);
  await expect(brokers).toHaveAttribute('aria-invalid', 'true');
  await shot(app, 'kafka-wizard-broker-port');
  await wizard.getByRole('button', { name: 'Test the connection' }).click();
  const banner = wizard.getByTestId('error-banner');
  await expect(banner).toContainText('Some settings are not valid');
  await expect(banner.getByRole('listitem')).toHaveText([
    'Broker 2 (kafka-2:99999): the port must be a number from 1 to 65535',
    'Broker 3 (kafka-3:abc): the port must be a number from 1 to 65535',
  ]);
  await expect(wizard.getByRole('button', { name: 'Test the connection' })).toBeVisible();
  await brokers.fill('kafka-1:9092,kafka-2:9093');
  await brokers.press('Tab');
  await expect(wizard.locator('.field-error')).toHaveCount(0);
});

test('a wrong setting shows the failing step and its message, and the stream cannot be chosen', async ({ app }) => {
  await ready(app);
  const closedPort = await freePort();
  await app.getByRole('link', { name: 'Destinations' }).click();
  await app.getByRole('button', { name: 'New destination' }).click();
  const wizard = app.getByRole('region', { name: 'New destination' });
  await wizard.getByRole('radio', { name: /Amazon Kinesis Data Streams/ }).click();
  await wizard.getByLabel('Name', { exact: true }).fill('Nowhere');
  await wizard.getByLabel('Endpoint').fill(`http://127.0.0.1:${closedPort}`);
  await wizard.getByLabel('Access key ID').fill(LOCAL_AWS_CREDENTIALS.accessKeyId);
  await wizard.getByLabel('Secret access key: value').fill('whatever');
  await wizard.getByRole('button', { name: 'Test the connection' }).click();

  const tcp = wizard.getByRole('region', { name: 'Connection test' }).locator('[data-step="TCP connection"]');
  await expect(tcp).toHaveAttribute('data-status', 'failed');
  await expect(tcp).toContainText('The connection was refused: nothing listens on that port');
  await expect(tcp).toContainText('Check the host and port, and that the service is running.');
  await expect(wizard.getByRole('button', { name: 'Choose the stream' })).toBeDisabled();

  // Bad input is refused before anything is sent, saying what and where.
  await wizard.getByRole('button', { name: 'Back' }).click();
  await wizard.getByLabel('Endpoint').fill('not a url');
  await wizard.getByRole('button', { name: 'Test the connection' }).click();
  await expect(wizard.getByTestId('error-banner')).toContainText('Some settings are not valid');
  // The field named as the form labels it, not by the check's path (`endpoint`).
  await expect(wizard.getByTestId('error-banner').getByRole('listitem')).toHaveText([/^Endpoint: /]);
});

test('typed secrets: cancelling removes what Test saved, and a keychain name already taken is refused, not overwritten', async ({ app }) => {
  test.setTimeout(60_000);
  await ready(app);
  await app.getByRole('link', { name: 'Destinations' }).click();
  const start = async (name: string) => {
    await app.getByRole('button', { name: 'New destination' }).click();
    const wizard = app.getByRole('region', { name: 'New destination' });
    await wizard.getByRole('radio', { name: /Amazon Kinesis Data Streams/ }).click();
    await wizard.getByLabel('Name', { exact: true }).fill(name);
    await wizard.getByLabel('Endpoint').fill(kinesis.endpoint);
    await wizard.getByLabel('Access key ID').fill(LOCAL_AWS_CREDENTIALS.accessKeyId);
    return wizard;
  };

  // Test saves the typed secret; Cancel deletes it again.
  let wizard = await start('Billing');
  await expect(wizard.getByLabel('Secret access key: source').locator('option:checked')).toHaveText(
    'Type it (saved to the keychain when you test the connection)',
  );
  await wizard.getByLabel('Secret access key: value').fill(LOCAL_AWS_CREDENTIALS.secretAccessKey);
  await expect(wizard.getByTestId('secret-save-note')).toHaveText('Testing saves the typed secrets to the keychain (Cancel removes them again).');
  await wizard.getByRole('button', { name: 'Test the connection' }).click();
  await expect(wizard.getByRole('region', { name: 'Connection test' }).locator('[data-step="Listing"]')).toHaveAttribute('data-status', 'ok');
  // Cancel with changes asks first; Discard changes is the Cancel.
  await wizard.getByRole('button', { name: 'Cancel' }).click();
  await app.getByRole('alertdialog', { name: 'Discard this new destination?' }).getByRole('button', { name: 'Discard changes' }).click();
  await expect(wizard).toHaveCount(0);

  wizard = await start('Billing');
  await wizard.getByLabel('Secret access key: source').selectOption('existing');
  await expect(wizard.getByLabel('Secret access key: saved secret').locator('option:checked')).toHaveText('Billing/secret-access-key (not in the keychain)');

  // Saved with its destination, the secret stays.
  await wizard.getByLabel('Secret access key: source').selectOption('new');
  await wizard.getByLabel('Secret access key: value').fill(LOCAL_AWS_CREDENTIALS.secretAccessKey);
  await wizard.getByRole('button', { name: 'Test the connection' }).click();
  await wizard.getByRole('button', { name: 'Choose the stream' }).click();
  await wizard.getByLabel('Stream', { exact: true }).selectOption('orders');
  await wizard.getByRole('button', { name: 'Review' }).click();
  await wizard.getByRole('button', { name: 'Save destination' }).click();
  await expect(app.getByText('Saved "Billing".')).toBeVisible();

  // Another destination typing a value under the same keychain name is refused, with what to do instead.
  wizard = await start('Billing copy');
  await wizard.getByLabel('Secret access key: keychain name').fill('Billing/secret-access-key');
  await wizard.getByLabel('Secret access key: value').fill('another-value');
  await wizard.getByRole('button', { name: 'Test the connection' }).click();
  await expect(wizard.getByTestId('error-banner')).toContainText(
    'A secret named "Billing/secret-access-key" is already saved in the keychain (another destination may use it): choose "A secret saved in the keychain" to use it, give the new one another name, or delete it in Settings → Secrets if nothing uses it',
  );
  await expect(wizard.getByRole('region', { name: 'Connection test' })).toHaveCount(0);
  await wizard.getByRole('button', { name: 'Cancel' }).click();
  await app.getByRole('alertdialog', { name: 'Discard this new destination?' }).getByRole('button', { name: 'Discard changes' }).click();

  // Cancelling that wizard did not delete the secret it did not create.
  await app.getByRole('button', { name: 'Edit Billing' }).click();
  const edit = app.getByRole('region', { name: 'Edit Billing' });
  await expect(edit.getByLabel('Secret access key: saved secret')).toHaveValue('Billing/secret-access-key');
  await expect(edit.getByLabel('Secret access key: saved secret').locator('option:checked')).toHaveText('Billing/secret-access-key');
});

test.describe('Kafka', () => {
  let kafka: KafkaPeer;
  test.beforeAll(async ({}, testInfo) => {
    skipWithoutApp(testInfo);
    test.setTimeout(240_000);
    kafka = await startKafka();
    await kafka.createTopic('page-views', 2);
  });
  test.afterAll(async () => {
    await kafka?.stop();
  });

  async function fillScramOverTls(app: Page, password: string) {
    await ready(app);
    await app.getByRole('link', { name: 'Destinations' }).click();
    await app.getByRole('button', { name: 'New destination' }).click();
    const wizard = app.getByRole('region', { name: 'New destination' });
    await wizard.getByRole('radio', { name: /Apache Kafka/ }).click();
    await wizard.getByLabel('Name', { exact: true }).fill('Page views');
    await wizard.getByLabel('Brokers').fill(kafka.listeners.saslSsl);
    await wizard.getByLabel('Authentication').selectOption('scram-sha-512');
    await wizard.getByLabel('Username').fill(kafka.users.scram512.username);
    await wizard.getByLabel('Password: value').fill(password);
    await wizard.getByLabel('TLS').check();
    await wizard
      .getByLabel(/^CA certificate/)
      .first()
      .fill(kafka.pki.caPem);
    await wizard.getByRole('button', { name: 'Test the connection' }).click();
    return wizard;
  }

  test('SCRAM-SHA-512 over TLS with a pasted CA: test, topic from the cluster, no IAM policy, saved', async ({ app }) => {
    const wizard = await fillScramOverTls(app, kafka.users.scram512.password);
    const steps = wizard.getByRole('region', { name: 'Connection test' });
    await expect(steps.locator('[data-step="TLS"]')).toContainText('Sluice Kafka Test CA');
    await expect(steps.locator('[data-step="Authentication"]')).toContainText('Authenticated with SCRAM-SHA-512');
    await expect(steps.locator('[data-step="Listing"]')).toHaveAttribute('data-status', 'ok');
    await wizard.getByRole('button', { name: 'Choose the topic' }).click();
    await wizard.getByLabel('Topic', { exact: true }).selectOption('page-views');
    await wizard.getByRole('button', { name: 'Review' }).click();
    await expect(wizard.getByText('This destination needs no IAM policy.')).toBeVisible();
    await wizard.getByRole('button', { name: 'Save destination' }).click();
    const row = app.getByRole('table', { name: 'Destinations' }).getByRole('row', { name: /Page views/ });
    await expect(row).toContainText('page-views');
    await expect(row).toContainText('SCRAM-SHA-512 · TLS');
  });

  test('a wrong password is told at the authentication step', async ({ app }) => {
    const wizard = await fillScramOverTls(app, 'not-the-password');
    const auth = wizard.getByRole('region', { name: 'Connection test' }).locator('[data-step="Authentication"]');
    await expect(auth).toHaveAttribute('data-status', 'failed');
    await expect(auth).toContainText('The broker refused the username or password');
  });
});
