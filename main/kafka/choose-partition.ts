import { kafkaPartitionFor } from '../../shared/routing/murmur2';
import type { KafkaProperties } from '../publishers/publisher';

/**
 * The partition a record goes to in a topic with these partitions, as a run sends it (and a dry run
 * counts it): its explicit partition (INVALID_PARTITION when the topic lacks it), else murmur2 of its
 * key modulo the partition count (Java's and kafkajs' default partitioner), else — no key — the next
 * partition round-robin (`nextRoundRobin` answers the topic's counter: 0, 1, 2, …).
 */
export function choosePartition(
  k: Pick<KafkaProperties, 'topic' | 'key' | 'partition'>,
  partitionIds: readonly number[],
  nextRoundRobin: () => number,
): { partition: number } | { code: 'INVALID_PARTITION'; message: string } {
  if (k.partition !== null) {
    if (partitionIds.includes(k.partition)) return { partition: k.partition };
    return { code: 'INVALID_PARTITION', message: `Partition ${k.partition} does not exist in "${k.topic}" (it has ${partitionIds.length})` };
  }
  if (k.key !== null) return { partition: kafkaPartitionFor(k.key, partitionIds.length) };
  return { partition: partitionIds[nextRoundRobin() % partitionIds.length]! };
}
