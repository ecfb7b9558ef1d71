import { Kafka, logLevel } from 'kafkajs';
import { expect, ready, shot, test, skipWithoutApp } from './fixtures';
import { drawn, holdAnswers } from './hold-answers';
import { createPeopleDb } from '../main/testing/model-db';
import { startKafka, type KafkaPeer } from '../main/testing/peers/kafka';
import { tempWorkspace } from '../main/testing/temp';

// The record inspector in Chromium on the browser host: the demo sync sends every customer to the
// sandbox Kinesis stream; the inspector reads them back with their fields, and a ledger entry's
// record, opened from the run's records, matches the bytes sent.

test('the read form refuses a wait or a limit out of range before asking, saying the range in the field’s unit', async ({ app }) => {
  await ready(app);
  await app.getByRole('link', { name: 'Inspector' }).click();
  await expect(app.getByTestId('inspector-stream')).toHaveText('sluice-sandbox');
  const read = app.getByRole('button', { name: 'Read records' });
  await app.getByLabel('Listen seconds').fill('99999999');
  await app.getByLabel('Limit').fill('99999999999999999999');
  const form = app.getByRole('region', { name: 'Read records' });
  await expect(form.locator('.field-error')).toHaveText(['Listen for new records from 0 to 20 seconds', 'Limit must be a whole number from 1 to 1,000']);
  await expect(read).toBeDisabled();
  await form.screenshot({ path: test.info().outputPath('inspector-out-of-range.png') });
  await app.getByLabel('Listen seconds').fill('0');
  await app.getByLabel('Limit').fill('5');
  await expect(form.locator('.field-error')).toHaveCount(0);
  await read.click();
  await expect(app.getByTestId('inspector-summary')).toContainText('from sluice-sandbox');
  await expect(app.getByTestId('error-banner')).toHaveCount(0);
});

test('the limit takes 1,000 as its own words write it, and 1 000; text that is no number is said to be none', async ({ app }) => {
  await ready(app);
  await app.getByRole('link', { name: 'Inspector' }).click();
  await expect(app.getByTestId('inspector-stream')).toHaveText('sluice-sandbox');
  const form = app.getByRole('region', { name: 'Read records' });
  const read = app.getByRole('button', { name: 'Read records' });
  await app.getByLabel('Limit').fill('1,00');
  await expect(form.locator('.field-error')).toHaveText('"1,00" is not a number. Limit must be a whole number from 1 to 1,000');
  await expect(read).toBeDisabled();
  await shot(app, 'inspector-limit-not-a-number');
  await app.getByLabel('Limit').fill('1 000');
  await expect(form.locator('.field-error')).toHaveCount(0);
  await app.getByLabel('Limit').fill('1,000');
  await expect(form.locator('.field-error')).toHaveCount(0);
  await read.click();
  await expect(app.getByTestId('inspector-summary')).toContainText('from sluice-sandbox');
  await expect(app.getByTestId('error-banner')).toHaveCount(0);
  await shot(app, 'inspector-limit-1000');
});

