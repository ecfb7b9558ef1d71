// The engine's destination kinds, in one place: generic code asks `engineKind(d.kind)` (kind.ts says
// what it can ask) instead of branching on the kind. Adding a kind: ARCHITECTURE.md, "Adding a destination kind".
import type { DestinationBase } from '../../../shared/config/destination';
import { RegisteredKinds } from '../../../shared/destinations/kinds/registered-kinds';
import { firehoseKind } from './firehose';
import { kafkaKind } from './kafka';
import type { DestinationKind, EngineKind, EngineKindFor } from './kind';
import { kinesisKind } from './kinesis';
import { sandboxKind } from './kinesis/sandbox';

export type EngineKinds = { [K in DestinationKind]: EngineKind<K> };

const KINDS: EngineKinds = {
  kinesis: kinesisKind,
  firehose: firehoseKind,
  kafka: kafkaKind,
  'sandbox-kinesis': sandboxKind,
};

const registered = new RegisteredKinds<EngineKindFor<DestinationBase>>('engine side', Object.keys(KINDS));

/**
 * The engine's side of a destination kind: a built-in kind's, else a registered kind's (or an error naming
 * the kinds there are). A registered kind answers for destinations the types do not know: generic code
 * holds them as `Destination`s, and only their kind reads them.
 */
export function engineKind<K extends DestinationKind>(kind: K): EngineKind<K> {
  return Object.hasOwn(KINDS, kind) ? KINDS[kind] : (registered.get(kind) as EngineKind<K>);
}

/**
 * Registers the engine side of a kind that is not built in (with its definition schemas,
 * `registerDestinationSchemas`, and shared side, `registerSharedKind`); returns its unregister.
 */
export function registerEngineKind<D extends DestinationBase, Dr extends DestinationBase = D>(kind: EngineKindFor<D, Dr>): () => void {
  return registered.register(kind);
}
