import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { parse } from 'yaml';
import { expect, freshWorkspace, ready, shot as shotInto, test, skipWithoutApp } from './fixtures';
import { fillPostgresSource, newDestination, testAndChoose, typeCustomersQueryWithCompletion } from './steps';
import { openDatabase } from '../main/state/database';
import { startKafka, type KafkaPeer } from '../main/testing/peers/kafka';
import { LOCAL_AWS_CREDENTIALS, startKinesisLocal, type KinesisPeer } from '../main/testing/peers/kinesis';
import { startPostgres, type PostgresPeer } from '../main/testing/peers/postgres';
import { tempWorkspace } from '../main/testing/temp';

// Issue #14, "Done when": an analyst's day from an empty workspace, in the UI only (no YAML, no CLI):
// a CSV source and a PostgreSQL source, a SQL model written with completion (warned about a duplicate
// key, then fixed) and a CSV model, a Kafka topic and a Kinesis stream created from the destination
// wizard, a sync that sends only later changes (first run sends nothing; after the file changes, exactly
// the changes are sent and read back with kcat), a second sync that sends a test record read back
// byte for byte; then `sluice export` of the workspace, applied to a new one, exports the same catalog.

const root = path.resolve(__dirname, '..');

/** Screenshots of each main step at 1400×900 when SLUICE_SHOTS_DIR is set. */
const shot = (app: Page, name: string) => shotInto(app, `day-${name}`);

function sluice(workspace: string, ...args: string[]): string {
  const result = spawnSync(process.execPath, [path.join(root, 'bin/sluice.cjs'), '--workspace', workspace, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
  });
  if (result.status !== 0) throw new Error(`sluice ${args.join(' ')} failed (${result.status}): ${result.stderr}${result.stdout}`);
  return result.stdout;
}

const CSV_BEFORE = 'id,name,city\n1,Ada,Zürich\n2,Bob,Bern\n3,Cy,Basel\n4,Di,Genf\n5,Ed,Chur\n6,Flo,Thun\n';
// One row changed (2), one removed (3), one added (7).
const CSV_AFTER = 'id,name,city\n1,Ada,Zürich\n2,Bob,Luzern\n4,Di,Genf\n5,Ed,Chur\n6,Flo,Thun\n7,Gil,Sion\n';

let pg: PostgresPeer;
let kafka: KafkaPeer;
let kinesis: KinesisPeer;
let files: { dir: string; cleanup(): void };
let csvFile: string;

test.beforeAll(async ({}, testInfo) => {
  skipWithoutApp(testInfo);
  test.setTimeout(300_000);
  files = tempWorkspace('sluice-e2e-day-files-');
  csvFile = path.join(files.dir, 'people.csv');
  fs.writeFileSync(csvFile, CSV_BEFORE);
  [pg, kafka, kinesis] = await Promise.all([startPostgres(), startKafka(), startKinesisLocal()]);
  await pg.query('CREATE TABLE customers (id bigint PRIMARY KEY, email text, account integer)');
  await pg.query("INSERT INTO customers VALUES (1, 'ada@example.com', 17), (2, 'bob@example.com', 17), (3, 'cy@example.com', NULL), (4, 'di@example.com', 5)");
});
test.afterAll(async () => {
  await Promise.all([pg?.stop(), kafka?.stop(), kinesis?.stop()]);
  files?.cleanup();
});

/**
 * Marks a new workspace as one whose demo was already offered: the CLI adds the demo to a workspace on its
 * first open (the app's `--no-demo` is remembered; a workspace made only by `sluice apply` has no such choice).
 */
function demoAlreadyOffered(workspace: string): void {
  const db = openDatabase(workspace);
  db.prepare("INSERT OR IGNORE INTO settings (key, value) VALUES ('internal.demoSeeded', 'true')").run();
  db.close();
}

// An empty workspace: the app started with --no-demo (remembered, so `sluice export` later adds no demo either).
test.use({ demo: false });

