import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { captureModelDefinitions, type CaptureStatus } from '../../shared/config/capture';
import type { Engine } from '../engine/engine';
import { callChannel } from '../testing/call-channel';
import { openTestEngine } from '../testing/engine';
import { startKafka, type KafkaPeer } from '../testing/peers/kafka';
import { ndjsonCheckpointPath } from './capture-sink';

// Capture from a real Apache Kafka broker: a topic of 3 partitions, one reader each, no committed group;
// resumed from the checkpoint; NDJSON output; the captured SQLite file used as a Sluice model for a sync.

let kafka: KafkaPeer;
let producer: Producer;
beforeAll(async () => {
  kafka = await startKafka();
  producer = new Kafka({ clientId: 'capture-test', brokers: [kafka.listeners.plaintext], logLevel: logLevel.NOTHING }).producer();
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
  const topic = `capture-${++topics}`;
  await kafka.createTopic(topic, 3);
  t.engine.catalog.putDestination({ kind: 'kafka', name: 'kafka', brokers: [kafka.listeners.plaintext], topic });
  return { engine: t.engine, topic, dir: t.dir };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function captureOnce(engine: Engine, file: string, from: 'trim-horizon' | 'latest' = 'trim-horizon'): Promise<CaptureStatus> {
  const s = await callChannel(engine, 'startCapture', { destination: 'kafka', file, from, mode: 'until-caught-up' });
  return until('the capture to catch up', async () => {
    const now = (await callChannel(engine, 'listCaptures', {})).find((c) => c.id === s.id)!;
    return now.state === 'running' ? undefined : now;
  });
}

/** n records spread over the 3 partitions, keyed `k<i % 5>`, timestamps one second apart from `base`. */
async function produce(topic: string, from: number, to: number, base = Date.now() - 60_000): Promise<void> {
  const messages = [];
  for (let i = from; i < to; i++) messages.push({ partition: i % 3, key: `k${i % 5}`, value: JSON.stringify({ i }), timestamp: String(base + i * 1000) });
  await producer.send({ topic, messages });
}

interface Row {
  id: number;
  stream: string;
  shard: string;
  sequence: string;
  partition_key: string | null;
  data: string | null;
  data_is_base64: number;
  arrival_timestamp: string;
  ingestion_timestamp: string;
}
const rowsOf = (file: string): Row[] => {
  const db = new Sqlite(file, { readonly: true });
  try {
    return db.prepare('SELECT * FROM captured_records ORDER BY id').all() as Row[];
  } finally {
    db.close();
  }
};

describe('capture from Kafka', () => {
  it('captures all 3 partitions with key, value, timestamp, partition and offset; a second run captures only new records; no group is left', async () => {
    const { engine, topic, dir } = await setup();
    const file = path.join(dir, 'orders.sqlite');
    const base = Date.now() - 60_000;
    await produce(topic, 0, 30, base);
    await producer.send({
      topic,
      messages: [
        { partition: 0, key: null, value: Buffer.from([0xff, 0x00, 0xfe]), timestamp: String(base) },
        { partition: 1, key: 'gone', value: null },
      ],
    });

    const first = await captureOnce(engine, file);
    expect(first).toMatchObject({ state: 'done', error: null });
    expect(first.captured).toBe(32);
    expect(first.parts.map((p) => [p.part, p.captured])).toEqual([
      [`${topic}-0`, 11],
      [`${topic}-1`, 11],
      [`${topic}-2`, 10],
    ]);

    const rows = rowsOf(file);
    expect(rows).toHaveLength(32);
    const r5 = rows.find((r) => r.data === '{"i":5}')!;
    expect(r5).toMatchObject({ stream: topic, shard: '2', partition_key: 'k0', data_is_base64: 0, arrival_timestamp: new Date(base + 5000).toISOString() });
    expect(Date.parse(r5.ingestion_timestamp)).toBeGreaterThan(Date.now() - 60_000);
    expect(rows.find((r) => r.partition_key === null)).toMatchObject({
      shard: '0',
      data: Buffer.from([0xff, 0x00, 0xfe]).toString('base64'),
      data_is_base64: 1,
    });
    expect(rows.find((r) => r.partition_key === 'gone')).toMatchObject({ shard: '1', data: null });
    // In offset order per partition.
    for (const p of ['0', '1', '2']) {
      const offsets = rows.filter((r) => r.shard === p).map((r) => Number(r.sequence));
      expect(offsets).toEqual(offsets.map((_, i) => i));
    }

    await produce(topic, 30, 36, base);
    const second = await captureOnce(engine, file);
    expect(second.captured).toBe(6);
    const all = rowsOf(file);
    expect(all).toHaveLength(38);
    expect(new Set(all.map((r) => `${r.shard}@${r.sequence}`)).size).toBe(38);
    expect(
      all
        .slice(32)
        .map((r) => r.data)
        .sort(),
    ).toEqual([30, 31, 32, 33, 34, 35].map((i) => JSON.stringify({ i })).sort());

    // Sluice's own consumer: nothing committed, no group left behind.
    const admin = new Kafka({ brokers: [kafka.listeners.plaintext], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      expect((await admin.listGroups()).groups.filter((g) => g.groupId.startsWith('sluice-capture-'))).toEqual([]);
    } finally {
      await admin.disconnect();
    }
  }, 180_000);

  it('follows new records until stopped, then resumes from where it stopped', async () => {
    const { engine, topic, dir } = await setup();
    const file = path.join(dir, 'follow.sqlite');
    await produce(topic, 0, 6);
    const started = await callChannel(engine, 'startCapture', { destination: 'kafka', file, mode: 'follow' });
    const captured = (n: number) =>
      until(`${n} records`, async () => {
        const s = (await callChannel(engine, 'listCaptures', {})).find((c) => c.id === started.id)!;
        return s.captured >= n ? s : undefined;
      });
    await captured(6);
    await produce(topic, 6, 15);
    const live = await captured(15);
    expect(live.state).toBe('running');
    const stopped = await callChannel(engine, 'stopCapture', { id: started.id });
    expect(stopped).toMatchObject({ state: 'stopped', captured: 15 });
    expect(stopped.parts.every((p) => p.state === 'stopped')).toBe(true);

    await produce(topic, 15, 18);
    expect((await captureOnce(engine, file)).captured).toBe(3);
    expect(rowsOf(file)).toHaveLength(18);
    expect(new Set(rowsOf(file).map((r) => r.data)).size).toBe(18);
  }, 180_000);

  it('stops in seconds while the broker hangs, as stopped, not failed (it waited 15 s and said "Broker not connected")', async () => {
    const { engine, topic, dir } = await setup();
    const file = path.join(dir, 'hung.sqlite');
    await produce(topic, 0, 6);
    const started = await callChannel(engine, 'startCapture', { destination: 'kafka', file, mode: 'follow' });
    await until('6 records', async () => {
      const s = (await callChannel(engine, 'listCaptures', {})).find((c) => c.id === started.id)!;
      return s.captured >= 6 ? s : undefined;
    });
    await kafka.pause();
    try {
      const asked = Date.now();
      const stopped = await callChannel(engine, 'stopCapture', { id: started.id });
      expect(Date.now() - asked).toBeLessThan(8000);
      expect(stopped).toMatchObject({ state: 'stopped', captured: 6, error: null });
    } finally {
      kafka.resume();
    }
    expect(rowsOf(file)).toHaveLength(6);
  }, 180_000);

  it('writes NDJSON with its checkpoint beside it, and resumes from that checkpoint', async () => {
    const { engine, topic, dir } = await setup();
    const file = path.join(dir, 'capture.ndjson');
    await produce(topic, 0, 9);
    expect((await captureOnce(engine, file)).captured).toBe(9);
    const lines = () =>
      fs
        .readFileSync(file, 'utf8')
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines()).toHaveLength(9);
    expect(Object.keys(lines()[0]!).sort()).toEqual([
      'arrival_timestamp',
      'data',
      'data_is_base64',
      'ingestion_timestamp',
      'partition_key',
      'sequence',
      'shard',
      'stream',
    ]);
    expect(lines().find((l) => l.data === '{"i":4}')).toMatchObject({ stream: topic, shard: '1', partition_key: 'k4', data_is_base64: false });
    const checkpoint = JSON.parse(fs.readFileSync(ndjsonCheckpointPath(file), 'utf8')) as {
      bytes: number;
      parts: Record<string, Record<string, { last: string }>>;
    };
    expect(checkpoint.bytes).toBe(fs.statSync(file).size);
    expect(checkpoint.parts[`kafka:${topic}`]).toMatchObject({ '0': { last: '2' }, '1': { last: '2' }, '2': { last: '2' } });

    // Lines written after the last checkpoint (a crash between the two writes) are cut and read again, not doubled.
    fs.appendFileSync(file, '{"half written":');
    await produce(topic, 9, 12);
    expect((await captureOnce(engine, file)).captured).toBe(3);
    expect(lines()).toHaveLength(12);
    expect(new Set(lines().map((l) => `${String(l.shard)}@${String(l.sequence)}`)).size).toBe(12);
    expect(fs.existsSync(`${file}.lock`)).toBe(false);

    // One writer per NDJSON file: another live process's lock is refused; a dead one's is taken over.
    fs.writeFileSync(`${file}.lock`, String(process.ppid));
    await expect(callChannel(engine, 'startCapture', { destination: 'kafka', file, mode: 'until-caught-up' })).rejects.toThrow(
      `is being captured into by another Sluice process (pid ${process.ppid})`,
    );
    fs.writeFileSync(`${file}.lock`, '4194301');
    expect((await captureOnce(engine, file)).state).toBe('done');
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
  }, 180_000);

  it('captures a topic named for a destination whose syncs choose their topics (it has none of its own); without one it says to name it', async () => {
    const { engine, topic, dir } = await setup();
    engine.catalog.putDestination({ kind: 'kafka', name: 'per-row', brokers: [kafka.listeners.plaintext] });
    await produce(topic, 0, 6);
    const file = path.join(dir, 'named.sqlite');
    // Before: refused whatever was asked ("capture needs a destination with a topic"), with no way to name one.
    await expect(callChannel(engine, 'startCapture', { destination: 'per-row', file, mode: 'until-caught-up' })).rejects.toThrow(
      '"per-row" has no topic of its own (its syncs choose one per row): say which topic to capture (sluice capture --topic)',
    );
    await expect(callChannel(engine, 'startCapture', { destination: 'per-row', file, mode: 'until-caught-up', topic: 'no such/topic' })).rejects.toThrow(
      '"no such/topic" is not a Kafka topic name',
    );
    const s = await callChannel(engine, 'startCapture', { destination: 'per-row', file, mode: 'until-caught-up', topic });
    expect(s.target).toBe(topic);
    const done = await until('the capture to catch up', async () => {
      const now = (await callChannel(engine, 'listCaptures', {})).find((c) => c.id === s.id)!;
      return now.state === 'running' ? undefined : now;
    });
    expect(done).toMatchObject({ state: 'done', captured: 6 });
    const db = new Sqlite(file, { readonly: true });
    expect(db.prepare('SELECT DISTINCT stream FROM captured_records').pluck().all()).toEqual([topic]);
    db.close();
    // A topic is Kafka's: a Kinesis destination refuses one.
    engine.catalog.putDestination({ kind: 'sandbox-kinesis', name: 'sandbox' });
    await expect(callChannel(engine, 'startCapture', { destination: 'sandbox', file, mode: 'until-caught-up', topic })).rejects.toThrow(
      'A topic is for a Kafka destination',
    );
  }, 120_000);

  it('--from latest skips what is there; the captured SQLite file is a model a sync sends from', async () => {
    const { engine, topic, dir } = await setup();
    const file = path.join(dir, 'latest.sqlite');
    await produce(topic, 0, 6);
    expect((await captureOnce(engine, file, 'latest')).captured).toBe(0);
    await produce(topic, 6, 10);
    expect((await captureOnce(engine, file)).captured).toBe(4);

    // The capture file as a Sluice model (the Capture view's "Add as model" and `sluice capture --model` do this).
    const defs = captureModelDefinitions(file, 'captured orders');
    await callChannel(engine, 'saveSource', { source: defs.source, mode: 'create' });
    const saved = await callChannel(engine, 'saveModel', { model: defs.model, mode: 'create' });
    expect(saved.keyCheck).toMatchObject({ rows: 4, unique: true });
    const preview = await callChannel(engine, 'previewModel', { model: 'captured orders', limit: 50 });
    expect(preview.rows.map((r) => r.data).sort()).toEqual([6, 7, 8, 9].map((i) => JSON.stringify({ i })).sort());
    expect(preview.columns.map((c) => c.name)).toEqual([
      'id',
      'stream',
      'shard',
      'sequence',
      'partition_key',
      'data',
      'data_is_base64',
      'arrival_timestamp',
      'ingestion_timestamp',
    ]);

    // …and a sync sends its rows on (to the built-in sandbox stream).
    engine.catalog.putDestination({ kind: 'sandbox-kinesis', name: 'sandbox', stream: 'captured', shards: 1 });
    engine.catalog.putSync({
      name: 'replay',
      model: 'captured orders',
      destination: 'sandbox',
      triggers: ['added', 'changed', 'removed'],
      payload: { mode: 'template', template: '{{ row.data }}' },
    });
    const run = await engine.runSync('replay');
    expect(run.status).toBe('succeeded');
    expect(run.counts).toMatchObject({ read: 4, added: 4 });
  }, 180_000);
});
