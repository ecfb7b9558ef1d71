import type { Locator, Page } from '@playwright/test';
import { expect, ready, shot, test } from './fixtures';

// Issue #15, item 4: the payload editor's editor | preview split is resizable and remembered, lines
// wrap, Format lays a template out without changing what it sends, the completion list is not cut
// off by the editor's box, the editor follows the app's light/dark theme, and Monaco is loaded only
// when an editor shows.

const mod = 'ControlOrMeta';

async function openPayload(app: Page): Promise<Locator> {
  await ready(app);
  await app.getByRole('link', { name: 'Syncs' }).click();
  await app.getByRole('tab', { name: 'Payload' }).click();
  const editor = app.getByTestId('template-editor');
  await expect(editor.locator('.monaco-editor')).toBeVisible();
  return editor;
}

async function replaceTemplate(app: Page, editor: Locator, text: string) {
  await editor.locator('.view-lines').click();
  await app.keyboard.press(`${mod}+A`);
  await app.keyboard.press('Delete');
  await app.keyboard.insertText(text);
}

const width = async (l: Locator) => (await l.boundingBox())!.width;
const preview = (app: Page) => app.getByRole('region', { name: 'Preview', exact: true });

test('Monaco is loaded only when an editor shows, in chunks of its own', async ({ app }) => {
  const scripts: string[] = [];
  app.on('request', (r) => r.resourceType() === 'script' && scripts.push(new URL(r.url()).pathname));
  await ready(app);
  await app.getByRole('link', { name: 'Syncs' }).click();
  await expect(app.getByRole('tab', { name: 'Payload' })).toBeVisible();
  expect(scripts.filter((s) => /\/assets\/(monaco|TemplateEditor|editor-base)-/.test(s))).toEqual([]);
  await openPayload(app);
  expect(scripts.filter((s) => /\/assets\/monaco-/.test(s)).length).toBeGreaterThan(3);
  expect(scripts.some((s) => /\/assets\/TemplateEditor-/.test(s))).toBe(true);
});

test('the editor | preview split resizes by dragging or with the keys, and is remembered', async ({ app }) => {
  await app.setViewportSize({ width: 1400, height: 900 });
  await openPayload(app);
  const pane = app.getByTestId('editor-pane');
  const divider = app.getByRole('separator', { name: 'Resize the editor and the preview' });
  const before = await width(pane);
  const previewBefore = await width(preview(app));
  expect(Math.abs(before - previewBefore)).toBeLessThan(40); // half and half to start with

  // Drag the divider 100 px to the right: the editor takes them from the preview.
  const box = (await divider.boundingBox())!;
  await app.mouse.move(box.x + box.width / 2, box.y + 40);
  await app.mouse.down();
  await app.mouse.move(box.x + box.width / 2 + 50, box.y + 40, { steps: 4 });
  await app.mouse.move(box.x + box.width / 2 + 100, box.y + 40, { steps: 4 });
  await app.mouse.up();
  await expect.poll(() => width(pane)).toBeGreaterThan(before + 90);
  const dragged = await width(pane);
  expect(dragged).toBeLessThan(before + 110);
  expect(await width(preview(app))).toBeLessThan(previewBefore - 90);
  // The editor itself follows its pane (Monaco lays itself out again).
  await expect.poll(async () => width(app.getByTestId('template-editor').locator('.monaco-editor'))).toBeGreaterThan(dragged - 10);
  await shot(app, 'editor-split-wide');

  // The keys: ← narrows the editor a step, Home to the narrowest.
  await divider.focus();
  await app.keyboard.press('ArrowLeft');
  await expect.poll(() => width(pane)).toBeLessThan(dragged - 20);
  await app.keyboard.press('Home');
  await expect.poll(() => width(pane)).toBeLessThan(340);
  await app.keyboard.press('End');
  await expect.poll(() => width(preview(app))).toBeLessThan(340);
  await app.keyboard.press('ArrowLeft');
  const chosen = await width(pane);

  // Remembered: after a reload the split is as it was left.
  await app.reload();
  await openPayload(app);
  await expect.poll(() => width(pane)).toBeGreaterThan(chosen - 8);
  expect(await width(pane)).toBeLessThan(chosen + 8);

  // In a small window neither side is squeezed: with no room for both least widths they stay about half and half.
  await app.setViewportSize({ width: 1024, height: 700 });
  await divider.focus();
  await app.keyboard.press('End');
  const split = app.locator('.payload-split');
  await expect.poll(async () => (await width(preview(app))) / (await width(split))).toBeGreaterThan(0.4);
  expect((await width(pane)) + (await width(preview(app)))).toBeLessThanOrEqual(await width(split));
  await app.keyboard.press('Home');
  await expect.poll(async () => (await width(pane)) / (await width(split))).toBeGreaterThan(0.4);
  await shot(app, 'editor-split-1024');
});

