import { CreateDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { awsClientConfig } from '../aws/client-config';
import { openTestEngine } from '../testing/engine';
import { createPeopleDb } from '../testing/model-db';
import { FaultProxy } from '../testing/peers/fault-proxy';
import { startMoto, type MotoPeer } from '../testing/peers/moto';

// Syncs to Kinesis Data Firehose (moto), authenticated by assuming a role with an external ID, with
// the records read back from the S3 bucket the delivery stream writes to.

let moto: MotoPeer;
let s3: S3Client;
let streams = 0;
beforeAll(async () => {
  moto = await startMoto();
  s3 = new S3Client({ ...awsClientConfig({ region: moto.region, endpoint: moto.endpoint, credentials: moto.credentials }), forcePathStyle: true });
}, 300_000);
afterAll(async () => {
  s3?.destroy();
  await moto?.stop();
});
const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function deliveryStream(): Promise<{ name: string; bucket: string }> {
  const n = ++streams;
  const bucket = `sluice-firehose-${n}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const firehose = new FirehoseClient(awsClientConfig({ region: moto.region, endpoint: moto.endpoint, credentials: moto.credentials }));
  await firehose.send(
    new CreateDeliveryStreamCommand({
      DeliveryStreamName: `people-${n}`,
      ExtendedS3DestinationConfiguration: { BucketARN: `arn:aws:s3:::${bucket}`, RoleARN: 'arn:aws:iam::123456789012:role/firehose' },
    }),
  );
  firehose.destroy();
  return { name: `people-${n}`, bucket };
}

async function delivered(bucket: string): Promise<string> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  const bodies = await Promise.all(
    (listed.Contents ?? []).map(async (o) => (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: o.Key! }))).Body!.transformToString()),
  );
  return bodies.join('');
}

async function setup(endpoint: string, appendNewline = true) {
  const t = await openTestEngine();
  const { file, db } = createPeopleDb(t.dir, 25);
  db.close();
  closers.push(t.close);
  const { name, bucket } = await deliveryStream();
  await t.engine.secrets.save('aws-base', moto.credentials.secretAccessKey);
  closers.push(() => t.engine.secrets.delete('aws-base').then(() => undefined));
  t.engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
  t.engine.catalog.putModel({ name: 'people', source: 'db', query: 'SELECT id, name FROM people', primaryKey: ['id'] });
  t.engine.catalog.putDestination({
    kind: 'firehose',
    name: 'firehose',
    deliveryStream: name,
    region: moto.region,
    endpoint,
    appendNewline,
    auth: {
      kind: 'assume-role',
      roleArn: 'arn:aws:iam::123456789012:role/sluice-writer',
      externalId: 'sluice-external-id-42',
      stsEndpoint: moto.endpoint,
      base: { kind: 'access-key', accessKeyId: moto.credentials.accessKeyId, secretAccessKey: { keychain: 'aws-base' } },
    },
  });
  t.engine.catalog.putSync({
    name: 'to-firehose',
    model: 'people',
    destination: 'firehose',
    triggers: ['added', 'changed', 'removed'],
    payload: {
      mode: 'mapping',
      fields: [
        { column: 'id', key: 'id' },
        { column: 'name', key: 'name' },
      ],
    },
  });
  return { engine: t.engine, bucket };
}

describe('syncs to Firehose', () => {
  it('delivers every record through an assumed role, each ending with a newline, with record ids in the ledger', async () => {
    const { engine, bucket } = await setup(moto.endpoint);
    const run = await engine.runSync('to-firehose');
    expect(run).toMatchObject({ status: 'succeeded', counts: { acknowledged: 25 } });
    const text = await delivered(bucket);
    const lines = text.split('\n');
    expect(text.endsWith('\n')).toBe(true);
    expect(
      lines
        .slice(0, -1)
        .map((l) => (JSON.parse(l) as { id: number }).id)
        .sort((a, b) => a - b),
    ).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    const { entries } = engine.ledger.search({ runId: run.id, limit: 100 });
    expect(entries.every((e) => e.recordId && e.shardId === null)).toBe(true);
  });

  it('without the newline option, records are delivered exactly as rendered', async () => {
    const { engine, bucket } = await setup(moto.endpoint, false);
    await engine.runSync('to-firehose');
    expect(await delivered(bucket)).not.toContain('\n');
  });

  it('retries records Firehose failed in a batch, losing none', async () => {
    const proxy = await FaultProxy.start(moto.endpoint);
    closers.push(() => proxy.close());
    const { engine, bucket } = await setup(proxy.endpoint);
    proxy.failRecords(({ index }) => index % 5 === 0, { code: 'ServiceUnavailableException', message: 'Slow down.', times: 2 });
    const run = await engine.runSync('to-firehose', { backoff: { baseMs: 10, maxMs: 50, maxAttempts: 5 } });
    expect(run).toMatchObject({ status: 'succeeded', counts: { acknowledged: 25, failed: 0 } });
    const ids = (await delivered(bucket))
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { id: number }).id);
    expect(new Set(ids).size).toBe(25);
    expect(ids).toHaveLength(25);
  });
});
