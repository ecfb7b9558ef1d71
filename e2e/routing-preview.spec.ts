import type { Page } from '@playwright/test';
import { expect, ready, shot, test } from './fixtures';
import { drawn, holdAnswers } from './hold-answers';

async function openPayload(app: Page) {
  await ready(app);
  await app.getByRole('link', { name: 'Syncs' }).click();
  await app.getByRole('tab', { name: 'Payload' }).click();
  await expect(app.getByTestId('template-editor').locator('.monaco-editor')).toBeVisible();
}

const routing = (app: Page) => app.getByRole('region', { name: 'Routing preview' });

test('the routing preview shows where the demo sync’s records land on the sandbox stream’s 2 shards', async ({ app }) => {
  await openPayload(app);
  const buckets = routing(app).getByTestId('routing-bucket');
  await expect(buckets).toHaveCount(2);
  await expect(buckets.first()).toContainText('shard shardId-000000000000');
  await expect(buckets.nth(1)).toContainText('shard shardId-000000000001');
  await expect(routing(app)).toContainText('2,000 of 2,000 rows sampled');
  // Every previewed row is on one of the two shards, and the primary key spreads them without warnings.
  await expect(routing(app).getByTestId('routing-row')).toHaveCount(3);
  await expect(routing(app).getByTestId('routing-row').first()).toContainText(/shardId-00000000000[01]/);
  await expect(routing(app).getByTestId('routing-warning')).toHaveCount(0);
});

test('an explicit hash key moves records, warns of a hot shard, and a bad one is an error on its row', async ({ app }) => {
  await openPayload(app);
  await expect(routing(app).getByTestId('routing-bucket')).toHaveCount(2);
  await app.getByLabel('Explicit hash key', { exact: true }).selectOption('template');
  await app.getByLabel('Explicit hash key template').fill('{% if row.id == 2 %}abc{% else %}{{ row.id }}{% endif %}');
  // Small hash keys all fall in the first shard's range: one shard takes everything.
  await expect(routing(app).getByTestId('routing-warning').first()).toContainText('shard shardId-000000000000 would take 100% of the records');
  const row2 = routing(app).getByTestId('routing-row').filter({ hasText: /^2/ });
  await expect(row2).toContainText('the explicit hash key "abc" is not a whole decimal number from 0 to 2^128−1');
  await expect(routing(app).getByTestId('routing-row').first()).toContainText('shardId-000000000000');
  // The payload preview shows the same row error, and the sync cannot be saved with it silently wrong.
  const preview = app.getByRole('region', { name: 'Preview' });
  await expect(preview.getByTestId('preview-item').nth(1).getByRole('alert')).toContainText('the explicit hash key "abc" is not a whole decimal number');

  // A hash key template that does not parse is reported as that template's problem, not marked in the payload.
  await app.getByLabel('Explicit hash key template').fill('{% if row.id %}1');
  await expect(app.getByTestId('template-problem')).toContainText('The explicit hash key template: Line 1, column 1:');
  await expect(app.getByTestId('template-editor').locator('.squiggly-error')).toHaveCount(0);
  await expect(app.getByRole('button', { name: 'Save payload' })).toBeDisabled();

  await app.getByLabel('Explicit hash key', { exact: true }).selectOption('none');
  await app.getByLabel('Partition key', { exact: true }).selectOption('message-id');
  await expect(routing(app).getByTestId('routing-warning')).toHaveCount(0);
  await expect(routing(app).getByTestId('routing-row').first()).toContainText(/[0-9a-f]{32}/);

  // The first column with a value (Segment's userId, else anonymousId): the demo model has neither, so the columns are to choose.
  await app.getByLabel('Partition key', { exact: true }).selectOption('first-present');
  await expect(app.getByLabel('Partition key column 1', { exact: true })).toHaveValue('');
  await app.getByLabel('Partition key column 1', { exact: true }).selectOption('plan');
  await app.getByLabel('Partition key column 2', { exact: true }).selectOption('id');
  await expect(routing(app).getByTestId('routing-row').first()).toContainText(/shardId-00000000000[01]/);
  await expect(routing(app).getByTestId('routing-row').first()).toContainText(/enterprise|pro|free|team|starter/i);

  // One key for every row: the preview says that key bounds the send rate.
  await app.getByLabel('Partition key', { exact: true }).selectOption('template');
  await app.getByLabel('Partition key template').fill('tenant-1');
  await expect(routing(app).getByTestId('routing-warning').filter({ hasText: 'the partition key "tenant-1" carries 100% of the records' })).toContainText(
    'this key bounds the send rate',
  );
  await routing(app).getByTestId('routing-warning').first().scrollIntoViewIfNeeded();
  await shot(app, 'routing-hot-key');
});

