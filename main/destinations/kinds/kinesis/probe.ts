// The connection test's Kinesis calls (both Kinesis kinds): ListStreams, DescribeStreamSummary.
import { DescribeStreamSummaryCommand, KinesisClient, ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { recordAwsClient } from '../../../aws/recording-middleware';
import { kinesisStream } from '../../../aws/stream-param';
import type { AwsService } from '../../aws-connection-test';

export const kinesisService: AwsService = {
  endpointPrefix: 'kinesis',
  noun: 'stream',
  listAction: 'kinesis:ListStreams',
  describeAction: 'kinesis:DescribeStreamSummary',
  open(config, recorder, region) {
    const kinesis = recordAwsClient(new KinesisClient(config), recorder, region);
    return {
      list: () =>
        listAll((token) =>
          kinesis
            .send(new ListStreamsCommand(token ? { NextToken: token } : {}))
            .then((p) => ({ names: p.StreamNames ?? [], next: p.HasMoreStreams ? p.NextToken : undefined })),
        ),
      async describe(name) {
        const s = await kinesis.send(new DescribeStreamSummaryCommand(kinesisStream(name)));
        const summary = s.StreamDescriptionSummary;
        const encrypted = summary?.EncryptionType === 'KMS';
        return {
          target: { arn: summary?.StreamARN, encrypted, ...(summary?.KeyId ? { kmsKeyId: summary.KeyId } : {}) },
          detail: `The stream "${name}" is ${summary?.StreamStatus} with ${summary?.OpenShardCount} open shard(s)${encrypted ? '; it is encrypted with KMS (writes need kms:GenerateDataKey)' : ''}`,
        };
      },
      close: () => kinesis.destroy(),
    };
  },
};

async function listAll(page: (token: string | undefined) => Promise<{ names: string[]; next: string | undefined }>): Promise<string[]> {
  const names: string[] = [];
  let token: string | undefined;
  for (let i = 0; i < 100; i++) {
    const p = await page(token);
    names.push(...p.names);
    token = p.next;
    if (!token) break;
  }
  return names;
}
