import type { Destination } from '../../shared/config/destination';
import { awsCredentials } from '../aws/credentials';
import { streamNameOf } from '../../shared/config/stream-arn';
import { FirehosePublisher } from '../publishers/firehose-publisher';
import type { Publisher } from '../publishers/publisher';
import { KinesisPublisher } from '../publishers/kinesis-publisher';
import { kafkaConfig } from '../kafka/client';
import { KafkaPublisher } from '../kafka/producer';
import type { SandboxKinesis } from '../sandbox/sandbox-kinesis';
import { SANDBOX_CREDENTIALS, SANDBOX_REGION } from '../sandbox/sandbox-kinesis';
import type { SourceSecretResolver } from '../secrets/types';
import type { CallSink } from '../recorder/types';

/** Builds the publisher for a destination, resolving its secrets at the last moment. */
export async function publisherFor(destination: Destination, resolver: SourceSecretResolver, sandbox: SandboxKinesis, recorder?: CallSink): Promise<Publisher> {
  // A secret must only go to the destination it belongs to (issue 12), runs included.
  const secrets = resolver.forDestination?.(destination) ?? resolver;
  switch (destination.kind) {
    case 'sandbox-kinesis': {
      await sandbox.ensureStream(destination.stream, destination.shards);
      // Asked per request: if the process serving the workspace's sandbox ends mid-run, the retries go to the next server (main/sandbox).
      return new KinesisPublisher({
        stream: destination.stream,
        region: SANDBOX_REGION,
        endpoint: () => sandbox.endpoint(),
        credentials: SANDBOX_CREDENTIALS,
        recorder,
      });
    }
    case 'kinesis':
      return new KinesisPublisher({
        stream: destination.stream,
        region: destination.region,
        endpoint: destination.endpoint,
        credentials: await awsCredentials(destination.auth, destination.region, secrets, recorder),
        recorder,
      });
    case 'kafka':
      return new KafkaPublisher(await kafkaConfig(destination, secrets), destination.compression, recorder);
    case 'firehose':
      return new FirehosePublisher({
        // Firehose calls take the name only: one given by ARN is used by its name (its region was checked against the destination's).
        deliveryStream: streamNameOf(destination.deliveryStream, 'firehose'),
        region: destination.region,
        endpoint: destination.endpoint,
        credentials: await awsCredentials(destination.auth, destination.region, secrets, recorder),
        appendNewline: destination.appendNewline,
        recorder,
      });
  }
}
