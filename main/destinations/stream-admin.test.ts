import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, ChannelInput } from '../../shared/ipc/contract';
import { awsClientConfig } from '../aws/client-config';
import { kafkaForFile } from '../testing/lifecycle';
import { callChannelOrThrowWire, failure } from '../testing/call-channel';
import { openTestEngine } from '../testing/engine';
import { FaultProxy } from '../testing/peers/fault-proxy';
import { LOCAL_AWS_CREDENTIALS, startKinesalite, startKinesisLocal, type KinesisPeer } from '../testing/peers/kinesis';
import { createMotoUser, enforceMotoIam, startMoto, type MotoPeer } from '../testing/peers/moto';
import { explainTopicError } from '../kafka/topic-admin';

// The wizard's "Create …" through the real dispatcher: a topic on a real Kafka broker, a Kinesis stream
// on kinesis-local, a Firehose delivery stream on moto; refused permissions named by their IAM action.

const kafka = kafkaForFile();
let kinesis: KinesisPeer;
let t: Awaited<ReturnType<typeof openTestEngine>>;

beforeAll(async () => {
  [kinesis, t] = await Promise.all([startKinesisLocal(), openTestEngine()]);
  await t.engine.secrets.save('local-aws', LOCAL_AWS_CREDENTIALS.secretAccessKey);
}, 300_000);
afterAll(async () => {
  await Promise.all([kinesis?.stop(), t?.close()]);
});

const call = <C extends Channel>(channel: C, input: ChannelInput<C>) => callChannelOrThrowWire(t.engine, channel, input);
function adminCalls(destination: string) {
  t.engine.recorder.flush();
  return t.engine.apiCalls.list({ context: 'admin' }, 0, 200).calls.filter((c) => c.destination === destination);
}

const kafkaDraft = () => ({ kind: 'kafka' as const, name: 'Events cluster', brokers: [kafka.peer.listeners.plaintext] });
const kinesisDraft = (endpoint = kinesis.endpoint, secret = 'local-aws', accessKeyId = LOCAL_AWS_CREDENTIALS.accessKeyId) => ({
  kind: 'kinesis' as const,
  name: 'Clicks stream',
  region: 'us-east-1',
  endpoint,
  auth: { kind: 'access-key' as const, accessKeyId, secretAccessKey: { keychain: secret } },
});

describe('Kafka topics', () => {
  it('creates a topic with partitions, replication factor and retention.ms on the real broker; it is then listed', async () => {
    const created = await call('createStream', {
      draft: kafkaDraft(),
      create: { kind: 'kafka', topic: 'orders.v1', partitions: 3, replicationFactor: 1, retentionMs: 2 * 86_400_000 },
    });
    expect(created).toEqual({
      kind: 'kafka',
      name: 'orders.v1',
      status: 'ACTIVE',
      ready: true,
      detail: 'Created the topic "orders.v1": 3 partition(s), replication factor 1, retention 2 days',
    });

    const admin = new Kafka({ brokers: [kafka.peer.listeners.plaintext], logLevel: 0 }).admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: ['orders.v1'] });
      expect(topics[0]!.partitions).toHaveLength(3);
      const configs = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: 'orders.v1', configNames: ['retention.ms'] }] });
      expect(configs.resources[0]!.configEntries.find((e) => e.configName === 'retention.ms')!.configValue).toBe(String(2 * 86_400_000));
    } finally {
      await admin.disconnect();
    }
    const listed = await call('listDestinationTargets', { draft: kafkaDraft() });
    expect(listed.names).toContain('orders.v1');
    expect(adminCalls('Events cluster').map((c) => c.operation)).toContain('CreateTopics');
  });

  it('says plainly that the topic already exists, and that the cluster has too few brokers for the replication factor', async () => {
    await call('createStream', { draft: kafkaDraft(), create: { kind: 'kafka', topic: 'twice', partitions: 1, replicationFactor: 1 } });
    const again = await failure(call('createStream', { draft: kafkaDraft(), create: { kind: 'kafka', topic: 'twice', partitions: 1, replicationFactor: 1 } }));
    expect(again.code).toBe('conflict');
    expect(again.message).toContain('A topic named "twice" already exists on the cluster');
    expect(again.issues).toEqual([{ path: 'create.topic', message: 'This topic already exists' }]);

    const tooMany = await failure(
      call('createStream', { draft: kafkaDraft(), create: { kind: 'kafka', topic: 'replicated', partitions: 1, replicationFactor: 3 } }),
    );
    expect(tooMany.message).toMatch(/^A replication factor of 3 needs 3 brokers, but the cluster has 1 broker: lower the replication factor/);
    expect(tooMany.issues).toEqual([{ path: 'create.replicationFactor', message: 'At most 1 on this cluster' }]);
  });

  it('refuses bad input naming the field', async () => {
    const bad = await failure(
      call('createStream', { draft: kafkaDraft(), create: { kind: 'kafka', topic: 'no spaces', partitions: 0, replicationFactor: 1 } }),
    );
    expect(bad.code).toBe('invalid-input');
    expect(bad.issues).toEqual(
      expect.arrayContaining([
        { path: 'create.topic', message: 'A topic name may use letters, digits and . _ - only' },
        { path: 'create.partitions', message: 'Partitions must be a whole number from 1 to 10,000' },
      ]),
    );
    const kind = await failure(call('createStream', { draft: kafkaDraft(), create: { kind: 'kinesis', stream: 'x', mode: 'on-demand' } }));
    expect(kind.issues).toEqual([{ path: 'create.kind', message: 'Must be kafka' }]);
  });

  it('names the ACL when the broker refuses (TOPIC_AUTHORIZATION_FAILED, CLUSTER_AUTHORIZATION_FAILED)', () => {
    // The test broker runs without an authorizer: these codes come as kafkajs reports them.
    const aggregate = (type: string) => Object.assign(new Error('Topic creation errors'), { errors: [Object.assign(new Error('Not authorized'), { type })] });
    const spec = { topic: 'secret', partitions: 1, replicationFactor: 1 };
    expect(explainTopicError(aggregate('TOPIC_AUTHORIZATION_FAILED'), spec, 1).message).toBe(
      'Not allowed to create the topic "secret" (TOPIC_AUTHORIZATION_FAILED): the user needs the Create ACL on this topic (or on the cluster). Ask the cluster\'s administrator, or choose an existing topic.',
    );
    expect(explainTopicError(Object.assign(new Error('Cluster authorization failed'), { type: 'CLUSTER_AUTHORIZATION_FAILED' }), spec, 1).message).toMatch(
      /^Not allowed to create topics on this cluster \(CLUSTER_AUTHORIZATION_FAILED\)/,
    );
  });
});

