import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SyncSchema, type KafkaMessage } from '../../shared/config/sync';
import type { Engine } from '../engine/engine';
import { openTestEngine } from '../testing/engine';
import { closeAfterEach, kafkaForFile } from '../testing/lifecycle';
import { KafkaMessageRenderer } from './kafka-message';

// Where a Kafka record goes, on the suite's real broker, read back with kcat: a topic per trigger
// (added, changed and removed rows each to their own topic, as the Kafka seed offers), and what
// happens to a row whose topic is missing or empty. (Round-robin without a key and the topic from a
// column are in kafka-partition.test.ts; a topic the cluster lacks in kafka-sync.test.ts.)

const broker = kafkaForFile();
const closers = closeAfterEach();

let n = 0;
async function setup(
  kafka: Partial<KafkaMessage>,
  destinationTopic: string | undefined,
  triggers: ('added' | 'changed' | 'removed')[] = ['added', 'changed', 'removed'],
) {
  const t = await openTestEngine();
  closers.push(t.close);
  const file = path.join(t.dir, 'rows.sqlite');
  const db = new Database(file);
  closers.push(() => {
    db.close();
  });
  db.exec('CREATE TABLE rows (id INTEGER PRIMARY KEY, name TEXT, topic TEXT)');
  t.engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
  t.engine.catalog.putModel({ name: 'rows', source: 'db', query: 'SELECT id, name, topic FROM rows', primaryKey: ['id'] });
  t.engine.catalog.putDestination({
    kind: 'kafka',
    name: 'kafka',
    brokers: [broker.peer.listeners.plaintext],
    ...(destinationTopic ? { topic: destinationTopic } : {}),
  });
  t.engine.catalog.putSync({
    name: 'to-kafka',
    model: 'rows',
    destination: 'kafka',
    triggers,
    payload: { mode: 'template', template: '{"id": {{ row.id }}, "name": {{ row.name | json }}, "event": {{ event | json }}}' },
    kafka: { key: { kind: 'primary-key' }, headers: [], tombstones: false, ...kafka },
  });
  return { engine: t.engine, db };
}

async function topics(...names: string[]): Promise<string[]> {
  const made = names.map((name) => `${name}-${++n}`);
  for (const t of made) await broker.peer.createTopic(t, 1);
  return made;
}

function read(topic: string): string[] {
  return broker.peer.kcat(['-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-Z', '-f', '%k %s\\n']).split('\n').filter(Boolean);
}

async function runOk(engine: Engine, counts: Record<string, number>) {
  const run = await engine.runSync('to-kafka');
  expect(run, run.error ?? '').toMatchObject({ status: 'succeeded', counts });
  return run;
}

describe('a topic per trigger', () => {
  it('added, changed and removed rows each go to their own topic; the ledger names it', async () => {
    const [added, changed, removed] = await topics('added', 'changed', 'removed');
    const { engine, db } = await setup({ topicByTrigger: { added, changed, removed } }, undefined);
    db.exec("INSERT INTO rows VALUES (1, 'ann', NULL), (2, 'bob', NULL), (3, 'cy', NULL)");
    await runOk(engine, { added: 3, acknowledged: 3 });
    db.exec("UPDATE rows SET name = 'bobby' WHERE id = 2; DELETE FROM rows WHERE id = 3");
    const run = await runOk(engine, { changed: 1, removed: 1, acknowledged: 2 });

    expect(read(added!)).toEqual([
      '1 {"id":1,"name":"ann","event":"added"}',
      '2 {"id":2,"name":"bob","event":"added"}',
      '3 {"id":3,"name":"cy","event":"added"}',
    ]);
    expect(read(changed!)).toEqual(['2 {"id":2,"name":"bobby","event":"changed"}']);
    // A removed row is sent with the row as last delivered (or as a tombstone with `tombstones: true`).
    expect(read(removed!)).toEqual(['3 {"id":3,"name":"cy","event":"removed"}']);
    const ledger = engine.ledger.search({ runId: run.id, status: 'acknowledged', limit: 10 }).entries;
    expect(Object.fromEntries(ledger.map((e) => [e.key, [e.event, e.topic]]))).toEqual({ 2: ['changed', changed], 3: ['removed', removed] });
  });

  it('an event without its own topic goes to the sync’s topic (here from a column), and removals can be tombstones on theirs', async () => {
    const [orders, deletions] = await topics('orders', 'deletions');
    const { engine, db } = await setup({ topic: { kind: 'column', column: 'topic' }, topicByTrigger: { removed: deletions }, tombstones: true }, undefined);
    db.prepare("INSERT INTO rows VALUES (1, 'ann', ?), (2, 'bob', ?)").run(orders, orders);
    await runOk(engine, { added: 2, acknowledged: 2 });
    db.exec('DELETE FROM rows WHERE id = 1');
    await runOk(engine, { removed: 1, acknowledged: 1 });
    expect(read(orders!)).toEqual(['1 {"id":1,"name":"ann","event":"added"}', '2 {"id":2,"name":"bob","event":"added"}']);
    expect(read(deletions!)).toEqual(['1 NULL']);
  });

  it('an event with no topic anywhere rejects its rows, saying which field to set; the others go', async () => {
    const [added] = await topics('only-added');
    const { engine, db } = await setup({ topicByTrigger: { added } }, undefined);
    db.exec("INSERT INTO rows VALUES (1, 'ann', NULL), (2, 'bob', NULL)");
    await runOk(engine, { added: 2, acknowledged: 2 });
    db.exec("UPDATE rows SET name = 'annie' WHERE id = 1; INSERT INTO rows VALUES (3, 'cy', NULL)");
    const run = await engine.runSync('to-kafka');
    expect(run).toMatchObject({ status: 'partial', counts: { added: 1, changed: 1, acknowledged: 1 } });
    expect(engine.runs.rejects(run.id).map((r) => r.detail)).toEqual([
      "Row 1 (key 1, changed): no topic for changed rows: set kafka.topicByTrigger.changed, kafka.topic or the destination's topic",
    ]);
    expect(read(added!)).toHaveLength(3);
  });

  it('the YAML field takes topic names only, and says what a topic name is', () => {
    const base = { name: 's', model: 'm', destination: 'd', triggers: ['added'], payload: { mode: 'template', template: '{}' } };
    expect(SyncSchema.parse({ ...base, kafka: { topicByTrigger: { removed: 'deletions' } } }).kafka?.topicByTrigger).toEqual({ removed: 'deletions' });
    const bad = SyncSchema.safeParse({ ...base, kafka: { topicByTrigger: { removed: 'no spaces please' } } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['kafka.topicByTrigger.removed', 'A topic name is letters, digits, ".", "_" and "-"'],
    ]);
    expect(SyncSchema.safeParse({ ...base, kafka: { topicByTrigger: { deleted: 'x' } } }).success).toBe(false);
  });
});

