import { CreateDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateStreamCommand, waitUntilStreamExists } from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DestinationDraftSchema, DestinationSchema } from '../../shared/config/destination';
import { describeAccessDenied, missingPermission } from '../aws/access-denied';
import { awsClientConfig } from '../aws/client-config';
import { openTestEngine } from '../testing/engine';
import { createPeopleDb } from '../testing/model-db';
import { FaultProxy } from '../testing/peers/fault-proxy';
import { LOCAL_AWS_CREDENTIALS, startKinesalite, type KinesisPeer } from '../testing/peers/kinesis';
import { createMotoUser, enforceMotoIam, startMoto, type MotoPeer } from '../testing/peers/moto';
import { testDestination } from './connection-test';

// A policy without the write action: the user reads which permission is missing, at the connection
// test's authorisation step or as the run's error — moto enforcing IAM for Firehose, and an
// AccessDenied answer scripted by the fault proxy for Kinesis (kinesis-local/kinesalite check no IAM).

describe('AccessDenied messages', () => {
  it('reads the action, resource and principal out of AWS’s words', () => {
    const aws =
      'User: arn:aws:iam::123456789012:user/analyst is not authorized to perform: kinesis:PutRecords on resource: arn:aws:kinesis:eu-west-1:123456789012:stream/orders because no identity-based policy allows the kinesis:PutRecords action';
    expect(missingPermission(aws)).toEqual({
      action: 'kinesis:PutRecords',
      resource: 'arn:aws:kinesis:eu-west-1:123456789012:stream/orders',
      principal: 'arn:aws:iam::123456789012:user/analyst',
    });
    expect(describeAccessDenied(aws)).toBe(
      `Missing permission kinesis:PutRecords on arn:aws:kinesis:eu-west-1:123456789012:stream/orders: add kinesis:PutRecords to the IAM policy of arn:aws:iam::123456789012:user/analyst (AWS said: ${aws})`,
    );
  });
});

async function syncSetup(destination: Record<string, unknown>, secret: string) {
  const t = await openTestEngine();
  const { file, db } = createPeopleDb(t.dir, 10);
  db.close();
  await t.engine.secrets.save('aws', secret);
  t.engine.catalog.putSource({ kind: 'sqlite', name: 'db', path: file });
  t.engine.catalog.putModel({ name: 'people', source: 'db', query: 'SELECT id, name FROM people', primaryKey: ['id'] });
  t.engine.catalog.putDestination({ name: 'dest', ...destination });
  t.engine.catalog.putSync({
    name: 'people',
    model: 'people',
    destination: 'dest',
    triggers: ['added'],
    initialSync: 'backfill',
    payload: { mode: 'template', template: '{"id": {{ row.id }}}' },
  });
  return t;
}

describe('Kinesis: an AccessDenied answer names the missing permission', () => {
  let kinesis: KinesisPeer;
  let proxy: FaultProxy;
  beforeAll(async () => {
    kinesis = await startKinesalite();
    proxy = await FaultProxy.start(kinesis.endpoint);
    const client = kinesis.client();
    await client.send(new CreateStreamCommand({ StreamName: 'denied', ShardCount: 1 }));
    await waitUntilStreamExists({ client, maxWaitTime: 30, minDelay: 1 }, { StreamName: 'denied' });
    client.destroy();
  }, 120_000);
  afterAll(async () => {
    await proxy?.close();
    await kinesis?.stop();
  });
  const denied = (action: string) =>
    `User: arn:aws:iam::000000000000:user/analyst is not authorized to perform: ${action} on resource: arn:aws:kinesis:us-east-1:000000000000:stream/denied because no identity-based policy allows the ${action} action`;
  const destination = () => ({
    kind: 'kinesis',
    stream: 'denied',
    region: 'us-east-1',
    endpoint: proxy.endpoint,
    auth: { kind: 'access-key', accessKeyId: LOCAL_AWS_CREDENTIALS.accessKeyId, secretAccessKey: { keychain: 'aws' } },
  });

  it('a run fails at once with "Missing permission kinesis:PutRecords", on the run and on every record', async () => {
    const t = await syncSetup(destination(), LOCAL_AWS_CREDENTIALS.secretAccessKey);
    try {
      proxy.answerWithError('Kinesis_20131202.PutRecords', { status: 400, type: 'AccessDeniedException', message: denied('kinesis:PutRecords'), times: 10 });
      const run = await t.engine.runSync('people');
      expect(run.status).toBe('failed');
      expect(run.error).toContain(
        'Missing permission kinesis:PutRecords on arn:aws:kinesis:us-east-1:000000000000:stream/denied: add kinesis:PutRecords to the IAM policy of arn:aws:iam::000000000000:user/analyst',
      );
      expect(proxy.requests.filter((r) => r.fault === 'AccessDeniedException')).toHaveLength(1); // not retried
      const { entries } = t.engine.ledger.search({ runId: run.id, limit: 100 });
      expect(entries.length).toBeGreaterThan(0);
      for (const e of entries)
        expect(e).toMatchObject({
          status: 'failed',
          errorCode: 'AccessDeniedException',
          errorMessage: expect.stringContaining('Missing permission kinesis:PutRecords'),
        });
    } finally {
      proxy.reset();
      await t.close();
    }
  });

  it('the connection test says which read permission is missing at the authorisation step', async () => {
    proxy.answerWithError('Kinesis_20131202.DescribeStreamSummary', {
      status: 400,
      type: 'AccessDeniedException',
      message: denied('kinesis:DescribeStreamSummary'),
    });
    const t = await openTestEngine();
    try {
      const r = await testDestination(
        DestinationSchema.parse({ name: 'dest', ...destination() }),
        { resolve: async () => LOCAL_AWS_CREDENTIALS.secretAccessKey },
        t.engine.sandbox,
      );
      expect(r.steps.find((s) => s.status === 'failed')).toMatchObject({
        step: 'Authorisation',
        detail: 'Missing permission: the identity lacks kinesis:DescribeStreamSummary',
        hint: 'Add kinesis:DescribeStreamSummary on denied to the identity’s IAM policy.',
      });
    } finally {
      proxy.reset();
      await t.close();
    }
  });
});

