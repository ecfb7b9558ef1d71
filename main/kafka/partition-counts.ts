import { Kafka, type Admin, type KafkaConfig } from 'kafkajs';
import { WAITED_ON_REQUEST_TIMEOUT_MS } from './client';
import type { KafkaCallRecorder } from './instrumentation';

/**
 * Partition counts of a cluster's topics for the routing preview and a Kafka dry run, read with an admin client's
 * Metadata request: no producer (no InitProducerId, no write permission needed) and no topic is
 * created by asking. The metadata is fetched once, on first use.
 */
export class KafkaPartitionCounts {
  private admin: Admin | undefined;
  private counts: Promise<Map<string, number>> | undefined;

  constructor(
    private readonly config: KafkaConfig,
    private readonly calls?: KafkaCallRecorder,
  ) {}

  /** The topic's partition count; 0 when the cluster has no such topic. */
  async count(topic: string): Promise<number> {
    this.counts ??= this.fetch();
    return (await this.counts).get(topic) ?? 0;
  }

  private async fetch(): Promise<Map<string, number>> {
    // A preview should answer soon: a cluster that cannot be reached is told, not retried for long.
    this.admin = new Kafka({ ...this.config, requestTimeout: WAITED_ON_REQUEST_TIMEOUT_MS, retry: { retries: 2 } }).admin();
    this.calls?.watchAdmin(this.admin);
    await this.admin.connect();
    // Without topic names the Metadata request lists every topic and never auto-creates one.
    const { topics } = await this.admin.fetchTopicMetadata();
    return new Map(topics.map((t) => [t.name, t.partitions.length]));
  }

  async close(): Promise<void> {
    await this.admin?.disconnect();
  }
}
