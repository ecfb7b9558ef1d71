import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../engine/engine';
import { callChannel } from '../testing/call-channel';
import { openTestEngine } from '../testing/engine';
import { createPeopleDb } from '../testing/model-db';
import { startKafka, type KafkaPeer } from '../testing/peers/kafka';

// Syncs to a real Apache Kafka broker, read back with kcat.

let kafka: KafkaPeer;
beforeAll(async () => {
  kafka = await startKafka();
}, 300_000);
afterAll(async () => {
  await kafka?.stop();
});
const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

let topics = 0;
async function setup(
  rows: number,
  options: { password?: string; compression?: 'none' | 'gzip' } = {},
): Promise<{ engine: Engine; topic: string; people: import('better-sqlite3').Database; dir: string }> {
  const t = await openTestEngine();
  const { file, db } = createPeopleDb(t.dir, rows);
  db.exec('ALTER TABLE people ADD COLUMN topic TEXT');
  closers.push(t.close, () => {
    db.close();
  });
  const topic = `people-${++topics}`;
  await kafka.createTopic(topic, 3);
  await t.engine.secrets.save('kafka-password', options.password ?? kafka.users.scram512.password);
  closers.push(() => t.engine.secrets.delete('kafka-password').then(() => undefined));
  t.engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
  t.engine.catalog.putModel({ name: 'people', source: 'db', query: 'SELECT id, name, topic FROM people', primaryKey: ['id'] });
  t.engine.catalog.putDestination({
    kind: 'kafka',
    name: 'kafka',
    brokers: [kafka.listeners.saslSsl],
    auth: { mechanism: 'scram-sha-512', username: kafka.users.scram512.username, password: { keychain: 'kafka-password' } },
    tls: { enabled: true, caPem: kafka.pki.caPem },
    topic,
    ...(options.compression ? { compression: options.compression } : {}),
  });
  t.engine.catalog.putSync({
    name: 'to-kafka',
    model: 'people',
    destination: 'kafka',
    triggers: ['added', 'changed', 'removed'],
    payload: { mode: 'template', template: '{"id": {{ row.id }}, "name": {{ row.name | json }}, "event": {{ event | json }}}' },
    kafka: {
      headers: [
        { name: 'source', value: 'sluice' },
        { name: 'event', value: '{{ event }}' },
      ],
      tombstones: true,
    },
  });
  return { engine: t.engine, topic, people: db, dir: t.dir };
}

function read(topic: string): { key: string; value: string; partition: number; offset: string; headers: string }[] {
  return kafka
    .kcat(['-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-Z', '-f', '%k\\t%s\\t%p\\t%o\\t%h\\n'])
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [key, value, partition, offset, headers] = line.split('\t');
      return { key: key!, value: value!, partition: Number(partition), offset: offset!, headers: headers ?? '' };
    });
}

