import type { Locator, Page } from '@playwright/test';
import { expect, ready } from './fixtures';

// Steps several specs take the same way through the UI (the destination wizard, the SQL model editor).

/** Opens the destination wizard on `kind` with the destination's name filled in. */
export async function newDestination(app: Page, kind: RegExp, name: string): Promise<Locator> {
  await ready(app);
  await app.getByRole('link', { name: 'Destinations' }).click();
  await app.getByRole('button', { name: 'New destination' }).click();
  const wizard = app.getByRole('region', { name: 'New destination' });
  await wizard.getByRole('radio', { name: kind }).click();
  await wizard.getByLabel('Name', { exact: true }).fill(name);
  return wizard;
}

/** Tests the wizard's connection (its Listing step passes) and goes on to choosing the stream or topic. */
export async function testAndChoose(wizard: Locator, what: 'stream' | 'topic'): Promise<void> {
  await wizard.getByRole('button', { name: 'Test the connection' }).click();
  await expect(wizard.getByRole('region', { name: 'Connection test' }).locator('[data-step="Listing"]')).toHaveAttribute('data-status', 'ok');
  await wizard.getByRole('button', { name: `Choose the ${what}` }).click();
}

/**
 * Types `SELECT * FROM customers WHERE email IS NOT NULL` into a model's SQL editor, taking the table and
 * the column from completion (Ctrl+Space). `onSuggested` runs while the column's suggestion is shown.
 */
export async function typeCustomersQueryWithCompletion(app: Page, editor: Locator, onSuggested?: () => Promise<void>): Promise<void> {
  await editor.getByTestId('sql-editor').click();
  await app.keyboard.type('SELECT * FROM cust');
  await app.keyboard.press('Control+Space');
  const suggest = app.locator('.suggest-widget');
  await expect(suggest.getByRole('option', { name: /customers/ }).first()).toBeVisible();
  await app.keyboard.press('Enter');
  await app.keyboard.type(' WHERE ema');
  await app.keyboard.press('Control+Space');
  await expect(suggest.getByRole('option', { name: /email/ }).first()).toBeVisible();
  await onSuggested?.();
  await app.keyboard.press('Enter');
  await app.keyboard.type(' IS NOT NULL');
  await expect(editor.locator('.view-lines')).toHaveText(/SELECT\s\*\sFROM\scustomers\sWHERE\semail\sIS\sNOT\sNULL/);
}

/**
 * Fills the Add a source form for a PostgreSQL source named `crm` (its password under the keychain name
 * `crm/password`) and types `password` as the password's value.
 */
export async function fillPostgresSource(form: Locator, pg: { host: string; port: number; database: string; user: string }, password: string): Promise<void> {
  await form.getByRole('radio', { name: /PostgreSQL/ }).click();
  await form.getByLabel('Name', { exact: true }).fill('crm');
  await form.getByLabel('Host').fill(pg.host);
  await form.getByLabel('Port').fill(String(pg.port));
  await form.getByLabel('Database').fill(pg.database);
  await form.getByLabel('User', { exact: true }).fill(pg.user);
  await expect(form.getByLabel('Password: keychain name')).toHaveValue('crm/password');
  await form.getByLabel('Password: value').fill(password);
}
