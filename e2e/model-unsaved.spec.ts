import type { Page } from '@playwright/test';
import { expect, ready, shot, test } from './fixtures';

// Leaving the model editor with changes not saved asks in the app — Keep editing or Discard changes — on
// its Cancel and on any move elsewhere in the app (the sections, the palette, Back); without changes, or
// once saved, it does not ask. Closing or reloading the browser tab asks too (the browser's question).

const section = (app: Page, name: string) => app.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name }).click();

async function editCustomers(app: Page) {
  await section(app, 'Models');
  await app.getByRole('button', { name: 'Edit Customers' }).click();
  const editor = app.getByRole('region', { name: 'Edit Customers' });
  await expect(editor.getByRole('table', { name: 'Preview' })).toBeVisible();
  return editor;
}

/** Types at the end of the query (a change the editor has not saved). */
async function typeInQuery(app: Page, text: string) {
  await app.getByTestId('sql-editor').locator('.view-lines').click();
  await app.keyboard.press('Control+End');
  await app.keyboard.type(text);
  await expect(app.getByTestId('sql-editor').locator('.view-lines')).toContainText(text.trim());
}

test('leaving the model editor with unsaved changes asks Keep editing or Discard changes; not without changes, nor after saving', async ({ app }) => {
  test.setTimeout(90_000);
  await app.setViewportSize({ width: 1280, height: 800 });
  await ready(app);
  const browserDialogs: string[] = [];
  app.on('dialog', (d) => void (browserDialogs.push(d.type()), d.dismiss()));
  const ask = app.getByRole('alertdialog', { name: 'Discard your changes to “Customers”?' });

  // Nothing changed: the sections and Cancel go at once.
  let editor = await editCustomers(app);
  await section(app, 'Syncs');
  await expect(app.getByRole('heading', { name: 'Customers to sandbox' })).toBeVisible();
  editor = await editCustomers(app);
  await editor.getByRole('button', { name: 'Cancel' }).click();
  await expect(editor).toHaveCount(0);

  // A change, then a section: asked; the address and the draft stay; Keep editing keeps both.
  editor = await editCustomers(app);
  await typeInQuery(app, ' WHERE id > 0');
  await section(app, 'Sources');
  await expect(ask).toBeVisible();
  await expect(ask.getByRole('button', { name: 'Keep editing' })).toBeFocused();
  await expect(app).toHaveURL(/#\/models$/);
  await shot(app, 'model-unsaved-ask');
  await ask.getByRole('button', { name: 'Keep editing' }).click();
  await expect(ask).toHaveCount(0);
  await expect(editor.getByTestId('sql-editor').locator('.view-lines')).toContainText('WHERE id > 0');
  // Models, where the editor is: no move, nothing asked.
  await section(app, 'Models');
  await expect(editor).toBeVisible();
  await expect(ask).toHaveCount(0);

  // The palette's jump and Back ask too; Escape keeps editing.
  await app.keyboard.press('Control+k');
  await app.getByRole('combobox', { name: /Go to/ }).fill('Customers to sandbox');
  await app.keyboard.press('Enter');
  await expect(ask).toBeVisible();
  await app.keyboard.press('Escape');
  await expect(ask).toHaveCount(0);
  await app.goBack();
  await expect(ask).toBeVisible();
  await ask.getByRole('button', { name: 'Keep editing' }).click();
  await expect(editor).toBeVisible();

  // Cancel asks; Discard changes closes the editor, the model as it was.
  await editor.getByRole('button', { name: 'Cancel' }).click();
  await ask.getByRole('button', { name: 'Discard changes' }).click();
  await expect(editor).toHaveCount(0);
  await expect(app.locator('pre.code')).not.toContainText('WHERE id > 0');

  // Discard on a section goes there.
  editor = await editCustomers(app);
  await typeInQuery(app, ' WHERE id > 0');
  await section(app, 'Destinations');
  await ask.getByRole('button', { name: 'Discard changes' }).click();
  await expect(app.getByRole('table', { name: 'Destinations' })).toBeVisible();
  await expect(app).toHaveURL(/#\/destinations$/);

  // The browser's own question on closing the tab, only with changes.
  editor = await editCustomers(app);
  await typeInQuery(app, ' WHERE id > 1');
  await app.close({ runBeforeUnload: true });
  await expect.poll(() => browserDialogs).toEqual(['beforeunload']);
  await expect(editor).toBeVisible();

  // Saved: nothing left to lose, nothing asked.
  await editor.getByRole('button', { name: 'Save changes' }).click();
  await expect(app.getByRole('status').filter({ hasText: 'Saved "Customers".' })).toBeVisible({ timeout: 30_000 });
  await expect(app.locator('pre.code')).toContainText('WHERE id > 1');
  await section(app, 'Sources');
  await expect(app.getByRole('table', { name: 'Sources' })).toBeVisible();
  await expect(ask).toHaveCount(0);
  expect(browserDialogs).toEqual(['beforeunload']);
});

test('Back, then Keep editing, leaves the history as it was: one Back (after Discard changes) leaves for the section before', async ({ app }) => {
  await ready(app);
  const ask = app.getByRole('alertdialog', { name: 'Discard your changes to “Customers”?' });
  await section(app, 'Sources');
  await section(app, 'Syncs');
  const editor = await editCustomers(app);
  await typeInQuery(app, ' WHERE id > 0');
  const before = await app.evaluate(() => window.history.length);

  // Back, Keep editing: the editor's entry is where it was, and Sources/Syncs still before it.
  await app.goBack();
  await expect(ask).toBeVisible();
  await ask.getByRole('button', { name: 'Keep editing' }).click();
  await expect(editor).toBeVisible();
  await expect(app).toHaveURL(/#\/models$/);
  expect(await app.evaluate(() => window.history.length)).toBe(before);

  // Another address typed (a new entry), Keep editing: still one Back from Syncs, not a doubled Models before it.
  await app.evaluate(() => (window.location.hash = '/destinations'));
  await expect(ask).toBeVisible();
  await ask.getByRole('button', { name: 'Keep editing' }).click();
  await expect(app).toHaveURL(/#\/models$/);

  // One more Back asks again; Discard changes goes to Syncs (the section before), not past it.
  await app.goBack();
  await expect(ask).toBeVisible();
  await ask.getByRole('button', { name: 'Discard changes' }).click();
  await expect(app).toHaveURL(/#\/syncs$/);
  await expect(app.getByRole('heading', { name: 'Customers to sandbox' })).toBeVisible();
  // And Forward comes back to Models once, not to a doubled entry of it.
  await app.goForward();
  await expect(app).toHaveURL(/#\/models$/);
  await app.goBack();
  await expect(app).toHaveURL(/#\/syncs$/);
  await app.goBack();
  await expect(app).toHaveURL(/#\/sources$/);
});
