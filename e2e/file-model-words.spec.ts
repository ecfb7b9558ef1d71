import fs from 'node:fs';
import path from 'node:path';
import { expect, ready, test } from './fixtures';
import { tempWorkspace } from '../main/testing/temp';

// File models in the app: what is said about a file that cannot be read, and about a file with no rows.

const files = tempWorkspace('sluice-e2e-files-');
const latin1 = path.join(files.dir, 'latin1.csv');
const headerOnly = path.join(files.dir, 'header-only.csv');
fs.writeFileSync(latin1, Buffer.concat([Buffer.from('id,name\n1,caf'), Buffer.from([0xe9]), Buffer.from('\n')])); // "café" saved as Latin-1
fs.writeFileSync(headerOnly, 'id,name\n');
test.afterAll(() => files.cleanup());

test.use({
  demo: false,
  config: `version: 1
sources:
  - { kind: csv, name: latin-file, path: ${JSON.stringify(latin1)} }
  - { kind: csv, name: empty-file, path: ${JSON.stringify(headerOnly)} }
models:
  - { name: Latin, source: latin-file, primaryKey: [id] }
  - { name: Empty, source: empty-file, primaryKey: [id] }
destinations:
  - { kind: sandbox-kinesis, name: words-sandbox, stream: words }
syncs:
  - { name: empty-out, model: Empty, destination: words-sandbox, triggers: [added, changed, removed], payload: { mode: template, template: '{"id": {{ row.id }}}' } }
`,
});

// It showed in a banner above the page, twice (the second time labelled "Path:"), and nothing on the model.
test('a model whose file is not UTF-8 says so once, on the model, where its rows would show', async ({ app }) => {
  await ready(app);
  await app.getByRole('link', { name: 'Models' }).click();
  await app.getByRole('button', { name: /^Latin/ }).click();
  const said = app.getByTestId('model-preview-error');
  await expect(said).toHaveText(
    `Its rows could not be read: ${latin1}, line 2 is not UTF-8 text (byte 0xE9; e.g. a file saved as Latin-1, Windows-1252 or UTF-16): re-save it as UTF-8`,
  );
  await expect(app.getByText(/is not UTF-8 text/)).toHaveCount(1);
  await expect(app.getByText(/Path:/)).toHaveCount(0);
  await expect(app.getByTestId('error-banner')).toHaveCount(0);
  await app.screenshot({ path: test.info().outputPath('not-utf8-model.png') });
  // Another model: nothing of the first one's error stays.
  await app.getByRole('button', { name: /^Empty/ }).click();
  await expect(app.getByText(/is not UTF-8 text/)).toHaveCount(0);
});

// A first run said "Nothing to send: every row is as last delivered", of rows never delivered.
test('a first run of a CSV file with its header alone says the model has no rows', async ({ app }) => {
  await ready(app);
  await app.getByRole('link', { name: 'Syncs' }).click();
  await app
    .getByLabel('Syncs')
    .getByRole('button', { name: /empty-out/ })
    .click();
  await app.getByRole('button', { name: 'Run now' }).click();
  const history = app.getByRole('table', { name: 'Run history' });
  await expect(history.getByRole('row').nth(1)).toContainText('Succeeded');
  await expect(app.getByLabel(/^Run \d+$/).getByTestId('run-delivered')).toHaveText('Nothing to send: the model has no rows.');
});
