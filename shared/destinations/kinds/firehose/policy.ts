import type { DestinationDraft } from '../../../config/destination';
import { parseStreamArn, streamNameOf } from '../../../config/stream-arn';
import { attachedPolicy, awsAccount, doc, type IamPolicyAdvice, type PolicyContext } from '../../policy-parts';

/** A Firehose delivery stream (and those the syncs' event routes send to): PutRecordBatch, DescribeDeliveryStream, list delivery streams. */
export function firehosePolicy(destination: Extract<DestinationDraft, { kind: 'firehose' }>, context: PolicyContext): IamPolicyAdvice {
  const { region } = destination;
  const givenArn = parseStreamArn(destination.deliveryStream ?? '', 'firehose')?.arn;
  const { partition, account, placeholders } = awsAccount(region, destination.auth, givenArn, context);
  const stream = destination.deliveryStream || 'DELIVERY_STREAM_NAME';
  if (!destination.deliveryStream) placeholders.add('DELIVERY_STREAM_NAME');
  const streamArn = context.streamArn ?? givenArn ?? `arn:${partition}:firehose:${region}:${account}:deliverystream/${stream}`;
  // Event routes send to other delivery streams of the same account and region: they need the same grant.
  const routed = [...new Set(context.routeStreams ?? [])].filter((s) => s !== streamNameOf(destination.deliveryStream ?? '', 'firehose')).sort();
  const resources = [streamArn, ...routed.map((s) => `arn:${partition}:firehose:${region}:${account}:deliverystream/${s}`)];
  const policy = doc(
    {
      Sid: 'SluiceWriteDeliveryStream',
      Effect: 'Allow',
      Action: ['firehose:PutRecordBatch', 'firehose:DescribeDeliveryStream'],
      Resource: resources.length === 1 ? streamArn : resources,
    },
    { Sid: 'SluiceListDeliveryStreams', Effect: 'Allow', Action: ['firehose:ListDeliveryStreams'], Resource: '*' },
  );
  return attachedPolicy(destination.auth, policy, placeholders, context);
}
