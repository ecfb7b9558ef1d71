import { DescribeStreamSummaryCommand, MergeShardsCommand, PutRecordCommand, SplitShardCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import Sqlite from 'better-sqlite3';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CaptureStatus } from '../../shared/config/capture';
import type { Engine } from '../engine/engine';
import { callChannel } from '../testing/call-channel';
import { openTestEngine } from '../testing/engine';
import { LOCAL_AWS_CREDENTIALS, startKinesisLocal, type KinesisPeer } from '../testing/peers/kinesis';
import { createStream } from '../testing/people-to-kinesis';

// Capture from a real Kinesis implementation (kinesis-local): one reader per shard, a split shard's parent read
// to its end before its children, every record exactly once and in order, resumed from the file's checkpoint.

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

async function setup(shards: number): Promise<{ engine: Engine; stream: string; dir: string }> {
  const t = await openTestEngine();
  closers.push(t.close);
  const stream = `capture-${++streams}`;
  await createStream(client, stream, shards);
  process.env.SLUICE_CAPTURE_TEST_SECRET = LOCAL_AWS_CREDENTIALS.secretAccessKey;
  t.engine.catalog.putDestination({
    kind: 'kinesis',
    name: 'stream',
    stream,
    region: kinesis.region,
    endpoint: kinesis.endpoint,
    auth: { kind: 'access-key', accessKeyId: LOCAL_AWS_CREDENTIALS.accessKeyId, secretAccessKey: { env: 'SLUICE_CAPTURE_TEST_SECRET' } },
  });
  return { engine: t.engine, stream, dir: t.dir };
}

