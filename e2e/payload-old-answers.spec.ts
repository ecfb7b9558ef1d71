import type { Page } from '@playwright/test';
import { expect, ready, shot, test } from './fixtures';
import { holdAnswers } from './hold-answers';

// The payload editor never shows or acts on an answer for an earlier template: an emptied template says so
// with no rows and no placements, and rows still on screen while the next preview is asked are marked as
// earlier ones, their buttons off, until the preview of the template being edited answers.

async function openPayload(app: Page) {
  await ready(app);
  await app.getByRole('link', { name: 'Syncs' }).click();
  await app.getByRole('tab', { name: 'Payload' }).click();
  await expect(app.getByRole('region', { name: 'Preview', exact: true })).toBeVisible();
  await expect(app.getByTestId('template-editor').locator('.monaco-editor')).toBeVisible();
}

async function replaceTemplate(app: Page, text: string) {
  await app.getByTestId('template-editor').locator('.view-lines').click();
  await app.keyboard.press('ControlOrMeta+A');
  await app.keyboard.press('Delete');
  if (text) await app.keyboard.insertText(text);
}

const preview = (app: Page) => app.getByRole('region', { name: 'Preview', exact: true });
const routing = (app: Page) => app.getByRole('region', { name: 'Routing preview' });

test('an emptied template says so, with no earlier rows, no test-case or test-record buttons, no placements, and Save off saying why', async ({ app }) => {
  await openPayload(app);
  await replaceTemplate(app, '{"a": {{ row.id }}}');
  await expect(preview(app).getByTestId('preview-item').first()).toContainText('"a": 1');
  await expect(routing(app).getByTestId('routing-histogram')).toBeVisible();

  await replaceTemplate(app, '');
  await expect(preview(app).getByTestId('preview-missing')).toContainText('The template is empty.');
  await expect(preview(app).getByTestId('preview-item')).toHaveCount(0);
  await expect(preview(app).getByRole('button', { name: 'Save as test case' })).toHaveCount(0);
  await expect(preview(app).getByRole('button', { name: 'Send this row as a test record' })).toHaveCount(0);
  await expect(routing(app).getByTestId('routing-missing')).toBeVisible();
  await expect(routing(app).getByTestId('routing-histogram')).toHaveCount(0);
  const save = app.getByRole('button', { name: 'Save payload' });
  await expect(save).toBeDisabled();
  await expect(app.getByTestId('save-blocked-why')).toHaveText('The template is empty');
  await shot(app, 'payload-template-emptied');
  await routing(app).scrollIntoViewIfNeeded();
  await shot(app, 'payload-template-emptied-routing');
});

test('rows of an earlier template are marked as such, their buttons off, until the preview of this one answers', async ({ app }) => {
  const held = await holdAnswers(app, 'previewPayload');
  await app.reload();
  await openPayload(app);
  await replaceTemplate(app, '{"a": {{ row.id }}}');
  const items = preview(app).getByTestId('preview-item');
  await expect(items.first()).toContainText('"a": 1');
  const saveCase = preview(app).getByRole('button', { name: 'Save as test case' }).first();
  const sendRow = preview(app).getByRole('button', { name: 'Send this row as a test record' }).first();
  await expect(saveCase).toBeEnabled();
  await expect(sendRow).toBeEnabled();
  await expect(preview(app).getByTestId('preview-earlier')).toHaveCount(0);

  held.holdNext();
  await replaceTemplate(app, '{"b": {{ row.id }}}');
  await expect.poll(() => held.count()).toBe(1);
  // The engine is working on {"b": …}: the {"a": …} rows on screen are an earlier template's.
  await expect(preview(app).getByTestId('preview-earlier')).toBeVisible();
  await expect(preview(app)).toHaveAttribute('aria-busy', 'true');
  await expect(items.first()).toContainText('"a": 1');
  await expect(saveCase).toBeDisabled();
  await expect(sendRow).toBeDisabled();
  await preview(app).scrollIntoViewIfNeeded();
  await shot(app, 'payload-preview-earlier-rows');

  held.release();
  await expect(items.first()).toContainText('"b": 1');
  await expect(preview(app).getByTestId('preview-earlier')).toHaveCount(0);
  await expect(saveCase).toBeEnabled();
  await expect(sendRow).toBeEnabled();
  await saveCase.click();
  // The case holds the output of the template in the editor: run against it, it passes.
  const cases = app.getByRole('region', { name: 'Template tests' });
  await expect(cases.getByTestId('template-test-case')).toHaveCount(1);
  await cases.getByRole('button', { name: 'Run all' }).click();
  await expect(cases.getByTestId('template-test-summary')).toHaveText('1 passed, 0 failed');
});

test('a template that does not parse shows its error and no rows of the one before', async ({ app }) => {
  await openPayload(app);
  await replaceTemplate(app, '{"a": {{ row.id }}}');
  await expect(preview(app).getByTestId('preview-item').first()).toContainText('"a": 1');
  await replaceTemplate(app, '{"a": {{ row.id }');
  await expect(app.getByTestId('save-blocked-why')).toHaveText('Fix the template first');
  await expect(preview(app).getByTestId('preview-item')).toHaveCount(0);
  await expect(preview(app).getByRole('button', { name: 'Save as test case' })).toHaveCount(0);
  await expect(routing(app).getByTestId('routing-histogram')).toHaveCount(0);
  await shot(app, 'payload-template-broken');
  await routing(app).scrollIntoViewIfNeeded();
  await shot(app, 'payload-template-broken-routing');
});

test('Save clicked before the preview of the edited settings answers says why it saved nothing', async ({ app }) => {
  const held = await holdAnswers(app, 'previewPayload');
  await app.reload();
  await openPayload(app);
  await expect(preview(app).getByTestId('preview-item').first()).toBeVisible();
  const props = app.getByRole('region', { name: 'Message properties' });
  await props.getByLabel('Partition key', { exact: true }).selectOption('template');
  const keyTemplate = props.getByLabel('Partition key template');
  await keyTemplate.fill('{{ row.id }}');
  await expect(preview(app).getByTestId('preview-earlier')).toHaveCount(0);

  held.holdNext();
  await keyTemplate.fill('{{ row.id');
  await expect.poll(() => held.count()).toBe(1);
  await app.getByRole('button', { name: 'Save payload' }).click();
  await expect(app.getByRole('alert').filter({ hasText: 'Not saved: partition key template' })).toBeVisible();
  await expect(app.getByRole('status').filter({ hasText: 'Saved' })).toHaveCount(0);
  await shot(app, 'payload-save-refused-before-preview');
});
