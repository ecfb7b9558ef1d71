import { CreateDeliveryStreamCommand, FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import {
  CreateStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  PutRecordsCommand,
  waitUntilStreamExists,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsClientConfig } from '../../aws/client-config';
import { startKinesalite, startKinesisLocal, type KinesisPeer } from './kinesis';
import { startMoto, type MotoPeer } from './moto';

// Smoke tests: AWS SDK clients put and get through kinesis-local, kinesalite and moto, and a role
// assumed through moto's STS gives credentials that then work.

async function createStream(client: KinesisClient, name: string, shards: number): Promise<void> {
  await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
  await waitUntilStreamExists({ client, maxWaitTime: 30, minDelay: 1 }, { StreamName: name });
}

async function readAll(client: KinesisClient, stream: string): Promise<{ partitionKey: string; data: string; shardId: string }[]> {
  const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName: stream }));
  const out: { partitionKey: string; data: string; shardId: string }[] = [];
  for (const shard of Shards) {
    const { ShardIterator } = await client.send(
      new GetShardIteratorCommand({ StreamName: stream, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    const { Records = [] } = await client.send(new GetRecordsCommand({ ShardIterator: ShardIterator!, StreamARN: undefined }));
    for (const r of Records) out.push({ partitionKey: r.PartitionKey!, data: Buffer.from(r.Data!).toString('utf8'), shardId: shard.ShardId! });
  }
  return out;
}

describe.each([
  ['kinesis-local', startKinesisLocal],
  ['kinesalite', startKinesalite],
] as const)('%s', (_name, start) => {
  let peer: KinesisPeer;
  let client: KinesisClient;
  beforeAll(async () => {
    peer = await start();
    client = peer.client();
  }, 120_000);
  afterAll(async () => {
    client?.destroy();
    await peer?.stop();
  });

  it('takes PutRecords and gives the same bytes back with GetRecords, spread over shards', async () => {
    await createStream(client, 'smoke', 2);
    const records = Array.from({ length: 40 }, (_, i) => ({
      PartitionKey: `customer-${i}`,
      Data: Buffer.from(JSON.stringify({ id: i, name: `naïve ✓ ${i}` })),
    }));
    const put = await client.send(new PutRecordsCommand({ StreamName: 'smoke', Records: records }));
    expect(put.FailedRecordCount).toBe(0);
    expect(new Set(put.Records!.map((r) => r.ShardId)).size).toBe(2);
    const read = await readAll(client, 'smoke');
    expect(read.map((r) => r.data).sort()).toEqual(records.map((r) => r.Data.toString()).sort());
    for (const [i, r] of put.Records!.entries()) {
      expect(read.find((x) => x.partitionKey === `customer-${i}`)!.shardId).toBe(r.ShardId);
    }
  });

  it('answers large responses over HTTP/1.1 (GetRecords well over 16 KB)', async () => {
    await createStream(client, 'large', 1);
    const big = 'x'.repeat(50_000);
    await client.send(
      new PutRecordsCommand({ StreamName: 'large', Records: Array.from({ length: 5 }, (_, i) => ({ PartitionKey: `k${i}`, Data: Buffer.from(big) })) }),
    );
    const read = await readAll(client, 'large');
    expect(read).toHaveLength(5);
    expect(read.every((r) => r.data.length === 50_000)).toBe(true);
  });
});

describe('moto: STS, Firehose and S3', () => {
  let moto: MotoPeer;
  beforeAll(async () => {
    moto = await startMoto();
  }, 300_000);
  afterAll(async () => {
    await moto?.stop();
  });

  const config = () => awsClientConfig({ region: moto.region, endpoint: moto.endpoint, credentials: moto.credentials });

  it('assumes a role with an external ID, and the temporary credentials then work', async () => {
    const sts = new STSClient(config());
    const assumed = await sts.send(
      new AssumeRoleCommand({
        RoleArn: 'arn:aws:iam::123456789012:role/sluice-writer',
        RoleSessionName: 'sluice-test',
        ExternalId: 'sluice-external-id',
        DurationSeconds: 900,
      }),
    );
    const c = assumed.Credentials!;
    expect(c.AccessKeyId).toMatch(/^ASIA/);
    expect(c.Expiration!.getTime()).toBeGreaterThan(Date.now() + 800_000);
    const asRole = new STSClient(
      awsClientConfig({
        region: moto.region,
        endpoint: moto.endpoint,
        credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! },
      }),
    );
    const identity = await asRole.send(new GetCallerIdentityCommand({}));
    expect(identity.Arn).toContain('assumed-role/sluice-writer/sluice-test');
    sts.destroy();
    asRole.destroy();
  });

  it('delivers Firehose records to S3, where the bytes (newlines included) can be read back', async () => {
    const s3 = new S3Client({ ...config(), forcePathStyle: true });
    const firehose = new FirehoseClient(config());
    await s3.send(new CreateBucketCommand({ Bucket: 'sluice-delivery' }));
    await firehose.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: 'sluice-events',
        ExtendedS3DestinationConfiguration: {
          BucketARN: 'arn:aws:s3:::sluice-delivery',
          RoleARN: 'arn:aws:iam::123456789012:role/firehose',
          Prefix: 'events/',
        },
      }),
    );
    const lines = ['{"id":1}\n', '{"id":2}\n', '{"id":3,"text":"ünïcode"}\n'];
    const put = await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: 'sluice-events', Records: lines.map((l) => ({ Data: Buffer.from(l) })) }));
    expect(put.FailedPutCount).toBe(0);
    expect(put.RequestResponses!.every((r) => r.RecordId)).toBe(true);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'sluice-delivery', Prefix: 'events/' }));
    const bodies = await Promise.all(
      (listed.Contents ?? []).map(async (o) => (await s3.send(new GetObjectCommand({ Bucket: 'sluice-delivery', Key: o.Key! }))).Body!.transformToString()),
    );
    expect(bodies.join('')).toBe(lines.join(''));
    s3.destroy();
    firehose.destroy();
  });
});
