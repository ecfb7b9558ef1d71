import type { DestinationDraft } from '../../../config/destination';
import { parseStreamArn } from '../../../config/stream-arn';
import {
  attachedPolicy,
  awsAccount,
  doc,
  KMS_KEY_PLACEHOLDER,
  kmsResource,
  type IamPolicyAdvice,
  type PolicyContext,
  type PolicyStatement,
} from '../../policy-parts';

/** A Kinesis data stream: write (PutRecords, ListShards, DescribeStreamSummary), list streams; with the inspector, read; KMS when encrypted. */
export function kinesisPolicy(destination: Extract<DestinationDraft, { kind: 'kinesis' }>, context: PolicyContext): IamPolicyAdvice {
  const { region } = destination;
  const givenArn = parseStreamArn(destination.stream ?? '', 'kinesis')?.arn;
  const { partition, account, placeholders } = awsAccount(region, destination.auth, givenArn, context);
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
  return attachedPolicy(destination.auth, doc(...statements), placeholders, context);
}