test('the inspector reads the demo sync’s records back from TRIM_HORIZON and a ledger entry’s record matches byte for byte', async ({ app }) => {
  test.setTimeout(60_000);
  await ready(app);
  await app.getByRole('link', { name: 'Syncs' }).click();
  await app.getByRole('button', { name: 'Run now' }).click();
  const history = app.getByRole('table', { name: 'Run history' });
  await expect(history.getByRole('row').nth(1)).toContainText('Succeeded', { timeout: 30_000 });

  await app.getByRole('link', { name: 'Inspector' }).click();
  await expect(app.getByLabel('Destination')).toHaveValue('Sandbox stream');
  await expect(app.getByTestId('inspector-stream')).toHaveText('sluice-sandbox');
  const shards = app.getByRole('group', { name: 'Shards' });
  await expect(shards.getByRole('checkbox')).toHaveCount(2);
  await expect(app.getByLabel('Start at')).toHaveValue('earliest');
  await expect(app.getByLabel('Start at').locator('option:checked')).toHaveText('TRIM_HORIZON (oldest)');
  await app.getByLabel('Limit').fill('40');
  await app.getByRole('button', { name: 'Read records' }).click();

  const table = app.getByRole('table', { name: 'Stream records' });
  await expect(table.getByTestId('inspector-record')).toHaveCount(40);
  await expect(app.getByTestId('inspector-summary')).toContainText('40 records from sluice-sandbox — shardId-000000000000:');
  const first = table.getByTestId('inspector-record').first();
  await expect(first.getByTestId('record-shard')).toHaveText(/^shardId-00000000000[01]$/);
  await expect(first.getByTestId('record-sequence')).toHaveText(/^\d{20,}$/);
  await expect(first.getByTestId('record-partition-key')).toHaveText(/^\d+$/);
  // The data as one line, and its pretty JSON behind a click.
  const data = first.getByTestId('record-data');
  await expect(data.locator('summary')).toContainText('"email":');
  await data.locator('summary').click();
  await expect(data.getByLabel('Pretty JSON')).toContainText('\n  "email": ');

  // Only shard 1: every record comes from it.
  await shards.getByRole('checkbox', { name: 'shardId-000000000001' }).check();
  await app.getByRole('button', { name: 'Read records' }).click();
  await expect(app.getByTestId('inspector-summary')).toHaveText(/^40 records from sluice-sandbox — shardId-000000000001: 40 \(limit\)$/);
  await expect(table.getByTestId('record-shard').filter({ hasText: 'shardId-000000000000' })).toHaveCount(0);

  // From the run's records: open customer 1999 in the stream.
  await app.getByRole('link', { name: 'Syncs' }).click();
  await history.getByRole('row').nth(1).click();
  const run = app.getByLabel(/^Run \d+$/);
  await run.getByLabel('Search records').fill('1999');
  const records = run.getByRole('table', { name: 'Records' });
  await expect(records.getByRole('row')).toHaveCount(2);
  await records.getByRole('link', { name: 'Open record 1999 in the stream' }).click();
  await expect(app).toHaveURL(/#\/inspector\?ledger=\d+$/);
  const readBack = app.getByTestId('readback');
  await expect(readBack.getByTestId('readback-verdict')).toHaveText(/^✓ bytes match \(\d+ bytes\)$/);
  await expect(readBack.getByTestId('readback-verdict')).toHaveAttribute('data-match', 'true');
  await expect(readBack.getByTestId('record-partition-key')).toHaveText('1999');
  await expect(readBack.getByTestId('readback-sent')).toContainText('"id":1999');
  await expect(readBack.getByTestId('record-data').locator('summary')).toContainText('"id":1999');
});

test.describe('on a Kafka topic', () => {
  let kafka: KafkaPeer;
  let modelDir: { dir: string; cleanup(): void };
  let modelFile: string;
  test.beforeAll(async ({}, testInfo) => {
    skipWithoutApp(testInfo);
    test.setTimeout(300_000);
    modelDir = tempWorkspace('sluice-e2e-inspect-model-');
    const { file, db } = createPeopleDb(modelDir.dir, 12);
    db.close();
    modelFile = file;
    kafka = await startKafka();
    await kafka.createTopic('people', 2);
  });
  test.afterAll(async () => {
    await kafka?.stop();
    modelDir?.cleanup();
  });
  test.use({
    config: async ({}, use) => {
      await use(`version: 1
sources:
  - { kind: sqlite, name: people-db, path: ${JSON.stringify(modelFile)} }
models:
  - { name: People, source: people-db, query: "SELECT id, name FROM people", primaryKey: [id] }
destinations:
  - { kind: kafka, name: kafka, brokers: [${JSON.stringify(kafka.listeners.plaintext)}], topic: people }
syncs:
  - name: people-to-kafka
    model: People
    destination: kafka
    triggers: [added, changed, removed]
    payload: { mode: template, template: '{"id": {{ row.id }}, "name": {{ row.name | json }}}' }
    kafka: { headers: [{ name: source, value: sluice }] }
`);
    },
  });

  test('reads chosen partitions from an offset with key, headers, partition and offset, and a ledger entry’s record matches', async ({ app }) => {
    test.setTimeout(90_000);
    await ready(app);
    await app.getByRole('link', { name: 'Syncs' }).click();
    await app
      .getByLabel('Syncs')
      .getByRole('button', { name: /people-to-kafka/ })
      .click();
    await app.getByRole('button', { name: 'Run now' }).click();
    const history = app.getByRole('table', { name: 'Run history' });
    await expect(history.getByRole('row').nth(1)).toContainText('Succeeded', { timeout: 30_000 });

    await app.getByRole('link', { name: 'Inspector' }).click();
    await app.getByLabel('Destination').selectOption('kafka');
    await expect(app.getByLabel('Topic')).toHaveValue('people');
    const partitions = app.getByRole('group', { name: 'Partitions' });
    await expect(partitions.getByRole('checkbox')).toHaveCount(2);
    await partitions.getByRole('checkbox', { name: '1' }).check();
    await app.getByLabel('Start at').selectOption('offset');
    await app.getByLabel('Offset').fill('1');
    await app.getByRole('button', { name: 'Read records' }).click();

    const table = app.getByRole('table', { name: 'Topic records' });
    await expect(app.getByTestId('inspector-summary')).toContainText(/records from people — people-1: \d+ \(caught-up\)/);
    const rows = table.getByTestId('inspector-record');
    await expect(rows.first().getByTestId('record-partition')).toHaveText('1');
    await expect(rows.first().getByTestId('record-offset')).toHaveText('1');
    await expect(table.getByTestId('record-partition').filter({ hasText: '0' })).toHaveCount(0);
    await expect(rows.first()).toContainText('source=sluice');
    const key = (await rows.first().getByTestId('record-key').textContent())!;
    await expect(rows.first().getByTestId('record-data').locator('summary')).toHaveText(`{"id":${key},"name":"person ${key}"}`);

    await app.getByRole('link', { name: 'Syncs' }).click();
    await app
      .getByLabel('Syncs')
      .getByRole('button', { name: /people-to-kafka/ })
      .click();
    await history.getByRole('row').nth(1).click();
    const run = app.getByLabel(/^Run \d+$/);
    await run.getByLabel('Search records').fill('7');
    await run.getByRole('table', { name: 'Records' }).getByRole('link', { name: 'Open record 7 in the stream' }).click();
    const readBack = app.getByTestId('readback');
    await expect(readBack.getByTestId('readback-verdict')).toHaveText(/^✓ bytes match \(\d+ bytes\)$/);
    await expect(readBack.getByTestId('record-key')).toHaveText('7');
  });
});

test.describe('switching destination during a read', () => {
  let kafka: KafkaPeer;
  test.beforeAll(async ({}, testInfo) => {
    skipWithoutApp(testInfo);
    test.setTimeout(300_000);
    kafka = await startKafka();
    await kafka.createTopic('quiet', 1);
    // Names whose order by code units (capitals first, "10" before "9") is not the order people read.
    for (const topic of ['Topic-10', 'topic-9', 'alpha']) await kafka.createTopic(topic, 1);
  });
  test.afterAll(async () => {
    await kafka?.stop();
  });
  test.use({
    config: async ({}, use) => {
      await use(`version: 1
destinations:
  - { kind: kafka, name: kafka, brokers: [${JSON.stringify(kafka.listeners.plaintext)}], topic: quiet }
`);
    },
  });

  test('the topics are listed in natural order, without regard to case; internal ones not at all', async ({ app }) => {
    await ready(app);
    await app.getByRole('link', { name: 'Inspector' }).click();
    await app.getByLabel('Destination').selectOption('kafka');
    await expect(app.getByLabel('Topic')).toHaveValue('quiet');
    await expect(app.getByLabel('Topic').locator('option')).toHaveText(['alpha', 'quiet', 'topic-9', 'Topic-10']);
    await shot(app, 'inspector-topics-sorted');
  });

  test('a key and a header value of 5,000 characters wrap in a few lines: the record’s value stays in view', async ({ app }) => {
    const long = 'k'.repeat(5000);
    const producer = new Kafka({ brokers: [kafka.listeners.plaintext], logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    await producer.send({ topic: 'alpha', messages: [{ key: long, value: '{"id":1}', headers: { h: long } }] });
    await producer.disconnect();
    await ready(app);
    await app.getByRole('link', { name: 'Inspector' }).click();
    await app.getByLabel('Destination').selectOption('kafka');
    await app.getByLabel('Topic').selectOption('alpha');
    await app.getByRole('button', { name: 'Read records' }).click();
    const row = app.getByRole('table', { name: 'Topic records' }).getByTestId('inspector-record');
    await expect(row.getByTestId('record-key').getByTitle(long)).toHaveText(long);
    await expect(row.getByTestId('record-data')).toBeInViewport();
    expect(await row.evaluate((el) => el.getBoundingClientRect().height), 'the row is a few lines tall').toBeLessThan(150);
    await shot(app, 'inspector-long-key');
  });

  test('an answer for the destination no longer chosen never shows under the new one', async ({ app }) => {
    test.setTimeout(60_000);
    const reads = await holdAnswers(app, 'inspectRead');
    await app.reload();
    await ready(app);
    await app.getByRole('link', { name: 'Inspector' }).click();
    await app.getByLabel('Destination').selectOption('kafka');
    await expect(app.getByLabel('Topic')).toHaveValue('quiet');
    await app.getByLabel('Start at').selectOption('latest');
    await app.getByLabel('Listen seconds').fill('3');
    await app.getByRole('button', { name: 'Read records' }).click();
    await expect(app.getByRole('button', { name: 'Reading…' })).toBeVisible();

    const other = (await app.getByLabel('Destination').locator('option:not([value="kafka"])').first().getAttribute('value'))!;
    await app.getByLabel('Destination').selectOption(other);
    await expect(app.getByRole('button', { name: /^(Read records|Show sent records)$/ })).toBeEnabled();
    // The Kafka read answers after its 3 s of listening: once the page has it, nothing of it may appear.
    await expect.poll(() => reads.passed(), { timeout: 20_000 }).toBe(1);
    await drawn(app);
    await expect(app.getByTestId('inspector-summary')).toHaveCount(0);
    await expect(app.getByLabel('Destination')).toHaveValue(other);
  });
});
