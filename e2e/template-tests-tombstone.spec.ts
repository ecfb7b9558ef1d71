import { expect, ready, shot, test } from './fixtures';

// A Kafka sync sending removals as tombstones: a removed row's record is no value, so its template test case
// expects the tombstone (null) and shows it, as the run sends it, not the payload rendered for the row.

test.use({
  config: async ({}, use) => {
    await use(`version: 1
destinations:
  - { kind: kafka, name: events, brokers: ["127.0.0.1:9"], topic: customers }
syncs:
  - name: customers-to-kafka
    model: Customers
    destination: events
    triggers: [added, changed, removed]
    payload: { mode: mapping, fields: [{ column: id, key: id }, { column: plan, key: plan }] }
    kafka: { tombstones: true }
`);
  },
});

test("a removed row's tombstone is saved as a test case that expects it, and the case shows the tombstone", async ({ app }) => {
  await ready(app);
  await app.getByRole('link', { name: 'Syncs' }).click();
  await app
    .getByLabel('Syncs')
    .getByRole('button', { name: /customers-to-kafka/ })
    .click();
  await app.getByRole('tab', { name: 'Payload' }).click();
  const preview = app.getByRole('region', { name: 'Preview' });
  const tests = app.getByRole('region', { name: 'Template tests' });
  await preview.getByLabel('Preview event').selectOption('removed');
  const first = preview.getByTestId('preview-item').first();
  await expect(first).toContainText('Tombstone (null value)');
  // Before: a tombstone had no "Save as test case", and a case saved for a removed row rendered the payload.
  await first.getByRole('button', { name: 'Save as test case' }).click();
  const saved = tests.getByTestId('template-test-case');
  await expect(saved).toHaveCount(1);
  await expect(saved).toContainText('key 1 (removed)');
  await tests.getByRole('button', { name: 'Run all' }).click();
  await expect(tests.getByTestId('template-test-summary')).toHaveText('1 passed, 0 failed');
  await expect(saved).toContainText('✓ key 1 (removed, a tombstone)');
  await tests.scrollIntoViewIfNeeded();
  await shot(app, 'template-test-tombstone');
});
