import type { Page } from '@playwright/test';
import { expect, ready, test } from './fixtures';

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

test('save a previewed row as a test case, change the template, and see the failing case with a diff', async ({ app }) => {
  await openPayload(app);
  const preview = app.getByRole('region', { name: 'Preview' });
  const tests = app.getByRole('region', { name: 'Template tests' });
  await expect(preview.getByTestId('preview-item')).toHaveCount(3);
  await preview.getByTestId('preview-item').first().getByRole('button', { name: 'Save as test case' }).click();
  await expect(tests.getByTestId('template-test-case')).toHaveCount(1);
  await expect(tests.getByTestId('template-test-case')).toContainText('key 1 (added)');
  await tests.getByRole('button', { name: 'Run all' }).click();
  await expect(tests.getByTestId('template-test-summary')).toHaveText('1 passed, 0 failed');

  await replaceTemplate(app, '{"id": {{ row.id }}, "email": {{ row.email | upcase | json }}}');
  await expect(preview.getByTestId('preview-item').first()).toContainText('"email": "');
  await tests.getByRole('button', { name: 'Run all' }).click();
  await expect(tests.getByTestId('template-test-summary')).toHaveText('0 passed, 1 failed');
  const diff = tests.getByTestId('template-test-diff');
  await expect(diff).toContainText('- $.email: "');
  await expect(diff).toContainText('+ $.email: "');
  await expect(diff).toContainText('- $.plan: "');
  await expect(diff).toContainText('+ $.plan: (missing)');
  await expect(tests.getByTestId('template-test-case')).toContainText('✗ key 1');
});
