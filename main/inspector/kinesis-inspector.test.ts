import { PutRecordCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import type { Database } from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { KinesisRecord } from '../../shared/config/inspector';
import type { Engine } from '../engine/engine';
import { openTestEngine } from '../testing/engine';
import { createPeopleDb } from '../testing/model-db';
import { LOCAL_AWS_CREDENTIALS, startKinesisLocal, type KinesisPeer } from '../testing/peers/kinesis';
import { callChannel, callChannelOrThrowWire, failure } from '../testing/call-channel';
import { createStream, putPeopleToKinesis } from '../testing/people-to-kinesis';
import { FaultProxy } from '../testing/peers/fault-proxy';

// The record inspector against a real Kinesis implementation (kinesis-local): records sent by a real
// sync and put with the SDK, read back per shard from each start position; ledger read-back.

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

async function setup(rows: number, endpoint?: string): Promise<{ engine: Engine; stream: string; people: Database }> {
  const t = await openTestEngine();
  const { file, db: people } = createPeopleDb(t.dir, rows);
  closers.push(t.close, () => {
    people.close();
  });
  const stream = `inspect-${++streams}`;
  await createStream(client, stream);
  process.env.SLUICE_INSPECT_TEST_SECRET = LOCAL_AWS_CREDENTIALS.secretAccessKey;
  const { engine } = t;
  putPeopleToKinesis(engine, {
    file,
    stream,
    region: kinesis.region,
    endpoint: endpoint ?? kinesis.endpoint,
    secretAccessKey: { env: 'SLUICE_INSPECT_TEST_SECRET' },
  });
  return { engine, stream, people };
}

async function put(stream: string, data: Uint8Array | string, partitionKey: string): Promise<{ shardId: string; sequenceNumber: string }> {
  const out = await client.send(
    new PutRecordCommand({ StreamName: stream, Data: typeof data === 'string' ? Buffer.from(data) : data, PartitionKey: partitionKey }),
  );
  return { shardId: out.ShardId!, sequenceNumber: out.SequenceNumber! };
}

const kinesisRecords = (records: { kind: string }[]) => records as KinesisRecord[];

describe('record inspector on Kinesis', () => {
  it('lists the shards and reads what a real sync sent from TRIM_HORIZON, one reader per shard, with every field', async () => {
    const { engine, stream } = await setup(12);
    expect((await engine.runSync('people-sync')).status).toBe('succeeded');

    const targets = await callChannel(engine, 'inspectTargets', { destination: 'stream' });
    expect(targets).toEqual({
      kind: 'kinesis',
      destination: 'stream',
      stream,
      shards: [
        { shardId: 'shardId-000000000000', open: true },
        { shardId: 'shardId-000000000001', open: true },
      ],
    });

    const read = await callChannel(engine, 'inspectRead', { destination: 'stream', from: { at: 'earliest' }, limit: 100 });
    expect(read.kind).toBe('kinesis');
    expect(read.readers.map((r) => r.part).sort()).toEqual(['shardId-000000000000', 'shardId-000000000001']);
    expect(read.readers.every((r) => r.stopped === 'caught-up')).toBe(true);
    expect(read.readers.reduce((n, r) => n + r.read, 0)).toBe(12);
    const records = kinesisRecords(read.records);
    expect(records).toHaveLength(12);
    const { entries } = engine.ledger.search({ limit: 100 });
    for (const e of entries) {
      const r = records.find((x) => x.sequenceNumber === e.sequenceNumber)!;
      expect(r).toMatchObject({ kind: 'kinesis', shardId: e.shardId, partitionKey: e.key, data: { text: engine.ledger.data(e.id)!.toString(), base64: null } });
      expect(JSON.parse(r.data.prettyJson!)).toEqual({ id: Number(e.key), name: `person ${e.key}` });
      expect(r.data.prettyJson).toContain('\n  "name": ');
      expect(Date.parse(r.arrivalTimestamp!)).toBeGreaterThan(Date.now() - 120_000);
    }
    // Oldest first across shards.
    const times = records.map((r) => r.arrivalTimestamp!);
    expect([...times].sort()).toEqual(times);

    // The Debugger lists the inspector's calls to the stream.
    engine.recorder.flush();
    const { calls } = await callChannel(engine, 'listApiCalls', { context: 'inspector', destination: 'stream' });
    expect(new Set(calls.map((c) => c.operation))).toEqual(new Set(['ListShards', 'GetShardIterator', 'GetRecords']));
  });

  it('reads only the chosen shard, stops at the limit, and shows non-UTF-8 data as base64', async () => {
    const { engine, stream } = await setup(0);
    const binary = Uint8Array.from([0xff, 0xfe, 0x00, 0x41]);
    const a = await put(stream, binary, 'binary');
    for (let i = 0; i < 6; i++) await put(stream, `plain text ${i}`, `k${i}`);

    const one = kinesisRecords((await callChannel(engine, 'inspectRead', { destination: 'stream', shards: [a.shardId], from: { at: 'earliest' } })).records);
    expect(one.length).toBeGreaterThan(0);
    expect(one.every((r) => r.shardId === a.shardId)).toBe(true);
    expect(one[0]).toMatchObject({
      sequenceNumber: a.sequenceNumber,
      partitionKey: 'binary',
      data: { bytes: 4, text: null, prettyJson: null, base64: Buffer.from(binary).toString('base64') },
    });

    const limited = await callChannel(engine, 'inspectRead', { destination: 'stream', from: { at: 'earliest' }, limit: 3 });
    expect(limited.records).toHaveLength(3);
    expect(kinesisRecords(limited.records)[0]!.partitionKey).toBe('binary');
    expect(kinesisRecords(limited.records).map((r) => r.data.text)).toEqual([null, 'plain text 0', 'plain text 1']);
  });

  it('starts AT_TIMESTAMP, AT_SEQUENCE_NUMBER and LATEST', async () => {
    const { engine, stream } = await setup(0);
    await put(stream, '{"n": 1}', 'same-key');
    await put(stream, '{"n": 2}', 'same-key');
    await new Promise((r) => setTimeout(r, 1500));
    const after = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 100));
    const third = await put(stream, '{"n": 3}', 'same-key');
    await put(stream, '{"n": 4}', 'same-key');

    const byTime = kinesisRecords((await callChannel(engine, 'inspectRead', { destination: 'stream', from: { at: 'timestamp', timestamp: after } })).records);
    expect(byTime.map((r) => r.data.text)).toEqual(['{"n": 3}', '{"n": 4}']);
    // A time still to come: said in words (Kinesis answered "The timestampInMillis parameter cannot be greater than the currentTimestampInMillis…").
    await expect(
      callChannel(engine, 'inspectRead', { destination: 'stream', from: { at: 'timestamp', timestamp: '2099-01-01T00:00:00.000Z' } }),
    ).rejects.toThrow(
      'The timestamp 2099-01-01T00:00:00.000Z is still to come: a read starts at a time up to now (to wait for new records, start at LATEST and listen for them)',
    );

    const bySequence = kinesisRecords(
      (
        await callChannel(engine, 'inspectRead', {
          destination: 'stream',
          shards: [third.shardId],
          from: { at: 'sequence', sequenceNumber: third.sequenceNumber },
        })
      ).records,
    );
    expect(bySequence.map((r) => r.data.text)).toEqual(['{"n": 3}', '{"n": 4}']);
    await expect(callChannel(engine, 'inspectRead', { destination: 'stream', from: { at: 'sequence', sequenceNumber: third.sequenceNumber } })).rejects.toThrow(
      'A sequence number belongs to one shard: choose that shard to read from it',
    );

    expect((await callChannel(engine, 'inspectRead', { destination: 'stream', from: { at: 'latest' } })).records).toEqual([]);
    const listening = callChannel(engine, 'inspectRead', { destination: 'stream', from: { at: 'latest' }, waitMs: 4000 });
    await new Promise((r) => setTimeout(r, 1500));
    await put(stream, '{"n": 5}', 'same-key');
    expect(kinesisRecords((await listening).records).map((r) => r.data.text)).toEqual(['{"n": 5}']);
  });

  it('opens a ledger entry’s record by its shard and sequence number: the bytes match; a changed ledger is caught', async () => {
    const { engine } = await setup(5);
    await engine.runSync('people-sync');
    const { entries } = engine.ledger.search({ limit: 10 });
    const entry = entries.find((e) => e.key === '3')!;
    const rb = await callChannel(engine, 'inspectLedgerRecord', { ledgerId: entry.id });
    expect(rb).toMatchObject({ kind: 'kinesis', destination: 'stream', match: true, entry: { id: entry.id, key: '3' } });
    expect(rb.detail).toBe(`bytes match (${entry.bytes} bytes)`);
    expect(rb.read).toMatchObject({
      kind: 'kinesis',
      shardId: entry.shardId,
      sequenceNumber: entry.sequenceNumber,
      partitionKey: '3',
      data: { text: '{"id":3,"name":"person 3"}' },
    });
    expect(rb.sent?.text).toBe('{"id":3,"name":"person 3"}');

    engine.db.prepare('UPDATE ledger SET data = ? WHERE id = ?').run(Buffer.from('{"id":3,"name":"person X"}'), entry.id);
    const changed = await callChannel(engine, 'inspectLedgerRecord', { ledgerId: entry.id });
    expect(changed.match).toBe(false);
    expect(changed.detail).toBe('bytes differ at byte 23: sent 0x58, read 0x33 (sent 26 bytes, read 26)');

    await expect(callChannel(engine, 'inspectLedgerRecord', { ledgerId: 999_999 })).rejects.toThrow('There is no ledger entry 999999');
  });

  it('an endpoint that refuses connections: the read-back, the shards and a read say which endpoint and why, as unavailable', async () => {
    const { engine, stream } = await setup(2);
    await engine.runSync('people-sync');
    const entry = engine.ledger.search({ limit: 1 }).entries[0]!;
    const endpoint = 'http://127.0.0.1:1';
    engine.catalog.putDestination({ ...engine.catalog.getDestination('stream'), endpoint });
    const refused = `on ${endpoint}: connect ECONNREFUSED 127.0.0.1:1`;
    // Before: { code: 'internal', message: 'Could not open the record in the stream: connect ECONNREFUSED 127.0.0.1:1' }, and so for the others.
    expect(await failure(callChannelOrThrowWire(engine, 'inspectLedgerRecord', { ledgerId: entry.id }))).toEqual({
      code: 'unavailable',
      message: `Could not read back ${stream} ${entry.shardId} at ${entry.sequenceNumber} ${refused}`,
    });
    expect(await failure(callChannelOrThrowWire(engine, 'inspectTargets', { destination: 'stream' }))).toEqual({
      code: 'unavailable',
      message: `Could not list the shards of ${stream} ${refused}`,
    });
    expect(await failure(callChannelOrThrowWire(engine, 'inspectRead', { destination: 'stream', from: { at: 'earliest' } }))).toEqual({
      code: 'unavailable',
      message: `Could not read ${stream} ${refused}`,
    });
  });

  it('many shards share one limit: the read holds and returns only the limit oldest records of all shards', async () => {
    const { engine } = await setup(0);
    const wide = `inspect-wide-${++streams}`;
    await createStream(client, wide, 4);
    for (let i = 0; i < 40; i++) await put(wide, `record ${i}`, `key-${i}`);

    const everything = kinesisRecords(
      (await callChannel(engine, 'inspectRead', { destination: 'stream', stream: wide, from: { at: 'earliest' }, limit: 100 })).records,
    );
    expect(everything).toHaveLength(40);
    expect(new Set(everything.map((r) => r.shardId)).size).toBe(4);

    const read = await callChannel(engine, 'inspectRead', { destination: 'stream', stream: wide, from: { at: 'earliest' }, limit: 10 });
    expect(read.records).toEqual(everything.slice(0, 10));
    // Per shard only what made the merged ten: no reader keeps its own ten.
    expect(read.readers.reduce((n, r) => n + r.read, 0)).toBe(10);
  });

  it('shows at most 64 KiB of a big record (flagged, full size kept), and the ledger read-back still compares every byte', async () => {
    const { engine, people } = await setup(3);
    const name = 'n'.repeat(100_000);
    people.prepare('UPDATE people SET name = ? WHERE id = 2').run(name);
    expect((await engine.runSync('people-sync')).status).toBe('succeeded');
    const sent = `{"id":2,"name":"${name}"}`;

    const read = kinesisRecords((await callChannel(engine, 'inspectRead', { destination: 'stream', from: { at: 'earliest' } })).records);
    const big = read.find((r) => r.partitionKey === '2')!;
    expect(big.data).toEqual({ bytes: sent.length, truncated: true, text: sent.slice(0, 64 * 1024), prettyJson: null, base64: null });
    expect(read.find((r) => r.partitionKey === '1')!.data).toMatchObject({ truncated: false, text: '{"id":1,"name":"person 1"}' });

    const entry = engine.ledger.search({ limit: 10 }).entries.find((e) => e.key === '2')!;
    const rb = await callChannel(engine, 'inspectLedgerRecord', { ledgerId: entry.id });
    expect(rb).toMatchObject({ match: true, detail: `bytes match (${sent.length} bytes)`, read: { data: { truncated: true, bytes: sent.length } } });
    // A difference past the shown 64 KiB is still found.
    const changed = Buffer.from(sent);
    changed[90_000] = 0x4d;
    engine.db.prepare('UPDATE ledger SET data = ? WHERE id = ?').run(changed, entry.id);
    const rb2 = await callChannel(engine, 'inspectLedgerRecord', { ledgerId: entry.id });
    expect(rb2.match).toBe(false);
    expect(rb2.detail).toBe(`bytes differ at byte 90000: sent 0x4d, read 0x6e (sent ${sent.length} bytes, read ${sent.length})`);
  });

  it('waits for new records from the moment it caught up, however long catching up took', async () => {
    const proxy = await FaultProxy.start(kinesis.endpoint);
    closers.push(() => proxy.close());
    const { engine, stream } = await setup(0, proxy.endpoint);
    const first = await put(stream, 'before', 'same-key');
    // ListShards, GetShardIterator and the first GetRecords each take a second: catching up takes over 2 s.
    proxy.delay(1000, 3);
    const listening = callChannel(engine, 'inspectRead', { destination: 'stream', shards: [first.shardId], from: { at: 'latest' }, waitMs: 1500 });
    const gotRecords = () => proxy.requests.some((r) => r.target.endsWith('.GetRecords'));
    while (!gotRecords()) await new Promise((r) => setTimeout(r, 20));
    // Caught up now (more than waitMs after the read started): a record put now arrives within the wait.
    await put(stream, 'after catching up', 'same-key');
    expect(kinesisRecords((await listening).records).map((r) => r.data.text)).toEqual(['after catching up']);
  });

  it('refuses a Kafka start position and an unknown shard, saying what and where', async () => {
    const { engine, stream } = await setup(0);
    await expect(callChannel(engine, 'inspectRead', { destination: 'stream', from: { at: 'offset', offset: '3' } })).rejects.toThrow(
      'A Kinesis stream has no offsets',
    );
    await expect(callChannel(engine, 'inspectRead', { destination: 'stream', shards: ['shardId-000000000009'] })).rejects.toThrow(
      `The stream "${stream}" has no shard shardId-000000000009 (its shards: shardId-000000000000, shardId-000000000001)`,
    );
    await expect(callChannel(engine, 'inspectRead', { destination: 'stream', limit: 5000 })).rejects.toThrow('Limit must be a whole number from 1 to 1,000');
  });
});

