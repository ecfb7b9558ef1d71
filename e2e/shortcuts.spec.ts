import type { Locator, Page } from '@playwright/test';
import { expect, ready, shot, test, skipWithoutApp } from './fixtures';
import { createPeopleDb } from '../main/testing/model-db';
import { tempWorkspace } from '../main/testing/temp';

// Issue #15, item 7: Ctrl/Cmd+S saves (payload editor, forms), Ctrl/Cmd+Enter runs the preview or the
// test, Ctrl/Cmd+K opens a palette to jump to any sync, model, destination or source, and ? lists the
// shortcuts — but not while typing.

process.env.SLUICE_E2E_SECRET = 'any-secret-works-locally';

let modelDir: { dir: string; cleanup(): void };
let modelFile: string;
test.beforeAll(({}, testInfo) => {
  skipWithoutApp(testInfo);
  modelDir = tempWorkspace('sluice-e2e-keys-');
  const { file, db } = createPeopleDb(modelDir.dir, 40);
  db.close();
  modelFile = file;
});
test.afterAll(() => modelDir?.cleanup());

test.use({
  config: async ({}, use) => {
    await use(`version: 1
sources:
  - { kind: sqlite, name: people-db, path: ${JSON.stringify(modelFile)} }
models:
  - { name: People, source: people-db, query: "SELECT * FROM people", primaryKey: [id] }
  - { name: Few people, source: people-db, query: "SELECT * FROM people WHERE id < 10", primaryKey: [id] }
destinations:
  - kind: kinesis
    name: people-stream
    stream: people
    region: us-east-1
    endpoint: http://127.0.0.1:9
    auth: { kind: access-key, accessKeyId: AKIAIOSFODNN7EXAMPLE, secretAccessKey: { env: SLUICE_E2E_SECRET } }
syncs:
  - name: people-a
    model: People
    destination: people-stream
    triggers: [added, changed, removed]
    payload: { mode: template, template: '{"id": {{ row.id }}}' }
  - name: people-b
    model: Few people
    destination: people-stream
    triggers: [added]
    payload: { mode: template, template: '{"id": {{ row.id }}, "b": true}' }
`);
  },
});

const mod = 'ControlOrMeta';

async function openPayload(app: Page, sync: string): Promise<Locator> {
  await ready(app);
  await app.getByRole('link', { name: 'Syncs' }).click();
  await app
    .getByLabel('Syncs')
    .getByRole('button', { name: new RegExp(sync) })
    .click();
  await app.getByRole('tab', { name: 'Payload' }).click();
  const editor = app.getByTestId('template-editor');
  await expect(editor.locator('.monaco-editor')).toBeVisible();
  return editor;
}

const previews = async (app: Page) => Number(await app.getByRole('region', { name: 'Preview', exact: true }).getAttribute('data-previews'));

