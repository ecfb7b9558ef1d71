import { expect, ready, test } from './fixtures';

// Lists of names in the order people expect: numbers in names by value (big1, big2, big10), letters without
// regard to case, as the Inspector orders topics. SQLite's ORDER BY listed big1, big10, big2.

const names = ['big10', 'big2', 'Big3', 'big1'];

test.use({
  config: async ({}, use) => {
    const each = (line: (n: string) => string) => names.map((n) => `  - ${line(n)}\n`).join('');
    await use(
      `version: 1\nsources:\n${each((n) => `{ kind: csv, name: ${n}, path: /data/${n}.csv }`)}` +
        `models:\n${each((n) => `{ name: ${n}, source: ${n}, primaryKey: [id] }`)}` +
        `destinations:\n${each((n) => `{ kind: sandbox-kinesis, name: ${n} }`)}` +
        `syncs:\n${each((n) => `{ name: ${n}, model: ${n}, destination: ${n}, triggers: [added], payload: { mode: mapping, fields: [{ column: id, key: id }] } }`)}`,
    );
  },
});

test('the Syncs, Sources, Models and Destinations lists put big2 before big10', async ({ app }) => {
  await ready(app);
  const expected = ['big1', 'big2', 'Big3', 'big10'];
  await app.getByRole('link', { name: 'Syncs' }).click();
  // With the demo's own, which sort among them (after the b's).
  await expect(app.getByLabel('Syncs').locator('.list-item strong')).toHaveText([...expected, 'Customers to sandbox']);
  await app.getByRole('link', { name: 'Models' }).click();
  await expect(app.getByLabel('Models').locator('.list-item strong')).toHaveText([...expected, 'Customers']);
  await app.getByRole('link', { name: 'Sources' }).click();
  await expect(app.getByRole('table', { name: 'Sources' }).locator('tbody tr td:first-child')).toHaveText([...expected, 'Demo database']);
  await app.getByRole('link', { name: 'Destinations' }).click();
  await expect(app.getByRole('table', { name: 'Destinations' }).locator('tbody tr td:first-child')).toHaveText([...expected, 'Sandbox stream']);
});