describe('record inspector on the sandbox stream', () => {
  it('reads the demo-style sandbox destination back and matches a ledger entry byte for byte', async () => {
    const t = await openTestEngine();
    const { file, db } = createPeopleDb(t.dir, 8);
    closers.push(t.close, () => {
      db.close();
    });
    const { engine } = t;
    engine.catalog.putSource({ kind: 'sqlite', name: 'people-db', path: file });
    engine.catalog.putModel({ name: 'people', source: 'people-db', query: 'SELECT id, name FROM people', primaryKey: ['id'] });
    engine.catalog.putDestination({ kind: 'sandbox-kinesis', name: 'sandbox', stream: 'sandbox-inspect', shards: 2 });
    engine.catalog.putSync({
      name: 'to-sandbox',
      model: 'people',
      destination: 'sandbox',
      triggers: ['added'],
      payload: { mode: 'template', template: '{"id": {{ row.id }}}' },
    });
    expect((await engine.runSync('to-sandbox')).status).toBe('succeeded');

    const read = await callChannel(engine, 'inspectRead', { destination: 'sandbox', from: { at: 'earliest' } });
    expect(read.readers).toHaveLength(2);
    expect(
      kinesisRecords(read.records)
        .map((r) => r.partitionKey)
        .sort(),
    ).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
    const entry = engine.ledger.search({ limit: 1 }).entries[0]!;
    const rb = await callChannel(engine, 'inspectLedgerRecord', { ledgerId: entry.id });
    expect(rb.match).toBe(true);
    expect(rb.read).toMatchObject({ shardId: entry.shardId, sequenceNumber: entry.sequenceNumber });
  });
});
