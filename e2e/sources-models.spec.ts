import fs from 'node:fs';
import path from 'node:path';
import { expect, ready, shot, test, skipWithoutApp } from './fixtures';
import { fillPostgresSource, typeCustomersQueryWithCompletion } from './steps';
import { openDatabase } from '../main/state/database';
import { startPostgres, type PostgresPeer } from '../main/testing/peers/postgres';
import { tempWorkspace } from '../main/testing/temp';

// Sources and models made in the app, no YAML (issue #14): a CSV file and a real PostgreSQL server.

let pgPeer: PostgresPeer;
let files: { dir: string; cleanup(): void };

test.beforeAll(async ({}, testInfo) => {
  skipWithoutApp(testInfo);
  files = tempWorkspace('sluice-e2e-files-');
  fs.writeFileSync(path.join(files.dir, 'people.csv'), 'id,name,city\n1,Ada,Zürich\n2,Bob,Bern\n3,Cy,Basel\n');
  pgPeer = await startPostgres();
  await pgPeer.query('CREATE TABLE customers (id bigint PRIMARY KEY, email text, account integer)');
  await pgPeer.query(
    "INSERT INTO customers VALUES (1, 'ada@example.com', 17), (2, 'bob@example.com', 17), (3, 'cy@example.com', NULL), (4, 'di@example.com', 5)",
  );
});
test.afterAll(async () => {
  await pgPeer?.stop();
  files?.cleanup();
});

