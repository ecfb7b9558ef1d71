import { expect, ready, shot, test } from './fixtures';

// A Kafka sync's topic per trigger in the payload editor's message properties: shown from the YAML,
// edited, saved through the sync's config, and used by the preview.

test.use({
  config: async ({}, use) => {
    await use(`version: 1
destinations:
  - kind: kafka
    name: events
    brokers: ["127.0.0.1:9"]
    topic: customers
syncs:
  - name: customers-to-kafka
    model: Customers
    destination: events
    triggers: [added, changed, removed]
    payload: { mode: mapping, fields: [{ column: id, key: id }, { column: plan, key: plan }] }
    kafka:
      topicByTrigger: { removed: customers-deleted }
`);
  },
});

test('the topic per trigger is shown, edited, saved and used by the preview', async ({ app }) => {
  await ready(app);
  await app.getByRole('link', { name: 'Syncs' }).click();
  await app
    .getByLabel('Syncs')
    .getByRole('button', { name: /customers-to-kafka/ })
    .click();
  await app.getByRole('tab', { name: 'Payload' }).click();
  const props = app.getByRole('region', { name: 'Message properties' });
  const group = props.getByRole('group', { name: 'Topic per trigger' });
  await expect(group.getByLabel('Topic for removed rows')).toHaveValue('customers-deleted');
  await expect(group.getByLabel('Topic for added rows')).toHaveValue('');
  await expect(group.getByLabel('Topic for added rows')).toHaveAttribute('placeholder', 'the topic above');
  // The preview renders added rows: they go to the destination's topic until added rows get their own.
  const preview = app.getByRole('region', { name: 'Preview' });
  await expect(preview.getByTestId('preview-item').first()).toContainText('topic customers ·');
  await group.getByLabel('Topic for added rows').fill('customers-new');
  await expect(preview.getByTestId('preview-item').first()).toContainText('topic customers-new ·');
  await group.scrollIntoViewIfNeeded();
  await shot(app, 'kafka-topic-by-trigger');
  await app.getByRole('button', { name: 'Save payload' }).click();
  // Added rows now land in another topic: the sync starts over, asked first (e2e/sync-starts-over.spec.ts).
  await app.getByRole('note', { name: 'Starts over' }).getByRole('button', { name: 'Save and start over' }).click();
  await expect(app.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();

  await app.reload();
  await ready(app);
  await app.getByRole('link', { name: 'Syncs' }).click();
  await app
    .getByLabel('Syncs')
    .getByRole('button', { name: /customers-to-kafka/ })
    .click();
  await app.getByRole('tab', { name: 'Payload' }).click();
  await expect(group.getByLabel('Topic for added rows')).toHaveValue('customers-new');
  await expect(group.getByLabel('Topic for removed rows')).toHaveValue('customers-deleted');
  await expect(group.getByLabel('Topic for changed rows')).toHaveValue('');
});
