import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  type KinesisClient,
  CreateStreamCommand,
  waitUntilStreamExists,
} from '@aws-sdk/client-kinesis';
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../engine/engine';
import { openTestEngine } from '../testing/engine';
import { createPeopleDb } from '../testing/model-db';
import { FaultProxy } from '../testing/peers/fault-proxy';
import { LOCAL_AWS_CREDENTIALS, startKinesisLocal, type KinesisPeer } from '../testing/peers/kinesis';

// The sync engine against a real Kinesis implementation (kinesis-local): backfill, incremental
// runs, triggers, baseline, bad keys, render errors, oversize records, throttling, dry runs.

let kinesis: KinesisPeer;
let client: KinesisClient;
let streams = 0;
beforeAll(async () => {
  kinesis = await startKinesisLocal();
  client = kinesis.client();
}, 120_000);
afterAll(async () => {
  client?.destroy();
  await kinesis?.stop();
});

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

interface Setup {
  engine: Engine;
  people: Database;
  stream: string;
  sync: string;
}

async function setup(options: {
  rows: number;
  triggers?: string[];
  initialSync?: 'backfill' | 'baseline';
  template?: string;
  endpoint?: string;
  shards?: number;
}): Promise<Setup> {
  const t = await openTestEngine({ seedDemo: false });
  const { file, db: people } = createPeopleDb(t.dir, options.rows);
  closers.push(t.close, () => {
    people.close();
  });
  const stream = `people-${++streams}`;
  await client.send(new CreateStreamCommand({ StreamName: stream, ShardCount: options.shards ?? 2 }));
  await waitUntilStreamExists({ client, maxWaitTime: 30, minDelay: 1 }, { StreamName: stream });
  await t.engine.secrets.save('kinesis-secret', LOCAL_AWS_CREDENTIALS.secretAccessKey);
  closers.push(() => t.engine.secrets.delete('kinesis-secret').then(() => undefined));
  const { engine } = t;
  engine.catalog.putSource({ kind: 'sqlite', name: 'people-db', path: file });
  engine.catalog.putModel({ name: 'people', source: 'people-db', query: 'SELECT id, name, score, tags FROM people', primaryKey: ['id'] });
  engine.catalog.putDestination({
    kind: 'kinesis',
    name: 'stream',
    stream,
    region: kinesis.region,
    endpoint: options.endpoint ?? kinesis.endpoint,
    auth: { kind: 'access-key', accessKeyId: LOCAL_AWS_CREDENTIALS.accessKeyId, secretAccessKey: { keychain: 'kinesis-secret' } },
  });
  engine.catalog.putSync({
    name: 'people-sync',
    model: 'people',
    destination: 'stream',
    triggers: options.triggers ?? ['added', 'changed', 'removed'],
    initialSync: options.initialSync ?? 'backfill',
    payload: {
      mode: 'template',
      template: options.template ?? '{"id": {{ row.id }}, "name": {{ row.name | json }}, "event": {{ event | json }}, "was": {{ previous.name | json }}}',
    },
  });
  return { engine, people, stream, sync: 'people-sync' };
}

async function readStream(stream: string): Promise<{ data: Record<string, unknown>; partitionKey: string; shardId: string; sequenceNumber: string }[]> {
  const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName: stream }));
  const out = [];
  for (const shard of Shards) {
    let { ShardIterator: iterator } = await client.send(
      new GetShardIteratorCommand({ StreamName: stream, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    for (let i = 0; i < 50 && iterator; i++) {
      const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10000 }));
      for (const r of page.Records ?? []) {
        out.push({
          data: JSON.parse(Buffer.from(r.Data!).toString()) as Record<string, unknown>,
          partitionKey: r.PartitionKey!,
          shardId: shard.ShardId!,
          sequenceNumber: r.SequenceNumber!,
        });
      }
      if (!page.Records?.length && page.MillisBehindLatest === 0) break;
      iterator = page.NextShardIterator;
    }
  }
  return out;
}

