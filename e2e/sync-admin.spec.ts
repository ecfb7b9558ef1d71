import { expect, ready, test } from './fixtures';
import { CatalogStore } from '../main/catalog/catalog-store';
import { openDatabase } from '../main/state/database';
import { createPeopleDb } from '../main/testing/model-db';

// Syncs made and looked after in the app (issue #14 item 3), and the guide of an empty workspace (item 7).

test('create a sync that sends only later changes, run it, change its triggers, rename, resend everything and delete it', async ({ app }) => {
  // Two real runs of the demo's 2,000 rows to the sandbox stream, on a machine that may be busy.
  test.setTimeout(120_000);
  await ready(app);
  await app.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Syncs' }).click();
  const list = app.getByLabel('Syncs', { exact: true });
  await list.getByRole('button', { name: 'New sync' }).click();

  const form = app.getByRole('form', { name: 'New sync' });
  await form.getByLabel('Sync name').fill('Later changes');
  await form.getByLabel('Model', { exact: true }).selectOption('Customers');
  await form.getByLabel('Destination', { exact: true }).selectOption('Sandbox stream');
  await form.getByRole('checkbox', { name: /Removed rows/ }).uncheck();
  await form.getByRole('radio', { name: /Only later changes/ }).check();
  await form.getByRole('button', { name: 'Create sync' }).click();

  await expect(app.getByRole('status').filter({ hasText: 'Created “Later changes”' })).toBeVisible();
  await expect(list.getByRole('button', { name: /Later changes/ })).toHaveClass(/active/);
  await expect(app.getByRole('heading', { name: 'Later changes' })).toBeVisible();
  await expect(app.getByText('sends added, changed · first run: only later changes')).toBeVisible();

  // The first run records every row and sends nothing.
  await app.getByRole('button', { name: 'Run now' }).click();
  const history = app.getByRole('table', { name: 'Run history' });
  await expect(history.getByRole('row')).toHaveCount(2, { timeout: 30_000 });
  await expect(history.getByRole('row').nth(1)).toContainText('Succeeded');
  await expect(history.getByRole('row').nth(1).getByRole('cell').nth(7)).toHaveText('0');
  await expect(app.getByLabel(/^Run \d+$/)).toContainText('2,000 recorded without sending');

  // Triggers change without starting over.
  await app.getByRole('tab', { name: 'Settings' }).click();
  const settings = app.getByRole('form', { name: 'Sync settings' });
  await settings.getByRole('checkbox', { name: /Changed rows/ }).uncheck();
  await settings.getByRole('checkbox', { name: /Removed rows/ }).check();
  await expect(settings.getByRole('note', { name: 'Starts over' })).toHaveCount(0);
  await settings.getByRole('button', { name: 'Save settings' }).click();
  await expect(app.getByRole('status').filter({ hasText: 'Saved the settings of “Later changes”' })).toBeVisible();
  await expect(app.getByText('sends added, removed · first run: only later changes')).toBeVisible();

  // A name that is not one is refused; editing it takes the refusal away (it stayed, even with the name put back).
  await app.getByLabel('New name').fill('-later');
  await app.getByRole('button', { name: 'Rename' }).click();
  await expect(app.getByTestId('error-banner')).toContainText('starts with a letter or digit');
  await app.getByLabel('New name').fill('Later changes');
  await expect(app.getByTestId('error-banner')).toHaveCount(0);

  // Rename: the history stays.
  await app.getByLabel('New name').fill('Customers later');
  await app.getByRole('button', { name: 'Rename' }).click();
  await expect(app.getByRole('heading', { name: 'Customers later' })).toBeVisible();
  await expect(list.getByRole('button', { name: /Later changes/ })).toHaveCount(0);
  await expect(history.getByRole('row')).toHaveCount(2);

  // Resend everything: the confirmation names the rows, and the next run sends each as added.
  await app.getByRole('tab', { name: 'Settings' }).click();
  await app.getByRole('button', { name: 'Resend everything on the next run…' }).click();
  const reset = app.getByRole('alertdialog', { name: 'Resend every row of “Customers later”?' });
  await expect(reset).toContainText('The snapshot of 2,000 rows is cleared');
  await reset.getByRole('button', { name: 'Clear the snapshot of 2,000 rows' }).click();
  await expect(reset).toHaveCount(0);
  await expect(app.getByRole('status').filter({ hasText: 'Cleared the snapshot of 2,000 rows' })).toBeVisible();
  await app.getByRole('tab', { name: 'Runs' }).click();
  await app.getByRole('button', { name: 'Run now' }).click();
  await expect(history.getByRole('row')).toHaveCount(3, { timeout: 30_000 });
  await expect(history.getByRole('row').nth(1)).toContainText('Succeeded');
  await expect(history.getByRole('row').nth(1).getByRole('cell').nth(4)).toHaveText('2,000');
  await expect(history.getByRole('row').nth(1).getByRole('cell').nth(7)).toHaveText('2,000');

  // Delete: the dialog says what is lost; Cancel keeps everything.
  await app.getByRole('tab', { name: 'Settings' }).click();
  await app.getByRole('button', { name: 'Delete sync…' }).click();
  const confirm = app.getByRole('alertdialog', { name: 'Delete the sync “Customers later”?' });
  const lost = confirm.getByRole('list', { name: 'What is deleted' });
  await expect(lost).toContainText('2 runs in its history');
  await expect(lost).toContainText('2,000 ledger entries');
  await expect(lost).toContainText('the snapshot of 2,000 rows');
  await expect(confirm).toContainText('The records already in “Sandbox stream” stay there.');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toHaveCount(0);
  await app.getByRole('button', { name: 'Delete sync…' }).click();
  await confirm.getByRole('button', { name: 'Delete sync' }).click();
  await expect(app.getByRole('status').filter({ hasText: 'Deleted “Customers later”' })).toBeVisible();
  await expect(list.getByRole('button', { name: /Customers later/ })).toHaveCount(0);
  await expect(list.getByRole('button', { name: /Customers to sandbox/ })).toHaveClass(/active/);
});

