import type { Database } from 'better-sqlite3';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { KafkaRecord } from '../../shared/config/inspector';
import type { Engine } from '../engine/engine';
import { callChannel, callChannelOrThrowWire, failure } from '../testing/call-channel';
import { openTestEngine } from '../testing/engine';
import { createPeopleDb } from '../testing/model-db';
import { startKafka, type KafkaPeer } from '../testing/peers/kafka';

// The record inspector against a real Apache Kafka broker: start positions, keys, headers,
// tombstones, one partition or all; reads never commit offsets; ledger read-back after a real sync.

let kafka: KafkaPeer;
let producer: Producer;
beforeAll(async () => {
  kafka = await startKafka();
  producer = new Kafka({ clientId: 'inspector-test', brokers: [kafka.listeners.plaintext], logLevel: logLevel.NOTHING }).producer();
  await producer.connect();
}, 300_000);
afterAll(async () => {
  await producer?.disconnect();
  await kafka?.stop();
});
const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

let topics = 0;
async function setup(): Promise<{ engine: Engine; topic: string; dir: string }> {
  const t = await openTestEngine();
  closers.push(t.close);
  const topic = `inspect-${++topics}`;
  await kafka.createTopic(topic, 2);
  t.engine.catalog.putDestination({ kind: 'kafka', name: 'kafka', brokers: [kafka.listeners.plaintext], topic });
  return { engine: t.engine, topic, dir: t.dir };
}

const base = Date.now() - 60_000;
async function produceFixture(topic: string): Promise<void> {
  await producer.send({
    topic,
    messages: [
      { partition: 0, key: 'a', value: '{"n":0}', timestamp: String(base) },
      { partition: 1, key: 'b', value: 'not json', timestamp: String(base + 500), headers: { source: 'test', trace: ['t1', 't2'] } },
      { partition: 0, key: 'a', value: '{"n":1}', timestamp: String(base + 1000) },
      { partition: 0, key: 'gone', value: null, timestamp: String(base + 2000) },
      { partition: 1, key: null, value: Buffer.from([0xc3, 0x28]), timestamp: String(base + 2500) },
    ],
  });
}

const kafkaRecords = (records: { kind: string }[]) => records as KafkaRecord[];
const coords = (records: { kind: string }[]) => kafkaRecords(records).map((r) => `${r.partition}@${r.offset}`);

