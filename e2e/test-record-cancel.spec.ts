import type { Page } from '@playwright/test';
import { startSilentServer } from '../main/testing/peers/silent-server';
import { expect, ready, shot, skipWithoutApp, test } from './fixtures';

// "Send this row as a test record" to a Kafka broker that takes the connection and never answers (a
// hung broker): while it waits, the button is a Cancel with the seconds waited and the bound; Cancel
// gives it up at once and says so, and left alone it is given up after 15 s with an error naming the broker.

let silent: Awaited<ReturnType<typeof startSilentServer>>;
test.beforeAll(async ({}, testInfo) => {
  skipWithoutApp(testInfo);
  silent = await startSilentServer();
});
test.afterAll(async () => {
  await silent?.close();
});

test.use({
  config: async ({}, use) => {
    await use(`version: 1
destinations:
  - kind: kafka
    name: hung-cluster
    brokers: ["127.0.0.1:${silent.port}"]
    topic: customers
syncs:
  - name: customers-to-hung-cluster
    model: Customers
    destination: hung-cluster
    triggers: [added, changed, removed]
    payload: { mode: mapping, fields: [{ column: id, key: id }, { column: plan, key: plan }] }
`);
  },
});

/** The payload editor's first previewed row of the sync to the hung broker. */
async function firstRow(app: Page) {
  await ready(app);
  await app.setViewportSize({ width: 1400, height: 900 });
  await app.getByRole('link', { name: 'Syncs' }).click();
  await app
    .getByLabel('Syncs')
    .getByRole('button', { name: /customers-to-hung-cluster/ })
    .click();
  await app.getByRole('tab', { name: 'Payload' }).click();
  const item = app.getByRole('region', { name: 'Preview' }).getByTestId('preview-item').first();
  await expect(item).toBeVisible();
  return item;
}

test('a test record to a hung broker: Cancel with the seconds waited, and cancelling says it was given up', async ({ app }) => {
  const item = await firstRow(app);
  await item.getByRole('button', { name: 'Send this row as a test record' }).click();
  const waiting = item.getByRole('status', { name: 'Sending the test record' });
  await expect(waiting.getByTestId('test-record-waiting')).toHaveText(/^Waiting for hung-cluster… [2-9] s \(gives up after 15 s\)$/, { timeout: 10_000 });
  await expect(item.getByRole('button', { name: 'Send this row as a test record' })).toHaveCount(0);
  await waiting.scrollIntoViewIfNeeded();
  await shot(app, 'payload-test-record-waiting');

  await waiting.getByRole('button', { name: 'Cancel' }).click();
  const cancelled = item.getByRole('status', { name: 'Test record cancelled' });
  await expect(cancelled).toContainText(`Cancelled: the test record to hung-cluster was given up before Kafka (127.0.0.1:${silent.port}) answered.`, {
    timeout: 5000,
  });
  await expect(waiting).toHaveCount(0);
  await expect(item.getByTestId('error-banner')).toHaveCount(0);
  await expect(item.getByRole('button', { name: 'Send this row as a test record' })).toBeEnabled();
  await shot(app, 'payload-test-record-cancelled');
});

test('a test record to a hung broker left alone: given up after 15 s, naming the broker', async ({ app }) => {
  test.setTimeout(60_000);
  const item = await firstRow(app);
  await item.getByRole('button', { name: 'Send this row as a test record' }).click();
  await expect(item.getByTestId('error-banner')).toContainText(
    `No answer from Kafka (127.0.0.1:${silent.port}) within 15 s, so the test record to hung-cluster was given up. Check that the broker is running`,
    { timeout: 25_000 },
  );
  await expect(item.getByRole('status', { name: 'Sending the test record' })).toHaveCount(0);
  await expect(item.getByRole('button', { name: 'Send this row as a test record' })).toBeEnabled();
  await shot(app, 'payload-test-record-timed-out');
});