describe('Firehose through moto enforcing IAM', () => {
  let moto: MotoPeer;
  const users: Record<string, { accessKeyId: string; secretAccessKey: string }> = {};

  beforeAll(async () => {
    moto = await startMoto();
    const config = awsClientConfig({ region: moto.region, endpoint: moto.endpoint, credentials: moto.credentials });
    const s3 = new S3Client({ ...config, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'landing' }));
    s3.destroy();
    const firehose = new FirehoseClient(config);
    await firehose.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: 'events',
        ExtendedS3DestinationConfiguration: { BucketARN: 'arn:aws:s3:::landing', RoleARN: 'arn:aws:iam::123456789012:role/firehose' },
      }),
    );
    firehose.destroy();
    users['no-put'] = await createMotoUser(moto, 'no-put', ['firehose:DescribeDeliveryStream', 'firehose:ListDeliveryStreams']);
    users['no-describe'] = await createMotoUser(moto, 'no-describe', ['firehose:PutRecordBatch', 'firehose:ListDeliveryStreams']);
    await enforceMotoIam(moto, true);
  }, 300_000);
  afterAll(async () => {
    if (moto) await enforceMotoIam(moto, false).catch(() => undefined);
    await moto?.stop();
  });

  const destination = (user: string) => ({
    kind: 'firehose',
    deliveryStream: 'events',
    region: 'us-east-1',
    endpoint: moto.endpoint,
    auth: { kind: 'access-key', accessKeyId: users[user]!.accessKeyId, secretAccessKey: { keychain: 'aws' } },
  });

  it('without firehose:PutRecordBatch the connection test passes but the run fails naming the missing permission', async () => {
    const t = await syncSetup(destination('no-put'), users['no-put']!.secretAccessKey);
    try {
      const test = await testDestination(t.engine.catalog.getDestination('dest'), t.engine.secretResolver, t.engine.sandbox);
      expect(test.ok).toBe(true);
      const run = await t.engine.runSync('people');
      expect(run.status).toBe('failed');
      // moto answers this JSON API with an XML error body the SDK cannot read: the action comes from the call.
      expect(run.error).toBe(
        'Firehose delivery stream events: AccessDenied: Missing permission firehose:PutRecordBatch: add firehose:PutRecordBatch to the IAM policy of the identity Sluice uses (AWS said: HTTP 403 Forbidden (the error body could not be read))',
      );
      const { entries } = t.engine.ledger.search({ runId: run.id, limit: 100 });
      expect(entries.every((e) => e.status === 'failed' && e.errorMessage?.startsWith('Missing permission firehose:PutRecordBatch'))).toBe(true);
    } finally {
      await t.close();
    }
  });

  it('a draft without a delivery stream lists the delivery streams to choose from (the wizard’s listing)', async () => {
    const t = await openTestEngine();
    try {
      const draft: Record<string, unknown> = { name: 'draft', ...destination('no-put') };
      delete draft.deliveryStream;
      const r = await testDestination(DestinationDraftSchema.parse(draft), { resolve: async () => users['no-put']!.secretAccessKey }, t.engine.sandbox);
      expect(r.ok).toBe(true);
      expect(r.steps.find((s) => s.step === 'Authorisation')!.detail).toBe('1 delivery stream(s) in us-east-1');
      expect(r.listed).toEqual(['events']);
    } finally {
      await t.close();
    }
  });

  it('without firehose:DescribeDeliveryStream the authorisation step names it', async () => {
    const t = await openTestEngine();
    try {
      const r = await testDestination(
        DestinationSchema.parse({ name: 'dest', ...destination('no-describe') }),
        { resolve: async () => users['no-describe']!.secretAccessKey },
        t.engine.sandbox,
      );
      expect(r.steps.find((s) => s.status === 'failed')).toMatchObject({
        step: 'Authorisation',
        detail: 'Missing permission: the identity lacks firehose:DescribeDeliveryStream',
      });
    } finally {
      await t.close();
    }
  });
});
