import {
  CreateStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  waitUntilStreamExists,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordResult } from '../publishers/publisher';
import { openTestEngine } from '../testing/engine';
import { createPeopleDb } from '../testing/model-db';
import { FaultProxy } from '../testing/peers/fault-proxy';
import { LOCAL_AWS_CREDENTIALS, startKinesalite, type KinesisPeer } from '../testing/peers/kinesis';
import { SendRate } from './send-rate';

const ok = (n: number): RecordResult[] => Array.from({ length: n }, (_, seq) => ({ seq, ok: true, location: { shardId: 's', sequenceNumber: String(seq) } }));
const throttled = (n: number): RecordResult[] =>
  Array.from({ length: n }, (_, seq) => ({ seq, ok: false, code: 'ProvisionedThroughputExceededException', message: 'Rate exceeded', retryable: true }));

describe('send rate (AIMD)', () => {
  it('is unlimited until the first throttle, then cuts to half of what was accepted, and climbs back on clean batches', () => {
    let now = 1_000_000;
    const rate = new SendRate(undefined, now);
    expect(rate.allowance(now)).toBe(Number.POSITIVE_INFINITY);
    rate.observe(ok(500), now);
    rate.observe(ok(500), now + 100);
    now += 200;
    rate.observe([...ok(200), ...throttled(300)], now);
    expect(rate.recordsPerSecond).toBe(600); // half of the 1,200 accepted in the last second
    expect(rate.timesCut).toBe(1);
    // Throttled answers of the same burst do not cut again.
    rate.observe(throttled(500), now + 100);
    expect(rate.recordsPerSecond).toBe(600);
    // Clean batches: the rate climbs, by at least 25 records/s each.
    now += 1000;
    rate.observe(ok(100), now);
    rate.observe(ok(100), now);
    expect(rate.recordsPerSecond).toBeGreaterThanOrEqual(650);
    // A throttle after the hold time cuts again, sharply.
    now += 1000;
    const before = rate.recordsPerSecond;
    rate.observe(throttled(10), now);
    expect(rate.recordsPerSecond).toBeLessThanOrEqual(before / 2);
    expect(rate.timesCut).toBe(2);
  });

  it('turns the rate into batch sizes and waits: at 600/s about 60 records per 100 ms', () => {
    let now = 5_000_000;
    const rate = new SendRate(undefined, now);
    rate.observe(ok(1200), now);
    rate.observe(throttled(1), now);
    expect(rate.allowance(now)).toBe(0);
    expect(rate.waitMs(now)).toBe(100);
    now += 100;
    expect(rate.allowance(now)).toBe(60);
    rate.take(60, now);
    expect(rate.waitMs(now)).toBe(100);
    // Tokens never pile up beyond half a second of records.
    now += 10_000;
    expect(rate.allowance(now)).toBe(300);
  });
});

describe('adaptive send rate against the per-shard limit (fault proxy, kinesalite)', () => {
  let kinesis: KinesisPeer;
  let client: KinesisClient;
  let proxy: FaultProxy;
  beforeAll(async () => {
    kinesis = await startKinesalite();
    client = kinesis.client();
    proxy = await FaultProxy.start(kinesis.endpoint);
  }, 120_000);
  afterAll(async () => {
    client?.destroy();
    await proxy?.close();
    await kinesis?.stop();
  });

  async function readStream(stream: string): Promise<{ id: number; partitionKey: string }[]> {
    const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName: stream }));
    const out: { id: number; partitionKey: string }[] = [];
    for (const shard of Shards) {
      let { ShardIterator: iterator } = await client.send(
        new GetShardIteratorCommand({ StreamName: stream, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }),
      );
      for (let i = 0; i < 100 && iterator; i++) {
        const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10000 }));
        for (const r of page.Records ?? []) out.push({ id: (JSON.parse(Buffer.from(r.Data!).toString()) as { id: number }).id, partitionKey: r.PartitionKey! });
        if (!page.Records?.length) break;
        iterator = page.NextShardIterator;
      }
    }
    return out;
  }

  const ROWS = 4000;
  async function runAgainstLimit(stream: string, adaptiveRate: boolean) {
    const t = await openTestEngine();
    try {
      const { file, db } = createPeopleDb(t.dir, ROWS);
      db.close();
      await client.send(new CreateStreamCommand({ StreamName: stream, ShardCount: 1 }));
      await waitUntilStreamExists({ client, maxWaitTime: 30, minDelay: 1 }, { StreamName: stream });
      await t.engine.secrets.save('k', LOCAL_AWS_CREDENTIALS.secretAccessKey);
      t.engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
      t.engine.catalog.putModel({ name: 'people', source: 'db', query: 'SELECT id, name FROM people', primaryKey: ['id'] });
      t.engine.catalog.putDestination({
        kind: 'kinesis',
        name: 'limited',
        stream,
        region: kinesis.region,
        endpoint: proxy.endpoint,
        auth: { kind: 'access-key', accessKeyId: LOCAL_AWS_CREDENTIALS.accessKeyId, secretAccessKey: { keychain: 'k' } },
      });
      t.engine.catalog.putSync({
        name: 'people',
        model: 'people',
        destination: 'limited',
        triggers: ['added'],
        initialSync: 'backfill',
        payload: { mode: 'template', template: '{"id": {{ row.id }}}' },
        partitionKey: { kind: 'template', template: 'group-{{ row.id | modulo: 1000 }}' },
      });
      proxy.reset();
      proxy.enforceShardLimits({ recordsPerSecond: 1000, bytesPerSecond: 1024 * 1024 });
      const run = await t.engine.runSync('people', { adaptiveRate, backoff: { baseMs: 100, maxMs: 2000, maxAttempts: 15 } });
      const throttledAnswers = proxy.requests.reduce((sum, r) => sum + (r.failedByProxy ?? 0), 0);
      return { run, throttledAnswers, requests: proxy.requests.filter((r) => r.records !== undefined).length };
    } finally {
      proxy.reset();
      await t.close();
    }
  }

  it('gets fewer throttled answers than per-record backoff alone, loses nothing and keeps the order per key', async () => {
    const hammering = await runAgainstLimit('hammered', false);
    const adaptive = await runAgainstLimit('adaptive', true);
    console.log(
      `[send-rate] ${ROWS} records at 1,000 records/s per shard: throttled answers without adaptation ${hammering.throttledAnswers} (${hammering.requests} requests), with AIMD ${adaptive.throttledAnswers} (${adaptive.requests} requests)`,
    );
    expect(adaptive.run).toMatchObject({ status: 'succeeded', counts: { acknowledged: ROWS, failed: 0 } });
    expect(adaptive.throttledAnswers).toBeLessThan(hammering.throttledAnswers / 2);

    const records = await readStream('adaptive');
    expect(records).toHaveLength(ROWS);
    expect(new Set(records.map((r) => r.id)).size).toBe(ROWS);
    for (let g = 0; g < 1000; g++) {
      const ids = records.filter((r) => r.partitionKey === `group-${g}`).map((r) => r.id);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
    }
  }, 120_000);
});
