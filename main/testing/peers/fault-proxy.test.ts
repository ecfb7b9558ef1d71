import { CreateDeliveryStreamCommand, FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { CreateStreamCommand, KinesisClient, PutRecordCommand, PutRecordsCommand, waitUntilStreamExists } from '@aws-sdk/client-kinesis';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { awsClientConfig } from '../../aws/client-config';
import { FaultProxy, THROTTLED } from './fault-proxy';
import { LOCAL_AWS_CREDENTIALS, LOCAL_REGION, startKinesalite, type KinesisPeer } from './kinesis';
import { startMoto, type MotoPeer } from './moto';

let kinesalite: KinesisPeer;
let moto: MotoPeer;
let proxy: FaultProxy;
let firehoseProxy: FaultProxy;
let kinesis: KinesisClient;

const client = (endpoint: string, maxAttempts = 1) =>
  new KinesisClient(awsClientConfig({ region: LOCAL_REGION, endpoint, credentials: LOCAL_AWS_CREDENTIALS, maxAttempts }));

beforeAll(async () => {
  [kinesalite, moto] = await Promise.all([startKinesalite(), startMoto()]);
  proxy = await FaultProxy.start(kinesalite.endpoint);
  firehoseProxy = await FaultProxy.start(moto.endpoint);
  kinesis = client(proxy.endpoint);
  await kinesis.send(new CreateStreamCommand({ StreamName: 'faults', ShardCount: 2 }));
  await waitUntilStreamExists({ client: kinesis, maxWaitTime: 30, minDelay: 1 }, { StreamName: 'faults' });
}, 300_000);
afterEach(() => {
  proxy.reset();
  firehoseProxy.reset();
});
afterAll(async () => {
  kinesis?.destroy();
  await proxy?.close();
  await firehoseProxy?.close();
  await Promise.all([kinesalite?.stop(), moto?.stop()]);
});

const records = (n: number, prefix = 'k') => Array.from({ length: n }, (_, i) => ({ PartitionKey: `${prefix}${i}`, Data: Buffer.from(`{"i":${i}}`) }));

describe('fault proxy', () => {
  it('passes requests through untouched when no fault is scripted', async () => {
    const put = await kinesis.send(new PutRecordsCommand({ StreamName: 'faults', Records: records(10) }));
    expect(put.FailedRecordCount).toBe(0);
    expect(put.Records!.every((r) => r.SequenceNumber && r.ShardId)).toBe(true);
  });

  it('throttles chosen records of a PutRecords batch, in place, and only for the scripted number of calls', async () => {
    proxy.failRecords(({ index }) => index % 3 === 0, { times: 1 });
    const first = await kinesis.send(new PutRecordsCommand({ StreamName: 'faults', Records: records(9) }));
    expect(first.FailedRecordCount).toBe(3);
    expect(first.Records!.map((r) => r.ErrorCode ?? 'ok')).toEqual([THROTTLED, 'ok', 'ok', THROTTLED, 'ok', 'ok', THROTTLED, 'ok', 'ok']);
    expect(first.Records![1]!.SequenceNumber).toBeDefined();
    const second = await kinesis.send(new PutRecordsCommand({ StreamName: 'faults', Records: records(9) }));
    expect(second.FailedRecordCount).toBe(0);
  });

  it('answers ServiceUnavailable', async () => {
    proxy.serviceUnavailable(1);
    await expect(kinesis.send(new PutRecordsCommand({ StreamName: 'faults', Records: records(1) }))).rejects.toMatchObject({
      name: 'ServiceUnavailableException',
      $metadata: { httpStatusCode: 503 },
    });
    // The SDK's own retry gets through once the fault is spent.
    const retrying = client(proxy.endpoint, 3);
    proxy.serviceUnavailable(1);
    expect((await retrying.send(new PutRecordsCommand({ StreamName: 'faults', Records: records(1) }))).FailedRecordCount).toBe(0);
    retrying.destroy();
  });

  it('drops a connection without an answer', async () => {
    proxy.dropConnections(1);
    await expect(kinesis.send(new PutRecordsCommand({ StreamName: 'faults', Records: records(1) }))).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(proxy.requests[0]).toMatchObject({ fault: 'dropped' });
  });

  it('delays a request', async () => {
    proxy.delay(700, 1);
    const started = Date.now();
    await kinesis.send(new PutRecordsCommand({ StreamName: 'faults', Records: records(1) }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(650);
  });

  it('enforces 1,000 records/s per shard', async () => {
    proxy.enforceShardLimits({ recordsPerSecond: 1000, bytesPerSecond: 1024 * 1024 });
    // 1,500 records, one partition key: all on one shard, sent within one second.
    const batch = Array.from({ length: 3 }, () => records(500).map((r) => ({ ...r, PartitionKey: 'hot' })));
    if (Date.now() % 1000 > 700) await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000)));
    // At once, so a loaded machine cannot spread them over two of the proxy's one-second windows.
    const results = await Promise.all(batch.map((b) => kinesis.send(new PutRecordsCommand({ StreamName: 'faults', Records: b }))));
    const failed = results.reduce((n, r) => n + (r.FailedRecordCount ?? 0), 0);
    expect(failed).toBeGreaterThanOrEqual(500);
    expect(results.flatMap((r) => r.Records!).find((r) => r.ErrorCode)!.ErrorMessage).toMatch(/Rate exceeded for shard shardId-\d+ in stream faults/);
  });

  it('enforces 1 MB/s per shard, also for PutRecord', async () => {
    proxy.enforceShardLimits({ recordsPerSecond: 1000, bytesPerSecond: 1024 * 1024 });
    const big = Buffer.alloc(400 * 1024, 'a');
    if (Date.now() % 1000 > 500) await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000)));
    await kinesis.send(new PutRecordCommand({ StreamName: 'faults', PartitionKey: 'same', Data: big }));
    await kinesis.send(new PutRecordCommand({ StreamName: 'faults', PartitionKey: 'same', Data: big }));
    await expect(kinesis.send(new PutRecordCommand({ StreamName: 'faults', PartitionKey: 'same', Data: big }))).rejects.toMatchObject({ name: THROTTLED });
  });

  it('fails chosen records of a Firehose PutRecordBatch', async () => {
    const config = awsClientConfig({ region: moto.region, endpoint: firehoseProxy.endpoint, credentials: moto.credentials, maxAttempts: 1 });
    const s3 = new S3Client({ ...awsClientConfig({ region: moto.region, endpoint: moto.endpoint, credentials: moto.credentials }), forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'faults' }));
    const firehose = new FirehoseClient(config);
    await firehose.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: 'faults',
        ExtendedS3DestinationConfiguration: { BucketARN: 'arn:aws:s3:::faults', RoleARN: 'arn:aws:iam::123456789012:role/firehose' },
      }),
    );
    firehoseProxy.failRecords(({ data }) => data.toString().includes('"fail"'), { code: 'ServiceUnavailableException', message: 'Slow down.' });
    const put = await firehose.send(
      new PutRecordBatchCommand({ DeliveryStreamName: 'faults', Records: [{ Data: Buffer.from('{"ok":1}\n') }, { Data: Buffer.from('{"fail":1}\n') }] }),
    );
    expect(put.FailedPutCount).toBe(1);
    expect(put.RequestResponses![0]!.RecordId).toBeDefined();
    expect(put.RequestResponses![1]).toMatchObject({ ErrorCode: 'ServiceUnavailableException' });
    firehose.destroy();
    s3.destroy();
  });
});
