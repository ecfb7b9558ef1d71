import { expect, ready, shot, test } from './fixtures';
import { CatalogStore } from '../main/catalog/catalog-store';
import { openDatabase } from '../main/state/database';
import { createPeopleDb } from '../main/testing/model-db';

// Save checks every row before it saves, which takes a while on a big model. What it saves is what the user
// sees: while it checks, the query, the source and the key cannot be changed (the editor says why), so an
// edit made during the check is neither lost nor saved unseen.

/** Two million rows made by the query itself: its key check takes seconds, its preview (20 rows) does not. */
const COUNTED = 'WITH RECURSIVE n(id) AS (SELECT 1 UNION ALL SELECT id + 1 FROM n WHERE id < 2000000) SELECT id, id % 7 AS bucket FROM n';

test.use({
  prepare: {
    run(workspace: string) {
      const { file, db: people } = createPeopleDb(workspace, 3);
      people.close();
      const db = openDatabase(workspace);
      const catalog = new CatalogStore(db);
      catalog.putSource({ kind: 'sqlite', name: 'people-db', path: file });
      catalog.putModel({ name: 'Counted', source: 'people-db', query: COUNTED, primaryKey: ['id'] });
      db.close();
    },
  },
});

test('while Save checks every row, the draft cannot be edited; what is saved is what was on screen', async ({ app }) => {
  test.setTimeout(90_000);
  await app.setViewportSize({ width: 1280, height: 800 });
  await ready(app);
  await app.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Models' }).click();
  await app
    .getByRole('complementary', { name: 'Models' })
    .getByRole('button', { name: /^Counted/ })
    .click();
  await app.getByRole('button', { name: 'Edit Counted' }).click();
  const editor = app.getByRole('region', { name: 'Edit Counted' });
  await expect(editor.getByRole('table', { name: 'Preview' })).toBeVisible();
  const query = editor.getByTestId('sql-editor');
  await expect(query.locator('.view-lines')).toContainText('SELECT id, id % 7 AS bucket FROM n');

  await editor.getByRole('button', { name: 'Save changes' }).click();
  await expect(editor.getByRole('button', { name: 'Checking every row…' })).toBeVisible();
  await expect(editor.getByLabel('Source')).toBeDisabled();
  await expect(editor.getByLabel('Key column id')).toBeDisabled();
  await expect(editor.getByLabel('Key column bucket')).toBeDisabled();
  await expect(editor.getByText('Saving what you see: the model can be edited again once every row is checked.')).toBeVisible();
  // Typing in the query changes nothing while it is checked.
  await query.locator('.view-lines').click();
  await app.keyboard.press('Control+End');
  await app.keyboard.type(' WHERE id < 10');
  await expect(editor.getByRole('button', { name: 'Checking every row…' })).toBeVisible();
  await expect(query.locator('.view-lines')).not.toContainText('WHERE id < 10');
  await shot(app, 'model-save-locked');

  await expect(app.getByRole('status').filter({ hasText: 'Saved "Counted".' })).toBeVisible({ timeout: 60_000 });
  await expect(app.locator('pre.code')).toHaveText(COUNTED);
});
