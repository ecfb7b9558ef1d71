import type { Page } from '@playwright/test';
import { expect, ready, shot, test } from './fixtures';

// A sync's own settings that send its records elsewhere (a Kafka topic, a topic per event, Firehose routes)
// start it over, as the engine decides (`previewSyncSave`, `previewSyncSettings`): the payload editor asks
// before saving such an edit (nothing is saved until the user says so), and the settings form says so before
// its save, for Firehose routes too; an edit that keeps the records where they land asks nothing.

test.use({
  config: async ({}, use) => {
    await use(`version: 1
destinations:
  - kind: kafka
    name: events
    brokers: ["127.0.0.1:9"]
    topic: customers
  - kind: firehose
    name: lake
    deliveryStream: lake
    auth: { kind: default-chain }
syncs:
  - name: customers-to-kafka
    model: Customers
    destination: events
    triggers: [added, changed]
    payload: { mode: mapping, fields: [{ column: id, key: id }, { column: plan, key: plan }] }
  - name: customers-to-lake
    model: Customers
    destination: lake
    triggers: [added, changed, removed]
    payload: { mode: mapping, fields: [{ column: id, key: id }] }
    firehose:
      routes: [{ match: "*", stream: lake-all }]
  - name: customers-by-event
    model: Customers
    destination: events
    triggers: [added, changed]
    payload: { mode: mapping, fields: [{ column: id, key: id }] }
    kafka:
      topicByTrigger: { added: customers-added }
`);
  },
});

async function openSync(app: Page, name: string, tab: 'Payload' | 'Settings') {
  await app.getByRole('link', { name: 'Syncs' }).click();
  await app
    .getByLabel('Syncs')
    .getByRole('button', { name: new RegExp(name) })
    .click();
  await app.getByRole('tab', { name: tab }).click();
}

test('the payload editor asks before saving a topic per event that sends records elsewhere; the destination’s topic asks nothing', async ({ app }) => {
  await ready(app);
  await openSync(app, 'customers-to-kafka', 'Payload');
  const group = app.getByRole('region', { name: 'Message properties' }).getByRole('group', { name: 'Topic per trigger' });
  const save = app.getByRole('button', { name: 'Save payload' });
  const note = app.getByRole('note', { name: 'Starts over' });
  const saved = app.getByRole('status').filter({ hasText: /^Saved/ });

  // Changed rows to the destination's own topic: where they went already. Saved without asking.
  await group.getByLabel('Topic for changed rows').fill('customers');
  await save.click();
  await expect(saved).toHaveText('Saved');
  await expect(note).toHaveCount(0);

  // Added rows to a topic of their own: asked first, nothing saved yet.
  await group.getByLabel('Topic for added rows').fill('customers-new');
  await save.click();
  await expect(note).toContainText('Saving starts this sync over.');
  await expect(note).toContainText(
    'With another topic, its snapshot is dropped and the next run is a first run again (every row is sent). Its runs and ledger stay.',
  );
  await expect(app.getByTestId('unsaved-mark')).toBeVisible();
  await expect(saved).toHaveCount(0);
  await shot(app, 'payload-editor-starts-over');

  // Keep editing: nothing saved, the note gone; after a reload the topic is as it was saved.
  await note.getByRole('button', { name: 'Keep editing' }).click();
  await expect(note).toHaveCount(0);
  await expect(app.getByTestId('unsaved-mark')).toBeVisible();
  // Another edit of the properties drops an open question: it was about the edit before.
  await save.click();
  await expect(note).toBeVisible();
  await group.getByLabel('Topic for added rows').fill('customers-added');
  await expect(note).toHaveCount(0);

  await save.click();
  await note.getByRole('button', { name: 'Save and start over' }).click();
  await expect(saved).toHaveText('Saved: the sync starts over, its next run is a first run');
  await expect(note).toHaveCount(0);
  await app.reload();
  await ready(app);
  await openSync(app, 'customers-to-kafka', 'Payload');
  await expect(group.getByLabel('Topic for added rows')).toHaveValue('customers-added');
  await expect(group.getByLabel('Topic for changed rows')).toHaveValue('customers');
});

test('the settings form says other routes start a Firehose sync over, and another topic only for events that would go there', async ({ app }) => {
  await ready(app);
  await openSync(app, 'customers-to-lake', 'Settings');
  const settings = app.getByRole('form', { name: 'Sync settings' });
  const note = settings.getByRole('note', { name: 'Starts over' });
  await expect(settings.getByLabel('Route 1 delivery stream')).toHaveValue('lake-all');
  await expect(note).toHaveCount(0);
  await settings.getByLabel('Route 1 delivery stream').fill('lake-other');
  await expect(note).toContainText('With other routes, its snapshot is dropped and the next run is a first run again (every row is sent).');
  await shot(app, 'sync-settings-routes-starts-over');
  await settings.getByLabel('Route 1 delivery stream').fill('lake-all');
  await expect(note).toHaveCount(0);

  // A Kafka sync whose added rows have a topic of their own (the payload editor's topic per trigger): another
  // topic moves its changed rows, and only those; once it sends no changed rows, it moves none.
  await openSync(app, 'customers-by-event', 'Settings');
  await settings.getByLabel('Topic from').selectOption('fixed');
  await settings.getByLabel('Topic', { exact: true }).fill('elsewhere');
  await expect(note).toContainText('With another topic, its snapshot is dropped');
  await settings.getByRole('checkbox', { name: /Changed rows/ }).uncheck();
  await expect(note).toHaveCount(0);
  await shot(app, 'sync-settings-topic-per-event');
  await settings.getByRole('button', { name: 'Save settings' }).click();
  await expect(app.getByRole('status').filter({ hasText: 'Saved the settings of “customers-by-event”' })).toBeVisible();
  await expect(app.getByRole('status').filter({ hasText: 'It starts over' })).toHaveCount(0);
});
