import { expect, ready, test } from './fixtures';

// A Rename form by keyboard: Escape closes it as Cancel does, and either gives the focus back to the item's
// Rename button (it went to the page's body, so the next Tab started over at the sidebar).

test('a source’s Rename: Escape and Cancel close the form and the focus is back on the Rename button', async ({ app }) => {
  await ready(app);
  await app.getByRole('link', { name: 'Sources' }).click();
  const renameButton = app.getByRole('button', { name: 'Rename Demo database' });
  const form = app.getByRole('form', { name: 'Rename Demo database' });

  await renameButton.focus();
  await app.keyboard.press('Enter');
  await expect(form.getByLabel('New name')).toBeFocused();
  await app.keyboard.type(' 2');
  await app.keyboard.press('Escape');
  await expect(form).toBeHidden();
  await expect(renameButton).toBeFocused();
  await expect(app.getByRole('table', { name: 'Sources' })).toContainText('Demo database');

  await app.keyboard.press('Enter');
  await expect(form.getByLabel('New name')).toBeFocused();
  await form.getByRole('button', { name: 'Cancel' }).focus();
  await app.keyboard.press('Enter');
  await expect(form).toBeHidden();
  await expect(renameButton).toBeFocused();
});

test('a model’s Rename: Escape closes it and the focus is back on Rename', async ({ app }) => {
  await ready(app);
  await app.getByRole('link', { name: 'Models' }).click();
  const renameButton = app.getByRole('button', { name: 'Rename Customers' });
  await renameButton.focus();
  await app.keyboard.press('Enter');
  const input = app.getByRole('form', { name: 'Rename Customers' }).getByLabel('New name');
  await expect(input).toBeFocused();
  await app.keyboard.press('Escape');
  await expect(input).toBeHidden();
  await expect(renameButton).toBeFocused();
});
