import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KafkaMessage } from '../../shared/config/sync';
import { kafkaPartitionFor } from '../../shared/routing/murmur2';
import type { Engine } from '../engine/engine';
import { openTestEngine } from '../testing/engine';
import { closeAfterEach, kafkaForFile } from '../testing/lifecycle';
import { kafkaPartitionOf } from './kafka-message';

// The Kafka seed's message properties on the suite's real broker, read back with kcat: an explicit
// partition (cast from text, beating the key, one the topic lacks failing its record), round-robin
// without a key, and the topic taken from a column.

const broker = kafkaForFile();
const closers = closeAfterEach();

describe('a partition value cast to a partition number', () => {
  it('"3", " 3 " and "3.0" are 3; empty lets the key decide; anything else is a per-row error saying why', () => {
    expect(kafkaPartitionOf('3')).toBe(3);
    expect(kafkaPartitionOf(' 3 ')).toBe(3);
    expect(kafkaPartitionOf('3.0')).toBe(3);
    expect(kafkaPartitionOf('0')).toBe(0);
    expect(kafkaPartitionOf('')).toBeNull();
    expect(() => kafkaPartitionOf('abc')).toThrow('the partition "abc" is not a partition number (not a number)');
    expect(() => kafkaPartitionOf('3.5')).toThrow('the partition "3.5" is not a partition number (not a whole number)');
    expect(() => kafkaPartitionOf('-1')).toThrow('the partition "-1" is not a partition number (partitions are numbered from 0)');
    expect(() => kafkaPartitionOf('2147483648')).toThrow('(partitions go up to 2147483647)');
  });
});

let topics = 0;
async function setup(
  rows: [id: number, part: string | null, topic: string | null][],
  kafka: Partial<KafkaMessage>,
): Promise<{ engine: Engine; topic: string; file: string }> {
  const t = await openTestEngine();
  closers.push(t.close);
  const file = path.join(t.dir, 'rows.sqlite');
  const db = new Database(file);
  db.exec('CREATE TABLE rows (id INTEGER PRIMARY KEY, part TEXT, topic TEXT)');
  const insert = db.prepare('INSERT INTO rows VALUES (?, ?, ?)');
  for (const r of rows) insert.run(...r);
  db.close();
  const topic = `partition-${++topics}`;
  await broker.peer.createTopic(topic, 3);
  t.engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
  t.engine.catalog.putModel({ name: 'rows', source: 'db', query: 'SELECT id, part, topic FROM rows', primaryKey: ['id'] });
  t.engine.catalog.putDestination({ kind: 'kafka', name: 'kafka', brokers: [broker.peer.listeners.plaintext], topic });
  t.engine.catalog.putSync({
    name: 'to-kafka',
    model: 'rows',
    destination: 'kafka',
    triggers: ['added'],
    payload: { mode: 'template', template: '{"id": {{ row.id }}}' },
    kafka: { key: { kind: 'primary-key' }, headers: [], tombstones: false, ...kafka },
  });
  return { engine: t.engine, topic, file };
}

/** Each message by its row id: key (null when the message has none, `%K` −1), partition. */
function read(topic: string): Map<number, { key: string | null; partition: number }> {
  const lines = broker.peer.kcat(['-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-Z', '-f', '%K\\t%k\\t%s\\t%p\\n']).split('\n').filter(Boolean);
  return new Map(
    lines.map((line) => {
      const [keyLength, key, value, partition] = line.split('\t');
      return [(JSON.parse(value!) as { id: number }).id, { key: keyLength === '-1' ? null : key!, partition: Number(partition) }];
    }),
  );
}

