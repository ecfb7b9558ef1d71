import { expect, ready, test } from './fixtures';
import { localKinesisYaml, peopleModelYaml, usePeoplePeers } from './peer-setup';

// A record opened in the stream from a run of a sync to another destination than the workspace's first:
// the Inspector's read form goes to that destination and its stream (it stayed on the demo's Sandbox stream,
// so Read records read another stream than the record's).

const peers = usePeoplePeers({ prefix: 'inspect-opened', rows: 5, kinesis: { server: 'kinesalite', streams: [{ name: 'trail', shards: 1 }] } });

test.use({
  config: async ({}, use) => {
    await use(`version: 1
${peopleModelYaml(peers.modelFile)}
destinations:
${localKinesisYaml('Trail stream', 'trail', peers.kinesis.endpoint)}
syncs:
  - name: people-to-trail
    model: People
    destination: Trail stream
    triggers: [added, changed, removed]
    payload: { mode: template, template: '{"id": {{ row.id }}, "name": {{ row.name | json }}}' }
`);
  },
});

test('Open in stream takes the read form to the record’s destination and stream', async ({ app }) => {
  test.setTimeout(60_000);
  await ready(app);
  await app.getByRole('link', { name: 'Inspector' }).click();
  await app.getByLabel('Destination').selectOption('Sandbox stream');
  await expect(app.getByTestId('inspector-stream')).toHaveText('sluice-sandbox');

  await app.getByRole('link', { name: 'Syncs' }).click();
  await app
    .getByLabel('Syncs')
    .getByRole('button', { name: /people-to-trail/ })
    .click();
  await app.getByRole('button', { name: 'Run now' }).click();
  const history = app.getByRole('table', { name: 'Run history' });
  await expect(history.getByRole('row').nth(1)).toContainText('Succeeded', { timeout: 30_000 });
  await history.getByRole('row').nth(1).click();
  await app.getByRole('table', { name: 'Records' }).getByRole('link', { name: 'Open record 3 in the stream' }).click();

  await expect(app.getByTestId('readback').getByTestId('readback-verdict')).toHaveText(/^✓ bytes match/);
  await expect(app.getByLabel('Destination')).toHaveValue('Trail stream');
  await expect(app.getByTestId('inspector-stream')).toHaveText('trail');
  await app.getByRole('button', { name: 'Read records' }).click();
  await expect(app.getByTestId('inspector-summary')).toContainText('5 records from trail');
});
