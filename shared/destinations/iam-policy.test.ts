import { describe, expect, it } from 'vitest';
import { DestinationSchema } from '../config/destination';
import { iamPolicyFor } from './iam-policy';

const accessKey = { kind: 'access-key', accessKeyId: 'AKIAEXAMPLE', secretAccessKey: { keychain: 'prod-aws' } };
const kinesis = (auth: unknown = accessKey) => DestinationSchema.parse({ kind: 'kinesis', name: 'prod', stream: 'orders', region: 'eu-west-1', auth });
const firehose = DestinationSchema.parse({ kind: 'firehose', name: 'fh', deliveryStream: 'events-to-s3', region: 'us-east-1', auth: accessKey });
const streamArn = 'arn:aws:kinesis:eu-west-1:123456789012:stream/orders';

describe('least-privilege IAM policy', () => {
  it('Kinesis: PutRecords, ListShards and DescribeStreamSummary on the stream ARN, ListStreams on *', () => {
    expect(iamPolicyFor(kinesis(), { inspector: false, encrypted: false, streamArn })).toEqual({
      attachTo: 'the IAM user of access key AKIAEXAMPLE',
      policy: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'SluiceWriteStream',
            Effect: 'Allow',
            Action: ['kinesis:PutRecords', 'kinesis:ListShards', 'kinesis:DescribeStreamSummary'],
            Resource: streamArn,
          },
          { Sid: 'SluiceListStreams', Effect: 'Allow', Action: ['kinesis:ListStreams'], Resource: '*' },
        ],
      },
      placeholders: [],
    });
  });

  it('Kinesis with the inspector and a KMS-encrypted stream adds the read actions and the KMS key', () => {
    const advice = iamPolicyFor(kinesis(), { inspector: true, encrypted: true, streamArn, kmsKeyId: 'alias/orders-key' })!;
    expect(JSON.stringify(advice.policy)).toBe(
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'SluiceWriteStream',
            Effect: 'Allow',
            Action: ['kinesis:PutRecords', 'kinesis:ListShards', 'kinesis:DescribeStreamSummary', 'kinesis:GetShardIterator', 'kinesis:GetRecords'],
            Resource: streamArn,
          },
          { Sid: 'SluiceListStreams', Effect: 'Allow', Action: ['kinesis:ListStreams'], Resource: '*' },
          {
            Sid: 'SluiceEncryptedStream',
            Effect: 'Allow',
            Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
            Resource: 'arn:aws:kms:eu-west-1:123456789012:alias/orders-key',
          },
        ],
      }),
    );
  });

  it('encrypted without inspector needs only kms:GenerateDataKey; an unknown account is a placeholder to replace', () => {
    const advice = iamPolicyFor(kinesis(), { inspector: false, encrypted: true })!;
    expect(advice.policy.Statement[0]!.Resource).toBe('arn:aws:kinesis:eu-west-1:ACCOUNT_ID:stream/orders');
    expect(advice.policy.Statement[2]).toEqual({
      Sid: 'SluiceEncryptedStream',
      Effect: 'Allow',
      Action: ['kms:GenerateDataKey'],
      Resource: 'arn:aws:kms:eu-west-1:ACCOUNT_ID:key/KMS_KEY_ID',
    });
    expect(advice.placeholders).toEqual(['ACCOUNT_ID', 'KMS_KEY_ID']);
  });

  it('Firehose: PutRecordBatch and DescribeDeliveryStream on the delivery stream, ListDeliveryStreams on *', () => {
    expect(iamPolicyFor(firehose, { inspector: false, encrypted: false, account: '210987654321' })!.policy).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'SluiceWriteDeliveryStream',
          Effect: 'Allow',
          Action: ['firehose:PutRecordBatch', 'firehose:DescribeDeliveryStream'],
          Resource: 'arn:aws:firehose:us-east-1:210987654321:deliverystream/events-to-s3',
        },
        { Sid: 'SluiceListDeliveryStreams', Effect: 'Allow', Action: ['firehose:ListDeliveryStreams'], Resource: '*' },
      ],
    });
  });

  it('Firehose with event routes: every routed delivery stream is granted too, each once', () => {
    const advice = iamPolicyFor(firehose, {
      inspector: false,
      encrypted: false,
      account: '210987654321',
      routeStreams: ['signups', 'events-to-s3', 'orders', 'signups'],
    });
    expect(advice!.policy.Statement[0]).toEqual({
      Sid: 'SluiceWriteDeliveryStream',
      Effect: 'Allow',
      Action: ['firehose:PutRecordBatch', 'firehose:DescribeDeliveryStream'],
      Resource: [
        'arn:aws:firehose:us-east-1:210987654321:deliverystream/events-to-s3',
        'arn:aws:firehose:us-east-1:210987654321:deliverystream/orders',
        'arn:aws:firehose:us-east-1:210987654321:deliverystream/signups',
      ],
    });
  });

  it('assume role: the policy goes on the role, with a trust policy carrying the external ID condition', () => {
    const advice = iamPolicyFor(
      kinesis({ kind: 'assume-role', roleArn: 'arn:aws:iam::111122223333:role/sluice-writer', externalId: 'sluice-ext-42', base: accessKey }),
      { inspector: false, encrypted: false },
    )!;
    expect(advice.attachTo).toBe('the role arn:aws:iam::111122223333:role/sluice-writer');
    expect(advice.policy.Statement[0]!.Resource).toBe('arn:aws:kinesis:eu-west-1:111122223333:stream/orders');
    expect(advice.trustPolicy).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'SluiceAssumeRole',
          Effect: 'Allow',
          Principal: { AWS: 'BASE_IDENTITY_ARN' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'sts:ExternalId': 'sluice-ext-42' } },
        },
      ],
    });
    expect(advice.basePolicy!.Statement).toEqual([
      { Sid: 'SluiceMayAssumeRole', Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: 'arn:aws:iam::111122223333:role/sluice-writer' },
    ]);
  });

  it('assume role with a keychain external ID: the trust policy trusts the base identity and accepts every external ID given', () => {
    const role = {
      kind: 'assume-role',
      roleArn: 'arn:aws:iam::111122223333:role/sluice-writer',
      externalId: { keychain: 'prod/external-id' },
      base: accessKey,
    };
    // Not resolved: a placeholder the user fills in.
    const unresolved = iamPolicyFor(kinesis(role), { inspector: false, encrypted: false })!;
    expect(unresolved.trustPolicy!.Statement[0]!.Condition).toEqual({ StringEquals: { 'sts:ExternalId': 'EXTERNAL_ID' } });
    expect(unresolved.placeholders).toEqual(expect.arrayContaining(['EXTERNAL_ID', 'BASE_IDENTITY_ARN']));
    expect(unresolved.trust).toEqual({ externalIds: [] });

    const ids = ['sluice-0123456789abcdef0123456789abcdef', 'sluice-fedcba9876543210fedcba9876543210'];
    const advice = iamPolicyFor(kinesis(role), {
      inspector: false,
      encrypted: false,
      externalIds: ids,
      trustedIdentity: 'arn:aws:iam::444455556666:user/analyst',
    })!;
    expect(advice.trustPolicy!.Statement).toEqual([
      {
        Sid: 'SluiceAssumeRole',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::444455556666:user/analyst' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'sts:ExternalId': ids } },
      },
    ]);
    expect(advice.trust).toEqual({ account: '444455556666', principal: 'arn:aws:iam::444455556666:user/analyst', externalIds: ids });
    expect(advice.placeholders).not.toContain('EXTERNAL_ID');
    expect(advice.placeholders).not.toContain('BASE_IDENTITY_ARN');

    // A typed-in external ID (older configurations) is kept, with the others given.
    const typed = iamPolicyFor(kinesis({ ...role, externalId: 'typed-42' }), { inspector: false, encrypted: false, externalIds: [ids[0]!] })!;
    expect(typed.trust!.externalIds).toEqual(['typed-42', ids[0]]);
  });

  it('the sandbox and Kafka without AWS IAM need no policy', () => {
    expect(iamPolicyFor(DestinationSchema.parse({ kind: 'sandbox-kinesis', name: 'sb' }), { inspector: true, encrypted: false })).toBeNull();
    expect(iamPolicyFor(DestinationSchema.parse({ kind: 'kafka', name: 'k', brokers: ['localhost:9092'] }), { inspector: false, encrypted: false })).toBeNull();
  });
});

