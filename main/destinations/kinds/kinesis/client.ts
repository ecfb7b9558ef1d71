// A Kinesis client for a destination of either Kinesis kind (a stream in AWS or the built-in sandbox),
// secrets resolved now, its calls recorded for the Debugger. The inspector, read-back and capture use it.
import { KinesisClient } from '@aws-sdk/client-kinesis';
import type { Destination } from '../../../../shared/config/destination';
import { awsClientConfig } from '../../../aws/client-config';
import { awsCredentials } from '../../../aws/credentials';
import { nameMissingPermission } from '../../../aws/access-denied';
import { recordAwsClient } from '../../../aws/recording-middleware';
import type { CallSink } from '../../../recorder/types';
import { followSandboxMoves } from '../../../sandbox/follow-moves';
import { SANDBOX_CREDENTIALS, SANDBOX_REGION } from '../../../sandbox/sandbox-kinesis';
import { inspectorCalls, type InspectorEngine } from '../../../inspector/inspector-engine';

export type KinesisDestination = Extract<Destination, { kind: 'kinesis' | 'sandbox-kinesis' }>;

/** A Kinesis client for a destination (the sandbox included), secrets resolved now, its calls recorded. Destroy it after use. */
export async function kinesisClientFor(
  engine: InspectorEngine,
  d: KinesisDestination,
  calls: CallSink = inspectorCalls(engine, d.name),
): Promise<KinesisClient> {
  if (d.kind === 'sandbox-kinesis') {
    await engine.sandbox.ensureStream(d.stream, d.shards);
    // Asked per request, and retried a few times: the workspace's sandbox server may move to another process meanwhile (main/sandbox).
    return recordAwsClient(
      followSandboxMoves(
        new KinesisClient(
          awsClientConfig({ region: SANDBOX_REGION, endpoint: () => engine.sandbox.endpoint(), credentials: SANDBOX_CREDENTIALS, maxAttempts: 2 }),
        ),
        engine.sandbox,
      ),
      calls,
      SANDBOX_REGION,
    );
  }
  // Only the destination's own secrets (issue 12): one bound to another endpoint is refused before it is read.
  const credentials = await awsCredentials(d.auth, d.region, engine.secretResolver.forDestination(d), calls);
  // An AccessDenied answer names the missing action (kinesis:GetRecords…), as a run's does.
  return nameMissingPermission(
    recordAwsClient(new KinesisClient(awsClientConfig({ region: d.region, endpoint: d.endpoint, credentials, maxAttempts: 2 })), calls, d.region),
    'kinesis',
  );
}
