import type { KinesisClient } from '@aws-sdk/client-kinesis';
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PartitionKeySchema, SEGMENT_PARTITION_KEY } from '../../shared/config/sync';
import { previewRouting } from '../routing/routing-preview';
import { openTestEngine } from '../testing/engine';
import { readAllRecords } from '../testing/kinesis-read';
import { closeAfterEach } from '../testing/lifecycle';
import { LOCAL_AWS_CREDENTIALS, startKinesisLocal, type KinesisPeer } from '../testing/peers/kinesis';
import { createStream } from '../testing/people-to-kinesis';
import { PayloadRenderer } from './payload-renderer';

// Segment's Kinesis destination keys each record by `userId || anonymousId`: the `first-present`
// partition key, proven on kinesis-local (the partition keys read back from the stream).

const ctx = (row: Record<string, string | number | null>) => ({
  key: '1',
  event: 'added' as const,
  row,
  previous: null,
  run: { id: 1, sync: 's', startedAt: '' },
});

describe('the first-present partition key (in memory)', () => {
  const renderer = new PayloadRenderer({ mode: 'json-column', column: 'doc' }, SEGMENT_PARTITION_KEY);
  const key = (row: Record<string, string | number | null>) => renderer.renderKey(ctx({ doc: '{}', ...row })).partitionKey;

  it('takes the first column with a value; null, empty and blank count as none', () => {
    expect(key({ userId: 'u-1', anonymousId: 'a-1' })).toBe('u-1');
    expect(key({ userId: null, anonymousId: 'a-1' })).toBe('a-1');
    expect(key({ userId: '', anonymousId: 'a-1' })).toBe('a-1');
    expect(key({ userId: '  ', anonymousId: 'a-1' })).toBe('a-1');
    expect(key({ userId: 42, anonymousId: null })).toBe('42');
  });

  it('a row with neither is rejected saying so; a column the model lacks is named', () => {
    expect(() => key({ userId: null, anonymousId: '' })).toThrow(
      'no partition key: the columns "userId", "anonymousId" are all null or empty, and Kinesis refuses an empty partition key',
    );
    expect(() => key({ userId: 'u-1' })).toThrow('the partition-key column "anonymousId" is not in the model');
  });

  it('the YAML form is checked: at least one column, none twice', () => {
    expect(PartitionKeySchema.parse({ kind: 'first-present', columns: ['userId', 'anonymousId'] })).toEqual(SEGMENT_PARTITION_KEY);
    expect(PartitionKeySchema.safeParse({ kind: 'first-present', columns: [] }).error?.issues[0]?.message).toBe(
      'List at least one column, in the order they are tried',
    );
    expect(PartitionKeySchema.safeParse({ kind: 'first-present', columns: ['userId', 'userId'] }).error?.issues[0]?.message).toBe('A column is listed twice');
  });
});

let kinesis: KinesisPeer;
let client: KinesisClient;
beforeAll(async () => {
  kinesis = await startKinesisLocal();
  client = kinesis.client();
}, 300_000);
afterAll(async () => {
  client?.destroy();
  await kinesis?.stop();
});
const closers = closeAfterEach();

describe('the first-present partition key on kinesis-local', () => {
  it('records carry userId, else anonymousId; a row with neither is rejected, naming the row, and the rest succeed', async () => {
    const t = await openTestEngine();
    closers.push(t.close);
    const file = path.join(t.dir, 'events.sqlite');
    const db = new Database(file);
    db.exec('CREATE TABLE events (id INTEGER PRIMARY KEY, userId TEXT, anonymousId TEXT)');
    const insert = db.prepare('INSERT INTO events VALUES (?, ?, ?)');
    insert.run(1, 'user-1', 'anon-1');
    insert.run(2, null, 'anon-2');
    insert.run(3, '', 'anon-3');
    insert.run(4, null, null);
    insert.run(5, 'user-5', null);
    db.close();
    await createStream(client, 'segment', 2);
    await t.engine.secrets.save('kinesis', LOCAL_AWS_CREDENTIALS.secretAccessKey);
    closers.push(() => t.engine.secrets.delete('kinesis').then(() => undefined));
    const { engine } = t;
    engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
    engine.catalog.putModel({ name: 'events', source: 'db', query: 'SELECT id, userId, anonymousId FROM events', primaryKey: ['id'] });
    engine.catalog.putDestination({
      kind: 'kinesis',
      name: 'stream',
      stream: 'segment',
      region: kinesis.region,
      endpoint: kinesis.endpoint,
      auth: { kind: 'access-key', accessKeyId: LOCAL_AWS_CREDENTIALS.accessKeyId, secretAccessKey: { keychain: 'kinesis' } },
    });
    engine.catalog.putSync({
      name: 'segment',
      model: 'events',
      destination: 'stream',
      triggers: ['added'],
      payload: { mode: 'mapping', fields: [{ column: 'id', key: 'id' }] },
      partitionKey: SEGMENT_PARTITION_KEY,
    });

    const preview = await previewRouting(engine, { sync: 'segment', rows: { mode: 'first', count: 5 } });
    expect(preview.items.find((i) => i.key === '4')!.error).toBe(
      'Row 4 (key 4): no partition key: the columns "userId", "anonymousId" are all null or empty, and Kinesis refuses an empty partition key',
    );

    const run = await engine.runSync('segment');
    expect(run).toMatchObject({ status: 'partial', counts: { acknowledged: 4, failed: 1 } });
    const landed = (await readAllRecords(client, 'segment')).map((r) => [(JSON.parse(r.data.toString()) as { id: number }).id, r.partitionKey] as const);
    expect(Object.fromEntries(landed)).toEqual({ 1: 'user-1', 2: 'anon-2', 3: 'anon-3', 5: 'user-5' });
    expect(engine.runs.rejects(run.id).map((r) => r.detail)).toEqual([
      'Row 4 (key 4, added): no partition key: the columns "userId", "anonymousId" are all null or empty, and Kinesis refuses an empty partition key',
    ]);
  });
});
