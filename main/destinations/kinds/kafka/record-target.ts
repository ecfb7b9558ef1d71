import type { Destination } from '../../../../shared/config/destination';
import { KafkaMessageSchema, type KafkaMessage, type SyncEvent } from '../../../../shared/config/sync';
import type { KafkaOutRecord, KafkaProperties } from '../../../publishers/publisher';
import { KafkaMessageRenderer } from '../../../sync/kafka-message';
import type { RecordOrigin, RecordTarget } from '../../../sync/run/record-target';

/** Kafka records: the value (a tombstone for a removal when the sync says so) with the message's topic, key, partition and headers. */
export function kafkaRecordTarget(d: Extract<Destination, { kind: 'kafka' }>, settings: KafkaMessage | null | undefined): RecordTarget {
  const message = settings ?? KafkaMessageSchema.parse({});
  const renderer = new KafkaMessageRenderer(message, d.topic); // parses the templates now
  return {
    record(origin, context, payload) {
      const props = renderer.render(context);
      const tombstone = origin.event === 'removed' && renderer.tombstones;
      return kafkaRecord(origin, props, tombstone ? null : payload.renderBytes(context));
    },
    pooled: (origin, result) => kafkaRecord(origin, result.kafka!, result.data),
    pool: { kafka: { message, defaultTopic: d.topic } },
    preview(context) {
      const kafka = renderer.render(context);
      return { kafka, tombstone: context.event === 'removed' && renderer.tombstones, partitionKey: false, suffix: '' };
    },
  };
}

/** A Kafka record: order is kept per topic and key; keyless records spread round-robin and need none. */
function kafkaRecord(origin: RecordOrigin, kafka: KafkaProperties, data: Buffer | null): KafkaOutRecord {
  const orderingKey = kafka.key === null ? `${kafka.topic}\u0000#${origin.seq}` : `${kafka.topic}\u0000${kafka.key}`;
  return { kind: 'kafka', seq: origin.seq, key: origin.key, event: origin.event, data, partitionKey: orderingKey, kafka };
}

/**
 * Where a sync's records land, per event (added, changed, removed): its topicByTrigger's topic, else its own
 * topic (fixed, a column or a template), else the destination's topic. One topic however it is written (a fixed
 * topic equal to the destination's is the same place), and only the topics the sync takes from it.
 */
export function kafkaSyncTarget(defaultTopic: string | undefined, kafka: KafkaMessage | null | undefined, triggers?: readonly SyncEvent[]): string {
  const fixed = (value: string) => ({ kind: 'fixed', value });
  const own = kafka?.topic ?? (defaultTopic === undefined ? null : fixed(defaultTopic));
  // Only the events it sends: a removed row of a sync that sends no removals goes nowhere.
  const events = (['added', 'changed', 'removed'] as const).filter((event) => !triggers || triggers.includes(event));
  return JSON.stringify(
    events.map((event) => {
      const byTrigger = kafka?.topicByTrigger?.[event];
      return byTrigger === undefined ? own : fixed(byTrigger);
    }),
  );
}
