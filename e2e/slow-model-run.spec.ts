import { applyConfig, expect, ready, test } from './fixtures';
import { createPeopleDb } from '../main/testing/model-db';

// A run of a model slow to give its first row (a long aggregate: SQLite counts 2 billion rows before it
// answers one) shows at once, reading the model, with its Cancel: on the page that started it and after
// a reload. Before, the page showed no row, no progress and no Cancel until the first row came, and after
// a reload the row said Running with no way to cancel it. Cancel kills the staging process at once, so the
// host exits at the test's end without waiting for the query.

const SLOW_QUERY = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x < 2000000000) SELECT max(x) AS id FROM c';

test.use({
  prepare: {
    run(workspace: string) {
      const { file, db } = createPeopleDb(workspace, 1);
      db.close();
      applyConfig(
        workspace,
        [
          'version: 1',
          'sources:',
          `  - { kind: sqlite, name: slow-db, path: ${JSON.stringify(file)} }`,
          'models:',
          `  - { name: Slow, source: slow-db, query: ${JSON.stringify(SLOW_QUERY)}, primaryKey: [id] }`,
          'destinations:',
          '  - { kind: sandbox-kinesis, name: slow-sandbox, stream: slow, shards: 1 }',
          'syncs:',
          '  - name: slow-sync',
          '    model: Slow',
          '    destination: slow-sandbox',
          '    triggers: [added, changed, removed]',
          '    payload: { mode: template, template: \'{"id": {{ row.id }}}\' }',
          '',
        ].join('\n'),
      );
    },
  },
});

test('a run whose model is slow to give its first row shows at once with Cancel, also after a reload, and Cancel ends it', async ({ app }) => {
  await ready(app);
  await app.getByRole('link', { name: 'Syncs' }).click();
  await app
    .getByLabel('Syncs')
    .getByRole('button', { name: /slow-sync/ })
    .click();
  await app.getByRole('button', { name: 'Run now' }).click();

  const progress = app.getByRole('status', { name: 'Run progress' });
  const history = app.getByRole('table', { name: 'Run history' });
  await expect(progress).toContainText('reading the model…', { timeout: 5000 });
  await expect(progress.getByRole('button', { name: 'Cancel' })).toBeEnabled({ timeout: 5000 });
  await expect(history.getByRole('row').nth(1)).toContainText('Running', { timeout: 5000 });
  await expect(app.getByRole('button', { name: 'Run now' })).toBeDisabled();

  // A reload while it still reads: the run is listed running, with its progress and Cancel.
  await app.reload();
  await ready(app);
  await app.getByRole('link', { name: 'Syncs' }).click();
  await app
    .getByLabel('Syncs')
    .getByRole('button', { name: /slow-sync/ })
    .click();
  await expect(history.getByRole('row').nth(1)).toContainText('Running', { timeout: 5000 });
  await expect(progress).toContainText('reading the model…', { timeout: 5000 });
  await expect(app.getByRole('button', { name: 'Run now' })).toBeDisabled();

  await progress.getByRole('button', { name: 'Cancel' }).click();
  await expect(history.getByRole('row').nth(1)).toContainText('Cancelled', { timeout: 10_000 });
  await expect(progress).toBeHidden();
  await expect(app.getByRole('button', { name: 'Run now' })).toBeEnabled();
});
