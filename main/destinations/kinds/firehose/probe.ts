// The connection test's Firehose calls: ListDeliveryStreams, DescribeDeliveryStream.
import { DescribeDeliveryStreamCommand, FirehoseClient, ListDeliveryStreamsCommand } from '@aws-sdk/client-firehose';
import { streamNameOf } from '../../../../shared/config/stream-arn';
import { recordAwsClient } from '../../../aws/recording-middleware';
import type { AwsService } from '../../aws-connection-test';

export const firehoseService: AwsService = {
  endpointPrefix: 'firehose',
  noun: 'delivery stream',
  listAction: 'firehose:ListDeliveryStreams',
  describeAction: 'firehose:DescribeDeliveryStream',
  open(config, recorder, region) {
    const firehose = recordAwsClient(new FirehoseClient(config), recorder, region);
    return {
      list: async () => (await firehose.send(new ListDeliveryStreamsCommand({ Limit: 10000 }))).DeliveryStreamNames ?? [],
      async describe(name) {
        const d = await firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: streamNameOf(name, 'firehose') }));
        return {
          target: { arn: d.DeliveryStreamDescription?.DeliveryStreamARN, encrypted: false },
          detail: `The delivery stream "${name}" is ${d.DeliveryStreamDescription?.DeliveryStreamStatus}`,
        };
      },
      close: () => firehose.destroy(),
    };
  },
};