test.describe('an empty workspace', () => {
  // No demo: the workspace starts with nothing, as a real one would after the demo is removed.
  test.use({
    prepare: {
      run(workspace: string) {
        const db = openDatabase(workspace);
        db.prepare("INSERT INTO settings (key, value) VALUES ('internal.demoSeeded', 'true')").run();
        db.close();
      },
    },
  });

  test('from nothing: a CSV source and a PostgreSQL source (password to the keychain), a SQL model with completion and a checked key', async ({ app }) => {
    test.setTimeout(120_000);
    await app.setViewportSize({ width: 1400, height: 900 });
    await ready(app);
    app.on('dialog', (d) => void d.accept());

    // The first screen is the Get started guide; Models too says where to begin: a source first.
    await app.getByRole('link', { name: 'Models' }).click();
    await expect(app.getByRole('heading', { name: 'Start with a source' })).toBeVisible();
    await shot(app, '01-models-empty');
    await app.getByRole('link', { name: 'Sources' }).click();
    await expect(app.getByRole('heading', { name: 'Start here: add a source' })).toBeVisible();
    await shot(app, '02-sources-empty');
    await app.getByRole('link', { name: 'Models' }).click();
    await app.getByRole('button', { name: 'Add a source' }).click();

    // A CSV file: a relative path is refused in words, the real one lists its columns.
    const form = app.getByRole('region', { name: 'New source' });
    await form.getByRole('radio', { name: /CSV file/ }).click();
    await form.getByLabel('Name', { exact: true }).fill('people-file');
    await form.getByLabel('Path').fill('people.csv');
    await form.getByRole('button', { name: 'Test', exact: true }).click();
    const result = form.getByRole('region', { name: 'Source test' });
    await expect(result).toContainText('The path "people.csv" is relative');
    await form.getByLabel('Path').fill(path.join(files.dir, 'people.csv'));
    await form.getByRole('button', { name: 'Test', exact: true }).click();
    await expect(result).toContainText('it works');
    await expect(result.getByRole('list', { name: 'Tables' })).toContainText('people.csv');
    await expect(result.getByRole('list', { name: 'Tables' })).toContainText('id text · name text · city text');
    await shot(app, '03-source-csv-tested');
    await form.getByRole('button', { name: 'Save source' }).click();
    const table = app.getByRole('table', { name: 'Sources' });
    await expect(table.getByRole('row', { name: /people-file/ })).toContainText('CSV file');

    // PostgreSQL: a wrong password says so; the right one goes to the keychain and the test lists the tables.
    await app.getByRole('button', { name: 'Add a source' }).click();
    await fillPostgresSource(form, pgPeer, 'not-the-password');
    await form.getByRole('button', { name: 'Test', exact: true }).click();
    await expect(result).toContainText('the password is wrong');
    await expect(result).toContainText('Type the password again');
    await shot(app, '04-source-postgres-wrong-password');
    // The typed password is in the keychain now under crm/password: type the right one over it.
    await form.getByLabel('Password: source').selectOption('new');
    await form.getByLabel('Password: keychain name').fill('crm/password');
    await form.getByLabel('Password: value').fill(pgPeer.password);
    await form.getByRole('button', { name: 'Test', exact: true }).click();
    await expect(result).toContainText('it works');
    await expect(result).toContainText('Connected; found 1 table or view');
    await expect(result.getByRole('list', { name: 'Tables' })).toContainText('customers');
    await shot(app, '05-source-postgres-tested');
    await form.getByRole('button', { name: 'Save source' }).click();
    await expect(table.getByRole('row', { name: /crm/ })).toContainText(`${pgPeer.user}@${pgPeer.host}:${pgPeer.port}/${pgPeer.database}`);
    await app.getByRole('button', { name: 'Edit crm' }).click();
    const edit = app.getByRole('region', { name: 'Edit crm' });
    await expect(edit.getByLabel('Password: source')).toHaveValue('existing');
    await expect(edit.getByLabel('Password: saved secret')).toHaveValue('crm/password');
    await edit.getByRole('button', { name: 'Cancel' }).click();
    await shot(app, '06-sources-list');

    // A SQL model: completion of the source's tables and columns.
    await app.getByRole('link', { name: 'Models' }).click();
    await expect(app.getByRole('heading', { name: 'Next: add a model' })).toBeVisible();
    await app.getByRole('button', { name: 'Add a model' }).click();
    const editor = app.getByRole('region', { name: 'New model' });
    await editor.getByLabel('Name', { exact: true }).fill('customers');
    await editor.getByLabel('Source').selectOption('crm');
    await typeCustomersQueryWithCompletion(app, editor, () => shot(app, '07-model-completion'));
    // SQL is highlighted: SELECT is a keyword (Monaco's light theme draws keywords blue).
    await expect(editor.locator('.view-lines span span').first()).toHaveText('SELECT');
    await expect(editor.locator('.view-lines span span').first()).toHaveCSS('color', 'rgb(0, 0, 255)');

    // Preview, then a key with duplicates and a null: the warning with examples, and no save.
    await editor.getByRole('button', { name: 'Preview' }).click();
    await expect(editor.getByRole('table', { name: 'Preview' }).getByRole('row')).toHaveCount(5);
    await editor.getByLabel('Key column account').check();
    await editor.getByRole('button', { name: 'Save model' }).click();
    const check = editor.getByRole('status', { name: 'Key check' });
    await expect(check).toContainText('The primary key is not unique');
    await expect(check).toContainText('2 rows have account 17');
    await expect(check).toContainText('1 row has a null account');
    await shot(app, '08-model-key-warning');
    await expect(app.getByRole('region', { name: 'New model' })).toBeVisible();

    // Fixed: the id is unique over all 4 rows; saved and listed.
    await editor.getByLabel('Key column account').uncheck();
    await editor.getByLabel('Key column id').check();
    await editor.getByRole('button', { name: 'Check the key' }).click();
    await expect(check).toContainText('4 rows, each with its own id: the key is unique');
    // The answer is the id's: another key drops it, to be checked again.
    await editor.getByLabel('Key column email').check();
    await expect(check).toHaveCount(0);
    await shot(app, '08a-model-key-changed-after-check');
    await editor.getByLabel('Key column email').uncheck();

    // A check still reading when the key changes: its answer, the id's, is not shown under the new key.
    // The table is locked until the key has changed, so the check is still waiting for its rows then.
    await pgPeer.query('BEGIN');
    await pgPeer.query('LOCK TABLE customers IN ACCESS EXCLUSIVE MODE');
    await editor.getByRole('button', { name: 'Check the key' }).click();
    await expect(editor.getByRole('button', { name: 'Checking every row…' })).toBeDisabled();
    await editor.getByLabel('Key column id').uncheck();
    await editor.getByLabel('Key column account').check();
    await pgPeer.query('COMMIT');
    await expect(editor.getByRole('button', { name: 'Check the key' })).toBeEnabled();
    await expect(check).toHaveCount(0);
    await shot(app, '08b-model-key-changed-during-check');
    await editor.getByRole('button', { name: 'Check the key' }).click();
    await expect(check).toContainText('2 rows have account 17');
    await editor.getByLabel('Key column account').uncheck();
    await editor.getByLabel('Key column id').check();
    await editor.getByRole('button', { name: 'Save model' }).click();
    const list = app.getByRole('complementary', { name: 'Models' });
    await expect(list).toContainText('customers');
    await expect(app.getByText('Saved "customers".')).toBeVisible();
    await expect(app.getByRole('table', { name: 'Preview' }).getByRole('row')).toHaveCount(5);
    await shot(app, '09-models-list');

    // The source in use cannot be deleted; renaming it carries the model along.
    await app.getByRole('link', { name: 'Sources' }).click();
    await app.getByRole('button', { name: 'Delete crm' }).click();
    await expect(app.getByTestId('error-banner')).toContainText('The source "crm" cannot be deleted: the model "customers" reads it.');
    await app.getByRole('button', { name: 'Rename crm' }).click();
    await app.getByLabel('New name').fill('CRM database');
    await app.getByRole('button', { name: 'Rename', exact: true }).click();
    await expect(app.getByRole('status')).toContainText('Renamed "crm" to "CRM database" (1 model updated).');
    await expect(table.getByRole('row', { name: /CRM database/ })).toContainText('customers');
    await app.getByRole('link', { name: 'Models' }).click();
    await expect(list).toContainText('CRM database · key id');
  });
});

