import type { Destination } from '../../shared/config/destination';
import { KinesisPublisher } from '../publishers/kinesis-publisher';
import type { SandboxKinesis } from '../sandbox/sandbox-kinesis';
import { SANDBOX_CREDENTIALS, SANDBOX_REGION } from '../sandbox/sandbox-kinesis';
import type { SourceSecretResolver } from '../secrets/types';

/** Builds the publisher for a destination, resolving its secrets at the last moment. */
export async function publisherFor(destination: Destination, secrets: SourceSecretResolver, sandbox: SandboxKinesis): Promise<KinesisPublisher> {
  switch (destination.kind) {
    case 'sandbox-kinesis': {
      const endpoint = await sandbox.ensureStream(destination.stream, destination.shards);
      return new KinesisPublisher({ stream: destination.stream, region: SANDBOX_REGION, endpoint, credentials: SANDBOX_CREDENTIALS });
    }
    case 'kinesis': {
      const secretAccessKey = await secrets.resolve(destination.auth.secretAccessKey);
      const sessionToken = destination.auth.sessionToken ? await secrets.resolve(destination.auth.sessionToken) : undefined;
      return new KinesisPublisher({
        stream: destination.stream,
        region: destination.region,
        endpoint: destination.endpoint,
        credentials: { accessKeyId: destination.auth.accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) },
      });
    }
  }
}
