import type { Destination } from '../../../../shared/config/destination';
import type { FirehoseRouting } from '../../../../shared/config/sync';
import { FirehoseRouter } from '../../../sync/firehose-routing';
import type { RecordTarget } from '../../../sync/run/record-target';

/** Firehose records: the payload, and the delivery stream the sync's routes choose (none: the destination's). */
export function firehoseRecordTarget(d: Extract<Destination, { kind: 'firehose' }>, routing: FirehoseRouting | null | undefined): RecordTarget {
  const router = routing ? new FirehoseRouter(routing) : undefined;
  return {
    record(origin, context, renderer) {
      const { data, partitionKey } = renderer.render(context);
      return { kind: 'firehose', seq: origin.seq, key: origin.key, event: origin.event, data, partitionKey, deliveryStream: router?.route(context) };
    },
    pooled: (origin, result) => ({
      kind: 'firehose',
      seq: origin.seq,
      key: origin.key,
      event: origin.event,
      data: result.data ?? Buffer.alloc(0),
      partitionKey: result.partitionKey,
    }),
    // Routes are decided on the main thread: no render pool when the sync routes events.
    pool: router ? null : {},
    preview: () => ({ kafka: null, tombstone: false, partitionKey: true, suffix: d.appendNewline ? '\n' : '' }),
  };
}
