import type { Destination } from '../../shared/config/destination';
import type { Publisher } from '../publishers/publisher';
import type { SandboxKinesis } from '../sandbox/sandbox-kinesis';
import type { SourceSecretResolver } from '../secrets/types';
import type { CallSink } from '../recorder/types';
import { engineKind } from './kinds/registry';

/** Builds the publisher for a destination (its kind's), resolving its secrets at the last moment. */
export async function publisherFor(destination: Destination, resolver: SourceSecretResolver, sandbox: SandboxKinesis, recorder?: CallSink): Promise<Publisher> {
  // A secret must only go to the destination it belongs to (issue 12), runs included.
  const secrets = resolver.forDestination?.(destination) ?? resolver;
  return engineKind(destination.kind).publisher(destination, { secrets, sandbox, recorder });
}
