import type { Destination } from '../../../../shared/config/destination';
import { KafkaMessageSchema } from '../../../../shared/config/sync';
import type { Bucket } from '../../../../shared/routing/histogram';
import { murmur2, toPositive } from '../../../../shared/routing/murmur2';
import { kafkaConfig } from '../../../kafka/client';
import { KafkaCallRecorder } from '../../../kafka/instrumentation';
import { KafkaPartitionCounts } from '../../../kafka/partition-counts';
import { kafkaFailure } from '../../../kafka/publish-errors';
import type { Route, Router, RouterDeps } from '../../../routing/router';
import { KafkaMessageRenderer } from '../../../sync/kafka-message';
import { PayloadRenderer, RenderError } from '../../../sync/payload-renderer';

type KafkaDestination = Extract<Destination, { kind: 'kafka' }>;

/**
 * Kafka: each topic's partition count from the broker's metadata (per topic, asked once), an explicit
 * partition, else murmur2 of the key; keyless records spread round-robin.
 */
export function kafkaRouter(d: KafkaDestination, { engine, sync, calls, numberColumns }: RouterDeps): Router {
  let counts: KafkaPartitionCounts | undefined;
  const partitionCounts = new Map<string, number>();
  const message = new KafkaMessageRenderer(sync.kafka ?? KafkaMessageSchema.parse({}), d.topic);
  const renderer = new PayloadRenderer(sync.payload, { kind: 'primary-key' }, undefined, numberColumns);
  // One topic (the destination's): partitions by number; several: topic/partition.
  const label = (topic: string, partition: number) =>
    topic === (d.topic ?? topic) && !sync.kafka?.topic && !sync.kafka?.topicByTrigger ? String(partition) : `${topic}/${partition}`;
  return {
    noun: 'partition',
    unreachable: `Could not read the topics' partitions on ${d.brokers.join(', ')}`,
    explain: (err) => kafkaFailure(err)?.message,
    warns: true,
    async open() {
      // Only the destination's own secrets (issue 12): one bound to other brokers is refused before it is read.
      counts = new KafkaPartitionCounts(await kafkaConfig(d, engine.secretResolver.forDestination(d)), new KafkaCallRecorder(calls, d.brokers));
    },
    async route(ctx): Promise<Route> {
      const props = message.render(ctx);
      const data = ctx.event === 'removed' && message.tombstones ? '' : renderer.renderJson(ctx);
      if (!partitionCounts.has(props.topic)) partitionCounts.set(props.topic, await counts!.count(props.topic));
      const n = partitionCounts.get(props.topic)!;
      if (n === 0) throw new RenderError(`the topic "${props.topic}" does not exist on the cluster`);
      const bytes = Buffer.byteLength(data) + Buffer.byteLength(props.key ?? '');
      const none = { explicitHashKey: null, bytes, fairShare: 1 / n };
      if (props.partition !== null && props.partition >= n)
        throw new RenderError(`partition ${props.partition} does not exist in "${props.topic}" (it has ${n})`);
      if (props.partition === null && props.key === null)
        return { ...none, bucket: null, shown: 'round-robin', roundRobin: true, hotKey: null, partitionKey: null, hash: null };
      const hash = props.partition === null ? murmur2(props.key!) : null;
      const partition = props.partition ?? toPositive(hash!) % n;
      const bucket = label(props.topic, partition);
      return {
        ...none,
        bucket,
        shown: bucket,
        roundRobin: false,
        hotKey: props.key === null ? null : { id: `${props.topic}\u0000${props.key}`, label: props.key },
        partitionKey: props.key,
        hash: hash === null ? null : String(hash),
      };
    },
    buckets: () => [],
    finish(tally: Map<string, Bucket>) {
      // Every partition of each topic seen shows, empty ones too.
      for (const [topic, n] of partitionCounts)
        for (let i = 0; i < n; i++)
          if (!tally.has(label(topic, i))) tally.set(label(topic, i), { id: label(topic, i), records: 0, bytes: 0, fairShare: 1 / n });
      return [...tally.values()].sort((a, b) => a.id.localeCompare(b.id, undefined, { numeric: true }));
    },
    topology: () => [...partitionCounts].map(([topic, n]) => ({ id: topic, detail: n ? `${n} ${n === 1 ? 'partition' : 'partitions'}` : 'does not exist' })),
    close: async () => {
      await counts?.close().catch(() => undefined);
    },
  };
}