describe('a row whose topic is missing or empty', () => {
  it('null or empty in the topic column rejects that row, naming the column; the rows with a topic go', async () => {
    const [events] = await topics('events');
    const { engine, db } = await setup({ topic: { kind: 'column', column: 'topic' } }, undefined, ['added']);
    db.prepare("INSERT INTO rows VALUES (1, 'ann', ?), (2, 'bob', NULL), (3, 'cy', '')").run(events);
    const run = await engine.runSync('to-kafka');
    expect(run).toMatchObject({ status: 'partial', counts: { acknowledged: 1 } });
    expect(engine.runs.rejects(run.id).map((r) => r.detail)).toEqual([
      'Row 2 (key 2, added): the topic column "topic" is null',
      'Row 3 (key 3, added): the topic is empty',
    ]);
    expect(read(events!)).toEqual(['1 {"id":1,"name":"ann","event":"added"}']);
  });

  it('a topic that is no Kafka topic name rejects that row, naming it (the broker failed every record of the request: INVALID_TOPIC_EXCEPTION); the rows with a good topic go', async () => {
    const [events] = await topics('events');
    const { engine, db } = await setup({ topic: { kind: 'column', column: 'topic' } }, undefined, ['added']);
    db.prepare("INSERT INTO rows VALUES (1, 'ann', ?), (2, 'bob', 't1/../t2'), (3, 'cy', ?)").run(events, events);
    const run = await engine.runSync('to-kafka');
    expect(run).toMatchObject({ status: 'partial', counts: { acknowledged: 2, failed: 1 } });
    expect(engine.runs.rejects(run.id).map((r) => r.detail)).toEqual([
      'Row 2 (key 2, added): the topic "t1/../t2" is not a Kafka topic name (letters, digits, ".", "_" and "-", at most 249 characters)',
    ]);
    expect(read(events!)).toHaveLength(2);
  });
});

describe('message settings that can never be sent', () => {
  it('a fixed topic that is no topic name, or two headers of one name, are refused before anything is sent, naming the field', () => {
    const base: KafkaMessage = { key: { kind: 'primary-key' }, headers: [], tombstones: false };
    expect(() => new KafkaMessageRenderer({ ...base, topic: { kind: 'fixed', value: 'bad topic/x' } }, undefined)).toThrow(
      'The topic "bad topic/x" is not a Kafka topic name (letters, digits, ".", "_" and "-", at most 249 characters)',
    );
    expect(() => new KafkaMessageRenderer(base, '..')).toThrow(`The destination's topic ".." is not a Kafka topic name`);
    // …only where an event falls back to it: a saved destination's must not stop a sync that never uses it.
    expect(() => new KafkaMessageRenderer({ ...base, topic: { kind: 'fixed', value: 'good' } }, 'orders v2')).not.toThrow();
    let err: unknown;
    try {
      new KafkaMessageRenderer(
        {
          ...base,
          headers: [
            { name: 'hv', value: 'a' },
            { name: 'src', value: 'b' },
            { name: 'hv', value: 'dup' },
          ],
        },
        'ok',
      );
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({
      message: 'Two headers are named "hv" (headers 1 and 3): Sluice sends one value per header name; rename one',
      issues: [{ path: 'kafka.headers.2.name', message: '"hv" is the name of header 1 too' }],
    });
    expect(() => new KafkaMessageRenderer({ ...base, topic: { kind: 'fixed', value: 'orders.v1_x-2' } }, 'a'.repeat(249))).not.toThrow();
  });
  it('a fixed partition that is no partition number is refused before anything is sent, naming the field (every row was rejected for it)', () => {
    const base: KafkaMessage = { key: { kind: 'primary-key' }, headers: [], tombstones: false };
    for (const [value, why] of [
      ['-1', 'partitions are numbered from 0'],
      ['abc', 'not a number'],
      ['1.5', 'not a whole number'],
    ]) {
      let err: unknown;
      try {
        new KafkaMessageRenderer({ ...base, partition: { kind: 'fixed', value: value! } }, 'orders');
      } catch (e) {
        err = e;
      }
      expect(err).toMatchObject({
        message: `The fixed partition: the partition "${value}" is not a partition number (${why})`,
        issues: [{ path: 'kafka.partition.value', message: 'Not a partition number' }],
      });
    }
    expect(() => new KafkaMessageRenderer({ ...base, partition: { kind: 'fixed', value: '3.0' } }, 'orders')).not.toThrow();
  });
});
