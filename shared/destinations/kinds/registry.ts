import type { DestinationBase } from '../../config/destination';
import { firehoseShared } from './firehose';
import { kafkaShared } from './kafka';
import type { DestinationKind, SharedKind, SharedKindFor } from './kind';
import { kinesisShared, sandboxShared } from './kinesis';
import { RegisteredKinds } from './registered-kinds';

const KINDS: { [K in DestinationKind]: SharedKind<K> } = {
  kinesis: kinesisShared,
  firehose: firehoseShared,
  kafka: kafkaShared,
  'sandbox-kinesis': sandboxShared,
};

const registered = new RegisteredKinds<SharedKindFor<DestinationBase>>('shared side', Object.keys(KINDS));

/** The side of a destination kind that the engine and the UI share: a built-in kind's, else a registered kind's (or an error naming the kinds there are). */
export function sharedKind<K extends DestinationKind>(kind: K): SharedKind<K> {
  return Object.hasOwn(KINDS, kind) ? KINDS[kind] : (registered.get(kind) as SharedKind<K>);
}

/** Registers the shared side of a kind that is not built in (ARCHITECTURE.md, "Adding a destination kind"); returns its unregister. */
export function registerSharedKind<Dr extends DestinationBase>(kind: SharedKindFor<Dr>): () => void {
  return registered.register(kind);
}