test('in the payload editor Ctrl/Cmd+Enter runs the preview and Ctrl/Cmd+S saves, from inside Monaco', async ({ app }) => {
  const editor = await openPayload(app, 'people-a');
  const preview = app.getByRole('region', { name: 'Preview', exact: true });
  await expect(preview.getByTestId('preview-item')).toHaveCount(3);
  await expect.poll(() => previews(app)).toBeGreaterThan(0);

  await editor.locator('.view-lines').click();
  await app.keyboard.press(`${mod}+A`);
  await app.keyboard.press('Delete');
  await app.keyboard.insertText('{"id": {{ row.id }}, "name": {{ row.name | json }}}');
  await expect(editor.locator('.view-lines')).toHaveText(/^\{"id":\s\{\{\srow\.id\s\}\},\s"name":/);
  await expect(preview.getByTestId('preview-item').first()).toContainText('"name": "');
  await expect(app.getByTestId('unsaved-mark')).toBeVisible();
  const before = await previews(app);

  // Ctrl/Cmd+Enter: the preview again (not Monaco's "insert a line below").
  await app.keyboard.press(`${mod}+Enter`);
  await expect.poll(() => previews(app)).toBeGreaterThan(before);
  await expect(editor.locator('.line-numbers')).toHaveCount(1);

  // Ctrl/Cmd+S: Save payload, while the cursor is in the editor.
  await app.keyboard.press(`${mod}+S`);
  await expect(app.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
  await expect(app.getByTestId('unsaved-mark')).toBeHidden();

  // Ctrl/Cmd+S does what Save payload does: without the final }, no row renders, and it asks first.
  await app.keyboard.press('End');
  await app.keyboard.press('Backspace');
  await expect(app.getByTestId('template-problem').first()).toBeVisible();
  await app.keyboard.press(`${mod}+S`);
  await expect(app.getByRole('alertdialog', { name: 'Save with rows that do not render' })).toBeVisible();
  await expect(app.getByTestId('unsaved-mark')).toBeVisible();
  // A syntax error disables Save payload: Ctrl/Cmd+S then saves nothing.
  await app.getByRole('button', { name: 'Keep editing' }).click();
  await editor.locator('.view-lines').click();
  await app.keyboard.press(`${mod}+End`);
  await app.keyboard.type('{{ row.id ');
  await expect(app.getByRole('button', { name: 'Save payload' })).toBeDisabled();
  await app.keyboard.press(`${mod}+S`);
  await expect(app.getByRole('alertdialog')).toBeHidden();
  await expect(app.getByTestId('unsaved-mark')).toBeVisible();
});

test('Ctrl/Cmd+S submits the form being edited; Ctrl/Cmd+Enter previews a model’s query', async ({ app }) => {
  await ready(app);
  await app.getByRole('link', { name: 'Syncs' }).click();
  await app
    .getByLabel('Syncs')
    .getByRole('button', { name: /people-a/ })
    .click();
  await app.getByRole('tab', { name: 'Settings' }).click();
  const form = app.getByRole('form', { name: 'Sync settings' });
  await form.getByRole('checkbox', { name: /Removed rows/ }).uncheck();
  await app.keyboard.press(`${mod}+S`);
  await expect(app.getByRole('status').filter({ hasText: 'Saved the settings of “people-a”.' })).toBeVisible();

  await app.getByRole('link', { name: 'Models' }).click();
  await app
    .getByLabel('Models')
    .getByRole('button', { name: /^People/ })
    .click();
  await app.getByRole('button', { name: 'Edit People' }).click();
  const modelEditor = app.getByRole('region', { name: 'Edit People' });
  const table = modelEditor.getByRole('table', { name: 'Preview' });
  await expect(table.getByRole('row')).toHaveCount(21);
  await modelEditor.getByTestId('sql-editor').locator('.view-lines').click();
  await app.keyboard.press(`${mod}+A`);
  await app.keyboard.insertText('SELECT * FROM people WHERE id <= 3');
  await app.keyboard.press(`${mod}+Enter`);
  await expect(table.getByRole('row')).toHaveCount(4);
  await expect(modelEditor.getByTestId('sql-editor').locator('.line-numbers')).toHaveCount(1);
});

test('Ctrl/Cmd+K jumps to any sync, model, destination or source, filtered as you type, with the arrow keys and Enter', async ({ app }) => {
  await app.setViewportSize({ width: 1400, height: 900 });
  await openPayload(app, 'people-a');
  // From inside the editor too (Monaco keeps Ctrl+K for itself otherwise).
  await app.getByTestId('template-editor').locator('.view-lines').click();
  await app.keyboard.press(`${mod}+K`);
  const palette = app.getByRole('dialog', { name: 'Go to' });
  const input = palette.getByRole('combobox');
  await expect(input).toBeFocused();
  const options = palette.getByRole('option');
  const option = (kind: string, name: string) =>
    options
      .filter({ has: app.locator('.palette-kind').getByText(kind, { exact: true }) })
      .filter({ has: app.locator('strong').getByText(name, { exact: true }) });
  await expect(option('Sync', 'people-b')).toHaveCount(1);
  await expect(option('Model', 'Few people')).toHaveCount(1);
  await expect(option('Destination', 'people-stream')).toHaveCount(1);
  await expect(option('Source', 'people-db')).toHaveCount(1);

  await input.pressSequentially('people');
  await expect(options.first()).toHaveAttribute('aria-selected', 'true');
  await shot(app, 'shortcuts-palette');
  await input.fill('sync people-b');
  await expect(options).toHaveCount(1);
  await app.keyboard.press('Enter');
  await expect(palette).toBeHidden();
  await expect(app).toHaveURL(/#\/syncs$/);
  await expect(app.getByRole('heading', { level: 2, name: 'people-b' })).toBeVisible();

  // Arrow keys: the second of the models.
  await app.keyboard.press(`${mod}+K`);
  await input.fill('model people');
  await expect(options).toHaveCount(2);
  await expect(options.nth(0)).toHaveAttribute('aria-selected', 'true');
  await app.keyboard.press('ArrowDown');
  await expect(options.nth(1)).toHaveAttribute('aria-selected', 'true');
  await expect(input).toHaveAttribute('aria-activedescendant', (await options.nth(1).getAttribute('id'))!);
  const second = (await options.nth(1).locator('strong').textContent())!;
  await app.keyboard.press('Enter');
  await expect(app).toHaveURL(/#\/models$/);
  await expect(app.getByLabel('Models').getByRole('button', { name: new RegExp(`^${second}`) })).toHaveClass(/active/);

  // A destination: its row is marked on the Destinations page.
  await app.keyboard.press(`${mod}+K`);
  await input.fill('destination people');
  await app.keyboard.press('Enter');
  await expect(app).toHaveURL(/#\/destinations$/);
  await expect(app.getByRole('table', { name: 'Destinations' }).locator('tr[aria-current="true"]')).toContainText('people-stream');

  // Esc closes without going anywhere; nothing matching says so.
  await app.keyboard.press(`${mod}+K`);
  await input.fill('no such thing');
  await expect(options).toHaveCount(0);
  await expect(palette).toContainText('Nothing is called “no such thing”');
  await app.keyboard.press('Escape');
  await expect(palette).toBeHidden();
  await expect(app).toHaveURL(/#\/destinations$/);
});

test('? lists the shortcuts, but not while typing in a field or the editor', async ({ app }) => {
  await app.setViewportSize({ width: 1400, height: 900 });
  const editor = await openPayload(app, 'people-a');
  const help = app.getByRole('dialog', { name: 'Keyboard shortcuts' });

  // Typing ? in the editor types it.
  await editor.locator('.view-lines').click();
  await app.keyboard.press('End');
  await app.keyboard.type('?');
  await expect(editor.locator('.view-lines')).toContainText('}?');
  await expect(help).toBeHidden();
  // …and in a text field.
  await app.getByRole('region', { name: 'Preview', exact: true }).getByLabel('Preview rows').selectOption('key');
  const key = app.getByLabel('Preview key');
  await key.fill('');
  await key.pressSequentially('?');
  await expect(key).toHaveValue('?');
  await expect(help).toBeHidden();

  // Anywhere else it opens the list; Esc closes it and the focus goes back.
  await app.getByRole('tab', { name: 'Payload' }).focus();
  await app.keyboard.press('?');
  await expect(help).toBeVisible();
  for (const keys of ['Ctrl/⌘ + S', 'Ctrl/⌘ + Enter', 'Ctrl/⌘ + K', '?']) await expect(help.getByRole('cell', { name: keys, exact: true })).toBeVisible();
  await shot(app, 'shortcuts-help');
  await app.keyboard.press('Escape');
  await expect(help).toBeHidden();
  await expect(app.getByRole('tab', { name: 'Payload' })).toBeFocused();
});
