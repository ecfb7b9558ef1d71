import { mskRegionOf, type DestinationDraft } from '../../../config/destination';
import {
  accountFromArn,
  ACCOUNT_PLACEHOLDER,
  attachedPolicy,
  doc,
  partitionOf,
  type IamPolicyAdvice,
  type PolicyContext,
  type PolicyStatement,
} from '../../policy-parts';

/**
 * Amazon MSK with IAM access control: connect, and write (idempotently) to the topic. With the
 * inspector, also what its reader does (main/kafka/reader.ts): read the topic's offsets and
 * records (DescribeTopic, ReadData) as a consumer of a fresh `sluice-inspector-<uuid>` group that it
 * joins (DescribeGroup, AlterGroup) and deletes afterwards (DeleteGroup).
 */
export function mskPolicy(destination: Extract<DestinationDraft, { kind: 'kafka' }>, context: PolicyContext): IamPolicyAdvice | null {
  const auth = destination.auth;
  // Only a Kafka destination signing in with AWS IAM (Amazon MSK) has an IAM policy.
  if (auth.mechanism !== 'aws') return null;
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
