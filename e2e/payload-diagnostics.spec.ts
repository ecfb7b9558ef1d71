import type { Locator, Page } from '@playwright/test';
import { expect, ready, test } from './fixtures';

// Template problems are found before saving, in words a person understands, at the template's line
// (issue #15); drafts are visible, and can be discarded or reverted.

async function openPayload(app: Page, sync?: RegExp) {
  await ready(app);
  await app.getByRole('link', { name: 'Syncs' }).click();
  if (sync) await app.getByLabel('Syncs').getByRole('button', { name: sync }).click();
  await app.getByRole('tab', { name: 'Payload' }).click();
  await expect(editor(app).locator('.monaco-editor')).toBeVisible();
}

const editor = (app: Page) => app.getByTestId('template-editor');
const preview = (app: Page) => app.getByRole('region', { name: 'Preview' });
const save = (app: Page) => app.getByRole('button', { name: 'Save payload' });

async function replaceTemplate(app: Page, text: string) {
  await editor(app).locator('.view-lines').click();
  await app.keyboard.press('ControlOrMeta+A');
  await app.keyboard.press('Delete');
  await app.keyboard.insertText(text);
}

/** The editor's line number shown level with a mark (a squiggle) in the text; 0 while the editor is still
 * laying the mark or its line numbers out, so callers poll it. */
async function lineOf(app: Page, mark: Locator): Promise<number> {
  const box = await mark.boundingBox();
  if (!box) return 0;
  const numbers = editor(app).locator('.line-numbers');
  for (let i = 0; i < (await numbers.count()); i++) {
    const n = await numbers.nth(i).boundingBox();
    if (!n) continue;
    if (box.y + box.height / 2 >= n.y && box.y + box.height / 2 < n.y + n.height) return Number(await numbers.nth(i).textContent());
  }
  return 0;
}

