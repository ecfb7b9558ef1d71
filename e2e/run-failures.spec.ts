import { spawnSync } from 'node:child_process';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { expect, ready, shot, skipWithoutApp, test } from './fixtures';
import { startKafka, type KafkaPeer } from '../main/testing/peers/kafka';
import { tempWorkspace } from '../main/testing/temp';

// What did not arrive, and what is arriving, against a real Kafka broker. A run's page says how many
// records the destination failed and why (with an example key), apart from the rows refused before
// sending, in the counts and words of the CLI's run report for the same run, and lists the failed
// records on a click. While the broker is down mid-run, the progress card counts records delivered
// and says records are being retried because the broker is unreachable.

let kafka: KafkaPeer;
let modelDir: { dir: string; cleanup(): void };
let modelFile: string;
const ROWS = 60;
/** Rows whose record the topic refuses (max.message.bytes 20000): the broker fails them. */
const TOO_LARGE_FOR_TOPIC = [20, 40];
/** A row whose record is past Kafka's record limit: refused before sending. */
const TOO_LARGE_TO_SEND = 50;
const BIG_ROWS = 150_000;

test.beforeAll(async ({}, testInfo) => {
  skipWithoutApp(testInfo);
  test.setTimeout(300_000);
  modelDir = tempWorkspace('sluice-e2e-run-failures-');
  modelFile = path.join(modelDir.dir, 'items.sqlite');
  const db = new BetterSqlite3(modelFile);
  db.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, pad TEXT); CREATE TABLE many (id INTEGER PRIMARY KEY)');
  const insert = db.prepare('INSERT INTO items VALUES (?, ?)');
  const many = db.prepare('INSERT INTO many VALUES (?)');
  db.transaction(() => {
    for (let id = 1; id <= ROWS; id++) {
      const pad = TOO_LARGE_FOR_TOPIC.includes(id) ? 'x'.repeat(30_000) : id === TOO_LARGE_TO_SEND ? 'x'.repeat(2_000_000) : `row ${id}`;
      insert.run(id, pad);
    }
    for (let id = 1; id <= BIG_ROWS; id++) many.run(id);
  })();
  db.close();
  kafka = await startKafka();
  await kafka.createTopic('small-messages', 3, { 'max.message.bytes': '20000' });
  await kafka.createTopic('many', 3);
});
test.afterAll(async () => {
  await kafka?.stop();
  modelDir?.cleanup();
});

test.use({
  config: async ({}, use) => {
    await use(`version: 1
sources:
  - { kind: sqlite, name: items-db, path: ${JSON.stringify(modelFile)} }
models:
  - { name: Items, source: items-db, query: "SELECT id, pad FROM items", primaryKey: [id] }
  - { name: Many, source: items-db, query: "SELECT id FROM many", primaryKey: [id] }
destinations:
  - { kind: kafka, name: small-topic, brokers: ["${kafka.listeners.plaintext}"], topic: small-messages }
  - { kind: kafka, name: many-topic, brokers: ["${kafka.listeners.plaintext}"], topic: many }
syncs:
  - name: items-sync
    model: Items
    destination: small-topic
    triggers: [added, changed, removed]
    payload: { mode: template, template: '{"id": {{ row.id }}, "pad": {{ row.pad | json }}}' }
  - name: many-sync
    model: Many
    destination: many-topic
    triggers: [added, changed, removed]
    payload: { mode: template, template: '{"id": {{ row.id }}}' }
`);
  },
});

const root = path.resolve(__dirname, '..');

