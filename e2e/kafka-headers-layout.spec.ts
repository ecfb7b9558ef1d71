import { expect, ready, test } from './fixtures';
import { peopleModelYaml } from './peer-setup';
import { createPeopleDb } from '../main/testing/model-db';
import { tempWorkspace } from '../main/testing/temp';

// A Kafka sync's headers in the Payload tab: each header's name, value and remove button on one line (at
// 1400×900 each value wrapped under its name, level with the next header's name, so the pairs could not be
// told apart). Editing needs no broker: the destination names one that is not there.

let modelDir: { dir: string; cleanup(): void };
let modelFile: string;
test.beforeAll(() => {
  modelDir = tempWorkspace('sluice-e2e-headers-');
  const { file, db } = createPeopleDb(modelDir.dir, 3);
  db.close();
  modelFile = file;
});
test.afterAll(() => modelDir?.cleanup());

test.use({
  config: async ({}, use) => {
    await use(`version: 1
${peopleModelYaml(modelFile)}
destinations:
  - { kind: kafka, name: kafka, brokers: ["127.0.0.1:1"], topic: people }
syncs:
  - name: people-to-kafka
    model: People
    destination: kafka
    triggers: [added, changed, removed]
    payload: { mode: template, template: '{"id": {{ row.id }}}' }
`);
  },
});

test('each header’s name, value and remove button are on one line', async ({ app }) => {
  await app.setViewportSize({ width: 1400, height: 900 });
  await ready(app);
  await app.getByRole('link', { name: 'Syncs' }).click();
  await app
    .getByLabel('Syncs')
    .getByRole('button', { name: /people-to-kafka/ })
    .click();
  await app.getByRole('tab', { name: 'Payload' }).click();
  await app.getByRole('button', { name: 'Add header' }).click();
  await app.getByRole('button', { name: 'Add header' }).click();
  const middle = async (label: string) => {
    const box = (await app.getByLabel(label).boundingBox())!;
    return Math.round(box.y + box.height / 2);
  };
  for (const n of [1, 2]) {
    await expect(app.getByLabel(`Header value ${n}`)).toBeVisible();
    expect(await middle(`Header value ${n}`)).toBe(await middle(`Header name ${n}`));
    expect(await middle(`Remove header ${n}`)).toBe(await middle(`Header name ${n}`));
  }
  expect(await middle('Header name 2')).toBeGreaterThan(await middle('Header value 1'));
});
