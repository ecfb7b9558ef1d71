import type { Page } from '@playwright/test';
import { expect, ready, test, type Mode } from './fixtures';

// The template editor keeps every keystroke and paste, at any speed (issue #15): typed with no delay
// between keys, a 60-line template arrives whole, in order; a 10 KB paste too; and Undo undoes them.

async function openPayload(app: Page) {
  await ready(app);
  await app.getByRole('link', { name: 'Syncs' }).click();
  await app.getByRole('tab', { name: 'Payload' }).click();
  await expect(app.getByTestId('template-editor').locator('.monaco-editor')).toBeVisible();
}

const editor = (app: Page) => app.getByTestId('template-editor');

async function clipboardAccess(app: Page, mode: Mode) {
  if (mode === 'browser-host') await app.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(app.url()).origin });
}

/**
 * Everything in the editor, as a user gets it: select all and copy. (The Electron shell denies web
 * pages the clipboard permission, so there the text is read from the draft the editor keeps.)
 */
async function editorText(app: Page, mode: Mode): Promise<string> {
  if (mode === 'electron') {
    return app.evaluate(() => (JSON.parse(localStorage.getItem('sluice.draft.Customers to sandbox') ?? '{}') as { template?: string }).template ?? '');
  }
  await editor(app).locator('.view-lines').click();
  await app.keyboard.press('ControlOrMeta+A');
  await app.keyboard.press('ControlOrMeta+C');
  return app.evaluate(() => navigator.clipboard.readText());
}

async function paste(app: Page, mode: Mode, text: string) {
  if (mode === 'electron') return app.keyboard.insertText(text);
  await app.evaluate((t) => navigator.clipboard.writeText(t), text);
  await app.keyboard.press('ControlOrMeta+V');
}

/** 60 lines: an object of 58 fields, outputs with and without filters, text around them, tags. */
function sixtyLines(): string {
  const kinds = [
    (i: number) => `"n${i}": "{{ row.first_name }}"`,
    (i: number) => `"e${i}": {{ row.email | json }}`,
    (i: number) => `"i${i}": {{ row.id }}`,
    (i: number) => `"p${i}": {% if row.id %}1{% else %}0{% endif %}`,
    (i: number) => `"v${i}": {{ event | json }}`,
  ];
  const fields = Array.from({ length: 58 }, (_, i) => `  ${kinds[i % kinds.length]!(i)}${i < 57 ? ',' : ''}`);
  return ['{', ...fields, '}'].join('\n');
}

test('a 60-line template typed with no delay between keys, and a 10 KB paste, arrive whole; Undo works', async ({ app, mode }) => {
  // Some 1,700 keys, each one a round trip to the browser: minutes on a busy machine.
  test.setTimeout(300_000);
  await clipboardAccess(app, mode);
  await openPayload(app);
  const template = sixtyLines();
  expect(template.split('\n')).toHaveLength(60);

  await editor(app).locator('.view-lines').click();
  await app.keyboard.press('ControlOrMeta+A');
  await app.keyboard.press('Delete');
  // Key after key with no delay. The editor indents a new line itself; Shift+Home selects what it
  // put there, so each line's own indentation replaces it and the text is exactly the template.
  for (const [i, line] of template.split('\n').entries()) {
    if (i > 0) {
      await app.keyboard.press('Enter');
      await app.keyboard.press('Shift+Home');
    }
    await app.keyboard.type(line, { delay: 0 });
  }
  expect(await editorText(app, mode)).toBe(template);
  // The live preview renders what was typed (it waits for the typing to stop, then the engine answers).
  await expect(app.getByRole('region', { name: 'Preview' }).getByTestId('preview-item').first()).toContainText('"v54": "added"');

  // A 10 KB paste over the whole text.
  const pasted = `{\n${Array.from({ length: 200 }, (_, i) => `  "field_${String(i).padStart(3, '0')}": {{ row.email | append: "-${i}" | json }}`).join(',\n')}\n}`;
  expect(pasted.length).toBeGreaterThan(10_240);
  await editor(app).locator('.view-lines').click();
  await app.keyboard.press('ControlOrMeta+A');
  await paste(app, mode, pasted);
  await expect(app.getByRole('region', { name: 'Preview' }).getByTestId('preview-item').first()).toContainText('"field_199": "');
  expect(await editorText(app, mode)).toBe(pasted);

  // Undo takes the paste back, leaving exactly the typed template; Redo brings the paste again.
  await app.keyboard.press('ControlOrMeta+Z');
  await expect.poll(() => editorText(app, mode)).toBe(template);
  await app.keyboard.press('ControlOrMeta+Shift+Z');
  await expect.poll(() => editorText(app, mode)).toBe(pasted);
});
