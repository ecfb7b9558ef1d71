import type { Page } from '@playwright/test';
import { expect, ready, test } from './fixtures';

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

  await app.getByLabel('Explicit hash key', { exact: true }).selectOption('none');
  await app.getByLabel('Partition key', { exact: true }).selectOption('message-id');
  await expect(routing(app).getByTestId('routing-warning')).toHaveCount(0);
  await expect(routing(app).getByTestId('routing-row').first()).toContainText(/[0-9a-f]{32}/);
});
