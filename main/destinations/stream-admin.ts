import type { DestinationDraft } from '../../shared/config/destination';
import type { CreatedStream, StreamSpec } from '../../shared/ipc/channels/streams';
import { SluiceError } from '../../shared/ipc/errors';
import type { EngineServices } from '../engine/services';
import type { CallSink } from '../recorder/types';
import type { SourceSecretResolver } from '../secrets/types';
import { createDeliveryStream, createKinesisStream, deliveryStreamStatus, kinesisStreamStatus } from './aws-stream-admin';
import { createKafkaTopic, kafkaTopicStatus } from '../kafka/topic-admin';
import { assertDraftScope } from './secret-scope';

/**
 * The wizard's "Create …": a Kafka topic, a Kinesis data stream or a Firehose delivery stream with the
 * draft's own credentials. Each call is recorded for the Debugger under the context `admin`; the
 * draft's secrets must belong to its endpoints (issue 12), checked before anything is resolved.
 */

type AdminDraft = Exclude<DestinationDraft, { kind: 'sandbox-kinesis' }>;

function prepare(engine: EngineServices, draft: DestinationDraft): { draft: AdminDraft; secrets: SourceSecretResolver; calls: CallSink } {
  if (draft.kind === 'sandbox-kinesis')
    throw new SluiceError('invalid-input', 'The sandbox makes its own stream: there is nothing to create', [
      { path: 'draft.kind', message: 'Not for the sandbox' },
    ]);
  assertDraftScope(engine, draft, 'draft.');
  return {
    draft,
    secrets: engine.secretResolver.forDestination(draft),
    calls: engine.recorder.scope({ runId: null, context: 'admin', destination: draft.name || '(new destination)' }),
  };
}

export async function createStream(engine: EngineServices, rawDraft: DestinationDraft, spec: StreamSpec): Promise<CreatedStream> {
  if (spec.kind !== rawDraft.kind) {
    throw new SluiceError('invalid-input', `A ${rawDraft.kind} destination cannot create a ${spec.kind} stream`, [
      { path: 'create.kind', message: `Must be ${rawDraft.kind}` },
    ]);
  }
  const { draft, secrets, calls } = prepare(engine, rawDraft);
  let created: CreatedStream;
  if (spec.kind === 'kafka' && draft.kind === 'kafka') created = await createKafkaTopic(draft, spec, secrets, calls);
  else if (spec.kind === 'kinesis' && draft.kind === 'kinesis') created = await createKinesisStream(draft, spec, secrets, calls);
  else if (spec.kind === 'firehose' && draft.kind === 'firehose') created = await createDeliveryStream(draft, spec, secrets, calls);
  else throw new SluiceError('invalid-input', 'The stream kind does not match the destination');
  engine.log.info('stream.created', { destination: draft.name, kind: created.kind, name: created.name, status: created.status });
  return created;
}

/** Where a just-created stream is: Kinesis and Firehose go CREATING → ACTIVE; the wizard polls this. */
export async function streamStatus(engine: EngineServices, rawDraft: DestinationDraft, name: string): Promise<CreatedStream> {
  const { draft, secrets, calls } = prepare(engine, rawDraft);
  switch (draft.kind) {
    case 'kafka':
      return kafkaTopicStatus(draft, name, secrets, calls);
    case 'kinesis':
      return kinesisStreamStatus(draft, name, secrets, calls);
    case 'firehose':
      return deliveryStreamStatus(draft, name, secrets, calls);
  }
}
