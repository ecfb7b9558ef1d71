import { expect, ready, test } from './fixtures';
import { peopleModelYaml, usePeoplePeers } from './peer-setup';

// A Kafka dry run that would send nothing (every row as last delivered) says so under "Where the records
// would go" (the heading stood over nothing).

const peers = usePeoplePeers({ prefix: 'dry-nothing', rows: 4, kafka: { topics: [{ name: 'people', partitions: 2 }] } });

test.use({
  config: async ({}, use) => {
    await use(`version: 1
${peopleModelYaml(peers.modelFile)}
destinations:
  - { kind: kafka, name: kafka, brokers: [${JSON.stringify(peers.kafka.listeners.plaintext)}], topic: people }
syncs:
  - name: people-to-kafka
    model: People
    destination: kafka
    triggers: [added, changed, removed]
    payload: { mode: template, template: '{"id": {{ row.id }}}' }
`);
  },
});

test('a dry run with nothing to send says no record would be sent', async ({ app }) => {
  test.setTimeout(90_000);
  await ready(app);
  await app.getByRole('link', { name: 'Syncs' }).click();
  await app
    .getByLabel('Syncs')
    .getByRole('button', { name: /people-to-kafka/ })
    .click();
  await app.getByRole('button', { name: 'Run now' }).click();
  const history = app.getByRole('table', { name: 'Run history' });
  await expect(history.getByRole('row').nth(1)).toContainText('Succeeded', { timeout: 30_000 });

  await app.getByRole('button', { name: 'Dry run' }).click();
  await expect(history.getByRole('row')).toHaveCount(3, { timeout: 30_000 });
  const plan = app.getByRole('region', { name: 'Where the records would go' });
  await expect(plan).toContainText('no record would be sent', { timeout: 30_000 });
});
