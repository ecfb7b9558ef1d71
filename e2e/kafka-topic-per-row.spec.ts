import { expect, ready, shot, test } from './fixtures';

// The "New sync" form for a Kafka destination without a topic of its own: each row's topic is chosen
// from a column at once (no fixed topic first, none needed: a run needs none either), saved as the
// sync's message properties, and shown again in the sync's settings. A fixed topic, chosen and left
// empty, is refused as such.

test.use({
  config: async ({}, use) => {
    await use(`version: 1
destinations:
  - kind: kafka
    name: events
    brokers: ["127.0.0.1:9"]
`);
  },
});

test("a Kafka sync takes each row's topic from a column, chosen in the New sync form, for a destination without a topic", async ({ app }) => {
  await ready(app);
  await app.getByRole('link', { name: 'Syncs' }).click();
  await app.getByRole('button', { name: 'New sync' }).click();
  const form = app.getByRole('form', { name: 'New sync' });
  await form.getByLabel('Sync name').fill('Customers by plan');
  await form.getByLabel('Model', { exact: true }).selectOption('Customers');
  await form.getByLabel('Destination', { exact: true }).selectOption('events');
  // The destination has no topic: its topic is no choice, a fixed one is asked, and the rows may name theirs instead.
  const topicFrom = form.getByLabel('Topic from');
  await expect(topicFrom).toHaveValue('fixed');
  await expect(topicFrom.getByRole('option')).toHaveText(['A fixed topic', 'Each row’s topic, from a column', 'Each row’s topic, from a template']);
  await expect(form.getByText('Topic name (required: the destination has no topic of its own)')).toBeVisible();
  await topicFrom.selectOption('column');
  await expect(form.getByLabel('Topic', { exact: true })).toHaveCount(0); // no fixed topic asked
  await form.getByLabel('Topic column').selectOption('plan');
  await expect(form.getByTestId('topic-per-row')).toHaveText(
    'Each row goes to the topic its column holds; a row whose topic is null or empty is not sent (it is listed with the run’s rows not sent). No topic of the destination is needed.',
  );
  await shot(app, 'new-sync-topic-per-row');
  await form.getByRole('button', { name: 'Create sync' }).click();
  await expect(app.getByRole('status').filter({ hasText: 'Created “Customers by plan”' })).toBeVisible();

  // Saved as the sync's message properties: the payload editor takes the topic from the column.
  await app.getByRole('tab', { name: 'Payload' }).click();
  const props = app.getByRole('region', { name: 'Message properties' });
  await expect(props.getByLabel('Kafka topic', { exact: true })).toHaveValue('column');
  await expect(props.getByLabel('Kafka topic column')).toHaveValue('plan');

  // The settings show it again; a fixed topic chosen and left empty is refused as such, and the sync keeps its topic.
  await app.getByRole('tab', { name: 'Settings' }).click();
  const settings = app.getByRole('form', { name: 'Sync settings' });
  await expect(settings.getByLabel('Topic from')).toHaveValue('column');
  await expect(settings.getByLabel('Topic column')).toHaveValue('plan');
  await settings.getByLabel('Topic from').selectOption('fixed');
  await settings.getByRole('button', { name: 'Save settings' }).click();
  await expect(settings.getByTestId('error-banner')).toContainText('The topic is empty');
  // The refused change is unsaved still: leaving the tab asks first.
  await app.getByRole('tab', { name: 'Payload' }).click();
  await app.getByRole('button', { name: 'Discard changes' }).click();
  await expect(props.getByLabel('Kafka topic column')).toHaveValue('plan');
});
