import { expect, ready, shot, test } from './fixtures';

// A model saved so that its query no longer returns columns a sync on it uses asks first (`previewModelSave`):
// the question names the sync, each column and where it is used; Cancel saves nothing, Save anyway saves.

test.use({
  config: async ({}, use) => {
    await use(`version: 1
syncs:
  - name: plans-to-sandbox
    model: Customers
    destination: Sandbox stream
    triggers: [added, changed]
    payload: { mode: mapping, fields: [{ column: id, key: id }, { column: plan, key: plan }] }
    partitionKey: { kind: column, column: city }
`);
  },
});

const before = 'SELECT id, email, first_name, last_name, city, plan, lifetime_value, external_id, attributes, created_at, updated_at\nFROM customers';

test('editing a model to drop columns a sync uses asks first, naming the sync, the columns and where; Cancel keeps the model, Save anyway saves it', async ({
  app,
}) => {
  test.setTimeout(90_000);
  await app.setViewportSize({ width: 1400, height: 900 });
  await ready(app);
  await app.getByRole('link', { name: 'Models' }).click();
  const query = app.locator('pre.code');
  await expect(query).toHaveText(before);

  const edit = async (text: string) => {
    await app.getByRole('button', { name: 'Edit Customers' }).click();
    const editor = app.getByRole('region', { name: 'Edit Customers' });
    await expect(editor.getByRole('table', { name: 'Preview' })).toBeVisible();
    await editor.getByTestId('sql-editor').click();
    await app.keyboard.press('ControlOrMeta+a');
    await app.keyboard.insertText(text);
    // Monaco draws spaces as no-break spaces.
    await expect(editor.locator('.view-lines')).toHaveText(/^SELECT\sid,\semail,\sfirst_name\sFROM\scustomers$/);
    await editor.getByRole('button', { name: 'Save changes' }).click();
    return editor;
  };

  const editor = await edit('SELECT id, email, first_name FROM customers');
  const note = editor.getByRole('note', { name: 'Drops columns' });
  await expect(note).toContainText('Saving drops columns a sync uses.');
  await expect(note.getByRole('listitem')).toHaveText([
    'The sync "plans-to-sandbox" uses the columns "plan" (its payload\'s field 2 (plan)), "city" (its partition key), which the model "Customers" does not have (its columns: id, email, first_name): its next run will stop before sending anything; choose others in the sync\'s payload or settings, or add them to the model.',
  ]);
  // Below the long preview, it is shown whole where Save was clicked.
  await expect(note.getByRole('button', { name: 'Save anyway' })).toBeInViewport();
  await shot(app, 'model-drops-columns-question');

  // Cancel: the question goes, the editor stays as typed, and nothing is saved.
  await note.getByRole('button', { name: 'Cancel' }).click();
  await expect(note).toBeHidden();
  await expect(editor).toBeVisible();
  await expect(app.getByText('Saved "Customers".')).toHaveCount(0);
  await editor.getByRole('button', { name: 'Cancel' }).click();
  await app.getByRole('alertdialog', { name: 'Discard your changes to “Customers”?' }).getByRole('button', { name: 'Discard changes' }).click();
  await expect(query).toHaveText(before);

  // Again, and saved anyway: the model now reads three columns.
  await edit('SELECT id, email, first_name FROM customers');
  await note.getByRole('button', { name: 'Save anyway' }).click();
  await expect(app.getByText('Saved "Customers".')).toBeVisible();
  await expect(query).toHaveText('SELECT id, email, first_name FROM customers');
});

test('a query that cannot be read, or that returns two columns of one name, is refused on Save, without the question', async ({ app }) => {
  await ready(app);
  await app.getByRole('link', { name: 'Models' }).click();
  await app.getByRole('button', { name: 'Edit Customers' }).click();
  const editor = app.getByRole('region', { name: 'Edit Customers' });
  await expect(editor.getByRole('table', { name: 'Preview' })).toBeVisible();
  await editor.getByTestId('sql-editor').click();
  await app.keyboard.press('ControlOrMeta+a');
  await app.keyboard.insertText('SELECT id, nope FROM customers');
  await expect(editor.locator('.view-lines')).toHaveText(/^SELECT\sid,\snope\sFROM\scustomers$/);
  await editor.getByRole('button', { name: 'Save changes' }).click();
  await expect(editor.getByTestId('error-banner')).toContainText('no such column: nope');
  await expect(editor.getByRole('note', { name: 'Drops columns' })).toHaveCount(0);

  // Two columns of one name: a row would send the last one's value in the first one's place.
  await editor.getByTestId('sql-editor').click();
  await app.keyboard.press('ControlOrMeta+a');
  await app.keyboard.insertText('SELECT id, email, id FROM customers');
  await expect(editor.locator('.view-lines')).toHaveText(/^SELECT\sid,\semail,\sid\sFROM\scustomers$/);
  await editor.getByRole('button', { name: 'Save changes' }).click();
  await expect(editor.getByTestId('error-banner')).toContainText(
    'The query of model "Customers" returns "id" twice (columns 1 and 3): a row holds one value per name, so only the last would be sent, in the first one\'s place. Give one of them another name with AS (e.g. o.id AS order_id)',
  );
  await expect(editor.getByRole('note', { name: 'Drops columns' })).toHaveCount(0);
  // Shown where Save was clicked, below the long preview: the banner above it was out of sight.
  await expect(editor.getByTestId('error-banner')).toBeInViewport();
  await shot(app, 'model-repeated-columns');
  await editor.getByRole('button', { name: 'Cancel' }).click();
  await app.getByRole('alertdialog', { name: 'Discard your changes to “Customers”?' }).getByRole('button', { name: 'Discard changes' }).click();
  await expect(app.locator('pre.code')).toHaveText(before);
});
