import type { Page } from '@playwright/test';
import { expect, ready, shot, test } from './fixtures';
import { localKinesisYaml, peopleModelYaml, usePeoplePeers } from './peer-setup';
import { testAndChoose } from './steps';

// A destination edit that points it at another stream makes its syncs start over (their next runs send
// every row): the wizard names them and asks first, and the saved notice says so. An edit that keeps the
// stream saves without asking; a save while one of them runs is refused, in words.

const ROWS = 2000;
const peers = usePeoplePeers({
  prefix: 'retarget',
  rows: ROWS,
  kinesis: {
    server: 'kinesalite',
    streams: [
      { name: 'first', shards: 1 },
      { name: 'second', shards: 1 },
    ],
  },
});

const sync = (name: string, destination: string) => `  - name: ${name}
    model: People
    destination: ${destination}
    triggers: [added, changed, removed]
    payload: { mode: mapping, fields: [{ column: id, key: id }, { column: name, key: name }] }`;

test.use({
  demo: false,
  config: async ({}, use) => {
    await use(`version: 1
${peopleModelYaml(peers.modelFile)}
destinations:
${localKinesisYaml('events', 'first', peers.proxy.endpoint)}
${localKinesisYaml('other', 'second', peers.proxy.endpoint)}
syncs:
${sync('people-to-x', 'events')}
${sync('orders-to-x', 'events')}
${sync('other-sync', 'other')}
`);
  },
});

test.beforeEach(() => peers.proxy.reset());

/** Edits `events` in the wizard up to its review, with `stream` chosen. */
async function editEventsTo(app: Page, stream: string) {
  await app.getByRole('link', { name: 'Destinations' }).click();
  await app.getByRole('button', { name: 'Edit events' }).click();
  const wizard = app.getByRole('region', { name: 'Edit events' });
  await testAndChoose(wizard, 'stream');
  await wizard.getByLabel('Stream', { exact: true }).selectOption(stream);
  await wizard.getByRole('button', { name: 'Review' }).click();
  await expect(wizard.getByLabel('Summary')).toContainText(stream);
  return wizard;
}

test('another stream: the wizard names the syncs that start over and asks first; Cancel saves nothing, and the notice says they start over', async ({
  app,
}) => {
  test.setTimeout(60_000);
  await ready(app);
  const wizard = await editEventsTo(app, 'second');
  await wizard.getByRole('button', { name: 'Save changes' }).click();

  const prompt = app.getByRole('alertdialog', { name: 'Save “events” and start its syncs over?' });
  await expect(prompt).toContainText(
    /^Save “events” and start its syncs over\?Saving points “events” at the stream “second” \(us-east-1 · http:\/\/127\.0\.0\.1:\d+\)\. /,
  );
  await expect(prompt).toContainText('Its syncs “orders-to-x” and “people-to-x” will start over: their next runs send every row to it, as added.');
  await expect(prompt).not.toContainText('other-sync');
  await expect(prompt).not.toContainText('running now');
  await shot(app, 'destination-retarget-prompt');

  // Cancel: nothing saved, the wizard still on its review.
  await prompt.getByRole('button', { name: 'Cancel' }).click();
  await expect(prompt).toBeHidden();
  await wizard.getByRole('button', { name: 'Cancel' }).click();
  await app.getByRole('alertdialog', { name: 'Discard your changes to “events”?' }).getByRole('button', { name: 'Discard changes' }).click();
  const row = app.getByRole('table', { name: 'Destinations' }).getByRole('row', { name: /events/ });
  await expect(row).toContainText('first');
  await expect(app.getByText(/^Saved "events"/)).toHaveCount(0);

  // Again, and this time saved.
  await editEventsTo(app, 'second');
  await wizard.getByRole('button', { name: 'Save changes' }).click();
  await prompt.getByRole('button', { name: 'Save and start over' }).click();
  await expect(
    app
      .getByRole('status')
      .filter({ hasText: /^Saved "events"/ })
      .locator('span'),
  ).toHaveText('Saved "events". Its syncs “orders-to-x” and “people-to-x” start over: their next runs send every row to its new stream.');
  await expect(prompt).toBeHidden();
  await expect(row).toContainText('second');
  await shot(app, 'destination-retarget-notice');
});

test('the same stream (the connection tested again): saved without asking, and the notice says nothing starts over', async ({ app }) => {
  test.setTimeout(60_000);
  await ready(app);
  const wizard = await editEventsTo(app, 'first');
  await wizard.getByRole('button', { name: 'Save changes' }).click();
  await expect(
    app
      .getByRole('status')
      .filter({ hasText: /^Saved "events"/ })
      .locator('span'),
  ).toHaveText('Saved "events".');
  await expect(app.getByRole('alertdialog')).toHaveCount(0);
  await expect(app.getByRole('table', { name: 'Destinations' }).getByRole('row', { name: /events/ })).toContainText('first');
});

test('while one of its syncs runs: the prompt says so, and the save is refused in words', async ({ app }) => {
  test.setTimeout(90_000);
  // 20 records/s: the run of 2,000 rows goes on for the whole test.
  peers.proxy.enforceShardLimits({ recordsPerSecond: 20, bytesPerSecond: 1024 * 1024 });
  await ready(app);
  await app.getByRole('link', { name: 'Syncs' }).click();
  await app
    .getByLabel('Syncs')
    .getByRole('button', { name: /people-to-x/ })
    .click();
  await app.getByRole('button', { name: 'Run now' }).click();
  const progress = app.getByRole('status', { name: 'Run progress' });
  await expect(progress).toBeVisible();

  const wizard = await editEventsTo(app, 'second');
  await wizard.getByRole('button', { name: 'Save changes' }).click();
  const prompt = app.getByRole('alertdialog', { name: 'Save “events” and start its syncs over?' });
  await expect(prompt).toContainText('“people-to-x” is running now: saving is refused until its run ends (wait for it or cancel it).');
  await shot(app, 'destination-retarget-running-prompt');
  await prompt.getByRole('button', { name: 'Save and start over' }).click();
  const banner = wizard.getByTestId('error-banner');
  await expect(banner).toHaveText(
    /^The sync "people-to-x" is running \(run \d+\): the destination "events" cannot point at another stream or topic until the run ends \(wait for it or cancel it, then save again\)/,
  );
  await expect(banner).toBeInViewport();
  await shot(app, 'destination-retarget-refused');

  // Nothing was saved: the list still says the old stream. The run is cancelled.
  await wizard.getByRole('button', { name: 'Cancel' }).click();
  await app.getByRole('alertdialog', { name: 'Discard your changes to “events”?' }).getByRole('button', { name: 'Discard changes' }).click();
  await expect(app.getByRole('table', { name: 'Destinations' }).getByRole('row', { name: /events/ })).toContainText('first');
  await app.getByRole('link', { name: 'Syncs' }).click();
  await app
    .getByLabel('Syncs')
    .getByRole('button', { name: /people-to-x/ })
    .click();
  await progress.getByRole('button', { name: 'Cancel' }).click();
  await expect(progress).toBeHidden();
});