test.describe('Firehose', () => {
  test.use({
    config: async ({}, use) => {
      await use(`version: 1
destinations:
  - kind: firehose
    name: firehose
    deliveryStream: everyone
    region: us-east-1
    auth: { kind: access-key, accessKeyId: AKIAIOSFODNN7EXAMPLE, secretAccessKey: { env: SLUICE_E2E_SECRET } }
syncs:
  - name: customers-to-firehose
    model: Customers
    destination: firehose
    triggers: [added, changed, removed]
    payload: { mode: mapping, fields: [{ column: id, key: id }, { column: plan, key: plan }] }
    firehose:
      eventName: { kind: column, column: plan }
      routes: [{ match: ENTERPRISE, stream: big_accounts }, { match: "*", stream: everyone }]
`);
    },
  });

  test('event name → delivery stream rows route each record; editing the rows updates the preview', async ({ app }) => {
    await ready(app);
    await app.getByRole('link', { name: 'Syncs' }).click();
    await app
      .getByLabel('Syncs')
      .getByRole('button', { name: /customers-to-firehose/ })
      .click();
    await app.getByRole('tab', { name: 'Payload' }).click();
    const buckets = routing(app).getByTestId('routing-bucket');
    await expect(buckets).toHaveCount(2);
    await expect(buckets.first()).toContainText('delivery stream big_accounts');
    await expect(buckets.nth(1)).toContainText('delivery stream everyone');
    // Each previewed row goes where its plan says (names compare case-insensitively).
    const preview = app.getByRole('region', { name: 'Preview' });
    const rows = routing(app).getByTestId('routing-row');
    await expect(rows).toHaveCount(3);
    for (let i = 0; i < 3; i++) {
      const plan = /"plan": "(\w+)"/.exec((await preview.getByTestId('preview-item').nth(i).locator('pre').first().textContent()) ?? '')![1];
      await expect(rows.nth(i)).toContainText(plan === 'enterprise' ? 'big_accounts' : 'everyone');
    }
    // Without the * row, records of other plans match nothing: skipped by default, and said so.
    await app.getByRole('button', { name: 'Remove route 2' }).click();
    await expect(routing(app)).toContainText('rows match no route and would be skipped');
    await expect(routing(app)).not.toContainText('would be rejected');
    await expect(routing(app).getByTestId('routing-bucket')).toHaveCount(1);
    // Rejecting them instead (as before) makes them rows a run would reject.
    await app.getByLabel('Events no row matches').selectOption('reject');
    await expect(routing(app)).toContainText('rows would be rejected (a template error, no route, or a topic or partition the destination lacks)');
    await expect(routing(app)).not.toContainText('would be skipped');
  });

  test('the sync settings choose what happens to events no route matches: skipped by default, or rejected', async ({ app }) => {
    await ready(app);
    await app.getByRole('link', { name: 'Syncs' }).click();
    await app
      .getByLabel('Syncs')
      .getByRole('button', { name: /customers-to-firehose/ })
      .click();
    await app.getByRole('tab', { name: 'Settings' }).click();
    const settings = app.getByRole('form', { name: 'Sync settings' });
    await expect(settings.getByLabel('Events no row matches')).toHaveValue('skip');
    await settings.getByLabel('Events no row matches').selectOption('reject');
    await settings.getByRole('button', { name: 'Save settings' }).click();
    await expect(app.getByRole('status').filter({ hasText: 'Saved the settings of “customers-to-firehose”' })).toBeVisible();
    // The payload editor's message properties show the saved choice.
    await app.getByRole('tab', { name: 'Payload' }).click();
    await expect(app.getByRole('region', { name: 'Message properties' }).getByLabel('Events no row matches')).toHaveValue('reject');
  });
});

test('while it works the preview says so, and a slow earlier answer never replaces a newer one', async ({ app }) => {
  // Hold the engine's answer to one previewRouting request (as a slow cluster would) and let later ones through.
  const held = await holdAnswers(app, 'previewRouting');
  await app.reload();
  await openPayload(app);
  await expect(routing(app)).toContainText('2,000 of 2,000 rows sampled');
  const sample = routing(app).getByLabel('Sample rows');

  held.holdNext();
  await sample.fill('500');
  await expect.poll(() => held.count()).toBe(1);
  await expect(routing(app).getByTestId('routing-loading')).toBeVisible();
  await sample.fill('700');
  await expect(routing(app)).toContainText('700 of 2,000 rows sampled');
  await expect(routing(app).getByTestId('routing-loading')).toHaveCount(0);

  // The answer for 500 arrives last: it is dropped.
  const before = held.passed();
  held.release();
  expect(held.passed()).toBe(before + 1);
  await drawn(app);
  await expect(routing(app)).toContainText('700 of 2,000 rows sampled');
  await expect(routing(app)).not.toContainText('500 of 2,000');
});
