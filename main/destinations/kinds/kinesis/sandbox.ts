// The built-in sandbox: a Kinesis stream on a local kinesalite that Sluice starts (main/sandbox/), with no credentials to set.
import { KinesisPublisher } from '../../../publishers/kinesis-publisher';
import { SANDBOX_CREDENTIALS, SANDBOX_REGION } from '../../../sandbox/sandbox-kinesis';
import { testAws } from '../../aws-connection-test';
import type { EngineKind } from '../kind';
import { kinesisFamily } from './family';
import { kinesisService } from './probe';

export const sandboxKind: EngineKind<'sandbox-kinesis'> = {
  ...kinesisFamily,
  kind: 'sandbox-kinesis',
  label: (d) => `Sandbox stream ${d.stream}`,
  target: (d) => d.stream,
  server: 'sandbox stream',
  useProblems: (d) =>
    /^[A-Za-z0-9_.-]{1,128}$/.test(d.stream)
      ? []
      : [{ path: 'stream', message: `"${d.stream}" is not a stream name (letters, digits, "_", "." and "-", at most 128 characters)` }],
  awsRole: () => null,
  publisher: async (d, { sandbox, recorder }) => {
    await sandbox.ensureStream(d.stream, d.shards);
    // Asked per request: if the process serving the workspace's sandbox ends mid-run, the retries go to the next server (main/sandbox).
    return new KinesisPublisher({ stream: d.stream, region: SANDBOX_REGION, endpoint: () => sandbox.endpoint(), credentials: SANDBOX_CREDENTIALS, recorder });
  },
  testConnection: async (draft, { secrets, sandbox, recorder }) =>
    testAws(
      {
        destination: draft.name,
        name: draft.stream,
        region: SANDBOX_REGION,
        endpoint: await sandbox.ensureStream(draft.stream, draft.shards),
        custom: true,
        auth: null,
        api: kinesisService,
      },
      secrets,
      recorder,
    ),
  streams: 'The sandbox makes its own stream: there is nothing to create',
};
