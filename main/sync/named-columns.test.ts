import fs from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { openTestEngine } from '../testing/engine';
import { createPeopleDb } from '../testing/model-db';
import { putCsvModel } from '../testing/sandbox-sync';

// A sync whose settings name a column the model no longer has (a model edited under it): the run stops
// before the diff, saying which column and where, nothing sent and the snapshot as it was; it did refuse
// every row, one by one, and list them all as template errors.

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

it('a run stops naming the column its field mapper uses that the model dropped, sends nothing and keeps the snapshot', async () => {
  const t = await openTestEngine({ seedDemo: false });
  const { file, db } = createPeopleDb(t.dir, 3);
  closers.push(t.close, () => void db.close());
  const { engine } = t;
  engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
  engine.catalog.putModel({ name: 'people', source: 'db', query: 'SELECT id, name, score FROM people', primaryKey: ['id'] });
  engine.catalog.putDestination({ kind: 'sandbox-kinesis', name: 'sb', stream: 'named-columns' });
  const fields = [
    { column: 'id', key: 'id' },
    { column: 'score', key: 'amount' },
  ];
  engine.catalog.putSync({ name: 's', model: 'people', destination: 'sb', triggers: ['added', 'changed'], payload: { mode: 'mapping', fields } });
  expect((await engine.runSync('s')).counts).toMatchObject({ acknowledged: 3 });
  const snapshot = () => engine.db.prepare('SELECT key, row FROM snapshot ORDER BY key').all();
  const before = snapshot();

  // The model loses "score" (and a row changes, so the run would have something to send).
  engine.catalog.putModel({ name: 'people', source: 'db', query: 'SELECT id, name FROM people', primaryKey: ['id'] });
  db.prepare("UPDATE people SET name = 'renamed' WHERE id = 2").run();
  const run = await engine.runSync('s');
  expect(run.status).toBe('failed');
  expect(run.error).toBe(
    'The sync "s" uses the column "score" (its payload\'s field 2 (amount)), which the model "people" does not have (its columns: id, name): choose another in the sync\'s payload or settings, or add it to the model. Nothing was sent.',
  );
  expect(run.counts).toMatchObject({ acknowledged: 0, failed: 0 });
  expect(snapshot()).toEqual(before);

  // A dry run says the same.
  expect((await engine.runSync('s', { dryRun: true })).error).toMatch(/^The sync "s" uses the column "score"/);

  // A sync that sends removed rows alone renders them from the rows as last delivered, which have "score": not stopped.
  engine.catalog.putSync({ ...engine.catalog.getSync('s').definition, triggers: ['removed'] });
  db.prepare('DELETE FROM people WHERE id = 3').run();
  const removal = await engine.runSync('s');
  expect({ status: removal.status, error: removal.error, acknowledged: removal.counts.acknowledged }).toEqual({
    status: 'succeeded',
    error: null,
    acknowledged: 1,
  });
});

it('a CSV model without the one JSON column a sync sends stops the run the same way', async () => {
  const t = await openTestEngine({ seedDemo: false });
  closers.push(t.close);
  const { engine } = t;
  putCsvModel(engine, t.dir, { model: 'events', text: 'id,body\n1,"{""a"":1}"\n', stream: 'named-columns-csv' });
  engine.catalog.putSync({
    name: 'e',
    model: 'events',
    destination: 'sb',
    triggers: ['added'],
    payload: { mode: 'json-column', column: 'payload' },
    partitionKey: { kind: 'column', column: 'tenant' },
  });
  const run = await engine.runSync('e');
  expect(run.status).toBe('failed');
  expect(run.error).toBe(
    'The sync "e" uses the columns "payload" (its payload (one JSON column)), "tenant" (its partition key), which the model "events" does not have (its columns: id, body): choose others in the sync\'s payload or settings, or add them to the model. Nothing was sent.',
  );
  expect(engine.db.prepare('SELECT COUNT(*) AS n FROM snapshot').get()).toEqual({ n: 0 });
});

it('a column that reads as the one a sync uses but holds a character no one sees is named, with it shown', async () => {
  const t = await openTestEngine({ seedDemo: false });
  closers.push(t.close);
  const { engine } = t;
  putCsvModel(engine, t.dir, { model: 'events', text: 'id,\u200Bbody\n1,"{}"\n', stream: 'named-columns-lookalike' });
  engine.catalog.putSync({ name: 'e', model: 'events', destination: 'sb', triggers: ['added'], payload: { mode: 'json-column', column: 'body' } });
  const run = await engine.runSync('e');
  // It said "(its columns: id, \u200Bbody)": the very column the sync names, to the eye.
  expect(run.error).toContain(
    '(its columns: id, \u200Bbody). The column "<U+200B>body" reads as "body" but holds a character no one sees: rename it where the model\'s columns are named (the file\'s header, the query): choose another',
  );
});

