import type { ConnectionTest } from '../../shared/config/connection-test';
import type { DestinationDraft } from '../../shared/config/destination';
import type { CallSink } from '../recorder/types';
import type { SandboxKinesis } from '../sandbox/sandbox-kinesis';
import type { SourceSecretResolver } from '../secrets/types';
import { engineKind } from './kinds/registry';

/**
 * Tests a destination step by step — name resolution, TCP, TLS, authentication, authorisation,
 * listing — and says at which step it fails, what that means, and the peer's own words. The steps are
 * the kind's (kinds/kafka/connection-test.ts, aws-connection-test.ts).
 */
export async function testDestination(
  destination: DestinationDraft,
  resolver: SourceSecretResolver,
  sandbox: SandboxKinesis,
  recorder?: CallSink,
): Promise<ConnectionTest> {
  // Only this destination's own secrets, and none bound to another destination's endpoints (issue 12):
  // refused here, before any step connects anywhere.
  const secrets = resolver.forDestination?.(destination) ?? resolver;
  return engineKind(destination.kind).testConnection(destination, { secrets, sandbox, recorder });
}
