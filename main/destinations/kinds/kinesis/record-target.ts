import type { RecordTarget } from '../../../sync/run/record-target';

/** Kinesis records: the payload with its partition key and explicit hash key. */
export const kinesisRecordTarget: RecordTarget = {
  record(origin, context, renderer) {
    const { data, partitionKey, explicitHashKey } = renderer.render(context);
    return { kind: 'kinesis', seq: origin.seq, key: origin.key, event: origin.event, data, partitionKey, explicitHashKey };
  },
  pooled: (origin, result) => ({
    kind: 'kinesis',
    seq: origin.seq,
    key: origin.key,
    event: origin.event,
    data: result.data ?? Buffer.alloc(0),
    partitionKey: result.partitionKey,
    explicitHashKey: result.explicitHashKey,
  }),
  pool: {},
  preview: () => ({ kafka: null, tombstone: false, partitionKey: true, suffix: '' }),
};
