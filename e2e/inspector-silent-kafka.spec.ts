import { expect, ready, shot, test } from './fixtures';
import { startSilentServer } from '../main/testing/peers/silent-server';

// The inspector on a Kafka destination whose address accepts the connection and never answers (a hung
// broker, no Kafka listener): while its topics were listed the form showed nothing but a greyed "Read
// records", then "Could not list what can be inspected: Broker not connected" after about 16 s.

let silent: Awaited<ReturnType<typeof startSilentServer>> | undefined;
test.beforeAll(async () => {
  silent = await startSilentServer();
});
test.afterAll(async () => {
  await silent?.close();
});
test.use({
  config: async ({}, use) => {
    await use(`version: 1
destinations:
  - { kind: kafka, name: hung, brokers: ["127.0.0.1:${silent!.port}"], topic: items }
`);
  },
});

test('while the topics are listed the form says so; a broker that never answers is said in the words a run uses', async ({ app }) => {
  test.setTimeout(60_000);
  await ready(app);
  await app.getByRole('link', { name: 'Inspector' }).click();
  await app.getByLabel('Destination').selectOption('hung');
  const form = app.getByRole('region', { name: 'Read records' });
  await expect(form.getByRole('status')).toHaveText('Listing topics…');
  await expect(form.getByRole('button', { name: 'Read records' })).toBeDisabled();
  await shot(app, 'inspector-listing-topics');
  const banner = app.getByTestId('error-banner');
  await expect(banner).toContainText(
    `Could not list its topics on 127.0.0.1:${silent!.port}: The broker accepted the connection but did not answer Kafka's first request (ApiVersions) in time`,
    { timeout: 30_000 },
  );
  await expect(banner).not.toContainText('Broker not connected');
  await expect(form.getByRole('status')).toHaveCount(0);
});
