import { firehoseShared } from './firehose';
import { kafkaShared } from './kafka';
import type { DestinationKind, SharedKind } from './kind';
import { kinesisShared, sandboxShared } from './kinesis';

const KINDS: { [K in DestinationKind]: SharedKind<K> } = {
  kinesis: kinesisShared,
  firehose: firehoseShared,
  kafka: kafkaShared,
  'sandbox-kinesis': sandboxShared,
};

/** The side of a destination kind that the engine and the UI share. */
export function sharedKind<K extends DestinationKind>(kind: K): SharedKind<K> {
  return KINDS[kind];
}
