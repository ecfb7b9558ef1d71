import { CreateDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import { CreateStreamCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DestinationSchema } from '../../shared/config/destination';
import { InspectReadRequestSchema } from '../../shared/config/inspector';
import { iamPolicyFor } from '../../shared/destinations/iam-policy';
import { awsClientConfig } from '../aws/client-config';
import { inspectRead } from '../inspector/inspector';
import type { RecordedCall } from '../recorder/types';
import { openTestEngine } from '../testing/engine';
import { createPeopleDb } from '../testing/model-db';
import { startMoto, type MotoPeer } from '../testing/peers/moto';
import { testDestination } from './connection-test';

// A stream or delivery stream given by its ARN: name, region and account come from the ARN; Kinesis
// calls name the stream with StreamARN; an ARN of another region is refused with the fix in words.

const KINESIS_ARN = 'arn:aws:kinesis:us-east-1:123456789012:stream/by-arn';
const FIREHOSE_ARN = 'arn:aws:firehose:us-east-1:123456789012:deliverystream/by-arn';
let moto: MotoPeer;
beforeAll(async () => {
  moto = await startMoto();
  const config = awsClientConfig({ region: moto.region, endpoint: moto.endpoint, credentials: moto.credentials });
  const kinesis = new KinesisClient(config);
  await kinesis.send(new CreateStreamCommand({ StreamName: 'by-arn', ShardCount: 2 }));
  kinesis.destroy();
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: 'arn-landing' }));
  s3.destroy();
  const firehose = new FirehoseClient(config);
  await firehose.send(
    new CreateDeliveryStreamCommand({
      DeliveryStreamName: 'by-arn',
      ExtendedS3DestinationConfiguration: { BucketARN: 'arn:aws:s3:::arn-landing', RoleARN: 'arn:aws:iam::123456789012:role/firehose' },
    }),
  );
  firehose.destroy();
}, 300_000);
afterAll(async () => {
  await moto?.stop();
});

const auth = () => ({ kind: 'access-key', accessKeyId: moto.credentials.accessKeyId, secretAccessKey: { env: 'SLUICE_TEST_ARN_SECRET' } });

describe('streams given by ARN', () => {
  it('an ARN of another region, or not a stream ARN, is refused at the field with what to do', () => {
    const other = DestinationSchema.safeParse({
      kind: 'kinesis',
      name: 'k',
      stream: 'arn:aws:kinesis:eu-west-1:123456789012:stream/orders',
      region: 'us-east-1',
      auth: { kind: 'default-chain' },
    });
    expect(other.success).toBe(false);
    expect(other.error!.issues).toEqual([
      expect.objectContaining({
        path: ['stream'],
        message: "The stream ARN is in eu-west-1 but the destination's region is us-east-1: set the region to eu-west-1, or choose a stream in us-east-1",
      }),
    ]);
    const wrongKind = DestinationSchema.safeParse({
      kind: 'firehose',
      name: 'f',
      deliveryStream: KINESIS_ARN,
      region: 'us-east-1',
      auth: { kind: 'default-chain' },
    });
    expect(wrongKind.error!.issues).toEqual([
      expect.objectContaining({
        path: ['deliveryStream'],
        message: 'This is not a delivery stream ARN: it looks like arn:aws:firehose:REGION:ACCOUNT:deliverystream/NAME',
      }),
    ]);
  });

  it('Kinesis: the connection test, a run and the inspector use the stream ARN (StreamARN), and the policy names it', async () => {
    process.env.SLUICE_TEST_ARN_SECRET = moto.credentials.secretAccessKey;
    const t = await openTestEngine();
    try {
      const { file, db } = createPeopleDb(t.dir, 10);
      db.close();
      t.engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
      t.engine.catalog.putModel({ name: 'people', source: 'db', query: 'SELECT id, name FROM people', primaryKey: ['id'] });
      t.engine.catalog.putDestination({ kind: 'kinesis', name: 'dest', stream: KINESIS_ARN, region: moto.region, endpoint: moto.endpoint, auth: auth() });
      t.engine.catalog.putSync({
        name: 'people',
        model: 'people',
        destination: 'dest',
        triggers: ['added'],
        initialSync: 'backfill',
        payload: { mode: 'template', template: '{"id": {{ row.id }}}' },
      });

      const calls: RecordedCall[] = [];
      const test = await testDestination(t.engine.catalog.getDestination('dest'), t.engine.secretResolver, t.engine.sandbox, { record: (c) => calls.push(c) });
      expect(test.ok, JSON.stringify(test.steps)).toBe(true);
      expect(test.target?.arn).toBe(KINESIS_ARN);
      expect(calls.find((c) => c.operation === 'DescribeStreamSummary')!.request).toMatchObject({ StreamARN: KINESIS_ARN });

      const run = await t.engine.runSync('people');
      expect(run).toMatchObject({ status: 'succeeded', counts: { acknowledged: 10 } });
      const read = await inspectRead(t.engine, InspectReadRequestSchema.parse({ destination: 'dest', limit: 50 }));
      expect(
        read.records
          .map((r) => JSON.parse(r.kind === 'kinesis' ? r.data.text! : '{}') as { id: number })
          .map((r) => r.id)
          .sort((a, b) => a - b),
      ).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

      const advice = iamPolicyFor(t.engine.catalog.getDestination('dest'), { inspector: true, encrypted: false })!;
      expect(advice.policy.Statement[0]!.Resource).toBe(KINESIS_ARN);
      expect(advice.placeholders).toEqual([]);
    } finally {
      delete process.env.SLUICE_TEST_ARN_SECRET;
      await t.close();
    }
  });

  it('Firehose: a delivery stream given by ARN is sent to by its name, and the policy names the ARN', async () => {
    process.env.SLUICE_TEST_ARN_SECRET = moto.credentials.secretAccessKey;
    const t = await openTestEngine();
    try {
      const { file, db } = createPeopleDb(t.dir, 6);
      db.close();
      t.engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
      t.engine.catalog.putModel({ name: 'people', source: 'db', query: 'SELECT id, name FROM people', primaryKey: ['id'] });
      t.engine.catalog.putDestination({
        kind: 'firehose',
        name: 'dest',
        deliveryStream: FIREHOSE_ARN,
        region: moto.region,
        endpoint: moto.endpoint,
        auth: auth(),
      });
      t.engine.catalog.putSync({
        name: 'people',
        model: 'people',
        destination: 'dest',
        triggers: ['added'],
        initialSync: 'backfill',
        payload: { mode: 'template', template: '{"id": {{ row.id }}}' },
      });
      const test = await testDestination(t.engine.catalog.getDestination('dest'), t.engine.secretResolver, t.engine.sandbox);
      expect(test.ok, JSON.stringify(test.steps)).toBe(true);
      expect(test.target?.arn).toBe(FIREHOSE_ARN);
      expect(await t.engine.runSync('people')).toMatchObject({ status: 'succeeded', counts: { acknowledged: 6 } });
      const advice = iamPolicyFor(t.engine.catalog.getDestination('dest'), { inspector: false, encrypted: false })!;
      expect(advice.policy.Statement[0]!.Resource).toBe(FIREHOSE_ARN);
    } finally {
      delete process.env.SLUICE_TEST_ARN_SECRET;
      await t.close();
    }
  });
});
