import { expect, ready, test } from './fixtures';

// The record inspector in Chromium on the browser host: the demo sync sends every customer to the
// sandbox Kinesis stream; the inspector reads them back with their fields, and a ledger entry's
// record, opened from the run's records, matches the bytes sent.

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
