import {
  CreateStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  waitUntilStreamExists,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../engine/engine';
import { openTestEngine } from '../testing/engine';
import { createPeopleDb } from '../testing/model-db';
import { startKafka, type KafkaPeer } from '../testing/peers/kafka';
import { LOCAL_AWS_CREDENTIALS, startKinesisLocal, type KinesisPeer } from '../testing/peers/kinesis';
import { previewRouting } from './routing-preview';

// The proof of the routing preview: preview where each record lands, then really send the same rows to
// kinesis-local (4 shards) and to the Kafka broker (4 partitions, keyed, no explicit partition), read
// them back from the stream / topic, and compare record by record.

let kinesis: KinesisPeer;
let client: KinesisClient;
let kafka: KafkaPeer;
beforeAll(async () => {
  [kinesis, kafka] = await Promise.all([startKinesisLocal(), startKafka()]);
  client = kinesis.client();
}, 300_000);
afterAll(async () => {
  client?.destroy();
  await Promise.all([kinesis?.stop(), kafka?.stop()]);
});
const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

const ROWS = 80;
const MAX = 2n ** 128n - 1n;

async function engineWithPeople(): Promise<{ engine: Engine; people: import('better-sqlite3').Database }> {
  const t = await openTestEngine();
  const { file, db } = createPeopleDb(t.dir, ROWS);
  // A column of explicit hash keys spread over the whole 128-bit space, one of them not a number.
  db.exec('ALTER TABLE people ADD COLUMN hk TEXT');
  const set = db.prepare('UPDATE people SET hk = ? WHERE id = ?');
  for (let i = 1; i <= ROWS; i++) set.run(((MAX / BigInt(ROWS + 1)) * BigInt(i)).toString(), i);
  closers.push(t.close, () => {
    db.close();
  });
  t.engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
  t.engine.catalog.putModel({ name: 'people', source: 'db', query: 'SELECT id, name, score, hk FROM people', primaryKey: ['id'] });
  return { engine: t.engine, people: db };
}

async function readShards(stream: string): Promise<Map<string, string>> {
  const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName: stream }));
  const where = new Map<string, string>();
  for (const shard of Shards) {
    let { ShardIterator: iterator } = await client.send(
      new GetShardIteratorCommand({ StreamName: stream, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    for (let i = 0; i < 20 && iterator; i++) {
      const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10000 }));
      for (const r of page.Records ?? []) where.set((JSON.parse(Buffer.from(r.Data!).toString()) as { id: number }).id.toString(), shard.ShardId!);
      if (!page.Records?.length && page.MillisBehindLatest === 0) break;
      iterator = page.NextShardIterator;
    }
  }
  return where;
}

async function kinesisSync(engine: Engine, stream: string, extra: Record<string, unknown>): Promise<void> {
  await client.send(new CreateStreamCommand({ StreamName: stream, ShardCount: 4 }));
  await waitUntilStreamExists({ client, maxWaitTime: 30, minDelay: 1 }, { StreamName: stream });
  await engine.secrets.save(`${stream}-secret`, LOCAL_AWS_CREDENTIALS.secretAccessKey);
  closers.push(() => engine.secrets.delete(`${stream}-secret`).then(() => undefined));
  engine.catalog.putDestination({
    kind: 'kinesis',
    name: stream,
    stream,
    region: kinesis.region,
    endpoint: kinesis.endpoint,
    auth: { kind: 'access-key', accessKeyId: LOCAL_AWS_CREDENTIALS.accessKeyId, secretAccessKey: { keychain: `${stream}-secret` } },
  });
  engine.catalog.putSync({
    name: stream,
    model: 'people',
    destination: stream,
    triggers: ['added'],
    payload: { mode: 'template', template: '{"id": {{ row.id }}, "name": {{ row.name | json }}}' },
    ...extra,
  });
}