describe('Kinesis data streams on kinesis-local', () => {
  it('creates a provisioned stream and an on-demand one; the status turns ACTIVE and the stream is listed', async () => {
    const created = await call('createStream', {
      draft: kinesisDraft(),
      create: { kind: 'kinesis', stream: 'clicks-2026', mode: 'provisioned', shardCount: 2 },
    });
    expect(created.name).toBe('clicks-2026');
    let status = created;
    const until = Date.now() + 30_000;
    while (!status.ready && Date.now() < until) status = await call('streamStatus', { draft: kinesisDraft(), name: 'clicks-2026' });
    expect(status).toMatchObject({ kind: 'kinesis', status: 'ACTIVE', ready: true, detail: 'The stream "clicks-2026" is ACTIVE (provisioned, 2 shard(s))' });

    await call('createStream', { draft: kinesisDraft(), create: { kind: 'kinesis', stream: 'on.demand_1', mode: 'on-demand' } });
    const listed = await call('listDestinationTargets', { draft: kinesisDraft() });
    expect(listed.names).toEqual(expect.arrayContaining(['clicks-2026', 'on.demand_1']));
    expect(adminCalls('Clicks stream').map((c) => c.operation)).toEqual(expect.arrayContaining(['CreateStream', 'DescribeStreamSummary']));
  });

  it('says the stream already exists, and refuses bad names and shard counts naming the field', async () => {
    await call('createStream', { draft: kinesisDraft(), create: { kind: 'kinesis', stream: 'dup', mode: 'on-demand' } });
    const again = await failure(call('createStream', { draft: kinesisDraft(), create: { kind: 'kinesis', stream: 'dup', mode: 'on-demand' } }));
    expect(again.message).toBe('A stream named "dup" already exists in us-east-1: choose it from the list, or give the new one another name');
    expect(again.issues).toEqual([{ path: 'create.stream', message: 'This stream already exists' }]);

    const bad = await failure(call('createStream', { draft: kinesisDraft(), create: { kind: 'kinesis', stream: 'a/b', mode: 'provisioned', shardCount: 0 } }));
    expect(bad.issues).toEqual(
      expect.arrayContaining([
        { path: 'create.stream', message: 'A stream name may use letters, digits and _ . - only' },
        { path: 'create.shardCount', message: 'The shard count must be a whole number from 1 to 10,000' },
      ]),
    );
    const noShards = await failure(call('createStream', { draft: kinesisDraft(), create: { kind: 'kinesis', stream: 'p', mode: 'provisioned' } }));
    expect(noShards.issues).toEqual([{ path: 'create.shardCount', message: 'A provisioned stream needs a shard count' }]);
  });
});

