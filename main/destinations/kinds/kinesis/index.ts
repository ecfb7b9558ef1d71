// An Amazon Kinesis data stream: PutRecords with a partition key (MD5 → shard) or an explicit hash key.
import { awsCredentials } from '../../../aws/credentials';
import { KINESIS_LIMITS, KinesisPublisher } from '../../../publishers/kinesis-publisher';
import { createKinesisStream, kinesisStreamStatus } from '../../aws-stream-admin';
import { testAws } from '../../aws-connection-test';
import { kinesisService } from './probe';
import type { EngineKind } from '../kind';
import { kinesisRouter } from './routing';
import { kinesisSyncSettings } from '../../../sync/sync-settings-fit';
import { kinesisRecordTarget } from './record-target';
import { kinesisTestRecordLanded } from './test-record';
import { kinesisCapture } from './capture';
import { kinesisPlacer } from './dry-run-placer';
import { kinesisRead, kinesisReadBack, kinesisTargets } from './inspect';

export const kinesisKind: EngineKind<'kinesis'> = {
  kind: 'kinesis',
  label: (d) => `Kinesis stream ${d.stream}`,
  sizedAs: 'data + partition key',
  maxRecordBytes: KINESIS_LIMITS.maxRecordBytes,
  recordTarget: () => kinesisRecordTarget,
  syncSettings: kinesisSyncSettings,
  awsRole: (d) => ({ auth: d.auth, probe: true }),
  publisher: async (d, { secrets, recorder }) =>
    new KinesisPublisher({
      stream: d.stream,
      region: d.region,
      endpoint: d.endpoint,
      credentials: await awsCredentials(d.auth, d.region, secrets, recorder),
      recorder,
    }),
  testConnection: (draft, { secrets, recorder }) =>
    testAws(
      {
        destination: draft.name,
        name: draft.stream,
        region: draft.region,
        endpoint: draft.endpoint ?? `https://kinesis.${draft.region}.amazonaws.com`,
        custom: draft.endpoint !== undefined,
        auth: draft.auth,
        api: kinesisService,
      },
      secrets,
      recorder,
    ),
  streams: { create: createKinesisStream, status: kinesisStreamStatus },
  router: (_d, deps) => kinesisRouter(deps),
  dryRunPlacer: (_d, deps) => kinesisPlacer(deps),
  inspectTargets: kinesisTargets,
  inspectRead: kinesisRead,
  readBack: kinesisReadBack,
  testRecordLanded: kinesisTestRecordLanded,
  capture: kinesisCapture,
};
