import {
  CreateStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  waitUntilStreamExists,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openTestEngine } from '../testing/engine';
import { createPeopleDb } from '../testing/model-db';
import { LOCAL_AWS_CREDENTIALS, startKinesisLocal, type KinesisPeer } from '../testing/peers/kinesis';

// A run whose work list is past the pool threshold renders on worker threads ahead of the sender:
// every record still arrives once, with the bytes the ledger recorded, and a bad row is rejected by name.

let kinesis: KinesisPeer;
let client: KinesisClient;
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

describe('rendering on worker threads during a run', () => {
  it('sends 3,000 rows rendered by the pool exactly once each, and rejects the one bad row naming it', async () => {
    const t = await openTestEngine();
    const { file, db } = createPeopleDb(t.dir, 3000);
    db.close();
    closers.push(t.close);
    await client.send(new CreateStreamCommand({ StreamName: 'pooled', ShardCount: 2 }));
    await waitUntilStreamExists({ client, maxWaitTime: 30, minDelay: 1 }, { StreamName: 'pooled' });
    await t.engine.secrets.save('k', LOCAL_AWS_CREDENTIALS.secretAccessKey);
    closers.push(() => t.engine.secrets.delete('k').then(() => undefined));
    const { engine } = t;
    engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
    engine.catalog.putModel({ name: 'people', source: 'db', query: 'SELECT id, name FROM people', primaryKey: ['id'] });
    engine.catalog.putDestination({
      kind: 'kinesis',
      name: 'pooled',
      stream: 'pooled',
      region: kinesis.region,
      endpoint: kinesis.endpoint,
      auth: { kind: 'access-key', accessKeyId: LOCAL_AWS_CREDENTIALS.accessKeyId, secretAccessKey: { keychain: 'k' } },
    });
    engine.catalog.putSync({
      name: 'pooled',
      model: 'people',
      destination: 'pooled',
      triggers: ['added'],
      payload: { mode: 'template', template: '{% if row.id == 1234 %}oops{% else %}{"id": {{ row.id }}, "name": {{ row.name | json }}}{% endif %}' },
    });
    const run = await engine.runSync('pooled', { renderPoolThreshold: 1000 });
    expect(run).toMatchObject({ status: 'partial', counts: { rendered: 2999, acknowledged: 2999, failed: 1 } });
    expect(engine.runs.rejects(run.id).map((r) => r.detail)).toEqual([
      expect.stringContaining('Row 1234 (key 1234, added): The template output is not valid JSON'),
    ]);

    const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName: 'pooled' }));
    const landed = new Map<string, string>();
    for (const shard of Shards) {
      let { ShardIterator: iterator } = await client.send(
        new GetShardIteratorCommand({ StreamName: 'pooled', ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }),
      );
      for (let i = 0; i < 50 && iterator; i++) {
        const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10000 }));
        for (const r of page.Records ?? []) {
          expect(landed.has(r.PartitionKey!)).toBe(false);
          landed.set(r.PartitionKey!, Buffer.from(r.Data!).toString());
        }
        if (!page.Records?.length && page.MillisBehindLatest === 0) break;
        iterator = page.NextShardIterator;
      }
    }
    expect(landed.size).toBe(2999);
    expect(landed.get('7')).toBe('{"id":7,"name":"person 7"}');
    expect(landed.has('1234')).toBe(false);
    const { entries } = engine.ledger.search({ runId: run.id, status: 'acknowledged', limit: 1000 });
    for (const e of entries) expect(landed.get(e.key)).toBe(engine.ledger.data(e.id)!.toString());
  });

  it('a render thread that stops mid-run does not hang it: the rest renders on the main thread and every record arrives once', async () => {
    const t = await openTestEngine();
    const { file, db } = createPeopleDb(t.dir, 3000);
    db.close();
    closers.push(t.close);
    await client.send(new CreateStreamCommand({ StreamName: 'pool-lost', ShardCount: 1 }));
    await waitUntilStreamExists({ client, maxWaitTime: 30, minDelay: 1 }, { StreamName: 'pool-lost' });
    await t.engine.secrets.save('k2', LOCAL_AWS_CREDENTIALS.secretAccessKey);
    closers.push(() => t.engine.secrets.delete('k2').then(() => undefined));
    const { engine } = t;
    engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
    engine.catalog.putModel({ name: 'people', source: 'db', query: 'SELECT id, name FROM people', primaryKey: ['id'] });
    engine.catalog.putDestination({
      kind: 'kinesis',
      name: 'pool-lost',
      stream: 'pool-lost',
      region: kinesis.region,
      endpoint: kinesis.endpoint,
      auth: { kind: 'access-key', accessKeyId: LOCAL_AWS_CREDENTIALS.accessKeyId, secretAccessKey: { keychain: 'k2' } },
    });
    engine.catalog.putSync({
      name: 'pool-lost',
      model: 'people',
      destination: 'pool-lost',
      triggers: ['added'],
      payload: { mode: 'template', template: '{"id": {{ row.id }}}' },
    });
    // The thread answers its first chunk (2,000 rows), then exits without an error or an answer.
    process.env.SLUICE_TEST_RENDER_THREAD_EXIT_AFTER = '1';
    let run;
    try {
      run = await engine.runSync('pool-lost', { renderPoolThreshold: 1000 });
    } finally {
      delete process.env.SLUICE_TEST_RENDER_THREAD_EXIT_AFTER;
    }
    expect(run).toMatchObject({ status: 'succeeded', counts: { rendered: 3000, acknowledged: 3000, failed: 0 } });

    const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName: 'pool-lost' }));
    const landed: string[] = [];
    let { ShardIterator: iterator } = await client.send(
      new GetShardIteratorCommand({ StreamName: 'pool-lost', ShardId: Shards[0]!.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    for (let i = 0; i < 50 && iterator; i++) {
      const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10000 }));
      for (const r of page.Records ?? []) landed.push(Buffer.from(r.Data!).toString());
      if (!page.Records?.length && page.MillisBehindLatest === 0) break;
      iterator = page.NextShardIterator;
    }
    expect(landed).toHaveLength(3000);
    expect(new Set(landed).size).toBe(3000);
  }, 120_000);
});
