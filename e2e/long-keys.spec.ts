import fs from 'node:fs';
import path from 'node:path';
import { expect, ready, shot, test } from './fixtures';
import { tempWorkspace } from '../main/testing/temp';

// A row's key may be thousands of characters with no space (a composite key of long text, a Kafka key). On the
// run's page it broke nowhere: the list of rows not sent made the page 40,000 pixels wide, and the records
// table's key column pushed every other column (status, error, Open in stream) that far aside.

const LONG = 'k'.repeat(5000);
const model = tempWorkspace('sluice-e2e-long-keys-');
const csv = path.join(model.dir, 'keys.csv');
test.afterAll(() => model.cleanup());

test.use({
  config: async ({}, use) => {
    fs.writeFileSync(csv, `id,name\n1,short\n${LONG},long\n`);
    await use(`version: 1
sources:
  - { kind: csv, name: keys-file, path: ${JSON.stringify(csv)} }
models:
  - { name: Keys, source: keys-file, primaryKey: [id] }
destinations:
  - { kind: sandbox-kinesis, name: keys-sandbox, stream: long-keys }
syncs:
  - name: long-keys
    model: Keys
    destination: keys-sandbox
    triggers: [added, changed, removed]
    payload: { mode: template, template: '{"id": {{ row.id | json }}}' }
`);
  },
});

test('a key of 5,000 characters wraps on the run page: the page does not widen, the records table keeps its columns in view', async ({ app }) => {
  await app.setViewportSize({ width: 1280, height: 800 });
  await ready(app);
  await app.getByRole('link', { name: 'Syncs' }).click();
  await app
    .getByLabel('Syncs')
    .getByRole('button', { name: /long-keys/ })
    .click();
  await app.getByRole('button', { name: 'Run now' }).click();
  const run = app.getByLabel(/^Run \d+$/);
  // Its partition key (the key) is past Kinesis' 256 characters: refused before sending, listed with its key.
  await expect(run.getByRole('list', { name: 'Rows not sent' })).toContainText(`key ${LONG}`);

  const page = await app.locator('main').evaluate((el) => ({ scrolls: el.scrollWidth, width: el.clientWidth }));
  expect(page.scrolls, 'the page does not scroll sideways').toBeLessThanOrEqual(page.width);

  const records = run.getByRole('table', { name: 'Records' });
  const row = records.getByRole('row').filter({ hasText: 'rejected' });
  await expect(row).toHaveCount(1);
  // The key is there whole (on hover too), its cell a few lines tall, and the row's status beside it in view.
  await expect(row.getByTitle(LONG)).toHaveText(LONG);
  await row.scrollIntoViewIfNeeded();
  await expect(row.getByRole('cell', { name: 'rejected', exact: true })).toBeInViewport({ ratio: 1 });
  const height = await row.evaluate((el) => el.getBoundingClientRect().height);
  expect(height, 'the row is a few lines tall').toBeLessThan(150);
  await shot(app, 'long-keys-run');
});