describe('syncs to Kafka', () => {
  it('produces over SCRAM-SHA-512 and TLS with the generated CA: keys, headers, and each record’s partition and offset in the ledger', async () => {
    const { engine, topic } = await setup(40);
    const run = await engine.runSync('to-kafka');
    expect(run).toMatchObject({ status: 'succeeded', counts: { acknowledged: 40 } });
    const messages = read(topic);
    expect(messages).toHaveLength(40);
    expect(new Set(messages.map((m) => m.partition)).size).toBe(3);
    expect(messages[0]!.headers).toBe('source=sluice,event=added');
    const { entries } = engine.ledger.search({ runId: run.id, limit: 100 });
    for (const e of entries) {
      const m = messages.find((x) => x.key === e.key)!;
      expect({ topic: e.topic, partition: e.partition, offset: e.offset }).toEqual({ topic, partition: m.partition, offset: m.offset });
      expect(m.value).toBe(engine.ledger.data(e.id)!.toString());
    }
  });

  it('compresses with gzip when chosen; requests of many records keep every record’s partition and offset', async () => {
    const { engine, topic } = await setup(12_000, { compression: 'gzip' });
    const run = await engine.runSync('to-kafka');
    expect(run).toMatchObject({ status: 'succeeded', counts: { acknowledged: 12_000 } });
    const produce = (await callChannel(engine, 'listApiCalls', { runId: run.id, operation: 'Produce' })).calls;
    expect(produce.length).toBeGreaterThan(1); // more than one request
    for (const c of produce) {
      const detail = await callChannel(engine, 'getApiCall', { id: c.id });
      expect(detail.request).toMatchObject({ compression: 'gzip' });
      // On the wire, the request is a fraction of its records' bytes.
      const wire = (detail.transport as { requests: { size: number }[] }).requests.reduce((n, r) => n + r.size, 0);
      expect(wire).toBeGreaterThan(0);
      expect(wire).toBeLessThan(c.requestBytes! / 2);
    }
    const messages = new Map(read(topic).map((m) => [`${m.partition}/${m.offset}`, m]));
    expect(messages.size).toBe(12_000);
    const { entries } = engine.ledger.search({ runId: run.id, limit: 12_000 });
    expect(entries).toHaveLength(12_000);
    for (const e of entries) {
      const m = messages.get(`${e.partition}/${e.offset}`);
      expect(m?.key).toBe(e.key);
      expect(m?.value).toBe(`{"id":${e.key},"name":${JSON.stringify(`person ${e.key}`)},"event":"added"}`);
    }
  });

  it('a long run renders on worker threads: keys, headers, values, tombstones and offsets as when rendered inline', async () => {
    const { engine, topic, people, dir } = await setup(3_000);
    people.exec("UPDATE people SET name = 'bad' WHERE id = 1234"); // a row the template refuses
    engine.catalog.putSync({
      ...engine.catalog.getSync('to-kafka').definition,
      payload: {
        mode: 'template',
        template: '{% if row.name == "bad" %}oops{% else %}{"id": {{ row.id }}, "name": {{ row.name | json }}, "event": {{ event | json }}}{% endif %}',
      },
    });
    const run = await engine.runSync('to-kafka', { renderPoolThreshold: 1000 });
    expect(run).toMatchObject({ status: 'partial', counts: { rendered: 2999, acknowledged: 2999, failed: 1 } });
    expect(engine.runs.rejects(run.id).map((r) => r.detail)).toEqual([
      expect.stringContaining('Row 1234 (key 1234, added): The template output is not valid JSON'),
    ]);
    const log = fs.readFileSync(path.join(dir, 'logs', 'sluice.log'), 'utf8');
    expect(log).toMatch(new RegExp(`"event":"run.render-pool","runId":${run.id},"threads":[1-9]`));

    people.exec('DELETE FROM people WHERE id <= 1500');
    const removal = await engine.runSync('to-kafka', { renderPoolThreshold: 1000 });
    expect(removal).toMatchObject({ status: 'succeeded', counts: { acknowledged: 1499 } }); // 1234 was never delivered
    expect(fs.readFileSync(path.join(dir, 'logs', 'sluice.log'), 'utf8')).toMatch(new RegExp(`"event":"run.render-pool","runId":${removal.id},`));

    const messages = new Map(read(topic).map((m) => [`${m.partition}/${m.offset}`, m]));
    expect(messages.size).toBe(2999 + 1499);
    for (const r of [run, removal]) {
      const { entries } = engine.ledger.search({ runId: r.id, status: 'acknowledged', limit: 3000 });
      for (const e of entries) {
        const m = messages.get(`${e.partition}/${e.offset}`)!;
        expect(m.key).toBe(e.key);
        expect(m.headers).toBe(`source=sluice,event=${r === run ? 'added' : 'removed'}`);
        if (r === run) expect(m.value).toBe(`{"id":${e.key},"name":"person ${e.key}","event":"added"}`);
        else expect(m.value).toBe('NULL'); // a tombstone, as kcat -Z prints it
      }
    }
  });

  it('sends removed rows as tombstones, read back as null values', async () => {
    const { engine, topic, people } = await setup(5);
    await engine.runSync('to-kafka');
    people.prepare('DELETE FROM people WHERE id = 3').run();
    expect((await engine.runSync('to-kafka')).counts).toMatchObject({ removed: 1, acknowledged: 1 });
    const tombstone = read(topic)
      .filter((m) => m.key === '3')
      .pop()!;
    expect(tombstone.value).toBe('NULL');
    expect(tombstone.headers).toBe('source=sluice,event=removed');
  });

  it('fails only the records of a topic that does not exist, naming it, and sends them once it does', async () => {
    const { engine, topic, people } = await setup(6);
    people.prepare("UPDATE people SET topic = 'missing-topic' WHERE id IN (2, 5)").run();
    const def = engine.catalog.getSync('to-kafka').definition;
    engine.catalog.putSync({
      ...def,
      kafka: { ...def.kafka!, topic: { kind: 'template', template: '{% if row.topic %}{{ row.topic }}{% else %}' + topic + '{% endif %}' } },
    });
    const run = await engine.runSync('to-kafka');
    expect(run).toMatchObject({ status: 'partial', counts: { acknowledged: 4, failed: 2 } });
    const failed = engine.ledger.search({ runId: run.id, status: 'failed' }).entries;
    expect(failed.map((e) => [e.key, e.errorCode, e.errorMessage])).toEqual(
      expect.arrayContaining([['2', 'UNKNOWN_TOPIC_OR_PARTITION', 'The topic "missing-topic" does not exist on the cluster (Sluice never creates topics)']]),
    );
    await kafka.createTopic('missing-topic', 1);
    expect((await engine.runSync('to-kafka')).counts).toMatchObject({ added: 2, acknowledged: 2 });
    expect(
      read('missing-topic')
        .map((m) => m.key)
        .sort(),
    ).toEqual(['2', '5']);
  });

  it('a wrong password fails the run with the broker’s own words, and sends nothing', async () => {
    const { engine, topic } = await setup(3, { password: 'not-the-password' });
    const run = await engine.runSync('to-kafka');
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/SASL SCRAM SHA512 authentication failed/i);
    expect(run.error).not.toContain('not-the-password');
    expect(read(topic)).toHaveLength(0);
  });
});
