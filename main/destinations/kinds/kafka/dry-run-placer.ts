import { choosePartition } from '../../../kafka/choose-partition';
import type { Placer, PlacerDeps } from '../../../sync/run/placer';

/**
 * Kafka: each topic's partitions from the broker (once per topic), then the partition the publisher
 * would choose (`choosePartition`: explicit partition, else murmur2 of the key; records with
 * neither are only counted, as they spread round-robin in send order). A partition the topic lacks or a topic the cluster lacks rejects the record.
 */
export function kafkaPlacer({ ctx, publisher, reject }: PlacerDeps): Placer {
  const partitions = new Map<string, number[] | null>();
  const counts = new Map<string, { topic: string; partition: number; records: number }>();
  let unreadable: string | null = null;
  const placer: Placer = {
    per: 'partition',
    roundRobin: 0,
    note: null,
    async place(record, item) {
      if (record.kind !== 'kafka') return;
      const k = record.kafka;
      if (!partitions.has(k.topic) && unreadable === null) {
        try {
          if (!publisher.partitionCount) throw new Error('this publisher cannot tell partitions');
          const n = await publisher.partitionCount(k.topic);
          partitions.set(k.topic, n === null ? null : Array.from({ length: n }, (_, i) => i));
        } catch (err) {
          unreadable = ctx.deps.redactor.redact((err as Error).message);
          placer.note = `Could not read the topics' partitions (${unreadable}): records are not placed on partitions.`;
          ctx.deps.log.warn('run.dry-run-no-partitions', { error: unreadable });
        }
      }
      if (unreadable !== null) return;
      const ids = partitions.get(k.topic);
      if (!ids) return reject(item, 'unknown-topic', `The topic "${k.topic}" does not exist on the cluster (Sluice never creates topics)`);
      const placed = choosePartition(k, ids, () => 0); // (keyless records stop below)
      if ('code' in placed) return reject(item, 'invalid-partition', placed.message);
      // Keyless records spread round-robin in the order the send queue takes them (not the work
      // list's): counted apart, since which partition each one takes is not known before.
      if (k.partition === null && k.key === null) {
        placer.roundRobin++;
        return;
      }
      const id = `${k.topic}/${placed.partition}`;
      const c = counts.get(id);
      if (c) c.records++;
      else counts.set(id, { topic: k.topic, partition: placed.partition, records: 1 });
    },
    targets: () =>
      [...counts]
        .sort(([, a], [, b]) => a.topic.localeCompare(b.topic) || a.partition - b.partition)
        .map(([id, c]) => ({ id, records: c.records, topic: c.topic, partition: c.partition })),
  };
  return placer;
}
