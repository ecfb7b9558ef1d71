// An Amazon Kinesis data stream: PutRecords with a partition key (MD5 → shard) or an explicit hash key.
import { awsCredentials } from '../../../aws/credentials';
import { KinesisPublisher } from '../../../publishers/kinesis-publisher';
import { awsProbe, testAws } from '../../aws-connection-test';
import { createKinesisStream, kinesisStreamStatus } from '../../aws-stream-admin';
import type { EngineKind } from '../kind';
import { sameStream } from '../../../../shared/config/stream-arn';
import { kinesisFamily } from './family';
import { kinesisService } from './probe';

export const kinesisKind: EngineKind<'kinesis'> = {
  ...kinesisFamily,
  kind: 'kinesis',
  label: (d) => `Kinesis stream ${d.stream}`,
  target: (d) => `${d.region} ${d.stream}`,
  sameTarget: (a, b) => sameStream(a, b, 'kinesis'),
  server: 'Kinesis',
  awsRole: (d) => ({ auth: d.auth, probe: true }),
  publisher: async (d, { secrets, recorder }) =>
    new KinesisPublisher({
      stream: d.stream,
      region: d.region,
      endpoint: d.endpoint,
      credentials: await awsCredentials(d.auth, d.region, secrets, recorder),
      recorder,
    }),
  testConnection: (draft, { secrets, recorder }) => testAws(awsProbe(draft, draft.stream, kinesisService), secrets, recorder),
  streams: { create: createKinesisStream, status: kinesisStreamStatus },
};
