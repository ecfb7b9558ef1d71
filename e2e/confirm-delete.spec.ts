import type { Page } from '@playwright/test';
import { expect, ready, shot, test } from './fixtures';
import { CatalogStore } from '../main/catalog/catalog-store';
import { openDatabase } from '../main/state/database';
import { createPeopleDb } from '../main/testing/model-db';

// Deleting a model, a source or a destination asks in the app, as deleting a sync does: a dialog that
// names it and says what is not touched, Cancel keeps it, "Delete …" deletes it. No browser confirm().

test.use({
  prepare: {
    run(workspace: string) {
      const { file, db: people } = createPeopleDb(workspace, 3);
      people.close();
      const db = openDatabase(workspace);
      const catalog = new CatalogStore(db);
      catalog.putSource({ kind: 'sqlite', name: 'spare-db', path: file });
      catalog.putModel({ name: 'Spare model', source: 'spare-db', query: 'SELECT * FROM people', primaryKey: ['id'] });
      catalog.putDestination({ kind: 'sandbox-kinesis', name: 'Spare stream' });
      db.close();
    },
  },
});

/** Delete → the in-app question (Cancel keeps it) → Delete … → gone, with the notice. */
async function deleteAsked(app: Page, what: string, name: string, untouched: string, gone: () => Promise<void>) {
  await app.getByRole('button', { name: `Delete ${name}` }).click();
  const dialog = app.getByRole('alertdialog', { name: `Delete the ${what} “${name}”?` });
  await expect(dialog).toContainText(untouched);
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await shot(app, `confirm-delete-${what}`);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(app.getByRole('button', { name: `Delete ${name}` })).toBeVisible();

  await app.getByRole('button', { name: `Delete ${name}` }).click();
  await dialog.getByRole('button', { name: `Delete ${what}` }).click();
  await expect(dialog).toHaveCount(0);
  await expect(app.getByRole('status').filter({ hasText: `Deleted "${name}".` })).toBeVisible();
  await gone();
}

test('deleting a model, a source and a destination asks in the app, as a sync does; Cancel keeps each', async ({ app }) => {
  await app.setViewportSize({ width: 1280, height: 800 });
  await ready(app);
  const browserDialogs: string[] = [];
  app.on('dialog', (d) => void (browserDialogs.push(d.message()), d.dismiss()));
  const section = (name: string) => app.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name }).click();

  await section('Models');
  const models = app.getByRole('complementary', { name: 'Models' });
  await models.getByRole('button', { name: /^Spare model/ }).click();
  await deleteAsked(app, 'model', 'Spare model', 'Its source and data are not touched.', () =>
    expect(models.getByRole('button', { name: /^Spare model/ })).toHaveCount(0),
  );

  await section('Sources');
  const sources = app.getByRole('table', { name: 'Sources' });
  await deleteAsked(app, 'source', 'spare-db', 'The file or database itself is not touched.', () =>
    expect(sources.getByRole('row', { name: /spare-db/ })).toHaveCount(0),
  );

  await section('Destinations');
  const destinations = app.getByRole('table', { name: 'Destinations' });
  await deleteAsked(app, 'destination', 'Spare stream', 'The stream itself and the records in it are not touched.', () =>
    expect(destinations.getByRole('row', { name: /Spare stream/ })).toHaveCount(0),
  );

  expect(browserDialogs).toEqual([]);
});