describe('the routing preview says where records land, and they land there', () => {
  it('Kinesis: MD5 of the partition key against the shard ranges — preview, send, read back, compare', async () => {
    const { engine } = await engineWithPeople();
    await kinesisSync(engine, 'by-key', { partitionKey: { kind: 'template', template: 'customer-{{ row.id }}' } });
    const preview = await previewRouting(engine, { sync: 'by-key', rows: { mode: 'first', count: ROWS }, ratePerSecond: 50 });
    expect(preview.problem).toBeNull();
    expect(preview.topology).toHaveLength(4);
    expect(preview.items).toHaveLength(ROWS);
    expect(preview.sample.rows).toBe(ROWS);
    expect(preview.sample.buckets.reduce((n, b) => n + b.records, 0)).toBe(ROWS);
    expect(preview.sample.buckets.filter((b) => b.records > 0).length).toBe(4);
    // The preview's own calls to the stream are in the Debugger, under their own context.
    engine.recorder.flush();
    const calls = engine.apiCalls.list({ context: 'routing-preview' }, 0, 50);
    expect(calls.calls.map((c) => c.operation)).toContain('ListShards');

    const run = await engine.runSync('by-key');
    expect(run).toMatchObject({ status: 'succeeded', counts: { acknowledged: ROWS } });
    const landed = await readShards('by-key');
    const ledger = new Map(engine.ledger.search({ runId: run.id, limit: 1000 }).entries.map((e) => [e.key, e.shardId]));
    for (const item of preview.items) {
      expect(landed.get(item.key), `row ${item.key}`).toBe(item.target);
      expect(ledger.get(item.key), `row ${item.key}`).toBe(item.target);
    }
    // The histogram over the whole model is what the stream holds per shard.
    const perShard = new Map<string, number>();
    for (const shard of landed.values()) perShard.set(shard, (perShard.get(shard) ?? 0) + 1);
    for (const b of preview.sample.buckets) expect(b.records).toBe(perShard.get(b.id) ?? 0);
  });

  it('Kinesis: an explicit hash key places each record; a row whose hash key is not a 128-bit number is rejected, naming the row', async () => {
    const { engine, people } = await engineWithPeople();
    people.prepare("UPDATE people SET hk = 'not-a-number' WHERE id = 7").run();
    people.prepare(`UPDATE people SET hk = '${(MAX + 1n).toString()}' WHERE id = 8`).run();
    await kinesisSync(engine, 'by-hash', { partitionKey: { kind: 'message-id' }, explicitHashKey: { kind: 'column', column: 'hk' } });
    const preview = await previewRouting(engine, { sync: 'by-hash', rows: { mode: 'first', count: ROWS } });
    expect(preview.items.find((i) => i.key === '7')!.error).toBe(
      'Row 7 (key 7): the explicit hash key "not-a-number" is not a whole decimal number from 0 to 2^128−1 (digits only)',
    );
    expect(preview.items.find((i) => i.key === '8')!.error).toContain('is 2^128 or more');
    expect(preview.sample.errors).toBe(2);
    // Hash keys spread evenly over the space: each of the 4 even shards gets about a quarter.
    for (const b of preview.sample.buckets) expect(b.records).toBeGreaterThanOrEqual(18);

    const run = await engine.runSync('by-hash');
    expect(run).toMatchObject({ status: 'partial', counts: { acknowledged: ROWS - 2, failed: 2 } });
    const rejected = engine.ledger.search({ runId: run.id, status: 'rejected' }).entries;
    expect(rejected.map((e) => e.key).sort()).toEqual(['7', '8']);
    expect((await engine.runs.rejects(run.id)).map((r) => r.detail)).toContain(
      'Row 7 (key 7, added): the explicit hash key "not-a-number" is not a whole decimal number from 0 to 2^128−1 (digits only)',
    );
    const landed = await readShards('by-hash');
    expect(landed.size).toBe(ROWS - 2);
    for (const item of preview.items.filter((i) => !i.error)) expect(landed.get(item.key), `row ${item.key}`).toBe(item.target);
    // The message-id partition keys are distinct per row (even spread), yet the hash key decided the shard.
    const keys = engine.ledger.search({ runId: run.id, status: 'acknowledged', limit: 1000 }).entries.map((e) => e.partitionKey);
    expect(new Set(keys).size).toBe(ROWS - 2);
    expect(keys.every((k) => /^[0-9a-f]{32}$/.test(k!))).toBe(true);
  });

  it("the editor's unsaved payload is the one routed: a saved template whose output is not JSON rejects every row, the editor's fixed one none", async () => {
    const { engine } = await engineWithPeople();
    await kinesisSync(engine, 'by-draft', { partitionKey: { kind: 'primary-key' }, payload: { mode: 'template', template: '{"id": {{ row.id }}' } });
    const saved = await previewRouting(engine, { sync: 'by-draft', rows: { mode: 'first', count: 3 }, sample: 20 });
    expect(saved.sample.errors).toBe(20);
    expect(saved.items[0]!.error).toContain('not valid JSON');
    const edited = await previewRouting(engine, {
      sync: 'by-draft',
      payload: { mode: 'template', template: '{"id": {{ row.id }}}' },
      rows: { mode: 'first', count: 3 },
      sample: 20,
    });
    expect(edited.sample.errors).toBe(0);
    expect(edited.items.map((i) => i.error)).toEqual([null, null, null]);
    expect(edited.items.every((i) => i.target !== null)).toBe(true);
  });

  it('a topic of one partition is said so, in the app and `sluice routing` alike (it read "1 partitions")', async () => {
    const { engine } = await engineWithPeople();
    await kafka.createTopic('routing-one', 1);
    engine.catalog.putDestination({ kind: 'kafka', name: 'kafka-one', brokers: [kafka.listeners.plaintext], topic: 'routing-one' });
    engine.catalog.putSync({
      name: 'to-one',
      model: 'people',
      destination: 'kafka-one',
      triggers: ['added'],
      payload: { mode: 'template', template: '{"id": {{ row.id }}}' },
    });
    const preview = await previewRouting(engine, { sync: 'to-one', rows: { mode: 'first', count: 3 } });
    expect(preview.topology).toEqual([{ id: 'routing-one', detail: '1 partition' }]);
  });

  it('Kafka: murmur2 of the key modulo the partition count — preview, produce, read back with kcat, compare', async () => {
    const { engine } = await engineWithPeople();
    await kafka.createTopic('routing-proof', 4);
    engine.catalog.putDestination({ kind: 'kafka', name: 'kafka', brokers: [kafka.listeners.plaintext], topic: 'routing-proof' });
    engine.catalog.putSync({
      name: 'to-kafka',
      model: 'people',
      destination: 'kafka',
      triggers: ['added'],
      payload: { mode: 'template', template: '{"id": {{ row.id }}}' },
      kafka: { key: { kind: 'template', template: 'person-{{ row.id }}' } },
    });
    const preview = await previewRouting(engine, { sync: 'to-kafka', rows: { mode: 'first', count: ROWS } });
    expect(preview.noun).toBe('partition');
    expect(preview.topology).toEqual([{ id: 'routing-proof', detail: '4 partitions' }]);
    expect(preview.sample.buckets.map((b) => b.id)).toEqual(['0', '1', '2', '3']);
    // Partition counts come from an admin client's Metadata: no producer is started (no InitProducerId).
    engine.recorder.flush();
    const ops = engine.apiCalls.list({ context: 'routing-preview' }, 0, 50).calls.map((c) => c.operation);
    expect(ops).toContain('Metadata');
    expect(ops).not.toContain('InitProducerId');

    const run = await engine.runSync('to-kafka');
    expect(run).toMatchObject({ status: 'succeeded', counts: { acknowledged: ROWS } });
    const read = kafka
      .kcat(['-C', '-t', 'routing-proof', '-o', 'beginning', '-e', '-q', '-f', '%k\\t%p\\n'])
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split('\t') as [string, string]);
    expect(read).toHaveLength(ROWS);
    const landed = new Map(read.map(([k, p]) => [k, p]));
    for (const item of preview.items) expect(landed.get(`person-${item.key}`), `row ${item.key}`).toBe(item.target);
    const ledger = engine.ledger.search({ runId: run.id, limit: 1000 }).entries;
    for (const e of ledger) expect(String(e.partition)).toBe(preview.items.find((i) => i.key === e.key)!.target);
    for (const b of preview.sample.buckets) expect(b.records).toBe(read.filter(([, p]) => p === b.id).length);
  });

  it('Kafka: a cluster that cannot be reached comes back as the preview problem, not a thrown error', async () => {
    const { engine } = await engineWithPeople();
    engine.catalog.putDestination({ kind: 'kafka', name: 'nowhere', brokers: ['127.0.0.1:1'], topic: 'routing-proof' });
    engine.catalog.putSync({
      name: 'to-nowhere',
      model: 'people',
      destination: 'nowhere',
      triggers: ['added'],
      payload: { mode: 'template', template: '{"id": {{ row.id }}}' },
    });
    const preview = await previewRouting(engine, { sync: 'to-nowhere', rows: { mode: 'first', count: 3 } });
    // In the words runs use (kafkaFailure): no kafkajs class name.
    expect(preview.problem).toMatch(/^Could not read the topics' partitions on 127\.0\.0\.1:1: Connection error: connect ECONNREFUSED 127.0.0.1:1/);
    expect(preview.items).toEqual([]);
  }, 60_000);
});
