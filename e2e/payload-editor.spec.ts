import path from 'node:path';
import type { Page } from '@playwright/test';
import BetterSqlite3 from 'better-sqlite3';
import { expect, ready, shot, test } from './fixtures';
import { tempWorkspace } from '../main/testing/temp';

async function openPayload(app: Page) {
  await ready(app);
  await app.getByRole('link', { name: 'Syncs' }).click();
  await app.getByRole('tab', { name: 'Payload' }).click();
  await expect(app.getByTestId('template-editor').locator('.monaco-editor')).toBeVisible();
}

async function replaceTemplate(app: Page, text: string) {
  await app.getByTestId('template-editor').locator('.view-lines').click();
  await app.keyboard.press('ControlOrMeta+A');
  await app.keyboard.press('Delete');
  await app.keyboard.insertText(text);
}

const preview = (app: Page) => app.getByRole('region', { name: 'Preview' });

test('leaving the Payload tab right after typing raises no error in the page (it threw "Model is disposed!")', async ({ app }) => {
  const errors: string[] = [];
  app.on('pageerror', (err) => errors.push(err.message));
  await openPayload(app);
  // (Another tab asks first with a change: Discard changes leaves the tab at once.)
  const ask = app.getByRole('alertdialog', { name: 'Discard your changes to the payload of “Customers to sandbox”?' });
  for (let i = 0; i < 3; i++) {
    await app.getByTestId('template-editor').locator('.view-lines').click();
    await app.keyboard.type(' ');
    await expect(app.getByTestId('unsaved-mark')).toBeVisible();
    await app.getByRole('tab', { name: 'Runs' }).click();
    await ask.getByRole('button', { name: 'Discard changes' }).click();
    await app.getByRole('tab', { name: 'Payload' }).click();
    await expect(app.getByTestId('template-editor').locator('.monaco-editor')).toBeVisible();
  }
  await app.getByRole('tab', { name: 'Runs' }).click();
  await expect(app.getByRole('table', { name: 'Run history' }).or(app.getByText('This sync has not run yet'))).toBeVisible();
  expect(errors).toEqual([]);
});

test('typing a template updates the live preview on real rows', async ({ app }) => {
  await openPayload(app);
  await expect(preview(app).getByTestId('preview-item')).toHaveCount(3);
  await expect(preview(app).getByTestId('preview-item').first()).toContainText('"email": "');
  await replaceTemplate(app, '{"who": {{ row.email | json }}, "what": {{ event | json }}}');
  await expect(preview(app).getByTestId('preview-item').first()).toContainText('"who": "');
  await expect(preview(app).getByTestId('preview-item').first()).toContainText('"what": "added"');
  await preview(app).getByLabel('Preview event').selectOption('removed');
  await expect(preview(app).getByTestId('preview-item').first()).toContainText('"what": "removed"');
  await preview(app).getByLabel('Preview rows').selectOption('key');
  await preview(app).getByLabel('Preview key').fill('1999');
  await expect(preview(app).getByTestId('preview-item')).toHaveCount(1);
  await expect(preview(app).getByTestId('preview-item')).toContainText('key 1999');
});

test('a broken template gets a marker on the right line, and output that is not JSON says where', async ({ app }) => {
  await openPayload(app);
  await replaceTemplate(app, '{\n  "id": {{ row.id }},\n  "x": {% if row.id %}1\n}');
  const problem = app.getByTestId('template-problem');
  await expect(problem).toContainText('Line 3, column 12');
  await expect(problem).toContainText('not closed');
  await expect(app.getByTestId('template-editor').locator('.squiggly-error')).toHaveCount(1);
  await expect(app.getByRole('button', { name: 'Save payload' })).toBeDisabled();

  await replaceTemplate(app, '{"name": {{ row.first_name }}}');
  await expect(preview(app).getByRole('alert').first()).toContainText('The template output is not valid JSON: unexpected');
  await expect(preview(app).getByRole('alert').first()).toContainText('at line 1, column 10');
});