describe('sync runs against kinesis-local', () => {
  it('backfills every row, records shard and sequence number per record, and the bytes match the stream', async () => {
    const s = await setup({ rows: 120 });
    const run = await s.engine.runSync(s.sync);
    expect(run).toMatchObject({ status: 'succeeded', counts: { read: 120, added: 120, acknowledged: 120, failed: 0 } });
    const records = await readStream(s.stream);
    expect(records).toHaveLength(120);
    expect(records.map((r) => r.data.id).sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    expect(records[0]!.data).toMatchObject({ event: 'added', was: null });
    const { entries, total } = s.engine.ledger.search({ runId: run.id, limit: 1000 });
    expect(total).toBe(120);
    for (const e of entries) {
      const landed = records.find((r) => r.sequenceNumber === e.sequenceNumber)!;
      expect(landed.shardId).toBe(e.shardId);
      expect(landed.partitionKey).toBe(e.key);
      expect(JSON.stringify(landed.data)).toBe(s.engine.ledger.data(e.id)!.toString());
    }
  });

  it('a query ended with a semicolon and a line comment, as analysts write them, syncs', async () => {
    const s = await setup({ rows: 5 });
    s.engine.catalog.putModel({
      name: 'people',
      source: 'people-db',
      query: 'SELECT id, name, score, tags FROM people; -- everyone',
      primaryKey: ['id'],
    });
    const run = await s.engine.runSync(s.sync);
    expect(run).toMatchObject({ status: 'succeeded', counts: { read: 5, added: 5, acknowledged: 5 } });
  });

  it('a second run sends exactly the inserted, updated and deleted rows, with previous values', async () => {
    const s = await setup({ rows: 50 });
    await s.engine.runSync(s.sync);
    s.people.prepare("UPDATE people SET name = 'renamed' WHERE id IN (3, 4)").run();
    s.people.prepare('DELETE FROM people WHERE id = 10').run();
    s.people.prepare("INSERT INTO people VALUES (51, 'new one', 1, NULL)").run();
    const run = await s.engine.runSync(s.sync);
    expect(run).toMatchObject({ status: 'succeeded', counts: { added: 1, changed: 2, removed: 1, unchanged: 47, acknowledged: 4 } });
    const latest = (await readStream(s.stream)).filter((r) => ['changed', 'removed'].includes(r.data.event as string) || r.data.id === 51);
    expect(latest.map((r) => `${r.data.event}:${r.data.id}:${r.data.was}`).sort()).toEqual([
      'added:51:null',
      'changed:3:person 3',
      'changed:4:person 4',
      'removed:10:person 10',
    ]);
    const third = await s.engine.runSync(s.sync);
    expect(third.counts).toMatchObject({ added: 0, changed: 0, removed: 0, unchanged: 50, acknowledged: 0 });
  });

  it('events whose trigger is off are recorded without being sent', async () => {
    const s = await setup({ rows: 20, triggers: ['added'] });
    await s.engine.runSync(s.sync);
    s.people.prepare("UPDATE people SET name = 'x' WHERE id = 1").run();
    s.people.prepare('DELETE FROM people WHERE id = 2').run();
    const run = await s.engine.runSync(s.sync);
    expect(run).toMatchObject({ status: 'succeeded', toSend: 0, counts: { changed: 1, removed: 1, skippedByTrigger: 2, acknowledged: 0 } });
    expect(await readStream(s.stream)).toHaveLength(20);
    // Turning "changed" on later does not resend the change that was already recorded.
    const def = s.engine.catalog.getSync(s.sync).definition;
    s.engine.catalog.putSync({ ...def, triggers: ['added', 'changed', 'removed'] });
    expect((await s.engine.runSync(s.sync)).counts).toMatchObject({ changed: 0, removed: 0 });
  });

  it('with a baseline initial sync, the first run sends nothing and later runs send only changes', async () => {
    const s = await setup({ rows: 30, initialSync: 'baseline' });
    const first = await s.engine.runSync(s.sync);
    expect(first).toMatchObject({ status: 'succeeded', toSend: 0, counts: { added: 30, skippedByTrigger: 30, acknowledged: 0 } });
    s.people.prepare("UPDATE people SET name = 'y' WHERE id = 7").run();
    const second = await s.engine.runSync(s.sync);
    expect(second.counts).toMatchObject({ changed: 1, acknowledged: 1 });
    expect((await readStream(s.stream)).map((r) => r.data.id)).toEqual([7]);
  });

  it('lists rows with null or duplicated keys, sends none of them, and keeps their snapshot', async () => {
    const s = await setup({ rows: 10 });
    s.people.prepare("INSERT INTO people VALUES (NULL, 'no key', 0, NULL)").run();
    s.people.prepare("INSERT INTO people VALUES (5, 'duplicate of five', 0, NULL)").run();
    const run = await s.engine.runSync(s.sync);
    expect(run.status).toBe('partial');
    expect(run.counts).toMatchObject({ read: 12, added: 9, rejectedRows: 3, acknowledged: 9 });
    const listed = s.engine.runs.rejects(run.id);
    expect(listed).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ reason: 'null-key', rowNumber: 11, detail: 'Row 11 has no value in id' }),
        expect.objectContaining({ reason: 'duplicate-key', key: '5', detail: 'The key 5 appears on 2 rows; none of them is sent until it is unique' }),
      ]),
    );
    expect((await readStream(s.stream)).some((r) => r.data.id === 5)).toBe(false);
    // Fixing the duplicate sends key 5 as added.
    s.people.prepare("DELETE FROM people WHERE name = 'duplicate of five'").run();
    expect((await s.engine.runSync(s.sync)).counts).toMatchObject({ added: 1, acknowledged: 1 });
  });

  it('names a CSV row that cannot be sent by its line in the file (the header is line 1), as an editor shows it', async () => {
    const s = await setup({ rows: 1 });
    const csv = path.join(path.dirname(s.people.name), 'lines.csv');
    fs.writeFileSync(csv, 'id,name\n1,Ada\n2,Björn\n');
    s.engine.catalog.putSource({ kind: 'csv', name: 'lines-csv', path: csv });
    s.engine.catalog.putModel({ name: 'lines', source: 'lines-csv', primaryKey: ['id'] });
    const def = s.engine.catalog.getSync(s.sync).definition;
    const template = '{"id": {{ row.id }}, "name": {% if row.id == "2" %}{{ row.name }}{% else %}{{ row.name | json }}{% endif %}}';
    s.engine.catalog.putSync({ ...def, name: 'lines-sync', model: 'lines', payload: { mode: 'template', template } });
    const run = await s.engine.runSync('lines-sync');
    expect(run.counts).toMatchObject({ acknowledged: 1, refused: 1 });
    expect(s.engine.runs.rejects(run.id).map((r) => r.detail)).toEqual([
      expect.stringMatching(/^Line 3 \(key 2, added\): The template output is not valid JSON/),
    ]);
  });

  it('rejects a row whose template output is not JSON, naming the row and the position, and sends the rest', async () => {
    const s = await setup({ rows: 5, template: '{"id": {{ row.id }}, "name": {% if row.id == 3 %}{{ row.name }}{% else %}{{ row.name | json }}{% endif %}}' });
    const run = await s.engine.runSync(s.sync);
    expect(run).toMatchObject({ status: 'partial', counts: { acknowledged: 4, failed: 1, refused: 1 } });
    const [reject] = s.engine.runs.rejects(run.id);
    expect(reject).toMatchObject({ reason: 'render-error', key: '3', rowNumber: 3 });
    expect(reject!.detail).toBe(
      'Row 3 (key 3, added): The template output is not valid JSON: unexpected "person" at line 1, column 19 (strings need "quotes"; the json filter adds them: {{ row.name | json }})',
    );
    const { entries } = s.engine.ledger.search({ runId: run.id, status: 'rejected' });
    expect(entries).toMatchObject([{ key: '3', errorCode: 'RenderError' }]);
    // Still pending: fixing the template sends it next run.
    const def = s.engine.catalog.getSync(s.sync).definition;
    s.engine.catalog.putSync({ ...def, payload: { mode: 'template', template: '{"id": {{ row.id }}}' } });
    expect((await s.engine.runSync(s.sync)).counts).toMatchObject({ added: 1, acknowledged: 1 });
  });

  it('a template output broken by a column the row lacks says which one, with the closest column', async () => {
    const s = await setup({ rows: 2, template: '{"id": {{ row.id }}, "name": {{ row.nmae }}}' });
    const run = await s.engine.runSync(s.sync);
    expect(run).toMatchObject({ status: 'failed', counts: { acknowledged: 0, failed: 2 } });
    const [reject] = s.engine.runs.rejects(run.id);
    expect(reject!.detail).toBe(
      'Row 1 (key 1, added): The template output is not valid JSON: unexpected "}" at line 1, column 19 (strings need "quotes"; the json filter adds them: {{ row.name | json }}). row.nmae is not in this row: did you mean row.name?',
    );
  });

  it('stops before sending anything when the template does not parse, saying where', async () => {
    const s = await setup({ rows: 5, template: '{"id": {{ row.id }},\n "x": {% if row.id %}1}' });
    const run = await s.engine.runSync(s.sync);
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/The payload template has an error at line 2, column \d+: tag \{% if row.id %\} not closed/);
    expect(await readStream(s.stream)).toHaveLength(0);
  });

  it('refuses a record over 1 MB before sending, with a per-row error', async () => {
    const s = await setup({
      rows: 3,
      template:
        '{"id": {{ row.id }}, "pad": "{% if row.id == 2 %}{% for i in (1..1100) %}{{ "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" }}{% endfor %}{% endif %}"}',
    });
    const run = await s.engine.runSync(s.sync);
    expect(run).toMatchObject({ status: 'partial', counts: { acknowledged: 2, failed: 1 } });
    expect(s.engine.runs.rejects(run.id)[0]!.detail).toMatch(
      /^Row 2 \(key 2, added\): The record \(data \+ partition key\) is 1,\d{3},\d{3} bytes \(1\.\d+ MiB\); the destination takes at most 1,048,576 bytes \(1\.00 MiB\)/,
    );
    expect((await readStream(s.stream)).map((r) => r.data.id).sort()).toEqual([1, 3]);
  });

  it('retries throttled records until they are accepted: none lost, none twice', async () => {
    const proxy = await FaultProxy.start(kinesis.endpoint);
    closers.push(() => proxy.close());
    const s = await setup({ rows: 200, endpoint: proxy.endpoint });
    proxy.failRecords(({ index }) => index % 4 === 0, { times: 3 });
    const run = await s.engine.runSync(s.sync, { backoff: { baseMs: 20, maxMs: 100, maxAttempts: 6 } });
    expect(run).toMatchObject({ status: 'succeeded', counts: { acknowledged: 200, failed: 0 } });
    const ids = (await readStream(s.stream)).map((r) => r.data.id as number);
    expect(new Set(ids).size).toBe(200);
    expect(ids).toHaveLength(200);
    const retried = s.engine.ledger.search({ runId: run.id, limit: 1000 }).entries.filter((e) => e.attempts > 1);
    expect(retried.length).toBeGreaterThan(0);
    expect(proxy.requests.filter((r) => (r.failedByProxy ?? 0) > 0)).toHaveLength(3);
  });

  it('keeps the order of records with the same partition key across retries (each record’s last copy)', async () => {
    const proxy = await FaultProxy.start(kinesis.endpoint);
    closers.push(() => proxy.close());
    const s = await setup({ rows: 60, endpoint: proxy.endpoint });
    const def = s.engine.catalog.getSync(s.sync).definition;
    s.engine.catalog.putSync({ ...def, partitionKey: { kind: 'template', template: 'group-{{ row.id | modulo: 3 }}' } });
    // The first attempt of some records fails; their successors with the same key must wait for them.
    const failedOnce = new Set<string>();
    proxy.failRecords(
      ({ data }) => {
        const id = String((JSON.parse(data.toString()) as { id: number }).id);
        if (['4', '5', '30'].includes(id) && !failedOnce.has(id)) return (failedOnce.add(id), true);
        return false;
      },
      { times: 100 },
    );
    const run = await s.engine.runSync(s.sync, { backoff: { baseMs: 30, maxMs: 60, maxAttempts: 5 } });
    expect(run).toMatchObject({ status: 'succeeded', counts: { acknowledged: 60 } });
    expect(failedOnce.size).toBe(3);
    const records = await readStream(s.stream);
    for (const group of ['group-0', 'group-1', 'group-2']) {
      // A request carries many records of a key; those written after a failed one of their key go again
      // behind it: each record's last copy is in order.
      const ids = records.filter((r) => r.partitionKey === group).map((r) => r.data.id as number);
      const lastCopies = ids.filter((id, i) => ids.lastIndexOf(id) === i);
      expect(lastCopies).toHaveLength(20);
      expect(lastCopies).toEqual([...lastCopies].sort((a, b) => a - b));
    }
  });

  it('leaves records that keep failing pending for the next run, and "retry failed only" sends just those', async () => {
    const proxy = await FaultProxy.start(kinesis.endpoint);
    closers.push(() => proxy.close());
    const s = await setup({ rows: 30, endpoint: proxy.endpoint });
    proxy.failRecords(({ partitionKey }) => partitionKey === '7' || partitionKey === '8', { times: 100 });
    const first = await s.engine.runSync(s.sync, { backoff: { baseMs: 5, maxMs: 10, maxAttempts: 3 } });
    expect(first).toMatchObject({ status: 'partial', counts: { acknowledged: 28, failed: 2 } });
    const failed = s.engine.ledger.search({ runId: first.id, status: 'failed' }).entries;
    expect(failed.map((e) => [e.key, e.attempts, e.errorCode])).toEqual(
      expect.arrayContaining([
        ['7', 3, 'ProvisionedThroughputExceededException'],
        ['8', 3, 'ProvisionedThroughputExceededException'],
      ]),
    );
    proxy.reset();
    s.people.prepare("UPDATE people SET name = 'changed meanwhile' WHERE id = 20").run();
    const retry = await s.engine.runSync(s.sync, { retryFailedOf: first.id });
    expect(retry).toMatchObject({ status: 'succeeded', toSend: 2, counts: { acknowledged: 2 } });
    // The change to row 20 was not part of the retry; it goes with the next normal run.
    expect((await s.engine.runSync(s.sync)).counts).toMatchObject({ changed: 1, acknowledged: 1 });
  });

  it('a CSV model goes through the same diff: keys, duplicates and changes', async () => {
    const s = await setup({ rows: 1 });
    const csv = path.join(path.dirname(s.people.name), 'people.csv');
    fs.writeFileSync(csv, 'id,name\n1,Ada\n2,Björn\n3,Chloé\n,nobody\n3,Chloé again\n');
    s.engine.catalog.putSource({ kind: 'csv', name: 'people-csv', path: csv });
    s.engine.catalog.putModel({ name: 'people-from-csv', source: 'people-csv', primaryKey: ['id'] });
    const def = s.engine.catalog.getSync(s.sync).definition;
    s.engine.catalog.putSync({
      ...def,
      name: 'csv-sync',
      model: 'people-from-csv',
      payload: {
        mode: 'mapping',
        fields: [
          { column: 'id', key: 'person.id' },
          { column: 'name', key: 'person.name' },
        ],
      },
    });
    const first = await s.engine.runSync('csv-sync');
    expect(first).toMatchObject({ status: 'partial', counts: { read: 5, added: 2, rejectedRows: 3, acknowledged: 2 } });
    expect(s.engine.runs.rejects(first.id).map((r) => r.detail)).toEqual([
      'Line 5 has no value in id',
      'The key 3 appears on 2 rows; none of them is sent until it is unique',
    ]);
    fs.writeFileSync(csv, 'id,name\n1,Ada Lovelace\n3,Chloé\n');
    const second = await s.engine.runSync('csv-sync');
    expect(second).toMatchObject({ status: 'succeeded', counts: { added: 1, changed: 1, removed: 1, acknowledged: 3 } });
    const sent = (await readStream(s.stream)).map((r) => r.data);
    expect(sent).toEqual(expect.arrayContaining([{ person: { id: '1', name: 'Ada Lovelace' } }, { person: { id: '2', name: 'Björn' } }]));
  });

  it('a dry run renders and routes every row, sends nothing and changes no state', async () => {
    const s = await setup({ rows: 40, shards: 4 });
    const dry = await s.engine.runSync(s.sync, { dryRun: true });
    expect(dry).toMatchObject({ status: 'succeeded', dryRun: true, toSend: 40, counts: { rendered: 40, acknowledged: 0 } });
    expect(Object.keys(dry.perShard!)).toHaveLength(4);
    expect(Object.values(dry.perShard!).reduce((a, b) => a + b, 0)).toBe(40);
    expect(await readStream(s.stream)).toHaveLength(0);
    const real = await s.engine.runSync(s.sync);
    expect(real.counts.acknowledged).toBe(40);
    const landed = s.engine.ledger.search({ runId: real.id, limit: 100 }).entries;
    const perShard: Record<string, number> = {};
    for (const e of landed) perShard[e.shardId!] = (perShard[e.shardId!] ?? 0) + 1;
    expect(perShard).toEqual(Object.fromEntries(Object.entries(dry.perShard!).filter(([, n]) => n > 0)));
  });
});
