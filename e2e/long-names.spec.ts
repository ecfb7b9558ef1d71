import type { Locator, Page } from '@playwright/test';
import { applyConfig, expect, ready, shot, test } from './fixtures';
import { createPeopleDb } from '../main/testing/model-db';

// Names are up to 100 characters and may have no space at all. In a 1280×800 window such a name wraps
// where it must: every row keeps its buttons in view, and every header line shows the whole name.

const long = (c: string) => c.repeat(100);
const [SOURCE, MODEL, DESTINATION, SYNC] = [long('s'), long('m'), long('d'), long('x')];

test.use({
  prepare: {
    run(workspace: string) {
      const { file, db } = createPeopleDb(workspace, 3);
      db.close();
      applyConfig(
        workspace,
        [
          'version: 1',
          'sources:',
          `  - { kind: sqlite, name: ${SOURCE}, path: ${JSON.stringify(file)} }`,
          'models:',
          `  - { name: ${MODEL}, source: ${SOURCE}, query: 'SELECT id, name FROM people', primaryKey: [id] }`,
          'destinations:',
          `  - { kind: sandbox-kinesis, name: ${DESTINATION}, stream: ${long('k')}, shards: 1 }`,
          'syncs:',
          `  - name: ${SYNC}`,
          `    model: ${MODEL}`,
          `    destination: ${DESTINATION}`,
          '    triggers: [added, changed, removed]',
          '    initialSync: backfill',
          '    payload: { mode: template, template: \'{"id": {{ row.id }}}\' }',
          '    partitionKey: { kind: primary-key }',
          '',
        ].join('\n'),
      );
    },
  },
});

/** Where the element's text ends on screen, and how wide the window is: the text is cut off when it ends past the window. */
async function textEnd(locator: Locator): Promise<{ right: number; window: number }> {
  return locator.evaluate((el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    return { right: Math.round(range.getBoundingClientRect().right), window: document.documentElement.clientWidth };
  });
}

async function expectWholeText(locator: Locator): Promise<void> {
  await expect(locator).toBeVisible();
  const { right, window } = await textEnd(locator);
  expect(right, `the text of ${locator.toString()} ends in the window`).toBeLessThanOrEqual(window);
}

/** The element's text ends inside `box` (a dialog): not cut off at, or spilling over, its edge. */
async function expectWithin(locator: Locator, box: Locator): Promise<void> {
  await expect(locator).toBeVisible();
  const { right } = await textEnd(locator);
  const edge = await box.evaluate((el) => Math.round(el.getBoundingClientRect().right));
  expect(right, `the text of ${locator.toString()} ends inside its dialog`).toBeLessThanOrEqual(edge);
}

const section = (app: Page, name: string) => app.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name }).click();

test('names of 100 characters without a space wrap: row buttons stay in view, header lines show the whole name', async ({ app }) => {
  await app.setViewportSize({ width: 1280, height: 800 });
  await ready(app);

  await section(app, 'Sources');
  const sources = app.getByRole('table', { name: 'Sources' });
  for (const action of ['Test', 'Edit', 'Rename', 'Delete'])
    await expect(sources.getByRole('button', { name: `${action} ${SOURCE}` })).toBeInViewport({ ratio: 1 });
  await expectWholeText(sources.getByRole('cell', { name: SOURCE, exact: true }));
  await expectWholeText(sources.getByRole('cell', { name: MODEL, exact: true }));
  await shot(app, 'long-names-sources');

  await section(app, 'Destinations');
  const destinations = app.getByRole('table', { name: 'Destinations' });
  const row = destinations.getByRole('row', { name: new RegExp(DESTINATION) });
  for (const action of [`Rename ${DESTINATION}`, `Delete ${DESTINATION}`, 'Test connection'])
    await expect(row.getByRole('button', { name: action })).toBeInViewport({ ratio: 1 });
  await expectWholeText(row.getByRole('cell', { name: DESTINATION, exact: true }));
  await shot(app, 'long-names-destinations');

  await section(app, 'Syncs');
  await app
    .getByRole('complementary', { name: 'Syncs' })
    .getByRole('button', { name: new RegExp(`^${SYNC}`) })
    .click();
  await expectWholeText(app.getByRole('heading', { name: SYNC }));
  await expectWholeText(app.getByText(`${MODEL} → ${DESTINATION} · sends`));
  await expect(app.getByRole('button', { name: 'Run now' })).toBeInViewport({ ratio: 1 });
  await shot(app, 'long-names-sync');
  await app.getByRole('tab', { name: 'Settings' }).click();
  await app.getByRole('button', { name: 'Delete sync…' }).click();
  const deleteSync = app.getByRole('alertdialog', { name: `Delete the sync “${SYNC}”?` });
  await expectWithin(deleteSync.getByRole('heading'), deleteSync);
  await expectWithin(deleteSync.getByText('The records already in'), deleteSync);
  await shot(app, 'long-names-sync-delete');
  await deleteSync.getByRole('button', { name: 'Cancel' }).click();

  await section(app, 'Models');
  await app
    .getByRole('complementary', { name: 'Models' })
    .getByRole('button', { name: new RegExp(`^${MODEL}`) })
    .click();
  await expectWholeText(app.getByRole('heading', { name: MODEL }));
  await expectWholeText(app.getByText(`Reads ${SOURCE}`));
  await expect(app.getByRole('button', { name: `Delete ${MODEL}` })).toBeInViewport({ ratio: 1 });
  await shot(app, 'long-names-model');

  await app.getByRole('button', { name: `Edit ${MODEL}` }).click();
  const editor = app.getByRole('region', { name: `Edit ${MODEL}` });
  await expectWholeText(editor.getByRole('heading', { name: `Edit “${MODEL}”` }));
  await expect(editor.getByRole('button', { name: 'Cancel' })).toBeInViewport({ ratio: 1 });
  await shot(app, 'long-names-model-editor');
  await editor.getByLabel('Key column name').check();
  await editor.getByRole('button', { name: 'Cancel' }).click();
  const discard = app.getByRole('alertdialog', { name: `Discard your changes to “${MODEL}”?` });
  await expectWithin(discard.getByRole('heading'), discard);
  await shot(app, 'long-names-discard');
});