test('the field mapper, and the template made from it, produce identical JSON; the payload saves', async ({ app }) => {
  await openPayload(app);
  await app.getByRole('tab', { name: 'Field mapper' }).click();
  await app.getByLabel('Column 1').selectOption('id');
  await app.getByLabel('Key 1').fill('customer.id');
  await app.getByRole('button', { name: 'Add field' }).click();
  await app.getByLabel('Column 2').selectOption('email');
  await app.getByLabel('Key 2').fill('customer.contact.email');
  const first = preview(app).getByTestId('preview-item').first().locator('pre').first();
  await expect(first).toContainText('"contact": {');
  const fromMapper = await first.textContent();

  await app.getByRole('button', { name: 'Turn into a Liquid template' }).click();
  await expect(app.getByRole('tab', { name: 'Liquid template' })).toHaveAttribute('aria-selected', 'true');
  await expect(app.getByTestId('template-editor')).toContainText('row["email"] | json');
  await expect(first).toHaveText(fromMapper!);

  await app.getByRole('button', { name: 'Save payload' }).click();
  await expect(app.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
});

test.describe('a mapping of a SQLite BIGINT past 2^53', () => {
  const model = tempWorkspace('sluice-e2e-bigint-');
  test.afterAll(() => model.cleanup());
  test.use({
    config: async ({}, use) => {
      const file = path.join(model.dir, 'accounts.sqlite');
      const db = new BetterSqlite3(file);
      db.exec(`DROP TABLE IF EXISTS accounts; CREATE TABLE accounts (id INTEGER PRIMARY KEY, external_id BIGINT, code TEXT);
        INSERT INTO accounts VALUES (1, 1234567890123456789, '1234567890123456789'), (2, NULL, '007');`);
      db.close();
      await use(`version: 1
sources:
  - { kind: sqlite, name: accounts-db, path: ${JSON.stringify(file)} }
models:
  - { name: Accounts, source: accounts-db, query: "SELECT id, external_id, code, external_id + 0 AS external_sum FROM accounts ORDER BY id", primaryKey: [id] }
destinations:
  - { kind: sandbox-kinesis, name: accounts-sandbox, stream: accounts }
syncs:
  - name: accounts-out
    model: Accounts
    destination: accounts-sandbox
    triggers: [added, changed, removed]
    payload: { mode: mapping, fields: [{ column: id, key: id }, { column: external_id, key: ids.external }, { column: code, key: ids.code }, { column: external_sum, key: ids.sum }] }
`);
    },
  });

  test('"Turn into a Liquid template" writes a template that previews the same bytes: the BIGINT a number, every digit (it was a string), an expression\'s INTEGER too', async ({
    app,
  }) => {
    await ready(app);
    await app.getByRole('link', { name: 'Syncs' }).click();
    await app
      .getByLabel('Syncs')
      .getByRole('button', { name: /accounts-out/ })
      .click();
    await app.getByRole('tab', { name: 'Payload' }).click();
    await expect(app.getByRole('tab', { name: 'Field mapper' })).toHaveAttribute('aria-selected', 'true');
    const first = preview(app).getByTestId('preview-item').first().locator('pre').first();
    await expect(first).toContainText('"external": 1234567890123456789');
    await expect(first).toContainText('"code": "1234567890123456789"');
    // An expression has no declared type: its INTEGER past 2^53 is a number (it was a string), and the template made says so.
    await expect(first).toContainText('"sum": 1234567890123456789');
    const fromMapper = await first.textContent();

    await app.getByRole('button', { name: 'Turn into a Liquid template' }).click();
    await expect(app.getByRole('tab', { name: 'Liquid template' })).toHaveAttribute('aria-selected', 'true');
    await expect(first).toHaveText(fromMapper!);
    // (Monaco wraps long lines: spaces may fall anywhere.)
    await expect(app.getByTestId('template-editor')).toContainText(/row\s*\["external_id"\]\s*\|\s*default:\s*"null"/);
    await expect(app.getByTestId('template-editor')).toContainText(/row\s*\["code"\]\s*\|\s*json/);
    await expect(app.getByTestId('template-editor')).toContainText(/row\s*\["external_sum"\]\s*\|\s*default:\s*"null"/);
    await expect(preview(app).getByTestId('preview-item').nth(1).locator('pre').first()).toContainText('"external": null');
    await shot(app, 'mapping-to-liquid-bigint');
  });
});
