// The inspector for Kafka: the cluster's topics and partitions, bounded reads that never commit, and a ledger entry read back at its offset.
import type { Destination } from '../../../../shared/config/destination';
import type { InspectRead, InspectReadRequest, InspectTargets, ReadBack } from '../../../../shared/config/inspector';
import { SluiceError } from '../../../../shared/ipc/errors';
import type { InspectorEngine } from '../../../inspector/inspector-engine';
import { retryingRetriable } from '../../../inspector/read-at';
import { kafkaTopics, readKafka } from '../../../kafka/reader';
import type { ReadBackInput } from '../kind';
import { readKafkaAt } from './read-at';
import { kafkaConfigFor } from './read-config';
import { unreachable } from './unreachable';

type KafkaDestination = Extract<Destination, { kind: 'kafka' }>;

export async function kafkaTargets(engine: InspectorEngine, d: KafkaDestination): Promise<InspectTargets> {
  const { config, calls } = await kafkaConfigFor(engine, d);
  const topics = await retryingRetriable(() => kafkaTopics(config, undefined, calls)).catch(unreachable(d, 'list its topics'));
  return { kind: 'kafka', destination: d.name, defaultTopic: d.topic ?? null, topics };
}

export async function kafkaRead(engine: InspectorEngine, d: KafkaDestination, request: InspectReadRequest): Promise<InspectRead> {
  if (request.stream || request.shards)
    throw new SluiceError('invalid-input', `"${d.name}" is a Kafka destination: choose a topic and partitions, not a stream or shards`);
  const topic = request.topic ?? d.topic;
  if (!topic) throw new SluiceError('invalid-input', `"${d.name}" has no topic of its own (its syncs choose one per row): say which topic to read`);
  const { config, calls } = await kafkaConfigFor(engine, d);
  // Each try in a group of its own (a coordinator still loading refuses the group: tried again).
  const read = () => readKafka(config, { topic, partitions: request.partitions, from: request.from, limit: request.limit, waitMs: request.waitMs, calls });
  const { records, readers } = await retryingRetriable(read).catch(unreachable(d, `read ${topic}`));
  return {
    kind: 'kafka',
    target: topic,
    records,
    readers: readers.map((r) => ({ part: `${topic}-${r.partition}`, read: r.records.length, stopped: r.stopped })),
    note: null,
  };
}

export async function kafkaReadBack(engine: InspectorEngine, d: KafkaDestination, { found, base }: ReadBackInput): Promise<ReadBack> {
  const { entry, data } = found;
  if (!entry.topic || entry.partition === null || entry.offset === null) {
    throw new SluiceError('invalid-input', `Ledger entry ${entry.id} has no topic, partition and offset to open`);
  }
  return { ...base, ...(await readKafkaAt(engine, d, { topic: entry.topic, partition: entry.partition, offset: entry.offset }, data)) };
}
