import type { DestinationDraft } from '../../shared/config/destination';
import type { CreatedStream, StreamSpec } from '../../shared/ipc/channels/streams';
import { SluiceError } from '../../shared/ipc/errors';
import type { EngineServices } from '../engine/services';
import type { CallSink } from '../recorder/types';
import type { SourceSecretResolver } from '../secrets/types';
import { engineKind } from './kinds/registry';
import type { StreamAdmin } from './kinds/kind';
import { assertDraftScope } from './secret-scope';

/**
 * The wizard's "Create …": a Kafka topic, a Kinesis data stream or a Firehose delivery stream with the
 * draft's own credentials. Each call is recorded for the Debugger under the context `admin`; the
 * draft's secrets must belong to its endpoints (issue 12), checked before anything is resolved.
 */

/** The kind's stream admin for a draft, its secrets scoped to it and its calls recorded; refused for a kind that makes its own (the sandbox). */
function prepare(
  engine: EngineServices,
  draft: DestinationDraft,
): { admin: StreamAdmin<DestinationDraft, StreamSpec>; secrets: SourceSecretResolver; calls: CallSink } {
  const admin = engineKind(draft.kind).streams;
  if (typeof admin === 'string') throw new SluiceError('invalid-input', admin, [{ path: 'draft.kind', message: `Not for ${draft.kind}` }]);
  assertDraftScope(engine, draft, 'draft.');
  return {
    admin,
    secrets: engine.secretResolver.forDestination(draft),
    calls: engine.recorder.scope({ runId: null, context: 'admin', destination: draft.name || '(new destination)' }),
  };
}

export async function createStream(engine: EngineServices, draft: DestinationDraft, spec: StreamSpec): Promise<CreatedStream> {
  if (spec.kind !== draft.kind) {
    throw new SluiceError('invalid-input', `A ${draft.kind} destination cannot create a ${spec.kind} stream`, [
      { path: 'create.kind', message: `Must be ${draft.kind}` },
    ]);
  }
  const { admin, secrets, calls } = prepare(engine, draft);
  const created = await admin.create(draft, spec, secrets, calls);
  engine.log.info('stream.created', { destination: draft.name, kind: created.kind, name: created.name, status: created.status });
  return created;
}

/** Where a just-created stream is: Kinesis and Firehose go CREATING → ACTIVE; the wizard polls this. */
export async function streamStatus(engine: EngineServices, draft: DestinationDraft, name: string): Promise<CreatedStream> {
  const { admin, secrets, calls } = prepare(engine, draft);
  return admin.status(draft, name, secrets, calls);
}
