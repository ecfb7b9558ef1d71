import { CreateDeliveryStreamCommand, DescribeDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import { kinesisStream } from '../aws/stream-param';
import { CreateStreamCommand, DescribeStreamSummaryCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import type { DestinationDraft } from '../../shared/config/destination';
import type { CreatedStream } from '../../shared/ipc/channels/streams';
import { SluiceError } from '../../shared/ipc/errors';
import { ACCESS_DENIED_CODES, describeAccessDenied, normalizeAwsError } from '../aws/access-denied';
import { awsClientConfig } from '../aws/client-config';
import { awsCredentials } from '../aws/credentials';
import { recordAwsClient } from '../aws/recording-middleware';
import type { CallSink } from '../recorder/types';
import type { SourceSecretResolver } from '../secrets/types';

type AwsDraft = Extract<DestinationDraft, { kind: 'kinesis' | 'firehose' }>;

export interface KinesisStreamSpec {
  stream: string;
  mode: 'on-demand' | 'provisioned';
  shardCount?: number;
}

export interface DeliveryStreamSpec {
  deliveryStream: string;
  bucket: string;
  prefix?: string;
  roleArn: string;
}

async function clientConfig(draft: AwsDraft, secrets: SourceSecretResolver, calls: CallSink) {
  const credentials = await awsCredentials(draft.auth, draft.region, secrets, calls);
  return awsClientConfig({ region: draft.region, ...(draft.endpoint ? { endpoint: draft.endpoint } : {}), credentials, maxAttempts: 2 });
}

async function withKinesis<T>(draft: AwsDraft, secrets: SourceSecretResolver, calls: CallSink, work: (c: KinesisClient) => Promise<T>): Promise<T> {
  const client = recordAwsClient(new KinesisClient(await clientConfig(draft, secrets, calls)), calls, draft.region);
  try {
    return await work(client);
  } finally {
    client.destroy();
  }
}

async function withFirehose<T>(draft: AwsDraft, secrets: SourceSecretResolver, calls: CallSink, work: (c: FirehoseClient) => Promise<T>): Promise<T> {
  const client = recordAwsClient(new FirehoseClient(await clientConfig(draft, secrets, calls)), calls, draft.region);
  try {
    return await work(client);
  } finally {
    client.destroy();
  }
}

/** Creates a Kinesis data stream (on-demand, or provisioned with its shards). It starts CREATING: poll `kinesisStreamStatus`. */
export async function createKinesisStream(draft: AwsDraft, spec: KinesisStreamSpec, secrets: SourceSecretResolver, calls: CallSink): Promise<CreatedStream> {
  await withKinesis(draft, secrets, calls, async (client) => {
    try {
      await client.send(
        new CreateStreamCommand({
          StreamName: spec.stream,
          ...(spec.mode === 'provisioned'
            ? { ShardCount: spec.shardCount ?? 1, StreamModeDetails: { StreamMode: 'PROVISIONED' } }
            : { StreamModeDetails: { StreamMode: 'ON_DEMAND' } }),
        }),
      );
    } catch (err) {
      throw explainAwsCreateError(err, { service: 'kinesis', name: spec.stream, region: draft.region, action: 'kinesis:CreateStream', field: 'create.stream' });
    }
  });
  return kinesisStreamStatus(draft, spec.stream, secrets, calls);
}

export async function kinesisStreamStatus(draft: AwsDraft, stream: string, secrets: SourceSecretResolver, calls: CallSink): Promise<CreatedStream> {
  return withKinesis(draft, secrets, calls, async (client) => {
    try {
      const s = (await client.send(new DescribeStreamSummaryCommand(kinesisStream(stream)))).StreamDescriptionSummary;
      const status = s?.StreamStatus ?? 'UNKNOWN';
      const mode = s?.StreamModeDetails?.StreamMode === 'ON_DEMAND' ? 'on-demand' : `provisioned, ${s?.OpenShardCount ?? 0} shard(s)`;
      const detail =
        status === 'ACTIVE'
          ? `The stream "${stream}" is ACTIVE (${mode})`
          : `The stream "${stream}" is ${status}: Kinesis is creating its shards (usually under a minute)`;
      return { kind: 'kinesis', name: stream, status, ready: status === 'ACTIVE', detail };
    } catch (err) {
      throw explainAwsCreateError(err, { service: 'kinesis', name: stream, region: draft.region, action: 'kinesis:DescribeStreamSummary' });
    }
  });
}

/** Creates a Firehose delivery stream (Direct PUT) delivering to an S3 bucket and prefix through a role. */
export async function createDeliveryStream(draft: AwsDraft, spec: DeliveryStreamSpec, secrets: SourceSecretResolver, calls: CallSink): Promise<CreatedStream> {
  const partition = /^arn:(aws[a-z-]*):/.exec(spec.roleArn)?.[1] ?? 'aws';
  await withFirehose(draft, secrets, calls, async (client) => {
    try {
      await client.send(
        new CreateDeliveryStreamCommand({
          DeliveryStreamName: spec.deliveryStream,
          DeliveryStreamType: 'DirectPut',
          ExtendedS3DestinationConfiguration: {
            BucketARN: `arn:${partition}:s3:::${spec.bucket}`,
            RoleARN: spec.roleArn,
            ...(spec.prefix ? { Prefix: spec.prefix } : {}),
          },
        }),
      );
    } catch (err) {
      throw explainAwsCreateError(err, {
        service: 'firehose',
        name: spec.deliveryStream,
        region: draft.region,
        action: 'firehose:CreateDeliveryStream',
        field: 'create.deliveryStream',
        roleArn: spec.roleArn,
      });
    }
  });
  return deliveryStreamStatus(draft, spec.deliveryStream, secrets, calls);
}

export async function deliveryStreamStatus(draft: AwsDraft, name: string, secrets: SourceSecretResolver, calls: CallSink): Promise<CreatedStream> {
  return withFirehose(draft, secrets, calls, async (client) => {
    try {
      const d = (await client.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name }))).DeliveryStreamDescription;
      const status = d?.DeliveryStreamStatus ?? 'UNKNOWN';
      const s3 = d?.Destinations?.[0]?.ExtendedS3DestinationDescription;
      const where = s3?.BucketARN ? ` to ${s3.BucketARN.replace(/^arn:aws[a-z-]*:s3:::/, 's3://')}/${s3.Prefix ?? ''}` : '';
      const detail =
        status === 'ACTIVE'
          ? `The delivery stream "${name}" is ACTIVE${where}`
          : `The delivery stream "${name}" is ${status}${where}: Firehose is setting it up (usually a few seconds)`;
      return { kind: 'firehose', name, status, ready: status === 'ACTIVE', detail };
    } catch (err) {
      throw explainAwsCreateError(err, { service: 'firehose', name, region: draft.region, action: 'firehose:DescribeDeliveryStream' });
    }
  });
}