describe('a refused kinesis:CreateStream (scripted AccessDenied: kinesis-local checks no IAM)', () => {
  let kinesalite: KinesisPeer;
  let proxy: FaultProxy;
  beforeAll(async () => {
    kinesalite = await startKinesalite();
    proxy = await FaultProxy.start(kinesalite.endpoint);
    await t.engine.secrets.save('proxy-aws', LOCAL_AWS_CREDENTIALS.secretAccessKey);
  }, 120_000);
  afterAll(async () => {
    await proxy?.close();
    await kinesalite?.stop();
  });

  it('names the missing action', async () => {
    const message =
      'User: arn:aws:iam::000000000000:user/analyst is not authorized to perform: kinesis:CreateStream on resource: arn:aws:kinesis:us-east-1:000000000000:stream/new because no identity-based policy allows the kinesis:CreateStream action';
    proxy.answerWithError('Kinesis_20131202.CreateStream', { status: 400, type: 'AccessDeniedException', message, times: 5 });
    const denied = await failure(
      call('createStream', { draft: kinesisDraft(proxy.endpoint, 'proxy-aws'), create: { kind: 'kinesis', stream: 'new', mode: 'on-demand' } }),
    );
    expect(denied.message).toBe(
      `Missing permission kinesis:CreateStream on arn:aws:kinesis:us-east-1:000000000000:stream/new: add kinesis:CreateStream to the IAM policy of arn:aws:iam::000000000000:user/analyst (AWS said: ${message})`,
    );
  });
});

describe('Firehose delivery streams on moto', () => {
  let moto: MotoPeer;
  let limited: { accessKeyId: string; secretAccessKey: string };
  const firehoseDraft = (secret: string, accessKeyId: string) => ({
    kind: 'firehose' as const,
    name: 'Landing',
    region: 'us-east-1',
    endpoint: moto.endpoint,
    auth: { kind: 'access-key' as const, accessKeyId, secretAccessKey: { keychain: secret } },
  });

  beforeAll(async () => {
    moto = await startMoto();
    const s3 = new S3Client({ ...awsClientConfig({ region: moto.region, endpoint: moto.endpoint, credentials: moto.credentials }), forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'landing-bucket' }));
    s3.destroy();
    limited = await createMotoUser(moto, 'lister', ['firehose:List*', 'firehose:Describe*']);
    await t.engine.secrets.save('moto-admin', moto.credentials.secretAccessKey);
    await t.engine.secrets.save('moto-lister', limited.secretAccessKey);
  }, 300_000);
  afterAll(async () => {
    if (moto) await enforceMotoIam(moto, false).catch(() => undefined);
    await moto?.stop();
  });

  it('creates a delivery stream to a bucket and prefix through a role; it is ACTIVE and listed', async () => {
    const draft = firehoseDraft('moto-admin', moto.credentials.accessKeyId);
    let status = await call('createStream', {
      draft,
      create: {
        kind: 'firehose',
        deliveryStream: 'events-to-s3',
        bucket: 'landing-bucket',
        prefix: 'events/',
        roleArn: 'arn:aws:iam::123456789012:role/firehose-to-s3',
      },
    });
    const until = Date.now() + 30_000;
    while (!status.ready && Date.now() < until) status = await call('streamStatus', { draft, name: 'events-to-s3' });
    expect(status).toMatchObject({
      kind: 'firehose',
      status: 'ACTIVE',
      ready: true,
      detail: 'The delivery stream "events-to-s3" is ACTIVE to s3://landing-bucket/events/',
    });
    expect((await call('listDestinationTargets', { draft })).names).toContain('events-to-s3');

    const bad = await failure(
      call('createStream', { draft, create: { kind: 'firehose', deliveryStream: 'x', bucket: 'Bad_Bucket', roleArn: 'role/firehose' } }),
    );
    expect(bad.issues?.map((i) => i.path).sort()).toEqual(['create.bucket', 'create.roleArn']);
  });

  it('without firehose:CreateDeliveryStream (moto enforcing IAM) the message names the action and iam:PassRole', async () => {
    await enforceMotoIam(moto, true);
    try {
      const denied = await failure(
        call('createStream', {
          draft: firehoseDraft('moto-lister', limited.accessKeyId),
          create: { kind: 'firehose', deliveryStream: 'nope', bucket: 'landing-bucket', roleArn: 'arn:aws:iam::123456789012:role/firehose-to-s3' },
        }),
      );
      expect(denied.message).toMatch(/^Missing permission firehose:CreateDeliveryStream/);
      expect(denied.message).toContain('(creating a delivery stream also needs iam:PassRole on arn:aws:iam::123456789012:role/firehose-to-s3)');
    } finally {
      await enforceMotoIam(moto, false);
    }
  });
});
