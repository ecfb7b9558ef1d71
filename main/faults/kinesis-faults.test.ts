import BetterSqlite3 from 'better-sqlite3';
import { CreateStreamCommand, waitUntilStreamExists, type KinesisClient } from '@aws-sdk/client-kinesis';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KINESIS_LIMITS } from '../publishers/kinesis-publisher';
import type { PartitionKey } from '../../shared/config/sync';
import type { Engine } from '../engine/engine';
import { openTestEngine } from '../testing/engine';
import { readAllRecords, type ReadRecord } from '../testing/kinesis-read';
import { FaultProxy } from '../testing/peers/fault-proxy';
import { LOCAL_AWS_CREDENTIALS, startKinesisLocal, type KinesisPeer } from '../testing/peers/kinesis';

// The fault suite, Kinesis: a real Kinesis implementation (kinesis-local) behind the fault proxy,
// which throttles records, answers 503, drops connections before the server acted and drops answers
// after it acted. Nothing is lost, order per partition key holds, and duplicates happen only where
// the client could not know a request went through.

let kinesis: KinesisPeer;
let client: KinesisClient;
let proxy: FaultProxy;
beforeAll(async () => {
  kinesis = await startKinesisLocal();
  client = kinesis.client();
  proxy = await FaultProxy.start(kinesis.endpoint);
}, 120_000);
afterAll(async () => {
  client?.destroy();
  await proxy?.close();
  await kinesis?.stop();
});
const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  proxy.reset();
  for (const c of closers.splice(0).reverse()) await c();
});

let streams = 0;
const GROUPS = 20;

/** Rows `id` (1…n) with a partition key shared by every GROUPS-th row, so order per key can be checked. */
async function setup(
  rows: { id: number; pad: string }[],
  partitionKey: PartitionKey = { kind: 'column', column: 'grp' },
): Promise<{ engine: Engine; stream: string }> {
  const t = await openTestEngine();
  closers.push(t.close);
  const file = path.join(t.dir, 'rows.sqlite');
  const db = new BetterSqlite3(file);
  db.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, grp TEXT, pad TEXT)');
  const insert = db.prepare('INSERT INTO items VALUES (?, ?, ?)');
  db.transaction(() => rows.forEach((r) => insert.run(r.id, `g${r.id % GROUPS}`, r.pad)))();
  db.close();
  const stream = `faults-${++streams}`;
  await client.send(new CreateStreamCommand({ StreamName: stream, ShardCount: 2 }));
  await waitUntilStreamExists({ client, maxWaitTime: 30, minDelay: 1 }, { StreamName: stream });
  await t.engine.secrets.save('kinesis-faults-secret', LOCAL_AWS_CREDENTIALS.secretAccessKey);
  closers.push(() => t.engine.secrets.delete('kinesis-faults-secret').then(() => undefined));
  t.engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
  t.engine.catalog.putModel({ name: 'items', source: 'db', query: 'SELECT id, grp, pad FROM items', primaryKey: ['id'] });
  t.engine.catalog.putDestination({
    kind: 'kinesis',
    name: 'stream',
    stream,
    region: kinesis.region,
    endpoint: proxy.endpoint,
    auth: { kind: 'access-key', accessKeyId: LOCAL_AWS_CREDENTIALS.accessKeyId, secretAccessKey: { keychain: 'kinesis-faults-secret' } },
  });
  t.engine.catalog.putSync({
    name: 'items-out',
    model: 'items',
    destination: 'stream',
    triggers: ['added', 'changed', 'removed'],
    partitionKey,
    payload: { mode: 'template', template: '{"id": {{ row.id }}, "pad": {{ row.pad | json }}}' },
  });
  return { engine: t.engine, stream };
}

const idOf = (r: ReadRecord) => (JSON.parse(r.data.toString()) as { id: number }).id;

/** Per partition key, the ids in stream order (a key's records all sit in one shard, in sequence order). */
function idsPerKey(records: ReadRecord[]): Map<string, number[]> {
  const sorted = [...records].sort((a, b) =>
    a.shardId === b.shardId ? (BigInt(a.sequenceNumber) < BigInt(b.sequenceNumber) ? -1 : 1) : a.shardId < b.shardId ? -1 : 1,
  );
  const out = new Map<string, number[]>();
  for (const r of sorted) out.set(r.partitionKey, [...(out.get(r.partitionKey) ?? []), idOf(r)]);
  return out;
}

const ascending = (ids: number[]) => ids.every((id, i) => i === 0 || ids[i - 1]! < id);

/** Per key, each record's last copy comes after the last copy of every earlier record of its key. */
function expectLastCopiesInOrder(records: ReadRecord[]): void {
  for (const [key, list] of idsPerKey(records))
    expect({ key, ascending: ascending(list.filter((id, i) => list.lastIndexOf(id) === i)) }).toEqual({ key, ascending: true });
}

