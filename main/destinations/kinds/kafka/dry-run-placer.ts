import type { Destination } from '../../../../shared/config/destination';
import { choosePartition } from '../../../kafka/choose-partition';
import { unreachable as unreadable } from './unreachable';
import type { Placer, PlacerDeps } from '../../../sync/run/placer';

/**
 * Kafka: each topic's partitions from the broker (once per topic), then the partition the publisher
 * would choose (`choosePartition`: explicit partition, else murmur2 of the key; records with
 * neither are only counted, as they spread round-robin in send order). A partition the topic lacks or a topic the cluster lacks rejects the record;
 * brokers that cannot be asked are asked once: the rows are rendered still, and the dry run fails (`failure`:
 * `Could not read the topics' partitions on BROKERS: …`).
 */
export function kafkaPlacer(d: Extract<Destination, { kind: 'kafka' }>, { publisher, reject }: PlacerDeps): Placer {
  const partitions = new Map<string, number[] | null>();
  const counts = new Map<string, { topic: string; partition: number; records: number }>();
  const placer: Placer = {
    per: 'partition',
    roundRobin: 0,
    note: null,
    failure: null,
    async place(record, item) {
      if (record.kind !== 'kafka' || placer.failure) return;
      const k = record.kafka;
      if (!partitions.has(k.topic)) {
        // Brokers that cannot be asked fail the dry run, in the words a run uses (it said "succeeded"); asked once, not per topic.
        try {
          if (!publisher.partitionCount) throw new Error('this publisher cannot tell partitions');
          const n = await publisher.partitionCount(k.topic).catch(unreadable(d, "read the topics' partitions"));
          partitions.set(k.topic, n === null ? null : Array.from({ length: n }, (_, i) => i));
        } catch (err) {
          placer.failure = err instanceof Error ? err : new Error(String(err));
          return;
        }
      }
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
