// The engine's destination kinds, in one place: generic code asks `engineKind(d.kind)` (kind.ts says
// what it can ask) instead of branching on the kind. Adding a kind: ARCHITECTURE.md, "Adding a destination kind".
import { firehoseKind } from './firehose';
import { kafkaKind } from './kafka';
import type { DestinationKind, EngineKind } from './kind';
import { kinesisKind } from './kinesis';
import { sandboxKind } from './kinesis/sandbox';

export type EngineKinds = { [K in DestinationKind]: EngineKind<K> };

const KINDS: EngineKinds = {
  kinesis: kinesisKind,
  firehose: firehoseKind,
  kafka: kafkaKind,
  'sandbox-kinesis': sandboxKind,
};

/** The engine's side of a destination kind. */
export function engineKind<K extends DestinationKind>(kind: K): EngineKind<K> {
  return KINDS[kind];
}
