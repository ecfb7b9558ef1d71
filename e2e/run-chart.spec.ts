import { expect, ready, shot, test } from './fixtures';
import { localKinesisYaml, peopleModelYaml, usePeoplePeers } from './peer-setup';

// Issue #15, item 6: during a run, a live chart of the records/s acknowledged sits beside the ETA,
// with the moments the destination throttled and records were sent again marked. The stream is a
// local Kinesis behind the fault proxy, which throttles each shard past 300 records/s as AWS does.

const ROWS = 6000;
const peers = usePeoplePeers({ prefix: 'chart', rows: ROWS, kinesis: { server: 'kinesalite', streams: [{ name: 'limited', shards: 1 }] } });

test.use({
  config: async ({}, use) => {
    await use(`version: 1
${peopleModelYaml(peers.modelFile, 'SELECT * FROM people')}
destinations:
${localKinesisYaml('limited-stream', 'limited', peers.proxy.endpoint)}
syncs:
  - name: limited-sync
    model: People
    destination: limited-stream
    triggers: [added, changed, removed]
    payload: { mode: mapping, fields: [{ column: id, key: id }, { column: name, key: name }] }
`);
  },
});

test('a run draws its records/s live beside the ETA, throttled answers and retries marked', async ({ app }) => {
  test.setTimeout(120_000);
  await app.setViewportSize({ width: 1400, height: 900 });
  peers.proxy.reset();
  peers.proxy.enforceShardLimits({ recordsPerSecond: 300, bytesPerSecond: 1024 * 1024 });
  await ready(app);
  await app.getByRole('link', { name: 'Syncs' }).click();
  await app
    .getByLabel('Syncs')
    .getByRole('button', { name: /limited-sync/ })
    .click();
  await app.getByRole('button', { name: 'Run now' }).click();

  const progress = app.getByRole('status', { name: 'Run progress' });
  const chart = progress.getByTestId('run-chart');
  await expect(chart).toBeVisible();
  await expect(progress).toContainText(/about \d+ s left/);
  // The chart grows with every progress event, and marks the throttling and the retries it caused.
  await expect.poll(async () => Number(await chart.getAttribute('data-samples')), { timeout: 30_000 }).toBeGreaterThanOrEqual(8);
  await expect.poll(async () => Number(await chart.getAttribute('data-throttled-marks')), { timeout: 30_000 }).toBeGreaterThan(0);
  await expect.poll(async () => Number(await chart.getAttribute('data-retried-marks')), { timeout: 30_000 }).toBeGreaterThan(0);
  await expect(chart.getByTestId('throttled-mark').first()).toBeAttached();
  await expect(chart.getByTestId('retried-mark').first()).toBeAttached();
  await expect(chart.getByRole('img')).toHaveAttribute(
    'aria-label',
    /^Records per second acknowledged over the last \d+ s: now [\d,]+ records\/s, peak [\d,]+ records\/s\. [\d,]+ answers throttled\. [\d,]+ records sent again\.$/,
  );
  // Two rates, each saying which it is: the average since sending started beside the counts, the rate now under the chart.
  await expect(progress.getByTestId('run-rate')).toHaveText(/^average [\d,.]+ records\/s$/);
  await expect(chart.getByTestId('run-chart-rate')).toHaveText(/^now [\d,.]+ records\/s$/);
  await expect(chart.locator('figcaption')).toContainText(/throttled \([\d,]+\)/);

  // Beside the ETA: the chart sits on the same line as the counts and the time left, inside the card.
  const card = await progress.boundingBox();
  const box = await chart.boundingBox();
  const counts = await progress.locator('.progress-live > .muted').boundingBox();
  expect(box && card && counts).toBeTruthy();
  expect(box!.x).toBeGreaterThan(counts!.x + counts!.width - 1);
  expect(box!.x + box!.width).toBeLessThanOrEqual(card!.x + card!.width);
  // The line itself: as many points as samples, inside the drawing (both read from one render: the chart redraws live).
  const drawn = await chart.evaluate((el) => ({
    points: el.querySelector('polyline')?.getAttribute('points') ?? '',
    samples: el.getAttribute('data-samples'),
  }));
  expect(drawn.points.trim().split(' ').length).toBe(Number(drawn.samples));
  await shot(app, 'run-chart-throttled');
  // The history's row of this run counts along with the progress, not only once the run ends.
  const row = app.getByRole('table', { name: 'Run history' }).getByRole('row').nth(1);
  await expect(row).toContainText('Running');
  await expect
    .poll(async () => Number((await row.getByRole('cell').nth(7).innerText()).replace(/,/g, '').replace(/\D.*$/s, '')), { timeout: 30_000 })
    .toBeGreaterThan(0);
  // So do its records, under the run's page: read again every few seconds while it runs.
  const records = app.locator('[aria-label="Run 1"]').getByText(/^[\d,]+ records?$/);
  await expect.poll(async () => Number((await records.innerText()).replace(/\D/g, '')), { timeout: 30_000 }).toBeGreaterThan(0);
  await expect(progress).toBeVisible();
  await shot(app, 'run-history-live');

  await progress.getByRole('button', { name: 'Cancel' }).click();
  await expect(app.getByRole('table', { name: 'Run history' }).getByRole('row').nth(1)).toContainText('Cancelled');
  await expect(progress).toBeHidden();
});
