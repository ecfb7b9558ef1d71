import fs from 'node:fs';
import path from 'node:path';
import { expect, ready, test } from './fixtures';
import { tempWorkspace } from '../main/testing/temp';

// The mass-removal guard in the app: a CSV caught mid-rewrite (its header only) stops the run before
// anything is removed downstream; the run says why, and "Send the removals" sends them once confirmed.

const HEADER = 'id,name\n';
const model = tempWorkspace('sluice-e2e-csv-');
const csv = path.join(model.dir, 'people.csv');
test.afterAll(() => model.cleanup());

/** The workspace's config: the CSV of `rows` people, a sandbox, and the sync `name` with `extra` YAML lines. */
function guardConfig(rows: number, name: string, extra = ''): string {
  fs.writeFileSync(csv, HEADER + Array.from({ length: rows }, (_, i) => `${i + 1},person ${i + 1}\n`).join(''));
  return `version: 1
sources:
  - { kind: csv, name: people-file, path: ${JSON.stringify(csv)} }
models:
  - { name: People, source: people-file, primaryKey: [id] }
destinations:
  - { kind: sandbox-kinesis, name: guard-sandbox, stream: guard }
syncs:
  - name: ${name}
    model: People
    destination: guard-sandbox
    triggers: [added, changed, removed]
    payload: { mode: template, template: '{"id": {{ row.id }}, "event": {{ event | json }}}' }
${extra}`;
}

test.use({
  config: async ({}, use) => {
    await use(guardConfig(10, 'people-guarded'));
  },
});

test('a header-only CSV stops the run naming the mass removal; "Send the removals" sends them', async ({ app }) => {
  await ready(app);
  await app.getByRole('link', { name: 'Syncs' }).click();
  await app
    .getByLabel('Syncs')
    .getByRole('button', { name: /people-guarded/ })
    .click();
  const history = app.getByRole('table', { name: 'Run history' });
  await app.getByRole('button', { name: 'Run now' }).click();
  await expect(history.getByRole('row').nth(1)).toContainText('Succeeded');

  fs.writeFileSync(csv, HEADER); // the file, caught mid-rewrite
  await app.getByRole('button', { name: 'Run now' }).click();
  await expect(history.getByRole('row')).toHaveCount(3);
  await expect(history.getByRole('row').nth(1)).toContainText('Failed');
  // It removed nothing: its Removed cell says 0, and how many it would have removed as the reason.
  await expect(history.getByRole('row').nth(1).getByRole('cell').nth(6)).toHaveText('0 (stopped: would remove 10)');
  const run = app.getByLabel(/^Run \d+$/);
  await expect(run).toContainText('Read 0 rows: 0 added, 0 changed, 0 removed (stopped: would remove 10), 0 unchanged.');
  await expect(run).toContainText('Mass removal: this run would remove 10 of the 10 rows the sync last delivered (100%)');
  await expect(run.getByRole('group', { name: 'Confirm the removals' })).toBeVisible();
  await app.screenshot({ path: test.info().outputPath('mass-removal.png') });

  // Run again with the file still empty: stopped again. The older stopped run can no longer send its removals
  // (its count may not be what a run would remove now: it used to send every removal, unguarded).
  await app.getByRole('button', { name: 'Run now' }).click();
  await expect(history.getByRole('row')).toHaveCount(4);
  await expect(history.getByRole('row').nth(1)).toContainText('Failed');
  await history.getByRole('row').nth(2).click();
  const older = app.getByLabel(/^Run \d+$/);
  await expect(older.getByRole('group', { name: 'Confirm the removals' })).toContainText(
    'The sync has run since: these removals can no longer be sent from here',
  );
  await expect(older.getByRole('button', { name: /Send the removals/ })).toHaveCount(0);
  await app.screenshot({ path: test.info().outputPath('mass-removal-older.png') });
  await history.getByRole('row').nth(1).click();

  await run.getByRole('button', { name: 'Send the removals (10)' }).click();
  await expect(history.getByRole('row')).toHaveCount(5);
  const latest = history.getByRole('row').nth(1);
  await expect(latest).toContainText('Succeeded');
  await expect(latest.getByRole('cell').nth(6)).toHaveText('10'); // removed
  await expect(latest.getByRole('cell').nth(7)).toHaveText('10'); // sent
});

test.describe('a sync applied with a fractional mass-removal limit', () => {
  test.use({
    config: async ({}, use) => {
      await use(guardConfig(1, 'people-fraction', '    maxRemovalPercent: 12.5\n'));
    },
  });

  // The form required a whole percent: it refused its own 12.5, so no other setting of the sync could be saved from the app.
  test('its Settings show 12.5 and save another change with it', async ({ app }) => {
    await ready(app);
    await app.getByRole('link', { name: 'Syncs' }).click();
    await app
      .getByLabel('Syncs')
      .getByRole('button', { name: /people-fraction/ })
      .click();
    await app.getByRole('tab', { name: 'Settings' }).click();
    const settings = app.getByRole('form', { name: 'Sync settings' });
    const limit = settings.getByLabel('Mass-removal limit (%)');
    await expect(limit).toHaveValue('12.5');
    await expect(limit).not.toHaveAttribute('aria-invalid');
    await settings.getByRole('checkbox', { name: /Removed rows/ }).uncheck();
    await settings.getByRole('button', { name: 'Save settings' }).click();
    await expect(app.getByRole('status').filter({ hasText: 'Saved the settings of “people-fraction”' })).toBeVisible();
    await limit.fill('1,5');
    await expect(settings.getByText('Mass-removal limit: a percent from 0 to 100 (such as 50 or 12.5), without separators')).toBeVisible();
  });
});

test.describe('a sync applied with a tiny mass-removal limit', () => {
  test.use({
    config: async ({}, use) => {
      await use(guardConfig(1, 'people-tiny', '    maxRemovalPercent: 0.0000001\n'));
    },
  });

  // The field read "1e-7" with its error under it, so no other setting of the sync could be saved until the limit was retyped.
  test('its Settings show 0.0000001 and save another change with it', async ({ app }) => {
    await ready(app);
    await app.getByRole('link', { name: 'Syncs' }).click();
    await app
      .getByLabel('Syncs')
      .getByRole('button', { name: /people-tiny/ })
      .click();
    await app.getByRole('tab', { name: 'Settings' }).click();
    const settings = app.getByRole('form', { name: 'Sync settings' });
    const limit = settings.getByLabel('Mass-removal limit (%)');
    await expect(limit).toHaveValue('0.0000001');
    await expect(limit).not.toHaveAttribute('aria-invalid');
    await settings.getByRole('checkbox', { name: /Removed rows/ }).uncheck();
    await settings.getByRole('button', { name: 'Save settings' }).click();
    await expect(app.getByRole('status').filter({ hasText: 'Saved the settings of “people-tiny”' })).toBeVisible();
    await expect(limit).toHaveValue('0.0000001');
  });
});
