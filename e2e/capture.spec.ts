import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { Kafka, logLevel } from 'kafkajs';
import { expect, ready, skipWithoutApp, test } from './fixtures';
import { startKafka, type KafkaPeer } from '../main/testing/peers/kafka';
import { look, overflowing, seriousAxeViolations, SIZES, THEMES } from './desk-walk';

// The Capture view in Chromium on the browser host: the demo sync sends its customers to the sandbox
// Kinesis stream; a capture follows that stream into a SQLite file with live counts per shard, is stopped,
// resumed with nothing new, and its table becomes a Sluice model.

test('captures the sandbox stream into a SQLite file with counts per shard, stops, resumes, and adds the table as a model', async ({ app, workspace }) => {
  test.setTimeout(120_000);
  await ready(app);
  const nav = app.getByRole('navigation', { name: 'Sections' });
  await nav.getByRole('link', { name: 'Syncs' }).click();
  await app.getByRole('button', { name: 'Run now' }).click();
  await expect(app.getByRole('table', { name: 'Run history' }).getByRole('row').nth(1)).toContainText('Succeeded', { timeout: 60_000 });

  await nav.getByRole('link', { name: 'Capture', exact: true }).click();
  await expect(app.getByRole('heading', { name: 'Capture' })).toBeVisible();
  await expect(app.getByLabel('Destination')).toHaveValue('Sandbox stream');
  const file = path.join(workspace, 'customers.sqlite');

  // A relative path is refused, saying what to write instead.
  await app.getByLabel('Capture file').fill('customers.sqlite');
  await app.getByRole('button', { name: 'Start capture' }).click();
  await expect(app.getByTestId('error-banner')).toContainText('absolute path');

  await app.getByLabel('Capture file').fill(file);
  await expect(app.getByLabel('Keep following new records until stopped')).toBeChecked();
  await app.getByRole('button', { name: 'Start capture' }).click();
  const card = app.getByTestId('capture-card').first();
  await expect(card.getByTestId('capture-state')).toHaveText('capturing');
  // One reader per shard, each caught up with the stream; live counts add up to every customer sent.
  await expect(card.getByTestId('capture-part')).toHaveCount(2);
  await expect(card.getByTestId('capture-part').filter({ hasText: 'caught up' })).toHaveCount(2, { timeout: 60_000 });
  await expect(card.getByTestId('capture-total')).toContainText('2,000 records captured');
  await app.screenshot({ path: '/tmp/capture-view-following.png' });

  await card.getByRole('button', { name: 'Stop' }).click();
  await expect(card.getByTestId('capture-state')).toHaveText('stopped');
  const db = new Sqlite(file, { readonly: true });
  try {
    expect((db.prepare('SELECT count(*) AS n FROM captured_records').get() as { n: number }).n).toBe(2000);
    expect((db.prepare('SELECT count(DISTINCT shard) AS n FROM captured_records').get() as { n: number }).n).toBe(2);
  } finally {
    db.close();
  }

  // Again into the same file, until caught up: it resumes from the checkpoint and captures nothing twice.
  await app.getByLabel('Keep following new records until stopped').uncheck();
  await app.getByRole('button', { name: 'Start capture' }).click();
  const again = app.getByTestId('capture-card').first();
  await expect(again.getByTestId('capture-state')).toHaveText('caught up', { timeout: 60_000 });
  await expect(again.getByTestId('capture-total')).toContainText('0 records captured');

  // Nothing overflows, and axe-core finds nothing serious, at both desk sizes, light and dark.
  for (const theme of THEMES) {
    for (const size of SIZES) {
      await look(app, size, theme);
      expect(await overflowing(app)).toEqual([]);
    }
    expect(await seriousAxeViolations(app)).toEqual([]);
  }
  await look(app, SIZES[1], 'dark');
  await app.screenshot({ path: '/tmp/capture-view-done.png', fullPage: true });

  // The captured table as a Sluice model.
  await again.getByLabel('Model name').fill('captured customers');
  await again.getByRole('button', { name: 'Add as model' }).click();
  await expect(again.getByTestId('capture-model-created')).toContainText('Model captured customers reads this file.');
  await again.getByRole('link', { name: 'Open Models' }).click();
  await expect(app.getByText('captured customers').first()).toBeVisible();
});

// A Kafka destination whose syncs choose their topics has none of its own: the form asks which topic to
// capture (it was refused whatever was asked, "capture needs a destination with a topic").
test.describe('a Kafka destination without a topic of its own', () => {
  let kafka: KafkaPeer;
  test.beforeAll(async ({}, testInfo) => {
    skipWithoutApp(testInfo);
    test.setTimeout(300_000);
    kafka = await startKafka();
    await kafka.createTopic('orders', 2);
    const producer = new Kafka({ clientId: 'capture-e2e', brokers: [kafka.listeners.plaintext], logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    await producer.send({ topic: 'orders', messages: Array.from({ length: 7 }, (_, i) => ({ key: `o${i}`, value: JSON.stringify({ order: i }) })) });
    await producer.disconnect();
  });
  test.afterAll(async () => {
    await kafka?.stop();
  });
  test.use({
    config: async ({}, use) => {
      await use(`version: 1
destinations:
  - { kind: kafka, name: per-row, brokers: [${JSON.stringify(kafka.listeners.plaintext)}] }
`);
    },
  });

  test('asks for the topic, and captures it', async ({ app, workspace }) => {
    test.setTimeout(90_000);
    await ready(app);
    await app.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Capture', exact: true }).click();
    await app.getByLabel('Destination').selectOption('per-row');
    const start = app.getByRole('button', { name: 'Start capture' });
    await app.getByLabel('Capture file').fill(path.join(workspace, 'orders.sqlite'));
    await expect(start).toBeDisabled(); // no topic named yet
    await app.getByLabel('Topic').fill('orders');
    await app.getByLabel('Keep following new records until stopped').uncheck();
    await start.click();
    const card = app.getByTestId('capture-card').first();
    await expect(card.getByTestId('capture-state')).toHaveText('caught up', { timeout: 60_000 });
    await expect(card.getByTestId('capture-total')).toContainText('7 records captured');
    await expect(card).toContainText('orders');
    await app.screenshot({ path: test.info().outputPath('capture-topic.png') });
    // The Sandbox stream, which has its stream, asks no topic.
    await app.getByLabel('Destination').selectOption('Sandbox stream');
    await expect(app.getByLabel('Topic')).toHaveCount(0);
  });
});