it("a CSV file emptied under a sync (no header, no rows) is not said to lack the sync's columns: the mass-removal guard says to check the file", async () => {
  const t = await openTestEngine({ seedDemo: false });
  closers.push(t.close);
  const { engine } = t;
  const csv = putCsvModel(engine, t.dir, { model: 'people', text: 'id,name,city\r\n1,Ada,Bern\r\n2,Bob,Chur\r\n', stream: 'named-columns-emptied' });
  engine.catalog.putSync({
    name: 'p',
    model: 'people',
    destination: 'sb',
    triggers: ['added', 'changed', 'removed'],
    payload: { mode: 'mapping', fields: [{ column: 'id', key: 'id' }] },
    partitionKey: { kind: 'column', column: 'city' },
  });
  expect((await engine.runSync('p')).counts).toMatchObject({ acknowledged: 2 });

  fs.writeFileSync(csv, '');
  const run = await engine.runSync('p');
  expect(run.status).toBe('failed');
  expect(run.error).toMatch(/^Mass removal: this run would remove 2 of the 2 rows the sync last delivered/);
  expect(run.error).toContain('an empty or half-written file');
  expect(engine.db.prepare('SELECT COUNT(*) AS n FROM snapshot').get()).toEqual({ n: 2 });
});

it('a Kafka sync naming model columns for its topic, message key and partition, and a Firehose sync for its event name, stop the same way when the model lacks them; so does a "first present" partition key column', async () => {
  const t = await openTestEngine({ seedDemo: false });
  const { file, db } = createPeopleDb(t.dir, 3);
  closers.push(t.close, () => void db.close());
  const { engine } = t;
  engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
  engine.catalog.putModel({ name: 'people', source: 'db', query: 'SELECT id, name FROM people', primaryKey: ['id'] });
  // Nothing listens there: the run stops before it would connect.
  engine.catalog.putDestination({ kind: 'kafka', name: 'k', brokers: ['127.0.0.1:9'], topic: 'people' });
  const payload = { mode: 'template' as const, template: '{"id": {{ row.id }}}' };
  engine.catalog.putSync({
    name: 'kafka',
    model: 'people',
    destination: 'k',
    triggers: ['added', 'changed'],
    payload,
    kafka: {
      topic: { kind: 'column', column: 'team' },
      topicByTrigger: { added: 'people-added' },
      key: { kind: 'column', column: 'email' },
      partition: { kind: 'column', column: 'slot' },
      headers: [],
      tombstones: false,
    },
  });
  const run = await engine.runSync('kafka');
  expect(run.status).toBe('failed');
  expect(run.error).toBe(
    'The sync "kafka" uses the columns "team" (its Kafka topic), "email" (its Kafka message key), "slot" (its Kafka partition), which the model "people" does not have (its columns: id, name): choose others in the sync\'s payload or settings, or add them to the model. Nothing was sent.',
  );
  // Every trigger with a topic of its own: the topic column is never read.
  engine.catalog.putSync({
    ...engine.catalog.getSync('kafka').definition,
    kafka: {
      topic: { kind: 'column', column: 'team' },
      topicByTrigger: { added: 'a', changed: 'c' },
      key: { kind: 'primary-key' },
      headers: [],
      tombstones: false,
    },
  });
  // (the dry run passes the column check, and stops at the brokers, where nothing listens)
  expect((await engine.runSync('kafka', { dryRun: true })).error).toMatch(/^Could not read the topics' partitions on 127\.0\.0\.1:9: /);

  engine.catalog.putDestination({
    kind: 'firehose',
    name: 'fh',
    deliveryStream: 'people',
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:9',
    auth: { kind: 'access-key', accessKeyId: 'AKIDEXAMPLE', secretAccessKey: { env: 'SLUICE_NAMED_COLUMNS_SECRET' } },
  });
  engine.catalog.putSync({
    name: 'routed',
    model: 'people',
    destination: 'fh',
    triggers: ['added'],
    payload,
    firehose: { eventName: { kind: 'column', column: 'kind' }, routes: [{ match: '*', stream: 'people' }], unmatched: 'skip' },
  });
  expect((await engine.runSync('routed', { dryRun: true })).error).toMatch(
    /^The sync "routed" uses the column "kind" \(its Firehose event name\), which the model "people" does not have/,
  );

  engine.catalog.putDestination({ kind: 'sandbox-kinesis', name: 'sb', stream: 'named-columns-segment' });
  engine.catalog.putSync({
    name: 'segment',
    model: 'people',
    destination: 'sb',
    triggers: ['added'],
    payload,
    partitionKey: { kind: 'first-present', columns: ['name', 'anonymousId'] },
  });
  // Refused for "anonymousId" even where "name" has a value (the run refused every row for it).
  expect((await engine.runSync('segment')).error).toBe(
    'The sync "segment" uses the column "anonymousId" (its partition key, the first present of its columns), which the model "people" does not have (its columns: id, name): choose another in the sync\'s payload or settings, or add it to the model. Nothing was sent.',
  );
  // Two of its columns missing are named once with where: not "(its partition key …)" after each.
  engine.catalog.putSync({
    name: 'segment ids',
    model: 'people',
    destination: 'sb',
    triggers: ['added'],
    payload,
    partitionKey: { kind: 'first-present', columns: ['userId', 'anonymousId'] },
  });
  expect((await engine.runSync('segment ids')).error).toMatch(
    /^The sync "segment ids" uses the columns "userId", "anonymousId" \(its partition key, the first present of its columns\), which the model "people" does not have \(its columns: id, name\): choose others/,
  );
});