test('a template missing its final } is marked on its last line and is not saved without asking', async ({ app }) => {
  await openPayload(app);
  await expect(preview(app).getByTestId('preview-item')).toHaveCount(3);
  // The editor indents lines 2 and 3 itself.
  await replaceTemplate(app, '{\n"id": {{ row.id }},\n"email": {{ row.email | json }}\n');
  const problem = app.getByTestId('template-problem');
  await expect(problem).toHaveCount(1);
  await expect(problem).toContainText('Line 3, column 33: The JSON is not finished for key 1: add } at the end to close the object opened on line 1');
  const squiggle = editor(app).locator('.squiggly-error');
  await expect(squiggle).toHaveCount(1);
  await expect.poll(() => lineOf(app, squiggle)).toBe(3);

  // Save asks first, naming what is wrong; keeping on editing saves nothing.
  await save(app).click();
  const ask = app.getByRole('alertdialog', { name: 'Save with rows that do not render' });
  await expect(ask).toContainText('3 of 3 previewed rows do not render');
  await expect(ask).toContainText('The template output is not valid JSON');
  await ask.getByRole('button', { name: 'Keep editing' }).click();
  await expect(ask).toHaveCount(0);
  await expect(app.getByTestId('unsaved-mark')).toBeVisible();

  // Adding the } clears the problem, and the payload saves without a question.
  await editor(app).locator('.view-lines').click();
  await app.keyboard.press('ControlOrMeta+End');
  await app.keyboard.insertText('}');
  await expect(problem).toHaveCount(0);
  await expect(preview(app).getByTestId('preview-item').first()).toContainText('"email": "');
  await save(app).click();
  await expect(app.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
  await expect(ask).toHaveCount(0);
  await expect(app.getByTestId('unsaved-mark')).toHaveCount(0);
});

test('an output tag missing one } is a syntax error at its line, in plain words; Save is refused', async ({ app }) => {
  await openPayload(app);
  await replaceTemplate(app, '{\n"email": {{row.email_address},\n"id": {{ row.id }}\n}');
  const problem = app.getByTestId('template-problem');
  await expect(problem).toHaveText('Line 2, column 12: This output tag is not closed: add }} after row.email_address');
  const squiggle = editor(app).locator('.squiggly-error');
  await expect(squiggle).toHaveCount(1);
  await expect.poll(() => lineOf(app, squiggle)).toBe(2);
  await expect(save(app)).toBeDisabled();
});

test.describe('a model with a full_name column', () => {
  test.use({
    config: async ({}, use) => {
      await use(`version: 1
models:
  - name: People
    source: Demo database
    query: "SELECT id, first_name || ' ' || last_name AS full_name, email FROM customers"
    primaryKey: [id]
syncs:
  - name: People to sandbox
    model: People
    destination: Sandbox stream
    triggers: [added, changed, removed]
    payload: { mode: template, template: '{"id": {{ row.id }}}' }
`);
    },
  });

  test('row.fullname is warned about with "did you mean row.full_name"; previous. too', async ({ app }) => {
    await openPayload(app, /People to sandbox/);
    await replaceTemplate(app, '{\n"id": {{ row.id }},\n"name": {{ row.fullname | json }},\n"was": {{ previous.full_nme | default: "" | json }}\n}');
    const warnings = app.getByTestId('template-warning');
    await expect(warnings).toHaveCount(2);
    await expect(warnings.first()).toHaveText('Line 3, column 14: row.fullname is not a column of this model: did you mean row.full_name?');
    await expect(warnings.nth(1)).toHaveText(
      'Line 4, column 13: previous.full_nme: did you mean previous.full_name? (previous is the row as last delivered: it may also hold columns this model no longer has)',
    );
    await expect(editor(app).locator('.squiggly-warning')).toHaveCount(2);
    // The rows say what that does: nothing is written where the name belongs, so the JSON breaks there.
    await expect(app.getByTestId('template-problem')).toHaveText('Line 3, column 11: {{ row.fullname | json }} writes nothing for key 1: the value is missing');
    await expect.poll(() => lineOf(app, editor(app).locator('.squiggly-warning').first())).toBe(3);

    // The suggestion applied, the warning goes.
    await replaceTemplate(app, '{\n"id": {{ row.id }},\n"name": {{ row.full_name | json }}\n}');
    await expect(warnings).toHaveCount(0);
    await expect(preview(app).getByTestId('preview-item').first()).toContainText('"name": "');
  });
});

test('a draft shows as unsaved, survives a reload, and can be discarded or reverted (undoably)', async ({ app }) => {
  await openPayload(app);
  await expect(app.getByTestId('unsaved-mark')).toHaveCount(0);
  await replaceTemplate(app, '{"draft": {{ row.id }}}');
  await expect(app.getByTestId('unsaved-mark')).toBeVisible();
  await expect(preview(app).getByTestId('preview-item').first()).toContainText('"draft": 1');

  // The draft was kept in this browser: after a reload it is back, marked as not the saved payload.
  await app.reload();
  await openPayload(app);
  await expect(editor(app)).toContainText('{"draft": {{ row.id }}}');
  await expect(app.getByTestId('unsaved-mark')).toBeVisible();
  const notice = app.getByTestId('draft-notice');
  await expect(notice).toContainText('This is an unsaved draft kept in this browser, not the saved payload.');

  // Discard: the saved payload is back, nothing is unsaved, and a reload keeps it so.
  await notice.getByRole('button', { name: 'Discard draft' }).click();
  await expect(editor(app)).toContainText('"plan": {{ row.plan | json }}');
  await expect(editor(app)).not.toContainText('"draft"');
  await expect(app.getByTestId('unsaved-mark')).toHaveCount(0);
  await expect(notice).toHaveCount(0);
  await app.reload();
  await openPayload(app);
  await expect(editor(app)).toContainText('"plan": {{ row.plan | json }}');
  await expect(app.getByTestId('unsaved-mark')).toHaveCount(0);

  // Revert to saved is one edit: Undo brings the draft back.
  await replaceTemplate(app, '{"again": {{ row.id }}}');
  await app.getByRole('button', { name: 'Revert to saved' }).click();
  await expect(editor(app)).toContainText('"plan": {{ row.plan | json }}');
  await expect(app.getByTestId('unsaved-mark')).toHaveCount(0);
  await editor(app).locator('.view-lines').click();
  await app.keyboard.press('ControlOrMeta+Z');
  await expect(editor(app)).toContainText('{"again": {{ row.id }}}');
  await expect(app.getByTestId('unsaved-mark')).toBeVisible();
});