interface CallWhat {
  service: 'kinesis' | 'firehose';
  name: string;
  region: string;
  /** The IAM action the call needs, named when AWS refuses it. */
  action: string;
  /** The form field of the name, for "already exists". */
  field?: string;
  roleArn?: string;
}

/** An AWS refusal of a create or describe call in words a person can act on. */
export function explainAwsCreateError(raw: unknown, what: CallWhat): Error {
  const err = normalizeAwsError(raw) as Error & { name?: string };
  const thing = what.service === 'kinesis' ? 'stream' : 'delivery stream';
  if (ACCESS_DENIED_CODES.has(err.name ?? '')) {
    const passRole = what.roleArn ? ` (creating a delivery stream also needs iam:PassRole on ${what.roleArn})` : '';
    return new SluiceError('invalid-input', describeAccessDenied(err.message, what.action) + passRole);
  }
  switch (err.name) {
    case 'ResourceInUseException':
      return new SluiceError(
        'conflict',
        `A ${thing} named "${what.name}" already exists in ${what.region}: choose it from the list, or give the new one another name`,
        what.field ? [{ path: what.field, message: `This ${thing} already exists` }] : [],
      );
    case 'ResourceNotFoundException':
      return new SluiceError('not-found', `There is no ${thing} "${what.name}" in ${what.region}`);
    case 'LimitExceededException':
      return new SluiceError(
        'invalid-input',
        `AWS refused: the account's limit is reached (${err.message}). Ask for a higher limit in Service Quotas, or use fewer shards.`,
      );
    case 'InvalidArgumentException':
      return new SluiceError(
        'invalid-input',
        `AWS refused the settings of the ${thing} "${what.name}": ${err.message}${what.roleArn ? ' — check that the role exists and that Firehose may assume it (its trust policy names firehose.amazonaws.com)' : ''}`,
      );
    case 'ValidationException':
      return new SluiceError('invalid-input', `AWS refused the ${thing} "${what.name}": ${err.message}`);
    default:
      return new SluiceError(
        'invalid-input',
        `Could not ${/:Create/.test(what.action) ? 'create' : 'read'} the ${thing} "${what.name}": ${err.name ? `${err.name}: ` : ''}${err.message}`,
      );
  }
}
