import { CreateDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import BetterSqlite3 from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsClientConfig } from '../aws/client-config';
import { openTestEngine } from '../testing/engine';
import { startMoto, type MotoPeer } from '../testing/peers/moto';
import { FIREHOSE_LIMITS, FirehosePublisher } from './firehose-publisher';
import type { FirehoseOutRecord } from './publisher';

// Records routed by event to several delivery streams (moto): one stream's failure stays that stream's.

let moto: MotoPeer;
let s3: S3Client;
beforeAll(async () => {
  moto = await startMoto();
  s3 = new S3Client({ ...awsClientConfig({ region: moto.region, endpoint: moto.endpoint, credentials: moto.credentials }), forcePathStyle: true });
}, 300_000);
afterAll(async () => {
  s3?.destroy();
  await moto?.stop();
});

async function deliveryStream(name: string): Promise<string> {
  const bucket = `bucket-${name}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const firehose = new FirehoseClient(awsClientConfig({ region: moto.region, endpoint: moto.endpoint, credentials: moto.credentials }));
  await firehose.send(
    new CreateDeliveryStreamCommand({
      DeliveryStreamName: name,
      ExtendedS3DestinationConfiguration: { BucketARN: `arn:aws:s3:::${bucket}`, RoleARN: 'arn:aws:iam::123456789012:role/firehose' },
    }),
  );
  firehose.destroy();
  return bucket;
}

async function delivered(bucket: string): Promise<string[]> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  const bodies = await Promise.all(
    (listed.Contents ?? []).map(async (o) => (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: o.Key! }))).Body!.transformToString()),
  );
  return bodies
    .join('')
    .split('\n')
    .filter((l) => l !== '');
}

const record = (seq: number, deliveryStream: string): FirehoseOutRecord => ({
  kind: 'firehose',
  seq,
  key: String(seq),
  event: 'added',
  data: Buffer.from(`{"seq":${seq}}`),
  partitionKey: String(seq),
  deliveryStream,
});

describe('FirehosePublisher with records routed to several delivery streams', () => {
  it('a stream that does not exist fails only its own records, naming it; the other streams acknowledge theirs once', async () => {
    const addedBucket = await deliveryStream('added-events');
    const changedBucket = await deliveryStream('changed-events');
    const publisher = new FirehosePublisher({
      deliveryStream: 'added-events',
      region: moto.region,
      endpoint: moto.endpoint,
      credentials: moto.credentials,
      appendNewline: true,
    });
    const batch = [record(0, 'added-events'), record(1, 'no-such-stream'), record(2, 'changed-events'), record(3, 'no-such-stream'), record(4, 'added-events')];
    const results = await publisher.send(batch);
    await publisher.close();

    expect(results.map((r) => r.seq)).toEqual([0, 1, 2, 3, 4]);
    expect(results.map((r) => r.ok)).toEqual([true, false, true, false, true]);
    for (const r of results.filter((x) => !x.ok)) {
      if (r.ok) continue;
      expect(r.message).toContain('no-such-stream');
      expect(r.code).toBe('ResourceNotFoundException');
      expect(r.retryable).toBe(false);
    }
    expect(results[2]).toMatchObject({ ok: true, location: { deliveryStream: 'changed-events' } });
    expect((await delivered(addedBucket)).sort()).toEqual(['{"seq":0}', '{"seq":4}']);
    expect(await delivered(changedBucket)).toEqual(['{"seq":2}']);
  }, 60_000);
});

describe('a Firehose run against the record limit (1,000 KiB, its newline counted)', () => {
  it('a record at the limit is delivered, one byte more is rejected saying what was counted: its data and newline, not a partition key Firehose records do not have', async () => {
    const bucket = await deliveryStream('at-the-limit');
    const t = await openTestEngine();
    try {
      const file = path.join(t.dir, 'rows.sqlite');
      const db = new BetterSqlite3(file);
      db.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, pad TEXT)');
      // {"id":N,"pad":"…"} and its newline: exactly `bytes` long.
      const pad = (id: number, bytes: number) => 'y'.repeat(bytes - JSON.stringify({ id, pad: '' }).length - 1);
      db.prepare('INSERT INTO items VALUES (?, ?)').run(1, pad(1, FIREHOSE_LIMITS.maxRecordBytes));
      db.prepare('INSERT INTO items VALUES (?, ?)').run(2, pad(2, FIREHOSE_LIMITS.maxRecordBytes + 1));
      db.close();
      process.env.SLUICE_LIMIT_FIREHOSE_SECRET = moto.credentials.secretAccessKey;
      const { engine } = t;
      engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
      engine.catalog.putModel({ name: 'items', source: 'db', query: 'SELECT id, pad FROM items', primaryKey: ['id'] });
      engine.catalog.putDestination({
        kind: 'firehose',
        name: 'firehose',
        deliveryStream: 'at-the-limit',
        region: moto.region,
        endpoint: moto.endpoint,
        auth: { kind: 'access-key', accessKeyId: moto.credentials.accessKeyId, secretAccessKey: { env: 'SLUICE_LIMIT_FIREHOSE_SECRET' } },
      });
      engine.catalog.putSync({
        name: 'out',
        model: 'items',
        destination: 'firehose',
        triggers: ['added'],
        payload: { mode: 'template', template: '{"id":{{ row.id }},"pad":{{ row.pad | json }}}' },
      });
      const run = await engine.runSync('out');
      expect(run).toMatchObject({ status: 'partial', counts: { acknowledged: 1, failed: 1 } });
      const [rejected] = engine.ledger.search({ runId: run.id, status: 'rejected', limit: 5 }).entries;
      expect({ key: rejected?.key, code: rejected?.errorCode }).toEqual({ key: '2', code: 'RecordTooLarge' });
      expect(rejected?.errorMessage).toMatch(/^The record \(data \+ the newline Sluice adds, unless turned off\) is 1,024,001 bytes/);
      expect((await delivered(bucket)).map((line) => line.length + 1)).toEqual([FIREHOSE_LIMITS.maxRecordBytes]);
    } finally {
      await t.close();
    }
  }, 120_000);
});