describe('record inspector on Kafka', () => {
  it('reads every partition from the beginning with key, headers, value, timestamp, partition and offset; tombstones are null', async () => {
    const { engine, topic } = await setup();
    await produceFixture(topic);
    const targets = await callChannel(engine, 'inspectTargets', { destination: 'kafka' });
    expect(targets).toMatchObject({ kind: 'kafka', defaultTopic: topic });
    expect(targets.kind === 'kafka' && targets.topics.find((t) => t.topic === topic)).toEqual({ topic, partitions: [0, 1] });

    const read = await callChannel(engine, 'inspectRead', { destination: 'kafka', from: { at: 'earliest' } });
    expect(read.readers).toEqual([
      { part: `${topic}-0`, read: 3, stopped: 'caught-up' },
      { part: `${topic}-1`, read: 2, stopped: 'caught-up' },
    ]);
    const records = kafkaRecords(read.records);
    expect(coords(records)).toEqual(['0@0', '1@0', '0@1', '0@2', '1@1']);
    expect(records[0]).toEqual({
      kind: 'kafka',
      topic,
      partition: 0,
      offset: '0',
      key: 'a',
      headers: [],
      timestamp: new Date(base).toISOString(),
      value: { bytes: 7, truncated: false, text: '{"n":0}', prettyJson: '{\n  "n": 0\n}', base64: null },
    });
    expect(records[1]).toMatchObject({
      key: 'b',
      headers: [
        { name: 'source', value: 'test' },
        { name: 'trace', value: 't1' },
        { name: 'trace', value: 't2' },
      ],
      value: { text: 'not json', prettyJson: null },
    });
    expect(records[3]).toMatchObject({ key: 'gone', value: null });
    expect(records[4]).toMatchObject({ key: null, value: { bytes: 2, text: null, base64: 'wyg=' } });

    // Reads leave nothing behind: no consumer group, so no committed offsets.
    const admin = new Kafka({ brokers: [kafka.listeners.plaintext], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const { groups } = await admin.listGroups();
    await admin.disconnect();
    expect(groups.filter((g) => g.groupId.startsWith('sluice-inspector-'))).toEqual([]);

    engine.recorder.flush();
    const { calls } = await callChannel(engine, 'listApiCalls', { context: 'inspector', destination: 'kafka', service: 'kafka' });
    expect(calls.map((c) => c.operation)).toEqual(expect.arrayContaining(['Metadata', 'ListOffsets', 'JoinGroup', 'Fetch']));
  }, 120_000);

  it('starts at an offset, at a timestamp, on chosen partitions, and stops at the limit', async () => {
    const { engine, topic } = await setup();
    await produceFixture(topic);
    expect(
      coords((await callChannel(engine, 'inspectRead', { destination: 'kafka', topic, partitions: [0], from: { at: 'offset', offset: '1' } })).records),
    ).toEqual(['0@1', '0@2']);
    expect(coords((await callChannel(engine, 'inspectRead', { destination: 'kafka', partitions: [1] })).records)).toEqual(['1@0', '1@1']);
    const byTime = await callChannel(engine, 'inspectRead', {
      destination: 'kafka',
      from: { at: 'timestamp', timestamp: new Date(base + 1500).toISOString() },
    });
    expect(coords(byTime.records)).toEqual(['0@2', '1@1']);
    const limited = await callChannel(engine, 'inspectRead', { destination: 'kafka', limit: 2 });
    expect(coords(limited.records)).toEqual(['0@0', '1@0']);
    await expect(callChannel(engine, 'inspectRead', { destination: 'kafka', partitions: [7] })).rejects.toThrow(
      `The topic "${topic}" has no partition 7 (its partitions: 0, 1)`,
    );
    await expect(callChannel(engine, 'inspectRead', { destination: 'kafka', topic: 'no-such-topic' })).rejects.toThrow(
      'The topic "no-such-topic" does not exist on the cluster',
    );
  }, 120_000);

  it('starts at the end: nothing at once, and what arrives while it listens', async () => {
    const { engine, topic } = await setup();
    await produceFixture(topic);
    expect((await callChannel(engine, 'inspectRead', { destination: 'kafka', from: { at: 'latest' } })).records).toEqual([]);
    const listening = callChannel(engine, 'inspectRead', { destination: 'kafka', from: { at: 'latest' }, waitMs: 8000 });
    await new Promise((r) => setTimeout(r, 4000));
    await producer.send({ topic, messages: [{ partition: 1, key: 'late', value: '{"late":true}' }] });
    const read = kafkaRecords((await listening).records);
    expect(read.map((r) => [r.key, r.partition, r.offset, r.value?.text])).toEqual([['late', 1, '2', '{"late":true}']]);
  }, 120_000);

  it('listens for waitMs from the moment its consumer is fetching, not from when the read started (the group join does not eat the wait)', async () => {
    const { engine, topic } = await setup();
    const listening = callChannel(engine, 'inspectRead', { destination: 'kafka', from: { at: 'latest' }, waitMs: 1000 });
    // The consumer's first Fetch (recorded for the Debugger) means it has joined and sought its partitions.
    const fetching = async () => {
      engine.recorder.flush();
      const { calls } = await callChannel(engine, 'listApiCalls', { context: 'inspector', destination: 'kafka' });
      return calls.some((c) => c.operation === 'Fetch');
    };
    while (!(await fetching())) await new Promise((r) => setTimeout(r, 25));
    await producer.send({ topic, messages: [{ partition: 0, key: 'while-listening', value: 'hello' }] });
    expect(kafkaRecords((await listening).records).map((r) => r.key)).toEqual(['while-listening']);
  }, 120_000);

  /** A people table of `rows` rows, synced to the destination `kafka` by the sync `to-kafka` (every event, an event header, tombstones). */
  async function syncedPeople(engine: Engine, dir: string, rows: number): Promise<Database> {
    const { file, db } = createPeopleDb(dir, rows);
    closers.push(() => {
      db.close();
    });
    engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
    engine.catalog.putModel({ name: 'people', source: 'db', query: 'SELECT id, name FROM people', primaryKey: ['id'] });
    engine.catalog.putSync({
      name: 'to-kafka',
      model: 'people',
      destination: 'kafka',
      triggers: ['added', 'changed', 'removed'],
      payload: { mode: 'template', template: '{"id": {{ row.id }}, "name": {{ row.name | json }}}' },
      kafka: { headers: [{ name: 'event', value: '{{ event }}' }], tombstones: true },
    });
    expect((await engine.runSync('to-kafka')).status).toBe('succeeded');
    return db;
  }

  it('opens a ledger entry’s record by topic, partition and offset after a real sync: bytes match, tombstones too', async () => {
    const { engine, topic, dir } = await setup();
    const db = await syncedPeople(engine, dir, 4);
    db.prepare('DELETE FROM people WHERE id = 2').run();
    const second = await engine.runSync('to-kafka');
    expect(second.counts).toMatchObject({ removed: 1, acknowledged: 1 });

    const added = engine.ledger.search({ text: '3', limit: 5 }).entries.find((e) => e.key === '3')!;
    const rb = await callChannel(engine, 'inspectLedgerRecord', { ledgerId: added.id });
    expect(rb).toMatchObject({ kind: 'kafka', match: true, detail: `bytes match (${added.bytes} bytes)` });
    expect(rb.read).toMatchObject({
      topic,
      partition: added.partition,
      offset: added.offset,
      key: '3',
      headers: [{ name: 'event', value: 'added' }],
      value: { text: '{"id":3,"name":"person 3"}' },
    });

    const removed = engine.ledger.search({ runId: second.id }).entries[0]!;
    const tomb = await callChannel(engine, 'inspectLedgerRecord', { ledgerId: removed.id });
    expect(tomb).toMatchObject({ match: true, sent: null, read: { key: '2', value: null, headers: [{ name: 'event', value: 'removed' }] } });
    expect(tomb.detail).toBe('bytes match (both are tombstones: no value)');
  }, 120_000);

  it('a ledger entry’s record on brokers that cannot be reached: says which brokers and why, as unavailable, as the inspector’s reads do', async () => {
    const { engine, topic, dir } = await setup();
    await syncedPeople(engine, dir, 2);
    const entry = engine.ledger.search({ limit: 1 }).entries[0]!;
    engine.catalog.putDestination({ kind: 'kafka', name: 'kafka', brokers: ['127.0.0.1:1'], topic });
    const refused = 'on 127.0.0.1:1: Connection error: connect ECONNREFUSED 127.0.0.1:1';
    // Before: { code: 'internal', message: 'Could not open the record in the stream: Connection error: connect ECONNREFUSED 127.0.0.1:1' }: no broker named.
    expect(await failure(callChannelOrThrowWire(engine, 'inspectLedgerRecord', { ledgerId: entry.id }))).toEqual({
      code: 'unavailable',
      message: `Could not read back ${topic}-${entry.partition}@${entry.offset} ${refused}`,
    });
    expect(await failure(callChannelOrThrowWire(engine, 'inspectRead', { destination: 'kafka', from: { at: 'earliest' } }))).toEqual({
      code: 'unavailable',
      message: `Could not read ${topic} ${refused}`,
    });
  }, 120_000);
});