async function put(stream: string, data: string | Uint8Array, partitionKey: string): Promise<void> {
  await client.send(new PutRecordCommand({ StreamName: stream, Data: typeof data === 'string' ? Buffer.from(data) : data, PartitionKey: partitionKey }));
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function status(engine: Engine, id: number): Promise<CaptureStatus> {
  return (await callChannel(engine, 'listCaptures', {})).find((c) => c.id === id)!;
}

/** Runs a capture until it is caught up and returns its final status. */
async function captureOnce(engine: Engine, file: string, from: 'trim-horizon' | 'latest' = 'trim-horizon'): Promise<CaptureStatus> {
  const s = await callChannel(engine, 'startCapture', { destination: 'stream', file, from, mode: 'until-caught-up' });
  return until('the capture to catch up', async () => {
    const now = await status(engine, s.id);
    return now.state === 'running' ? undefined : now;
  });
}

interface Row {
  id: number;
  stream: string;
  shard: string;
  sequence: string;
  partition_key: string;
  data: string;
  data_is_base64: number;
  arrival_timestamp: string;
  ingestion_timestamp: string;
}

function rowsOf(file: string): Row[] {
  const db = new Sqlite(file, { readonly: true });
  try {
    return db.prepare('SELECT * FROM captured_records ORDER BY id').all() as Row[];
  } finally {
    db.close();
  }
}

describe('capture from Kinesis', () => {
  it('captures every shard into a SQLite table with each column, and running it again captures only new records', async () => {
    const { engine, stream, dir } = await setup(2);
    const file = path.join(dir, 'capture.sqlite');
    const before = Date.now();
    for (let i = 0; i < 10; i++) await put(stream, JSON.stringify({ n: i }), `key-${i % 4}`);
    await put(stream, new Uint8Array([0xc3, 0x28, 0xff]), 'binary');

    const first = await captureOnce(engine, file);
    expect(first.state).toBe('done');
    expect(first.captured).toBe(11);
    expect(first.parts.map((p) => p.part)).toEqual(['shardId-000000000000', 'shardId-000000000001']);
    expect(first.parts.every((p) => p.state === 'caught-up')).toBe(true);

    const rows = rowsOf(file);
    expect(rows).toHaveLength(11);
    const json = rows.filter((r) => r.partition_key !== 'binary');
    expect(
      json
        .map((r) => JSON.parse(r.data) as { n: number })
        .map((d) => d.n)
        .sort((a, b) => a - b),
    ).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const r of json) {
      expect(r).toMatchObject({ stream, data_is_base64: 0 });
      expect(r.shard).toMatch(/^shardId-00000000000[01]$/);
      expect(r.sequence).toMatch(/^\d+$/);
      expect(Date.parse(r.arrival_timestamp)).toBeGreaterThanOrEqual(before - 5000);
      expect(Date.parse(r.ingestion_timestamp)).toBeGreaterThanOrEqual(Date.parse(r.arrival_timestamp) - 5000);
    }
    const binary = rows.find((r) => r.partition_key === 'binary')!;
    expect(binary).toMatchObject({ data_is_base64: 1, data: Buffer.from([0xc3, 0x28, 0xff]).toString('base64') });
    // Per partition key, the order they were put in.
    for (let k = 0; k < 4; k++) {
      const ns = json.filter((r) => r.partition_key === `key-${k}`).map((r) => (JSON.parse(r.data) as { n: number }).n);
      expect(ns).toEqual([...ns].sort((a, b) => a - b));
    }

    // Again, with nothing new: nothing captured. Then only the new ones.
    expect((await captureOnce(engine, file)).captured).toBe(0);
    for (let i = 10; i < 15; i++) await put(stream, JSON.stringify({ n: i }), `key-${i % 4}`);
    const third = await captureOnce(engine, file);
    expect(third.captured).toBe(5);
    const all = rowsOf(file);
    expect(all).toHaveLength(16);
    expect(
      all
        .slice(11)
        .map((r) => (JSON.parse(r.data) as { n: number }).n)
        .sort((a, b) => a - b),
    ).toEqual([10, 11, 12, 13, 14]);
  }, 120_000);

  it('follows a shard split mid-capture: the parent read to its end before its children, every record exactly once, in order per shard and per key', async () => {
    const { engine, stream, dir } = await setup(1);
    const file = path.join(dir, 'split.sqlite');
    const keys = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot'];
    const sent: { key: string; n: number }[] = [];
    const send = async (n: number) => {
      const key = keys[n % keys.length]!;
      sent.push({ key, n });
      await put(stream, JSON.stringify({ n }), key);
    };
    for (let n = 0; n < 30; n++) await send(n);

    const started = await callChannel(engine, 'startCapture', { destination: 'stream', file, from: 'trim-horizon', mode: 'follow' });
    await until('the first 30 records', async () => ((await status(engine, started.id)).captured >= 30 ? true : undefined));

    // Split the only shard in two, mid-capture, then keep sending: the new records land in the children.
    await client.send(new SplitShardCommand({ StreamName: stream, ShardToSplit: 'shardId-000000000000', NewStartingHashKey: (2n ** 127n).toString() }));
    await until('the stream to be active again', async () => {
      const d = await client.send(new DescribeStreamSummaryCommand({ StreamName: stream }));
      return d.StreamDescriptionSummary?.StreamStatus === 'ACTIVE' ? true : undefined;
    });
    for (let n = 30; n < 60; n++) await send(n);

    const caught = await until('all 60 records', async () => {
      const s = await status(engine, started.id);
      return s.captured >= 60 ? s : undefined;
    });
    expect(caught.parts.find((p) => p.part === 'shardId-000000000000')?.state).toBe('finished');
    expect(caught.parts.map((p) => p.part)).toEqual(['shardId-000000000000', 'shardId-000000000001', 'shardId-000000000002']);
    const stopped = await callChannel(engine, 'stopCapture', { id: started.id });
    expect(stopped.state).toBe('stopped');
    expect(stopped.captured).toBe(60);

    const rows = rowsOf(file);
    // Exactly once.
    expect(rows).toHaveLength(60);
    expect(new Set(rows.map((r) => `${r.shard}/${r.sequence}`)).size).toBe(60);
    expect(rows.map((r) => (JSON.parse(r.data) as { n: number }).n).sort((a, b) => a - b)).toEqual(sent.map((s) => s.n));
    // The parent's records all come before any child's.
    const parentIds = rows.filter((r) => r.shard === 'shardId-000000000000').map((r) => r.id);
    const childIds = rows.filter((r) => r.shard !== 'shardId-000000000000').map((r) => r.id);
    expect(parentIds.length).toBe(30);
    expect(childIds.length).toBe(30);
    expect(Math.max(...parentIds)).toBeLessThan(Math.min(...childIds));
    // In order per shard (sequence numbers rise with the row id) and per partition key (the order they were sent).
    for (const shard of new Set(rows.map((r) => r.shard))) {
      const seqs = rows.filter((r) => r.shard === shard).map((r) => BigInt(r.sequence));
      expect(seqs).toEqual([...seqs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    for (const key of keys) {
      const got = rows.filter((r) => r.partition_key === key).map((r) => (JSON.parse(r.data) as { n: number }).n);
      expect(got).toEqual(sent.filter((s) => s.key === key).map((s) => s.n));
    }

    // Resumed after the stop: the parent is finished, the children resume after their last record.
    await send(60);
    await send(61);
    const again = await captureOnce(engine, file);
    expect(again.captured).toBe(2);
    expect(again.parts.find((p) => p.part === 'shardId-000000000000')).toMatchObject({ state: 'finished', captured: 0 });
    expect(rowsOf(file)).toHaveLength(62);
  }, 180_000);

  it('follows a merge mid-capture: the child starts only after both parents are read to their end, every key in order', async () => {
    const { engine, stream, dir } = await setup(2);
    const file = path.join(dir, 'merge.sqlite');
    const keys = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot'];
    const sent: { key: string; n: number }[] = [];
    const send = async (n: number) => {
      const key = keys[n % keys.length]!;
      sent.push({ key, n });
      await put(stream, JSON.stringify({ n }), key);
    };
    for (let n = 0; n < 20; n++) await send(n);
    const started = await callChannel(engine, 'startCapture', { destination: 'stream', file, mode: 'follow' });
    await until('the first 20 records', async () => ((await status(engine, started.id)).captured >= 20 ? true : undefined));

    await client.send(new MergeShardsCommand({ StreamName: stream, ShardToMerge: 'shardId-000000000000', AdjacentShardToMerge: 'shardId-000000000001' }));
    await until('the stream to be active again', async () => {
      const d = await client.send(new DescribeStreamSummaryCommand({ StreamName: stream }));
      return d.StreamDescriptionSummary?.StreamStatus === 'ACTIVE' ? true : undefined;
    });
    for (let n = 20; n < 40; n++) await send(n);
    const caught = await until('all 40 records', async () => {
      const s = await status(engine, started.id);
      return s.captured >= 40 ? s : undefined;
    });
    expect(caught.parts.map((p) => [p.part, p.state])).toEqual([
      ['shardId-000000000000', 'finished'],
      ['shardId-000000000001', 'finished'],
      ['shardId-000000000002', expect.stringMatching(/^(reading|caught-up)$/)],
    ]);
    await callChannel(engine, 'stopCapture', { id: started.id });

    const rows = rowsOf(file);
    expect(rows).toHaveLength(40);
    const parentIds = rows.filter((r) => r.shard !== 'shardId-000000000002').map((r) => r.id);
    const childIds = rows.filter((r) => r.shard === 'shardId-000000000002').map((r) => r.id);
    expect(childIds).toHaveLength(20);
    expect(Math.max(...parentIds)).toBeLessThan(Math.min(...childIds));
    for (const key of keys) {
      const got = rows.filter((r) => r.partition_key === key).map((r) => (JSON.parse(r.data) as { n: number }).n);
      expect(got).toEqual(sent.filter((s) => s.key === key).map((s) => s.n));
    }
  }, 180_000);

  it('--from latest captures only records put after the first run started, and later runs go on from there', async () => {
    const { engine, stream, dir } = await setup(2);
    const file = path.join(dir, 'latest.sqlite');
    for (let i = 0; i < 5; i++) await put(stream, `old ${i}`, `k${i}`);
    expect((await captureOnce(engine, file, 'latest')).captured).toBe(0);
    for (let i = 0; i < 4; i++) await put(stream, `new ${i}`, `k${i}`);
    // The second run resumes from the first run's start (no trim-horizon): only the new ones.
    const second = await captureOnce(engine, file, 'trim-horizon');
    expect(second.captured).toBe(4);
    expect(
      rowsOf(file)
        .map((r) => r.data)
        .sort(),
    ).toEqual(['new 0', 'new 1', 'new 2', 'new 3']);
  }, 120_000);

  it('refuses a Firehose destination, a relative path and a file that is not SQLite, saying why', async () => {
    const { engine, dir } = await setup(1);
    engine.catalog.putDestination({ kind: 'firehose', name: 'hose', deliveryStream: 'd', region: 'us-east-1', auth: { kind: 'default-chain' } });
    await expect(callChannel(engine, 'startCapture', { destination: 'hose', file: path.join(dir, 'x.sqlite') })).rejects.toThrow(
      /Firehose delivery stream, which cannot be read back/,
    );
    await expect(callChannel(engine, 'startCapture', { destination: 'stream', file: 'relative.sqlite' })).rejects.toThrow(/absolute path/);
    await expect(callChannel(engine, 'startCapture', { destination: 'stream', file: path.join(dir, 'x.csv') })).rejects.toThrow(/\.sqlite .* or \.ndjson/);
    const notSqlite = path.join(dir, 'text.sqlite');
    (await import('node:fs')).writeFileSync(notSqlite, 'this is not a database, it is plain text and long enough to look like a header');
    await expect(callChannel(engine, 'startCapture', { destination: 'stream', file: notSqlite })).rejects.toThrow(/Cannot capture into .*text\.sqlite/);
  }, 60_000);
});