/** The ids written more than once. */
function duplicated(records: ReadRecord[]): number[] {
  const seen = new Set<number>();
  const twice = new Set<number>();
  for (const id of records.map(idOf)) (seen.has(id) ? twice : seen).add(id);
  return [...twice];
}
const rowsOf = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i + 1, pad: 'x' }));

describe('fault suite: Kinesis', () => {
  it('throttled records, 503s and connections dropped before the server acted: all retried with backoff; none lost, order per partition key kept (a record twice only where the order guard sent it again)', async () => {
    const { engine, stream } = await setup(rowsOf(3000));
    proxy.failRecords((r) => r.index % 9 === 0, { times: 4 });
    proxy.failRecords((r) => r.index % 13 === 0, { code: 'InternalFailure', message: 'Internal service failure.', times: 2 });
    proxy.serviceUnavailable(2);
    proxy.dropConnections(2);
    const run = await engine.runSync('items-out', { backoff: { baseMs: 20, maxMs: 200, maxAttempts: 8 } });
    expect({ status: run.status, error: run.error, acknowledged: run.counts.acknowledged, failed: run.counts.failed }).toEqual({
      status: 'succeeded',
      error: null,
      acknowledged: 3000,
      failed: 0,
    });
    expect(
      proxy.requests
        .filter((r) => r.fault)
        .map((r) => r.fault)
        .sort(),
    ).toEqual(['dropped', 'dropped', 'unavailable', 'unavailable']);
    const records = await readAllRecords(client, stream);
    expect(new Set(records.map(idOf)).size).toBe(3000);
    // A request carries many records of a key: one written after a throttled one of its key goes again
    // behind it (the order guard), and only such records have a second copy.
    expectLastCopiesInOrder(records);
    const twice = duplicated(records);
    const retried = new Set(
      engine.ledger
        .search({ runId: run.id, status: 'acknowledged', limit: 5000 })
        .entries.filter((e) => e.attempts > 1)
        .map((e) => Number(e.key)),
    );
    expect(twice.filter((id) => !retried.has(id))).toEqual([]);
  }, 120_000);

  it('one partition key for every row: hundreds of records per request; a throttled record has the later ones of its key written again behind it, so order holds', async () => {
    const { engine, stream } = await setup(rowsOf(3000), { kind: 'template', template: 'tenant-1' });
    proxy.failRecords((r) => r.index % 97 === 40, { times: 3 });
    // Full requests (the adaptive rate would shrink them after the first throttled answer).
    const run = await engine.runSync('items-out', { backoff: { baseMs: 20, maxMs: 200, maxAttempts: 8 }, adaptiveRate: false });
    expect({ status: run.status, error: run.error, acknowledged: run.counts.acknowledged, failed: run.counts.failed }).toEqual({
      status: 'succeeded',
      error: null,
      acknowledged: 3000,
      failed: 0,
    });
    const puts = proxy.requests.filter((r) => r.records !== undefined);
    // Many records of the one key per request (one per request: 3,000+).
    expect({ requests: puts.length < 40, largest: Math.max(...puts.map((r) => r.records!)) }).toEqual({
      requests: true,
      largest: KINESIS_LIMITS.maxBatchRecords,
    });
    const records = await readAllRecords(client, stream);
    expect(new Set(records.map(idOf)).size).toBe(3000);
    expectLastCopiesInOrder(records);
    const twice = duplicated(records);
    expect(twice.length).toBeGreaterThan(0); // the guard did act
    // The ledger keeps each record's last copy: its sequence number is where that copy sits.
    const last = new Map(records.map((r) => [idOf(r), r.sequenceNumber]));
    const entries = engine.ledger.search({ runId: run.id, status: 'acknowledged', limit: 5000 }).entries;
    expect(entries.filter((e) => e.sequenceNumber !== last.get(Number(e.key))).map((e) => e.key)).toEqual([]);
  }, 120_000);

  it('answers dropped after the server acted: those records are sent again (the only duplicates), nothing lost, order per key kept', async () => {
    const { engine, stream } = await setup(rowsOf(2000));
    proxy.dropAnswers(2);
    const run = await engine.runSync('items-out', { backoff: { baseMs: 20, maxMs: 200, maxAttempts: 6 } });
    expect({ status: run.status, error: run.error, acknowledged: run.counts.acknowledged, failed: run.counts.failed }).toEqual({
      status: 'succeeded',
      error: null,
      acknowledged: 2000,
      failed: 0,
    });
    const records = await readAllRecords(client, stream);
    const ids = records.map(idOf);
    expect(new Set(ids).size).toBe(2000);
    const duplicates = ids.length - 2000;
    expect(duplicates).toBeGreaterThan(0);
    expect(duplicates).toBeLessThanOrEqual(2 * KINESIS_LIMITS.maxBatchRecords);
    // Every extra copy is an attempt whose answer was dropped: the ledger's attempts account for all of them.
    const extraAttempts = engine.ledger.search({ runId: run.id, status: 'acknowledged', limit: 5000 }).entries.reduce((n, e) => n + e.attempts - 1, 0);
    expect(extraAttempts).toBe(duplicates);
    // Per key: the first copies in order, and the last copies in order.
    for (const list of idsPerKey(records).values()) {
      expect(ascending(list.filter((id, i) => list.indexOf(id) === i))).toBe(true);
      expect(ascending(list.filter((id, i) => list.lastIndexOf(id) === i))).toBe(true);
    }
  }, 120_000);

  it('an answer cut short that still reads as whole (a 200 with half its JSON): its records are sent again in the run, not failed; nothing lost, the only duplicates theirs', async () => {
    const { engine, stream } = await setup(rowsOf(3000));
    proxy.cutAnswers(1);
    const run = await engine.runSync('items-out', { backoff: { baseMs: 20, maxMs: 200, maxAttempts: 6 } });
    expect({ status: run.status, error: run.error, acknowledged: run.counts.acknowledged, failed: run.counts.failed }).toEqual({
      status: 'succeeded',
      error: null,
      acknowledged: 3000,
      failed: 0,
    });
    expect(proxy.requests.filter((r) => r.fault === 'answer-cut')).toHaveLength(1);
    const ids = (await readAllRecords(client, stream)).map(idOf);
    expect(new Set(ids).size).toBe(3000);
    expect(ids.length - 3000).toBeLessThanOrEqual(KINESIS_LIMITS.maxBatchRecords);
  }, 120_000);

  it('every answer unreadable: the run stops after its attempts saying the answer was not AWS’s JSON, in words (not the SDK’s hidden field); the next run sends every row', async () => {
    const { engine, stream } = await setup(rowsOf(100));
    proxy.cutAnswers(1000);
    const run = await engine.runSync('items-out', { backoff: { baseMs: 20, maxMs: 200, maxAttempts: 3 } });
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/kept failing after 3 attempts: UnreadableAnswer: The answer \(HTTP 200\) is not the JSON AWS sends/);
    expect(run.error).toMatch(/a proxy or gateway/);
    expect(run.error).not.toMatch(/\$response|hidden field/);
    // The Debugger's calls say it in the same words.
    engine.recorder.flush();
    const calls = engine.apiCalls.list({ runId: run.id, operation: 'PutRecords' }, 0, 100).calls.filter((c) => c.isError);
    expect(calls.length).toBeGreaterThan(0);
    expect(
      calls.map((c) => `${c.errorCode}: ${c.errorMessage}`).filter((m) => !/^UnreadableAnswer: The answer \(HTTP 200\) is not the JSON AWS sends/.test(m)),
    ).toEqual([]);
    const failed = engine.ledger.search({ runId: run.id, status: 'failed', limit: 200 }).entries;
    expect(failed.length).toBeGreaterThan(0); // (those still waiting when the run stopped stay pending)
    expect(failed.filter((e) => e.errorCode !== 'UnreadableAnswer' || !e.errorMessage?.includes('what the request did is unknown'))).toEqual([]);
    proxy.reset();
    const next = await engine.runSync('items-out');
    expect(next).toMatchObject({ status: 'succeeded', counts: { acknowledged: 100, failed: 0 } });
    expect(new Set((await readAllRecords(client, stream)).map(idOf)).size).toBe(100);
  }, 120_000);

  it('records at the size boundaries: 1 MiB with its partition key goes (five of them fill one 5 MiB request), one byte more is rejected before sending', async () => {
    const limit = KINESIS_LIMITS.maxRecordBytes;
    // data = {"id":N,"pad":"…"}; the partition key is g<N % 20>.
    const sized = (id: number, bytes: number) => ({ id, pad: 'y'.repeat(bytes - JSON.stringify({ id, pad: '' }).length - `g${id % GROUPS}`.length) });
    const rows = [
      sized(1, limit - 1),
      sized(2, limit),
      sized(3, limit),
      sized(4, limit),
      sized(5, limit),
      sized(6, limit),
      sized(7, limit + 1),
      { id: 8, pad: 'small' },
    ];
    const { engine, stream } = await setup(rows);
    const run = await engine.runSync('items-out');
    expect(run).toMatchObject({ status: 'partial', counts: { acknowledged: 7, failed: 1 } });
    const rejected = engine.ledger.search({ runId: run.id, status: 'rejected', limit: 10 }).entries;
    expect(rejected.map((e) => [e.key, e.errorCode])).toEqual([['7', 'RecordTooLarge']]);
    const records = await readAllRecords(client, stream);
    expect(records.map(idOf).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 8]);
    for (const r of records) {
      const row = rows.find((x) => x.id === idOf(r))!;
      expect(r.data.length + Buffer.byteLength(r.partitionKey)).toBe(row.id === 8 ? r.data.length + 2 : row.id === 1 ? limit - 1 : limit);
    }
  }, 120_000);
});