test('long lines wrap, and the completion list is not cut off by the editor’s edge', async ({ app }) => {
  await app.setViewportSize({ width: 1400, height: 900 });
  const editor = await openPayload(app);
  // The narrowest editor: a completion list is wider than it.
  await app.getByRole('separator', { name: 'Resize the editor and the preview' }).focus();
  await app.keyboard.press('Home');
  await expect.poll(() => width(app.getByTestId('editor-pane'))).toBeLessThan(340);

  const long = `{"id": {{ row.id }}, "note": "${'a rather long line of text '.repeat(6)}"}`;
  await replaceTemplate(app, editor, long);
  await expect(editor.locator('.line-numbers')).toHaveCount(1);
  await expect.poll(() => editor.locator('.view-line').count()).toBeGreaterThan(2);
  // Wrapped, not scrolled sideways: every piece of the line is inside the editor.
  const right = (await editor.boundingBox())!;
  for (const piece of await editor.locator('.view-line > span').all()) {
    const b = (await piece.boundingBox())!;
    expect(b.x + b.width).toBeLessThanOrEqual(right.x + right.width);
  }

  await app.keyboard.press(`${mod}+End`);
  await app.keyboard.press('Enter');
  await app.keyboard.type('{{ row.');
  const suggest = app.locator('.suggest-widget');
  await expect(suggest.getByRole('option', { name: /email/ }).first()).toBeVisible();
  const list = (await suggest.boundingBox())!;
  const box = (await editor.boundingBox())!;
  // The list reaches past the editor's right edge…
  expect(list.x + list.width).toBeGreaterThan(box.x + box.width + 20);
  // …and what is past the edge is painted, not clipped: the topmost element there belongs to the list.
  const x = Math.min(list.x + list.width - 8, box.x + box.width + 15);
  const y = list.y + Math.min(list.height - 4, 12);
  const onTop = await app.evaluate(([px, py]) => document.elementFromPoint(px!, py!)?.closest('.suggest-widget') !== null, [x, y]);
  expect(onTop).toBe(true);
  await shot(app, 'editor-completion-unclipped');
  await app.keyboard.press('Escape');
});

test('Format lays the template out and what every previewed row sends stays byte for byte the same; Undo takes it back', async ({ app }) => {
  await app.setViewportSize({ width: 1400, height: 900 });
  const editor = await openPayload(app);
  const compact = '{"id":{{row.id}},"email":{{row.email|json}},{% if row.id %}"flag":true,{% endif %}"tags":[1,2],"name":"{{ row.id }}  spaced"}';
  await replaceTemplate(app, editor, compact);
  await expect(editor.locator('.line-numbers')).toHaveCount(1);
  const items = preview(app).getByTestId('preview-item');
  await expect(items).toHaveCount(3);
  await expect(items.first()).toContainText('"flag": true');
  const wire = preview(app).locator('pre.wire');
  const sentBefore = await wire.allTextContents();
  expect(sentBefore).toHaveLength(3);

  await app.getByRole('button', { name: 'Format' }).click();
  await expect(editor.locator('.line-numbers')).toHaveCount(12);
  await expect(editor.locator('.view-lines')).toContainText('"name": "{{ row.id }}  spaced"');
  // The preview ran again on the formatted template (it is another text) and sends the same bytes.
  await expect.poll(async () => (await wire.allTextContents()).length).toBe(3);
  await expect.poll(() => wire.allTextContents()).toEqual(sentBefore);
  await expect(app.getByTestId('unsaved-mark')).toBeVisible();
  await shot(app, 'editor-formatted');

  // Formatting again changes nothing.
  await app.getByRole('button', { name: 'Format' }).click();
  await expect(app.getByTestId('format-note')).toHaveText('Already formatted.');

  // One Undo brings the compact text back.
  await editor.locator('.view-lines').click();
  await app.keyboard.press(`${mod}+Z`);
  await expect(editor.locator('.line-numbers')).toHaveCount(1);

  // A template Format cannot read is left as it is, saying why.
  await replaceTemplate(app, editor, '{"id": {{ row.id }}, "a": "not closed}');
  await app.getByRole('button', { name: 'Format' }).click();
  await expect(app.getByTestId('format-note')).toHaveText('Format leaves this template as it is: it has a string that is not closed.');
  await expect(editor.locator('.line-numbers')).toHaveCount(1);
});

test('the editor follows the app’s theme, light and dark', async ({ app }) => {
  await app.setViewportSize({ width: 1400, height: 900 });
  await ready(app);
  await app.getByRole('link', { name: 'Settings' }).click();
  await app.getByLabel('Theme').selectOption('dark');
  await expect(app.locator('html')).toHaveAttribute('data-theme', 'dark');
  const editor = await openPayload(app);
  const monaco = editor.locator('.monaco-editor');
  await expect(monaco).toHaveClass(/\bvs-dark\b/);
  const dark = await monaco.evaluate((el) => getComputedStyle(el.querySelector('.monaco-editor-background')!).backgroundColor);
  expect(dark).toBe('rgb(30, 30, 30)');
  await shot(app, 'editor-dark');

  await app.getByRole('link', { name: 'Settings' }).click();
  await app.getByLabel('Theme').selectOption('light');
  await openPayload(app);
  await expect(monaco).toHaveClass(/\bvs\b/);
  await expect(monaco).not.toHaveClass(/\bvs-dark\b/);
  expect(await monaco.evaluate((el) => getComputedStyle(el.querySelector('.monaco-editor-background')!).backgroundColor)).toBe('rgb(255, 255, 254)'); // Monaco's light theme, #fffffe
});