test.describe('a run whose destination failed records', () => {
  /** The CLI's run report of the run, made before the app starts on the workspace. */
  let report = '';
  test.use({
    prepare: {
      run(workspace: string) {
        const out = spawnSync(process.execPath, [path.join(root, 'bin/sluice.cjs'), '--workspace', workspace, 'sync', 'run', 'items-sync'], {
          encoding: 'utf8',
        });
        report = out.stdout;
      },
    },
  });

  test("the run's page says how many the destination failed and why, apart from the rows refused before sending, as the CLI's report does, and lists them", async ({
    app,
  }) => {
    // The CLI's report of the run: what arrived, and why the rest did not.
    expect(report).toContain(`  delivered ${ROWS - 3} of ${ROWS}; 2 failed at the destination; 1 refused before sending\n`);
    const cliReason = /^ {4}2 × failed at the destination: (MESSAGE_TOO_LARGE: .*) \(e\.g\. key 20\)$/m.exec(report);
    expect(cliReason, report).not.toBeNull();

    await ready(app);
    await app.getByRole('link', { name: 'Syncs' }).click();
    await app
      .getByLabel('Syncs')
      .getByRole('button', { name: /items-sync/ })
      .click();
    await app.getByRole('button', { name: 'Run 1: show its records' }).click();
    const run = app.getByLabel('Run 1', { exact: true });
    // The same counts as the CLI's report, in its words.
    await expect(run.getByTestId('run-delivered')).toHaveText(`Delivered ${ROWS - 3} of ${ROWS}; 2 failed at the destination; 1 refused before sending.`);
    const failed = run.getByRole('region', { name: 'Failed at the destination' });
    await expect(failed.getByRole('heading')).toHaveText('Failed at the destination (2)');
    // Why, with an example key: the reason the CLI gives.
    await expect(failed.getByRole('list', { name: 'Why the destination failed records' }).getByRole('listitem')).toHaveText([
      `2 × ${cliReason![1]} (e.g. key 20)`,
    ]);
    // The rows refused before sending keep their list, under a heading that says so.
    await expect(run.getByRole('heading', { name: 'Rows not sent: refused before sending (1)' })).toBeVisible();
    await expect(run.getByRole('list', { name: 'Rows not sent' }).getByRole('listitem')).toHaveText([/^Row \d+ \(key 50, added\): The record \(data \+ key\)/]);
    await shot(app, 'run-failed-at-destination');

    // The button lists the failed records: the records' status filter set to failed.
    await failed.getByRole('button', { name: 'Show the 2 failed records' }).click();
    await expect(run.getByLabel('Record status')).toHaveValue('failed');
    const records = run.getByRole('table', { name: 'Records' });
    await expect(records.locator('tbody tr')).toHaveCount(2);
    for (const row of await records.locator('tbody tr').all()) {
      await expect(row.getByRole('cell').nth(2)).toHaveText('failed');
      await expect(row.getByRole('cell').nth(5)).toContainText('MESSAGE_TOO_LARGE');
    }
    await expect(records.locator('tbody tr td:first-child')).toHaveText(['40', '20']);
  });
});

test("a run's progress while its broker is down: records delivered, being retried and why, then every record once the broker is back", async ({ app }) => {
  test.setTimeout(240_000);
  await ready(app);
  await app.getByRole('link', { name: 'Syncs' }).click();
  await app
    .getByLabel('Syncs')
    .getByRole('button', { name: /many-sync/ })
    .click();
  await app.getByRole('button', { name: 'Run now' }).click();
  const progress = app.getByRole('status', { name: 'Run progress' });
  await expect(progress).toContainText(/sending: [1-9][\d,]*\/150,000 delivered/, { timeout: 60_000 });
  await kafka.kill();
  let restarted = false;
  try {
    // Sends keep going to the dead broker; the card counts what was delivered and what is retried, and why.
    await expect(progress.locator('strong')).toHaveText(
      /^Run #\d+ sending: [\d,]+\/150,000 delivered \(\d+%\), [\d,]+ failed, [1-9][\d,]* retrying — broker unreachable for [\d.]+ s$/,
      { timeout: 60_000 },
    );
    // Neither a rate so far nor a time left while nothing is delivered.
    await expect(progress.locator('.progress-live > .muted')).not.toContainText(/records\/s|left/);
    await shot(app, 'run-progress-broker-down');
    const line = (await progress.locator('strong').textContent()) ?? '';
    const [delivered, retrying] = [/([\d,]+)\/150,000/, /([\d,]+) retrying/].map((re) => Number(re.exec(line)![1]!.replaceAll(',', '')));
    expect(delivered! + retrying!).toBeLessThanOrEqual(BIG_ROWS);
    await kafka.restart();
    restarted = true;
  } finally {
    if (!restarted) await kafka.restart();
  }
  const history = app.getByRole('table', { name: 'Run history' });
  await expect(history.getByRole('row').nth(1)).toContainText('Succeeded', { timeout: 180_000 });
  await expect(history.getByRole('row').nth(1).getByRole('cell').nth(7)).toHaveText('150,000');
});