test('a preview that fails clears the rows of the one before; the key picked comes back with its columns', async ({ app }) => {
  await app.setViewportSize({ width: 1400, height: 900 });
  await ready(app);
  await app.getByRole('link', { name: 'Models' }).click();
  await app.getByRole('button', { name: 'Add a model' }).click();
  const editor = app.getByRole('region', { name: 'New model' });
  const table = editor.getByRole('table', { name: 'Preview' });
  const keyPicker = editor.getByRole('group', { name: 'Primary key' });
  const preview = async (query: string) => {
    await editor.getByTestId('sql-editor').click();
    await app.keyboard.press('ControlOrMeta+a');
    await app.keyboard.insertText(query);
    // Monaco draws spaces as no-break spaces.
    await expect(editor.locator('.view-lines')).toHaveText(new RegExp(`^${query.replace(/[*]/g, '\\*').replace(/ /g, '\\s')}$`));
    await editor.getByRole('button', { name: 'Preview' }).click();
  };

  await preview('SELECT id, email, city FROM customers');
  await expect(table).toBeVisible();
  await editor.getByLabel('Key column id').check();
  await editor.getByLabel('Key column email').check();

  // The error, and no rows or key boxes of the query before under it.
  await preview('SELECT * FROM nosuch');
  await expect(editor.getByTestId('error-banner')).toContainText('no such table: nosuch');
  await expect(table).toHaveCount(0);
  await expect(keyPicker).toHaveCount(0);
  await shot(app, 'model-preview-failed');

  // Fixed: the columns are back, and so is the key picked from them.
  await preview('SELECT id, email, city, plan FROM customers');
  await expect(table.getByRole('columnheader')).toHaveCount(4);
  await expect(editor.getByLabel('Key column id')).toBeChecked();
  await expect(editor.getByLabel('Key column email')).toBeChecked();
  await expect(editor.getByLabel('Key column plan')).not.toBeChecked();
  await expect(editor.getByTestId('error-banner')).toHaveCount(0);
  await shot(app, 'model-preview-again');
});

test('renaming the demo model keeps its sync; deleting it, its source or its destination is refused naming who uses it, before asking', async ({ app }) => {
  await app.setViewportSize({ width: 1400, height: 900 });
  await ready(app);
  // Deleting what is in use says so at once: no "Delete …?" to confirm first, then refused.
  const asked: string[] = [];
  app.on('dialog', (d) => void (asked.push(d.message()), d.accept()));
  const list = app.getByRole('complementary', { name: 'Models' });
  await expect(list).toContainText('Customers');
  await app.getByRole('button', { name: 'Rename Customers' }).click();
  await app.getByLabel('New name').fill('Demo customers');
  await app.getByRole('button', { name: 'Rename', exact: true }).click();
  await expect(app.getByRole('status').filter({ hasText: 'Renamed' })).toContainText(
    'Renamed "Customers" to "Demo customers" (1 sync updated; their history is kept).',
  );
  await expect(list).toContainText('Demo customers');
  await expect(app.getByText('sent by Customers to sandbox')).toBeVisible();
  await app.getByRole('button', { name: 'Delete Demo customers' }).click();
  await expect(app.getByTestId('error-banner')).toContainText('The model "Demo customers" cannot be deleted: the sync "Customers to sandbox" sends it.');
  await shot(app, '10-model-delete-refused');
  await app.getByRole('link', { name: 'Syncs' }).click();
  await expect(app.getByLabel('Syncs')).toContainText('Customers to sandbox');
  await app.getByRole('link', { name: 'Sources' }).click();
  await app.getByRole('button', { name: 'Delete Demo database' }).click();
  await expect(app.getByTestId('error-banner')).toContainText('The source "Demo database" cannot be deleted: the model "Demo customers" reads it.');
  await shot(app, '11-source-delete-refused');
  await app.getByRole('link', { name: 'Destinations' }).click();
  await app.getByRole('button', { name: 'Delete Sandbox stream' }).click();
  await expect(app.getByTestId('error-banner')).toContainText(
    'The destination "Sandbox stream" cannot be deleted: the sync "Customers to sandbox" sends to it. Delete or change it first.',
  );
  expect(asked).toEqual([]);
  await expect(app.getByRole('alertdialog')).toHaveCount(0);
});
