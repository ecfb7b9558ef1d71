import { expect, ready, shot, test } from './fixtures';
import { localKinesisYaml, peopleModelYaml, usePeoplePeers } from './peer-setup';

test('the demo model previews its columns, types and first rows', async ({ app }) => {
  await ready(app);
  const preview = app.getByRole('table', { name: 'Preview' });
  await expect(preview.getByRole('columnheader').first()).toContainText('id');
  await expect(preview.getByRole('columnheader', { name: /external_id/ })).toContainText('text');
  await expect(preview.getByRole('row')).toHaveCount(51);
  await expect(app.getByText('First 50 rows')).toBeVisible();
});

test("New sync says a bad name and a bad mass-removal limit at once, not the name's only once the limit is fixed", async ({ app }) => {
  await ready(app);
  await app.getByRole('link', { name: 'Syncs' }).click();
  await app.getByLabel('Syncs', { exact: true }).getByRole('button', { name: 'New sync' }).click();
  const form = app.getByRole('form', { name: 'New sync' });
  await form.getByLabel('Sync name').fill('!orders');
  await form.getByLabel('Mass-removal limit (%)').fill('1,5');
  await form.getByRole('button', { name: 'Create sync' }).click();
  const banner = form.getByTestId('error-banner');
  await expect(banner.getByRole('listitem')).toHaveText([
    /^Name: A name starts with a letter or digit/,
    'Mass-removal limit: a percent from 0 to 100 (such as 50 or 12.5), without separators',
  ]);
  await shot(app, 'new-sync-all-errors');
  // The limit fixed, the name's problem is still said; the name fixed too, the sync is created.
  await form.getByLabel('Mass-removal limit (%)').fill('20');
  await form.getByRole('button', { name: 'Create sync' }).click();
  await expect(banner.getByRole('listitem')).toHaveText([/^Name: A name starts with a letter or digit/]);
  await form.getByLabel('Sync name').fill('Orders copy');
  await form.getByRole('button', { name: 'Create sync' }).click();
  await expect(app.getByLabel('Syncs', { exact: true }).getByRole('button', { name: /Orders copy/ })).toBeVisible();
});

test('running the demo sync from the UI sends every row to the sandbox stream and lists it in the history', async ({ app }) => {
  await ready(app);
  await app.getByRole('link', { name: 'Syncs' }).click();
  await app.getByRole('button', { name: 'Dry run' }).click();
  const history = app.getByRole('table', { name: 'Run history' });
  await expect(history.getByRole('row').nth(1)).toContainText('dry run');
  await expect(history.getByRole('row').nth(1)).toContainText('Dry run: none refused');
  // A dry run sends nothing: the list does not call the sync succeeded, it notes the dry run beside it.
  const listed = app.getByLabel('Syncs').getByRole('button', { name: /Customers to sandbox/ });
  await expect(listed).toContainText('never run');
  await expect(listed).toContainText(/dry run (just now|\d+ min ago)/);
  await expect(listed).not.toContainText('Succeeded');
  await shot(app, 'sync-list-after-dry-run');

  await app.getByRole('button', { name: 'Run now' }).click();
  await expect(history.getByRole('row')).toHaveCount(3);
  const latest = history.getByRole('row').nth(1);
  await expect(latest).toContainText('Succeeded');
  await expect(listed).toContainText('Succeeded');
  await expect(listed).not.toContainText('dry run');
  await expect(latest.getByRole('cell').nth(4)).toHaveText('2,000');
  await expect(latest.getByRole('cell').nth(7)).toHaveText('2,000');

  const run = app.getByLabel(/^Run \d+$/);
  await expect(run).toContainText('Read 2,000 rows: 2,000 added');
  await expect(run.getByText('2,000 records')).toBeVisible();
  await run.getByLabel('Search records').fill('1999');
  const records = run.getByRole('table', { name: 'Records' });
  await expect(records.getByRole('row')).toHaveCount(2);
  await expect(records.getByRole('row').nth(1)).toContainText(/1999\s*added\s*acknowledged\s*1\s*shardId-00000000000[01]/);
});

test('a double click on Run now starts one run, and no "already running" banner is left behind', async ({ app }) => {
  await ready(app);
  await app.getByRole('link', { name: 'Syncs' }).click();
  await app.getByRole('button', { name: 'Run now' }).dblclick();
  const history = app.getByRole('table', { name: 'Run history' });
  await expect(history.getByRole('row').nth(1)).toContainText('Succeeded');
  await expect(history.getByRole('row')).toHaveCount(2);
  await expect(app.getByTestId('error-banner')).toHaveCount(0);
});

test.describe('live progress', () => {
  const ROWS = 20_000;
  const peers = usePeoplePeers({ prefix: 'model', rows: ROWS, kinesis: { server: 'kinesalite', streams: [{ name: 'slow', shards: 1 }] } });
  test.use({
    config: async ({}, use) => {
      await use(`version: 1
${peopleModelYaml(peers.modelFile, 'SELECT * FROM people')}
destinations:
${localKinesisYaml('slow-stream', 'slow', peers.proxy.endpoint)}
syncs:
  - name: slow-sync
    model: People
    destination: slow-stream
    triggers: [added, changed, removed]
    payload: { mode: mapping, fields: [{ column: id, key: id }, { column: name, key: person.name }] }
`);
    },
  });

  test('a run shows live progress, can be cancelled, and the next run finishes the job', async ({ app }) => {
    peers.proxy.delay(300, 1000);
    await ready(app);
    await app.getByRole('link', { name: 'Syncs' }).click();
    await app
      .getByLabel('Syncs')
      .getByRole('button', { name: /slow-sync/ })
      .click();
    await app.getByRole('button', { name: 'Run now' }).click();
    const progress = app.getByRole('status', { name: 'Run progress' });
    await expect(progress).toContainText('/20,000 delivered');
    await expect(progress.getByRole('progressbar')).toBeVisible();
    await expect(progress).toContainText(/acknowledged [1-9]\d*/);
    await progress.getByRole('button', { name: 'Cancel' }).click();
    const history = app.getByRole('table', { name: 'Run history' });
    await expect(history.getByRole('row').nth(1)).toContainText('Cancelled');

    peers.proxy.reset();
    await app.getByRole('button', { name: 'Run now' }).click();
    // The second run sends the rest of the 20k rows at full speed.
    await expect(history.getByRole('row').nth(1)).toContainText('Succeeded', { timeout: 60_000 });
    // Counts are written with thousands separators ("12,500"); a run that stopped adds what it left pending ("12,500 +7,500 pending").
    const sentCell = (row: number) => history.getByRole('row').nth(row).getByRole('cell').nth(7);
    const sent = async (row: number) => Number(/^[\d,]+/.exec((await sentCell(row).textContent()) ?? '')?.[0].replaceAll(',', ''));
    await expect(sentCell(2)).toContainText(/^[\d,]+ \+[\d,]+ pending$/);
    const sentFirst = await sent(2);
    const sentSecond = await sent(1);
    expect(sentFirst).toBeGreaterThan(0);
    expect(sentFirst + sentSecond).toBe(ROWS);
  });
});