describe('Amazon MSK (Kafka with AWS IAM)', () => {
  const msk = (auth: Record<string, unknown>, topic: string | null = 'orders') =>
    DestinationSchema.parse({
      kind: 'kafka',
      name: 'msk',
      brokers: ['b-1.prod.a1b2c3.c2.kafka.eu-west-1.amazonaws.com:9098'],
      auth: { mechanism: 'aws', ...auth },
      tls: { enabled: true },
      ...(topic ? { topic } : {}),
    });

  it('connects and writes the topic; the inspector adds reading it in a group of its own, which it deletes', () => {
    const write = iamPolicyFor(msk({ credentials: accessKey }), { inspector: false, encrypted: false })!;
    expect(write.attachTo).toBe('the IAM user of access key AKIAEXAMPLE');
    expect(write.policy.Statement).toEqual([
      {
        Sid: 'SluiceConnect',
        Effect: 'Allow',
        Action: ['kafka-cluster:Connect', 'kafka-cluster:DescribeCluster', 'kafka-cluster:WriteDataIdempotently'],
        Resource: 'arn:aws:kafka:eu-west-1:ACCOUNT_ID:cluster/CLUSTER_NAME/CLUSTER_UUID',
      },
      {
        Sid: 'SluiceWriteTopic',
        Effect: 'Allow',
        Action: ['kafka-cluster:DescribeTopic', 'kafka-cluster:WriteData'],
        Resource: 'arn:aws:kafka:eu-west-1:ACCOUNT_ID:topic/CLUSTER_NAME/CLUSTER_UUID/orders',
      },
    ]);
    expect(JSON.stringify(write.policy)).not.toMatch(/ReadData|Group/);

    const read = iamPolicyFor(msk({ credentials: accessKey }), { inspector: true, encrypted: false, account: '123456789012' })!;
    expect(read.policy.Statement).toEqual([
      {
        Sid: 'SluiceConnect',
        Effect: 'Allow',
        Action: ['kafka-cluster:Connect', 'kafka-cluster:DescribeCluster', 'kafka-cluster:WriteDataIdempotently'],
        Resource: 'arn:aws:kafka:eu-west-1:123456789012:cluster/CLUSTER_NAME/CLUSTER_UUID',
      },
      {
        Sid: 'SluiceWriteTopic',
        Effect: 'Allow',
        Action: ['kafka-cluster:DescribeTopic', 'kafka-cluster:WriteData', 'kafka-cluster:ReadData'],
        Resource: 'arn:aws:kafka:eu-west-1:123456789012:topic/CLUSTER_NAME/CLUSTER_UUID/orders',
      },
      {
        Sid: 'SluiceInspectorGroup',
        Effect: 'Allow',
        Action: ['kafka-cluster:DescribeGroup', 'kafka-cluster:AlterGroup', 'kafka-cluster:DeleteGroup'],
        Resource: 'arn:aws:kafka:eu-west-1:123456789012:group/CLUSTER_NAME/CLUSTER_UUID/sluice-inspector-*',
      },
    ]);
    expect(read.placeholders).toEqual(['CLUSTER_NAME', 'CLUSTER_UUID']);
  });

  it('without a default topic, every topic; the destination’s region before the brokers’ one', () => {
    const advice = iamPolicyFor(msk({ region: 'us-west-2', credentials: { kind: 'default-chain', profile: 'ops' } }, null), {
      inspector: false,
      encrypted: false,
    })!;
    expect(advice.attachTo).toBe('the identity of the default credential chain (profile ops)');
    expect(advice.policy.Statement[1]!.Resource).toBe('arn:aws:kafka:us-west-2:ACCOUNT_ID:topic/CLUSTER_NAME/CLUSTER_UUID/*');
    expect(advice.placeholders).toEqual(['ACCOUNT_ID', 'CLUSTER_NAME', 'CLUSTER_UUID']);
  });

  it('an assumed role gets the policy, with its trust policy (external ID) and what the base credentials need', () => {
    const advice = iamPolicyFor(
      msk({
        credentials: { kind: 'assume-role', roleArn: 'arn:aws:iam::111122223333:role/msk-writer', externalId: 'ext-77', base: { kind: 'default-chain' } },
      }),
      { inspector: true, encrypted: false },
    )!;
    expect(advice.attachTo).toBe('the role arn:aws:iam::111122223333:role/msk-writer');
    expect(advice.policy.Statement[0]!.Resource).toBe('arn:aws:kafka:eu-west-1:111122223333:cluster/CLUSTER_NAME/CLUSTER_UUID');
    expect(advice.trustPolicy!.Statement[0]!.Condition).toEqual({ StringEquals: { 'sts:ExternalId': 'ext-77' } });
    expect(advice.basePolicy!.Statement[0]!.Resource).toBe('arn:aws:iam::111122223333:role/msk-writer');
  });
});