describe('Kafka partition and topic per row, on the real broker', () => {
  it('an explicit partition beats the key, cast from text; a value that is no number, or a partition the topic lacks, fails only its row, saying why', async () => {
    // Every row has the same key, so without a partition they would all go to one partition.
    const { engine, topic } = await setup(
      [
        [1, '2', null],
        [2, '1.0', null],
        [3, ' 0 ', null],
        [4, 'abc', null],
        [5, '3.5', null],
        [6, '7', null],
        [7, '', null],
      ],
      { key: { kind: 'fixed', value: 'same-key' }, partition: { kind: 'column', column: 'part' } },
    );
    const byKey = kafkaPartitionFor('same-key', 3);
    const run = await engine.runSync('to-kafka');
    expect(run).toMatchObject({ status: 'partial', counts: { acknowledged: 4, failed: 3 } });
    const landed = read(topic);
    expect(Object.fromEntries([...landed].map(([id, m]) => [id, m.partition]))).toEqual({ 1: 2, 2: 1, 3: 0, 7: byKey });
    expect([...landed.values()].every((m) => m.key === 'same-key')).toBe(true);
    expect(engine.runs.rejects(run.id).map((r) => r.detail)).toEqual([
      'Row 4 (key 4, added): the partition "abc" is not a partition number (not a number)',
      'Row 5 (key 5, added): the partition "3.5" is not a partition number (not a whole number)',
    ]);
    const failed = engine.ledger.search({ runId: run.id, status: 'failed' }).entries;
    expect(failed.map((e) => [e.key, e.errorCode, e.errorMessage])).toEqual([
      ['6', 'INVALID_PARTITION', `Partition 7 does not exist in "${topic}" (it has 3)`],
    ]);
    const acked = engine.ledger.search({ runId: run.id, status: 'acknowledged', limit: 10 }).entries;
    expect(Object.fromEntries(acked.map((e) => [e.key, e.partition]))).toEqual({ 1: 2, 2: 1, 3: 0, 7: byKey });
  });

  it('without a key or a partition, records go round-robin over the partitions', async () => {
    const { engine, topic } = await setup(
      Array.from({ length: 30 }, (_, i): [number, null, null] => [i + 1, null, null]),
      { key: { kind: 'none' } },
    );
    const run = await engine.runSync('to-kafka');
    expect(run).toMatchObject({ status: 'succeeded', counts: { acknowledged: 30 } });
    const landed = read(topic);
    expect(landed.size).toBe(30);
    const perPartition = [0, 0, 0];
    for (const m of landed.values()) perPartition[m.partition]!++;
    expect(perPartition).toEqual([10, 10, 10]);
    expect([...landed.values()].every((m) => m.key === null)).toBe(true);
  });

  it('a removed row sent as a tombstone needs a key: without one it is rejected, saying why (it went as a record of neither key nor value)', async () => {
    const { engine, topic, file } = await setup(
      [
        [1, 'a', null],
        [2, null, null],
      ],
      { key: { kind: 'template', template: '{{ row.part }}' }, tombstones: true },
    );
    const byColumn = engine.catalog.getSync('to-kafka').definition;
    engine.catalog.putSync({ ...byColumn, triggers: ['added', 'changed', 'removed'] });
    engine.catalog.putSync({
      ...byColumn,
      name: 'keyless',
      triggers: ['added', 'changed', 'removed'],
      kafka: { key: { kind: 'none' }, headers: [], tombstones: true },
    });
    for (const sync of ['to-kafka', 'keyless']) expect(await engine.runSync(sync)).toMatchObject({ status: 'succeeded', counts: { acknowledged: 2 } });
    const db = new Database(file);
    db.exec('DELETE FROM rows');
    db.close();

    // Row 1's tombstone goes under its key; row 2's key renders empty (its part is null; it was added keyless): refused, not sent keyless.
    const run = await engine.runSync('to-kafka', { allowMassRemoval: true });
    expect(run).toMatchObject({ status: 'partial', counts: { removed: 2, acknowledged: 1 } });
    const refused = (id: number) => engine.ledger.search({ runId: id, status: 'rejected' }).entries.map((e) => [e.key, e.errorMessage]);
    expect(refused(run.id)).toEqual([['2', 'a tombstone needs a key, and the key rendered empty for this row']]);
    // A sync that sends no key at all cannot send a tombstone: each removal says so.
    const keyless = await engine.runSync('keyless', { allowMassRemoval: true });
    expect(keyless).toMatchObject({ status: 'failed', counts: { removed: 2, acknowledged: 0 } });
    const why = 'a tombstone needs a key, and the sync sends its records without one (kafka.key: none): choose a key, or turn tombstones off';
    expect(refused(keyless.id).sort()).toEqual([
      ['1', why],
      ['2', why],
    ]);
    const tombstones = broker.peer
      .kcat(['-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-Z', '-f', '%k=%s\\n'])
      .split('\n')
      .filter((l) => l.endsWith('=NULL'));
    expect(tombstones).toEqual(['a=NULL']);
  });

  it('the topic comes from a column, row by row; a row whose topic column is null is rejected, naming it', async () => {
    await broker.peer.createTopic('orders-topic', 1);
    await broker.peer.createTopic('users-topic', 1);
    const { engine } = await setup(
      [
        [1, null, 'orders-topic'],
        [2, null, 'users-topic'],
        [3, null, 'orders-topic'],
        [4, null, null],
      ],
      { topic: { kind: 'column', column: 'topic' } },
    );
    const run = await engine.runSync('to-kafka');
    expect(run).toMatchObject({ status: 'partial', counts: { acknowledged: 3, failed: 1 } });
    expect([...read('orders-topic').keys()].sort()).toEqual([1, 3]);
    expect([...read('users-topic').keys()]).toEqual([2]);
    expect(engine.runs.rejects(run.id).map((r) => r.detail)).toEqual(['Row 4 (key 4, added): the topic column "topic" is null']);
    const acked = engine.ledger.search({ runId: run.id, status: 'acknowledged', limit: 10 }).entries;
    expect(Object.fromEntries(acked.map((e) => [e.key, e.topic]))).toEqual({ 1: 'orders-topic', 2: 'users-topic', 3: 'orders-topic' });
  });
});