test('an analyst’s day from an empty workspace: sources, models, new topic and stream, only later changes, a test record, and export = apply', async ({
  app,
  workspace,
}) => {
  test.setTimeout(240_000);
  await app.setViewportSize({ width: 1400, height: 900 });
  await ready(app);
  app.on('dialog', (d) => void d.accept());

  // --- The empty workspace opens on the guide.
  const guide = app.getByRole('region', { name: 'Getting started' });
  await expect(guide.getByRole('listitem', { name: 'Add a source: next' })).toBeVisible();
  await shot(app, '01-empty-workspace');

  // --- A CSV source (the file the test wrote).
  await app.getByRole('link', { name: 'Models' }).click();
  await app.getByRole('button', { name: 'Add a source' }).click();
  const form = app.getByRole('region', { name: 'New source' });
  await form.getByRole('radio', { name: /CSV file/ }).click();
  await form.getByLabel('Name', { exact: true }).fill('people-file');
  await form.getByLabel('Path').fill(csvFile);
  await form.getByRole('button', { name: 'Test', exact: true }).click();
  const result = form.getByRole('region', { name: 'Source test' });
  await expect(result).toContainText('it works');
  await expect(result.getByRole('list', { name: 'Tables' })).toContainText('id text · name text · city text');
  await form.getByRole('button', { name: 'Save source' }).click();
  const sources = app.getByRole('table', { name: 'Sources' });
  await expect(sources.getByRole('row', { name: /people-file/ })).toContainText('CSV file');

  // --- A PostgreSQL source, its password to the keychain.
  await app.getByRole('button', { name: 'Add a source' }).click();
  await fillPostgresSource(form, pg, pg.password);
  await form.getByRole('button', { name: 'Test', exact: true }).click();
  await expect(result).toContainText('it works');
  await expect(result.getByRole('list', { name: 'Tables' })).toContainText('customers');
  await form.getByRole('button', { name: 'Save source' }).click();
  await expect(sources.getByRole('row', { name: /crm/ })).toContainText(`${pg.user}@${pg.host}:${pg.port}/${pg.database}`);
  await shot(app, '02-sources');

  // --- A SQL model written with completion; a duplicate key is warned about, then fixed.
  await app.getByRole('link', { name: 'Models' }).click();
  await app.getByRole('button', { name: 'Add a model' }).click();
  let editor = app.getByRole('region', { name: 'New model' });
  await editor.getByLabel('Name', { exact: true }).fill('customers');
  await editor.getByLabel('Source').selectOption('crm');
  await typeCustomersQueryWithCompletion(app, editor, () => shot(app, '03-model-completion'));
  await editor.getByRole('button', { name: 'Preview' }).click();
  await expect(editor.getByRole('table', { name: 'Preview' }).getByRole('row')).toHaveCount(5);
  await editor.getByLabel('Key column account').check();
  await editor.getByRole('button', { name: 'Save model' }).click();
  const check = editor.getByRole('status', { name: 'Key check' });
  await expect(check).toContainText('The primary key is not unique');
  await expect(check).toContainText('2 rows have account 17');
  await shot(app, '04-model-duplicate-key');
  await editor.getByLabel('Key column account').uncheck();
  await editor.getByLabel('Key column id').check();
  await editor.getByRole('button', { name: 'Save model' }).click();
  const models = app.getByRole('complementary', { name: 'Models' });
  await expect(app.getByText('Saved "customers".')).toBeVisible();

  // --- A CSV model: the whole file, keyed by id.
  await app.getByRole('button', { name: 'Add a model' }).click();
  editor = app.getByRole('region', { name: 'New model' });
  await editor.getByLabel('Name', { exact: true }).fill('people');
  await editor.getByLabel('Source').selectOption('people-file');
  await expect(editor.getByRole('table', { name: 'Preview' }).getByRole('row')).toHaveCount(7);
  await editor.getByLabel('Key column id').check();
  await editor.getByRole('button', { name: 'Save model' }).click();
  await expect(app.getByText('Saved "people".')).toBeVisible();
  await expect(models).toContainText('customers');
  await expect(models).toContainText('people');
  await shot(app, '05-models');

  // --- Kafka destination: a new topic created on the real broker from the wizard.
  let wizard = await newDestination(app, /Apache Kafka/, 'Events');
  await wizard.getByLabel('Brokers').fill(kafka.listeners.plaintext);
  await testAndChoose(wizard, 'topic');
  await wizard.getByRole('button', { name: 'Create a new topic…' }).click();
  const createTopic = wizard.getByRole('region', { name: 'Create a topic' });
  await createTopic.getByLabel('Topic name').fill('people.changes');
  await createTopic.getByLabel('Partitions').fill('1');
  await createTopic.getByLabel('Replication factor').fill('1');
  await createTopic.getByRole('button', { name: 'Create topic' }).click();
  await expect(wizard.getByRole('status')).toContainText('Created the topic "people.changes": 1 partition(s), replication factor 1');
  await expect(wizard.getByLabel('Topic', { exact: true })).toHaveValue('people.changes');
  await shot(app, '06-kafka-topic-created');
  await wizard.getByRole('button', { name: 'Review' }).click();
  await wizard.getByRole('button', { name: 'Save destination' }).click();
  const destinations = app.getByRole('table', { name: 'Destinations' });
  await expect(destinations.getByRole('row', { name: /Events/ })).toContainText('people.changes');
  // The topic really is on the broker (an independent client).
  expect(kafka.kcat(['-L', '-t', 'people.changes'])).toContain('topic "people.changes" with 1 partitions');

  // --- Kinesis destination: a new stream created on kinesis-local from the wizard.
  wizard = await newDestination(app, /Amazon Kinesis Data Streams/, 'Customers stream');
  await wizard.getByLabel('Endpoint').fill(kinesis.endpoint);
  await wizard.getByLabel('Access key ID').fill(LOCAL_AWS_CREDENTIALS.accessKeyId);
  await wizard.getByLabel('Secret access key: value').fill(LOCAL_AWS_CREDENTIALS.secretAccessKey);
  await testAndChoose(wizard, 'stream');
  await wizard.getByRole('button', { name: 'Create a new stream…' }).click();
  const createStream = wizard.getByRole('region', { name: 'Create a stream' });
  await createStream.getByLabel('Stream name').fill('customers-2026');
  await createStream.getByLabel('Capacity mode').selectOption('provisioned');
  await createStream.getByLabel('Shards').fill('1');
  await createStream.getByRole('button', { name: 'Create stream' }).click();
  await expect(wizard.getByRole('status')).toContainText('The stream "customers-2026" is ACTIVE (provisioned, 1 shard(s))');
  await expect(wizard.getByLabel('Stream', { exact: true })).toHaveValue('customers-2026');
  await shot(app, '07-kinesis-stream-created');
  await wizard.getByRole('button', { name: 'Review' }).click();
  await wizard.getByRole('button', { name: 'Save destination' }).click();
  await expect(destinations.getByRole('row', { name: /Customers stream/ })).toContainText('customers-2026');

  // --- Sync 1: the CSV model to Kafka, all three events, only later changes.
  await app.getByRole('link', { name: 'Syncs' }).click();
  await app.getByRole('region', { name: 'Getting started' }).getByRole('button', { name: 'Create a sync' }).click();
  let syncForm = app.getByRole('form', { name: 'New sync' });
  await syncForm.getByLabel('Sync name').fill('People changes');
  await syncForm.getByLabel('Model', { exact: true }).selectOption('people');
  await syncForm.getByLabel('Destination', { exact: true }).selectOption('Events');
  for (const trigger of [/Added rows/, /Changed rows/, /Removed rows/]) await syncForm.getByRole('checkbox', { name: trigger }).check();
  await syncForm.getByRole('radio', { name: /Only later changes/ }).check();
  await shot(app, '08-new-sync-later-changes');
  await syncForm.getByRole('button', { name: 'Create sync' }).click();
  await expect(app.getByRole('status').filter({ hasText: 'Created “People changes”' })).toBeVisible();
  await expect(app.getByText('people → Events · sends added, changed, removed · first run: only later changes')).toBeVisible();

  // Its first run records every row and sends nothing: the topic stays empty.
  await app.getByRole('button', { name: 'Run now' }).click();
  const history = app.getByRole('table', { name: 'Run history' });
  await expect(history.getByRole('row')).toHaveCount(2, { timeout: 30_000 });
  await expect(history.getByRole('row').nth(1)).toContainText('Succeeded');
  await expect(history.getByRole('row').nth(1).getByRole('cell').nth(7)).toHaveText('0');
  await expect(app.getByLabel(/^Run \d+$/)).toContainText('6 recorded without sending');
  const readTopic = () =>
    kafka
      .kcat(['-C', '-t', 'people.changes', '-o', 'beginning', '-e', '-q', '-f', '%k\t%s\n'])
      .split('\n')
      .filter((l) => l.trim() !== '');
  expect(readTopic()).toEqual([]);
  await shot(app, '09-first-run-sends-nothing');

  // The file changes: one row changed, one added, one removed. The next run sends exactly those.
  fs.writeFileSync(csvFile, CSV_AFTER);
  await app.getByRole('button', { name: 'Run now' }).click();
  await expect(history.getByRole('row')).toHaveCount(3, { timeout: 30_000 });
  const second = history.getByRole('row').nth(1);
  await expect(second).toContainText('Succeeded');
  await expect(second.getByRole('cell').nth(4)).toHaveText('1'); // added
  await expect(second.getByRole('cell').nth(5)).toHaveText('1'); // changed
  await expect(second.getByRole('cell').nth(6)).toHaveText('1'); // removed
  await expect(second.getByRole('cell').nth(7)).toHaveText('3'); // sent
  await expect(second.getByRole('cell').nth(8)).toHaveText('0'); // failed
  await expect(app.getByLabel(/^Run \d+$/)).toContainText('Read 6 rows: 1 added, 1 changed, 1 removed, 4 unchanged');
  await shot(app, '10-second-run-sends-the-changes');
  // Read back from the broker by kcat: the three records, and nothing else.
  await expect.poll(() => readTopic().length, { timeout: 20_000 }).toBe(3);
  const sent = readTopic()
    .map((line) => {
      const [key, value] = line.split('\t') as [string, string];
      return { key, value: JSON.parse(value) as Record<string, unknown> };
    })
    .sort((a, b) => a.key.localeCompare(b.key));
  expect(sent).toEqual([
    { key: '2', value: { id: '2', name: 'Bob', city: 'Luzern', event: 'changed' } },
    { key: '3', value: { id: '3', name: 'Cy', city: 'Basel', event: 'removed' } },
    { key: '7', value: { id: '7', name: 'Gil', city: 'Sion', event: 'added' } },
  ]);

  // --- Sync 2: the PostgreSQL model to Kinesis, every row, added and changed only.
  await app.getByLabel('Syncs', { exact: true }).getByRole('button', { name: 'New sync' }).click();
  syncForm = app.getByRole('form', { name: 'New sync' });
  await syncForm.getByLabel('Sync name').fill('Customers out');
  await syncForm.getByLabel('Model', { exact: true }).selectOption('customers');
  await syncForm.getByLabel('Destination', { exact: true }).selectOption('Customers stream');
  await syncForm.getByRole('checkbox', { name: /Removed rows/ }).uncheck();
  await syncForm.getByRole('radio', { name: /Send every row/ }).check();
  await syncForm.getByRole('button', { name: 'Create sync' }).click();
  await expect(app.getByRole('status').filter({ hasText: 'Created “Customers out”' })).toBeVisible();
  await expect(app.getByText('customers → Customers stream · sends added, changed · first run: send every row')).toBeVisible();

  // A test record from the payload editor: where it landed, and the bytes read back match.
  await app.getByRole('tab', { name: 'Payload' }).click();
  const preview = app.getByRole('region', { name: 'Preview' });
  const item = preview.getByTestId('preview-item').first();
  await expect(item).toContainText('"email": "ada@example.com"');
  await item.getByRole('button', { name: 'Send this row as a test record' }).click();
  const landed = item.getByRole('status', { name: 'Test record result' });
  await expect(landed.getByTestId('landed-shard')).toHaveText(/^shardId-\d{12}$/, { timeout: 30_000 });
  await expect(landed.getByTestId('landed-sequence')).toHaveText(/^\d{20,}$/);
  await expect(landed.getByTestId('test-record-readback')).toHaveAttribute('data-match', 'true');
  await expect(landed.getByTestId('test-record-readback')).toHaveText(/^✓ Read back: bytes match \(\d+ bytes\)$/);
  await shot(app, '11-test-record-read-back');

  // Its first run sends every row.
  await app.getByRole('tab', { name: 'Runs' }).click();
  await app.getByRole('button', { name: 'Run now' }).click();
  await expect(history.getByRole('row')).toHaveCount(2, { timeout: 30_000 });
  await expect(history.getByRole('row').nth(1)).toContainText('Succeeded');
  await expect(history.getByRole('row').nth(1).getByRole('cell').nth(7)).toHaveText('4');

  // The table changes: only the chosen events are sent; the removal is recorded without sending.
  await pg.query("UPDATE customers SET email = 'ada@new.example.com' WHERE id = 1");
  await pg.query("INSERT INTO customers VALUES (5, 'eve@example.com', 9)");
  await pg.query('DELETE FROM customers WHERE id = 4');
  await app.getByRole('button', { name: 'Run now' }).click();
  await expect(history.getByRole('row')).toHaveCount(3, { timeout: 30_000 });
  const changes = history.getByRole('row').nth(1);
  await expect(changes).toContainText('Succeeded');
  await expect(changes.getByRole('cell').nth(4)).toHaveText('1');
  await expect(changes.getByRole('cell').nth(5)).toHaveText('1');
  await expect(changes.getByRole('cell').nth(6)).toHaveText('1');
  await expect(changes.getByRole('cell').nth(7)).toHaveText('2');
  await expect(app.getByLabel(/^Run \d+$/)).toContainText('1 recorded without sending');
  await shot(app, '12-postgres-changes-sent');

  // --- `sluice export` of this workspace, applied to a new (empty) one, exports the same catalog.
  const exported = sluice(workspace, 'export');
  expect(exported).toContain('people.changes');
  expect(exported).toContain('customers-2026');
  expect(exported).not.toContain(pg.password);
  expect(exported).not.toContain(LOCAL_AWS_CREDENTIALS.secretAccessKey);
  const catalog = parse(exported) as Record<string, { name: string }[]>;
  const names = (section: string) => (catalog[section] ?? []).map((e) => e.name).sort();
  expect([names('sources'), names('models'), names('destinations'), names('syncs')]).toEqual([
    ['crm', 'people-file'],
    ['customers', 'people'],
    ['Customers stream', 'Events'],
    ['Customers out', 'People changes'],
  ]);
  const other = freshWorkspace();
  try {
    demoAlreadyOffered(other);
    const file = path.join(other, 'from-day.yaml');
    fs.writeFileSync(file, exported);
    expect(sluice(other, 'apply', '-f', file)).toContain('2 sources, 2 models, 2 destinations, 2 syncs');
    const again = sluice(other, 'export');
    expect(again).toBe(exported);
    expect(parse(again)).toEqual(catalog);
  } finally {
    fs.rmSync(other, { recursive: true, force: true });
  }
});
