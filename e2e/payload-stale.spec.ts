import type { Page } from '@playwright/test';
import { expect, ready, shot, test } from './fixtures';

// What the payload editor shows follows the payload being edited: the routing preview renders the
// editor's template (not the saved one), an incomplete payload says what it lacks instead of an older
// answer, a duplicate header is said beside the headers, and a notice of what was done goes once the
// user moves on.

async function openPayload(app: Page, sync?: RegExp) {
  await ready(app);
  await app.getByRole('link', { name: 'Syncs' }).click();
  if (sync) await app.getByLabel('Syncs', { exact: true }).getByRole('button', { name: sync }).click();
  await app.getByRole('tab', { name: 'Payload' }).click();
  await expect(app.getByRole('region', { name: 'Preview', exact: true })).toBeVisible();
}

async function replaceTemplate(app: Page, text: string) {
  await app.getByTestId('template-editor').locator('.view-lines').click();
  await app.keyboard.press('ControlOrMeta+A');
  await app.keyboard.press('Delete');
  await app.keyboard.insertText(text);
}

const preview = (app: Page) => app.getByRole('region', { name: 'Preview', exact: true });
const routing = (app: Page) => app.getByRole('region', { name: 'Routing preview' });

test('the routing preview renders the template being edited: rejected rows while its output is not JSON, none once it is fixed', async ({ app }) => {
  await openPayload(app);
  await expect(app.getByTestId('template-editor').locator('.monaco-editor')).toBeVisible();
  const summary = routing(app).getByTestId('routing-summary');
  await expect(summary).toContainText('2,000 of 2,000 rows sampled');
  await expect(summary).not.toContainText('rejected');

  await replaceTemplate(app, '{"name": {{ row.first_name }}}');
  await expect(summary).toContainText('2,000 rows would be rejected');
  await expect(routing(app).getByTestId('routing-row').first()).toContainText('not valid JSON');
  await expect(summary).not.toContainText('· ·');
  await routing(app).scrollIntoViewIfNeeded();
  await shot(app, 'routing-follows-template-broken');

  // Fixed, and the sample size untouched: the preview follows.
  await replaceTemplate(app, '{"name": {{ row.first_name | json }}}');
  await expect(summary).not.toContainText('rejected');
  await expect(routing(app).getByTestId('routing-row').locator('.danger')).toHaveCount(0);
  await expect(routing(app).getByTestId('routing-row')).toHaveCount(3);

  await app.getByRole('button', { name: 'Save payload' }).click();
  await expect(app.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
  await expect(summary).toContainText('2,000 of 2,000 rows sampled');
  await expect(summary).not.toContainText('rejected');
  await routing(app).scrollIntoViewIfNeeded();
  await shot(app, 'routing-follows-template-fixed');
});

test('an incomplete payload says what it lacks, in the preview and beside Save, instead of showing an earlier answer', async ({ app }) => {
  await openPayload(app);
  await app.getByRole('tab', { name: 'Field mapper' }).click();
  await app.getByLabel('Column 1').selectOption('id');
  await app.getByLabel('Key 1').fill('zzz');
  await expect(preview(app).getByTestId('preview-item').first()).toContainText('"zzz": 1');
  const save = app.getByRole('button', { name: 'Save payload' });
  await expect(save).toBeEnabled();
  await expect(app.getByTestId('save-blocked-why')).toHaveCount(0);

  await app.getByRole('button', { name: 'Add field' }).click();
  await app.getByLabel('Column 2').selectOption('email');
  await app.getByLabel('Key 2').fill('');
  await expect(preview(app).getByTestId('preview-missing')).toContainText('Field 2 has no key.');
  await expect(preview(app).getByTestId('preview-item')).toHaveCount(0);
  await expect(save).toBeDisabled();
  await expect(app.getByTestId('save-blocked-why')).toHaveText('Field 2 has no key');
  await expect(save).toHaveAccessibleDescription('Field 2 has no key');
  await expect(routing(app).getByTestId('routing-missing')).toBeVisible();
  await expect(routing(app).getByTestId('routing-histogram')).toHaveCount(0);
  await shot(app, 'payload-incomplete-mapping');

  await app.getByLabel('Key 2').fill('email');
  await expect(preview(app).getByTestId('preview-item').first()).toContainText('"email": "');
  await expect(preview(app).getByTestId('preview-missing')).toHaveCount(0);
  await expect(save).toBeEnabled();
  await expect(routing(app).getByTestId('routing-histogram')).toBeVisible();

  await app.getByRole('tab', { name: 'One JSON column' }).click();
  await expect(preview(app).getByTestId('preview-missing')).toContainText('Choose the column to send.');
  await expect(preview(app).getByTestId('preview-item')).toHaveCount(0);
  await expect(app.getByTestId('save-blocked-why')).toHaveText('Choose the column to send');
  await shot(app, 'payload-incomplete-json-column');
});

test('"Created …" goes once the user moves on to the payload', async ({ app }) => {
  await ready(app);
  await app.getByRole('link', { name: 'Syncs' }).click();
  await app.getByLabel('Syncs', { exact: true }).getByRole('button', { name: 'New sync' }).click();
  const form = app.getByRole('form', { name: 'New sync' });
  await form.getByLabel('Sync name').fill('Notice goes');
  await form.getByLabel('Model', { exact: true }).selectOption('Customers');
  await form.getByLabel('Destination', { exact: true }).selectOption('Sandbox stream');
  await form.getByRole('button', { name: 'Create sync' }).click();
  const created = app.getByRole('status').filter({ hasText: 'Created “Notice goes”' });
  await expect(created).toBeVisible();
  // Looking around (a click on plain text) leaves it; an edit makes it go.
  await app.getByRole('heading', { name: 'Notice goes' }).click();
  await expect(created).toBeVisible();
  await app.getByRole('tab', { name: 'Payload' }).click();
  await expect(created).toHaveCount(0);
});

test.describe('Kafka headers', () => {
  test.use({
    config: async ({}, use) => {
      await use(`version: 1
destinations:
  - kind: kafka
    name: events
    brokers: ["127.0.0.1:9"]
    topic: customers
  - kind: kafka
    name: spare
    brokers: ["127.0.0.1:9"]
    topic: spare
syncs:
  - name: customers-to-kafka
    model: Customers
    destination: events
    triggers: [added]
    payload: { mode: mapping, fields: [{ column: id, key: id }] }
`);
    },
  });

  test('two headers of one name are said beside the headers, not in the routing preview; Save says why it is off', async ({ app }) => {
    await openPayload(app, /customers-to-kafka/);
    const props = app.getByRole('region', { name: 'Message properties' });
    await props.getByRole('button', { name: 'Add header' }).click();
    await props.getByLabel('Header name 1').fill('source');
    await props.getByLabel('Header value 1').fill('a');
    await props.getByRole('button', { name: 'Add header' }).click();
    await props.getByLabel('Header name 2').fill('source');
    const problem = props.getByTestId('header-problem');
    await expect(problem).toHaveText('Two headers are named "source" (headers 1 and 2): Sluice sends one value per header name; rename one');
    await expect(props.getByLabel('Header name 2')).toHaveAttribute('aria-invalid', 'true');
    await expect(routing(app)).not.toContainText('Two headers');
    await expect(routing(app).getByTestId('error-banner')).toHaveCount(0);
    await expect(app.getByRole('button', { name: 'Save payload' })).toBeDisabled();
    await expect(app.getByTestId('save-blocked-why')).toContainText('Two headers are named "source"');
    await shot(app, 'kafka-duplicate-header');

    await props.getByLabel('Header name 2').fill('trace');
    await expect(problem).toHaveCount(0);
    await expect(app.getByRole('button', { name: 'Save payload' })).toBeEnabled();
  });
  test("a destination's notice goes once another destination is tested", async ({ app }) => {
    await ready(app);
    await app.getByRole('link', { name: 'Destinations' }).click();
    await app.getByRole('button', { name: 'Delete spare' }).click();
    await app.getByRole('alertdialog', { name: 'Delete the destination “spare”?' }).getByRole('button', { name: 'Delete destination' }).click();
    const deleted = app.getByRole('status').filter({ hasText: 'Deleted "spare".' });
    await expect(deleted).toBeVisible();
    await shot(app, 'notice-destination');
    const row = app.getByRole('table', { name: 'Destinations' }).getByRole('row', { name: /events/ });
    await row.getByRole('button', { name: 'Test connection' }).click();
    await expect(deleted).toHaveCount(0);
  });
});
