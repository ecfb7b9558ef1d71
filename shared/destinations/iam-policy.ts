import { mskRegionOf, type DestinationDraft } from '../config/destination';
import { parseStreamArn, streamNameOf } from '../config/stream-arn';

/**
 * The least-privilege IAM policy for exactly one destination configuration: what Sluice calls and
 * nothing more. A pure function of the configuration and what the connection test learnt.
 */

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Action: string[] | string;
  Resource?: string[] | string;
  Principal?: { AWS: string };
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

export interface PolicyContext {
  /** The record inspector reads the stream back (GetShardIterator, GetRecords). */
  inspector: boolean;
  /** The stream is encrypted with KMS (DescribeStreamSummary's EncryptionType is KMS). */
  encrypted: boolean;
  /** The stream's KMS key as AWS reports it (key ARN, alias or key id). */
  kmsKeyId?: string;
  /** The stream's ARN as the connection test read it; it gives the account. */
  streamArn?: string;
  /** The account id, e.g. from STS GetCallerIdentity, when the ARN is not known. */
  account?: string;
  /** Firehose: the delivery streams that syncs' event routes (`firehose.routes`) send to, besides the destination's own. */
  routeStreams?: string[];
  /**
   * Assume role: the external IDs the trust policy accepts (this destination's, and those of other
   * destinations assuming the same role). A typed-in external ID of the destination is always included.
   */
  externalIds?: string[];
  /** Assume role: the base credentials' identity (an IAM user or role ARN, from STS GetCallerIdentity), which the trust policy trusts. */
  trustedIdentity?: string;
}

export interface IamPolicyAdvice {
  /** Who gets the policy, in words. */
  attachTo: string;
  policy: PolicyDocument;
  /** Assume role: the role's trust policy, with the external ID condition. */
  trustPolicy?: PolicyDocument;
  /** Assume role: what the base credentials need to assume the role. */
  basePolicy?: PolicyDocument;
  /** Placeholders in the documents that the user replaces (e.g. ACCOUNT_ID). */
  placeholders: string[];
  /** Assume role: what the role's owner needs — the account to trust and the external ID(s) to require. */
  trust?: { account?: string; principal?: string; externalIds: string[] };
}

export const EXTERNAL_ID_PLACEHOLDER = 'EXTERNAL_ID';
const BASE_PLACEHOLDER = 'BASE_IDENTITY_ARN';

export const ACCOUNT_PLACEHOLDER = 'ACCOUNT_ID';
const KMS_KEY_PLACEHOLDER = 'KMS_KEY_ID';

function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

function accountFromArn(arn: string | undefined): string | undefined {
  const account = arn?.split(':')[4];
  return account && /^\d{12}$/.test(account) ? account : undefined;
}

function kmsResource(partition: string, region: string, account: string, keyId: string | undefined): string {
  if (!keyId) return `arn:${partition}:kms:${region}:${account}:key/${KMS_KEY_PLACEHOLDER}`;
  if (keyId.startsWith('arn:')) return keyId;
  if (keyId.startsWith('alias/')) return `arn:${partition}:kms:${region}:${account}:${keyId}`;
  return `arn:${partition}:kms:${region}:${account}:key/${keyId}`;
}