test('a name that is taken is refused, naming the field, and nothing is created', async ({ app }) => {
  await ready(app);
  await app.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Syncs' }).click();
  await app.getByRole('button', { name: 'New sync' }).click();
  const form = app.getByRole('form', { name: 'New sync' });
  await form.getByLabel('Sync name').fill('Customers to sandbox');
  await form.getByRole('button', { name: 'Create sync' }).click();
  const banner = form.getByTestId('error-banner');
  await expect(banner).toContainText('A sync named "Customers to sandbox" already exists');
  await expect(banner.getByRole('listitem')).toHaveText(['Name: Choose another name']);
  await form.getByRole('button', { name: 'Cancel' }).click();
  await app.getByRole('alertdialog', { name: 'Discard this new sync?' }).getByRole('button', { name: 'Discard changes' }).click();
  await expect(form).toHaveCount(0);
  await expect(app.getByLabel('Syncs', { exact: true }).getByRole('button', { name: /Customers to sandbox/ })).toHaveCount(1);
});

test.describe('an empty workspace', () => {
  test.use({ demo: false });

  test('the first screen shows the four steps, the next one a click away', async ({ app }) => {
    await ready(app);
    const guide = app.getByRole('region', { name: 'Getting started' });
    await expect(guide.getByRole('listitem')).toHaveCount(4);
    await expect(guide.getByRole('listitem', { name: 'Add a source: next' })).toBeVisible();
    await expect(guide.getByRole('listitem', { name: /: done$/ })).toHaveCount(0);
    await guide.getByRole('link', { name: 'Add a source' }).click();
    await expect(app.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Sources' })).toHaveAttribute('aria-current', 'page');
    await app.getByRole('link', { name: 'Syncs' }).click();
    await expect(app.getByRole('region', { name: 'Getting started' }).getByRole('listitem', { name: 'Add a source: next' })).toBeVisible();
  });

  test.describe('with a source, a model and a destination', () => {
    test.use({
      prepare: {
        run(workspace: string) {
          const { file, db: model } = createPeopleDb(workspace, 5);
          model.close();
          const db = openDatabase(workspace);
          const catalog = new CatalogStore(db);
          catalog.putSource({ kind: 'sqlite', name: 'people-db', path: file });
          catalog.putModel({ name: 'People', source: 'people-db', query: 'SELECT * FROM people', primaryKey: ['id'] });
          catalog.putModel({ name: 'Top people', source: 'people-db', query: 'SELECT * FROM people WHERE id > 2', primaryKey: ['id'] });
          catalog.putDestination({ kind: 'sandbox-kinesis', name: 'Sandbox' });
          db.close();
        },
      },
    });

    test('done steps are ticked and "Create a sync" opens the form; once a sync exists the guide is gone; another model starts it over', async ({ app }) => {
      test.setTimeout(60_000);
      await ready(app);
      const guide = app.getByRole('region', { name: 'Getting started' });
      for (const step of ['Add a source', 'Add a model', 'Add a destination'])
        await expect(guide.getByRole('listitem', { name: `${step}: done` })).toBeVisible();
      await guide.getByRole('link', { name: 'Create a sync' }).click();
      await expect(app.getByRole('link', { name: 'Syncs' })).toHaveAttribute('aria-current', 'page');
      await app.getByRole('region', { name: 'Getting started' }).getByRole('button', { name: 'Create a sync' }).click();
      const form = app.getByRole('form', { name: 'New sync' });
      await form.getByLabel('Sync name').fill('People to sandbox');
      await form.getByRole('button', { name: 'Create sync' }).click();
      await expect(app.getByLabel('Syncs', { exact: true }).getByRole('button', { name: /People to sandbox/ })).toBeVisible();
      await expect(app.getByRole('region', { name: 'Getting started' })).toHaveCount(0);
      await app.getByRole('button', { name: 'Run now' }).click();
      await expect(app.getByRole('table', { name: 'Run history' }).getByRole('row').nth(1)).toContainText('Succeeded', { timeout: 30_000 });
      await expect(app.getByRole('table', { name: 'Run history' }).getByRole('row').nth(1).getByRole('cell').nth(7)).toHaveText('5');

      // Another model starts the sync over: the form says so, with the snapshot's size, before saving.
      await app.getByRole('tab', { name: 'Settings' }).click();
      const settings = app.getByRole('form', { name: 'Sync settings' });
      await settings.getByLabel('Model', { exact: true }).selectOption('Top people');
      await expect(settings.getByRole('note', { name: 'Starts over' })).toContainText('its snapshot of 5 rows is dropped');
      // …and that its payload was written for the other model's columns (every row was rejected, unsaid).
      await expect(settings.getByRole('note', { name: 'Starts over' })).toContainText('Its payload and keys were written for the columns of “People”');
      await settings.getByRole('button', { name: 'Save settings' }).click();
      await expect(app.getByRole('status').filter({ hasText: 'It starts over: the next run is a first run.' })).toBeVisible();
      await expect(app.getByText('Top people → Sandbox · sends added, changed, removed')).toBeVisible();
    });
  });
});