function doc(...statements: PolicyStatement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

/** The policy for a destination; null when the destination needs no IAM policy (sandbox, Kafka without AWS IAM). */
export function iamPolicyFor(destination: DestinationDraft, context: PolicyContext): IamPolicyAdvice | null {
  switch (destination.kind) {
    case 'sandbox-kinesis':
      return null;
    case 'kafka':
      return destination.auth.mechanism === 'aws' ? mskPolicy(destination, context) : null;
    case 'kinesis':
    case 'firehose':
      return awsPolicy(destination, context);
  }
}

function awsPolicy(destination: Extract<DestinationDraft, { kind: 'kinesis' | 'firehose' }>, context: PolicyContext): IamPolicyAdvice {
  const { region } = destination;
  const partition = partitionOf(region);
  const roleArn = destination.auth.kind === 'assume-role' ? destination.auth.roleArn : undefined;
  // A stream given by ARN names its account (and the resource itself).
  const givenArn =
    destination.kind === 'kinesis'
      ? parseStreamArn(destination.stream ?? '', 'kinesis')?.arn
      : parseStreamArn(destination.deliveryStream ?? '', 'firehose')?.arn;
  const account = accountFromArn(context.streamArn ?? givenArn) ?? context.account ?? accountFromArn(roleArn) ?? ACCOUNT_PLACEHOLDER;
  const placeholders = new Set<string>();
  if (account === ACCOUNT_PLACEHOLDER) placeholders.add(ACCOUNT_PLACEHOLDER);

  let policy: PolicyDocument;
  if (destination.kind === 'kinesis') {
    const stream = destination.stream || 'STREAM_NAME';
    if (!destination.stream) placeholders.add('STREAM_NAME');
    const streamArn = context.streamArn ?? givenArn ?? `arn:${partition}:kinesis:${region}:${account}:stream/${stream}`;
    const write = ['kinesis:PutRecords', 'kinesis:ListShards', 'kinesis:DescribeStreamSummary'];
    const statements: PolicyStatement[] = [
      {
        Sid: 'SluiceWriteStream',
        Effect: 'Allow',
        Action: context.inspector ? [...write, 'kinesis:GetShardIterator', 'kinesis:GetRecords'] : write,
        Resource: streamArn,
      },
      { Sid: 'SluiceListStreams', Effect: 'Allow', Action: ['kinesis:ListStreams'], Resource: '*' },
    ];
    if (context.encrypted) {
      if (!context.kmsKeyId) placeholders.add(KMS_KEY_PLACEHOLDER);
      statements.push({
        Sid: 'SluiceEncryptedStream',
        Effect: 'Allow',
        Action: context.inspector ? ['kms:GenerateDataKey', 'kms:Decrypt'] : ['kms:GenerateDataKey'],
        Resource: kmsResource(partition, region, account, context.kmsKeyId),
      });
    }
    policy = doc(...statements);
  } else {
    const stream = destination.deliveryStream || 'DELIVERY_STREAM_NAME';
    if (!destination.deliveryStream) placeholders.add('DELIVERY_STREAM_NAME');
    const streamArn = context.streamArn ?? givenArn ?? `arn:${partition}:firehose:${region}:${account}:deliverystream/${stream}`;
    // Event routes send to other delivery streams of the same account and region: they need the same grant.
    const routed = [...new Set(context.routeStreams ?? [])].filter((s) => s !== streamNameOf(destination.deliveryStream ?? '', 'firehose')).sort();
    const resources = [streamArn, ...routed.map((s) => `arn:${partition}:firehose:${region}:${account}:deliverystream/${s}`)];
    policy = doc(
      {
        Sid: 'SluiceWriteDeliveryStream',
        Effect: 'Allow',
        Action: ['firehose:PutRecordBatch', 'firehose:DescribeDeliveryStream'],
        Resource: resources.length === 1 ? streamArn : resources,
      },
      { Sid: 'SluiceListDeliveryStreams', Effect: 'Allow', Action: ['firehose:ListDeliveryStreams'], Resource: '*' },
    );
  }

  return attachedPolicy(destination.auth, policy, placeholders, context);
}

type AwsCredentialsDraft = Extract<DestinationDraft, { kind: 'kinesis' }>['auth'];

/**
 * Where a policy goes for these AWS credentials: the IAM user or the default chain's identity, or an
 * assumed role — then with its trust policy (the base identity, every external ID of the destinations
 * assuming it; one kept in the keychain that the caller did not resolve is a placeholder) and the
 * base identity's permission to assume it.
 */
function attachedPolicy(auth: AwsCredentialsDraft, policy: PolicyDocument, placeholders: Set<string>, context: PolicyContext): IamPolicyAdvice {
  if (auth.kind !== 'assume-role') {
    const who =
      auth.kind === 'access-key'
        ? `the IAM user of access key ${auth.accessKeyId}`
        : `the identity of the default credential chain${auth.profile ? ` (profile ${auth.profile})` : ''}`;
    return { attachTo: who, policy, placeholders: [...placeholders] };
  }
  const typed = typeof auth.externalId === 'string' ? [auth.externalId] : [];
  const externalIds = [...new Set([...typed, ...(context.externalIds ?? [])])];
  if (auth.externalId !== undefined && externalIds.length === 0) {
    externalIds.push(EXTERNAL_ID_PLACEHOLDER);
    placeholders.add(EXTERNAL_ID_PLACEHOLDER);
  }
  const trusted = context.trustedIdentity && /^arn:aws[a-z-]*:iam::\d{12}:(user|role)\/.+$/.test(context.trustedIdentity) ? context.trustedIdentity : undefined;
  if (!trusted) placeholders.add(BASE_PLACEHOLDER);
  return {
    attachTo: `the role ${auth.roleArn}`,
    policy,
    trustPolicy: doc({
      Sid: 'SluiceAssumeRole',
      Effect: 'Allow',
      Principal: { AWS: trusted ?? BASE_PLACEHOLDER },
      Action: 'sts:AssumeRole',
      // Several external IDs (one per destination assuming this role): any one of them may assume it.
      ...(externalIds.length ? { Condition: { StringEquals: { 'sts:ExternalId': externalIds.length === 1 ? externalIds[0]! : externalIds } } } : {}),
    }),
    basePolicy: doc({ Sid: 'SluiceMayAssumeRole', Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: auth.roleArn }),
    placeholders: [...placeholders],
    trust: {
      ...(trusted ? { account: accountFromArn(trusted)!, principal: trusted } : {}),
      externalIds: externalIds.filter((id) => id !== EXTERNAL_ID_PLACEHOLDER),
    },
  };
}

/**
 * Amazon MSK with IAM access control: connect, and write (idempotently) to the topic. With the
 * inspector, also what its reader does (main/kafka/reader.ts): read the topic's offsets and
 * records (DescribeTopic, ReadData) as a consumer of a fresh `sluice-inspector-<uuid>` group that it
 * joins (DescribeGroup, AlterGroup) and deletes afterwards (DeleteGroup).
 */
function mskPolicy(destination: Extract<DestinationDraft, { kind: 'kafka' }>, context: PolicyContext): IamPolicyAdvice {
  const auth = destination.auth;
  if (auth.mechanism !== 'aws') throw new Error('An MSK IAM policy is for a destination that signs in with AWS IAM');
  const region = mskRegionOf(destination) ?? 'REGION';
  const partition = partitionOf(region);
  const roleArn = auth.credentials.kind === 'assume-role' ? auth.credentials.roleArn : undefined;
  const account = context.account ?? accountFromArn(roleArn) ?? ACCOUNT_PLACEHOLDER;
  const arn = (type: string, rest: string) => `arn:${partition}:kafka:${region}:${account}:${type}/CLUSTER_NAME/CLUSTER_UUID${rest}`;
  const topic = arn('topic', `/${destination.topic ?? '*'}`);
  const topicActions = ['kafka-cluster:DescribeTopic', 'kafka-cluster:WriteData', ...(context.inspector ? ['kafka-cluster:ReadData'] : [])];
  const statements: PolicyStatement[] = [
    {
      Sid: 'SluiceConnect',
      Effect: 'Allow',
      Action: ['kafka-cluster:Connect', 'kafka-cluster:DescribeCluster', 'kafka-cluster:WriteDataIdempotently'],
      Resource: arn('cluster', ''),
    },
    { Sid: 'SluiceWriteTopic', Effect: 'Allow', Action: topicActions, Resource: topic },
  ];
  if (context.inspector) {
    statements.push({
      Sid: 'SluiceInspectorGroup',
      Effect: 'Allow',
      Action: ['kafka-cluster:DescribeGroup', 'kafka-cluster:AlterGroup', 'kafka-cluster:DeleteGroup'],
      Resource: arn('group', '/sluice-inspector-*'),
    });
  }
  const placeholders = new Set([
    ...(account === ACCOUNT_PLACEHOLDER ? [ACCOUNT_PLACEHOLDER] : []),
    'CLUSTER_NAME',
    'CLUSTER_UUID',
    ...(region === 'REGION' ? ['REGION'] : []),
  ]);
  return attachedPolicy(auth.credentials, doc(...statements), placeholders, context);
}
