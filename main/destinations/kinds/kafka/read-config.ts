// kafkajs settings for the inspector's and capture's reads of a Kafka destination, its own secrets resolved.
import type { Destination } from '../../../../shared/config/destination';
import { KafkaCallRecorder } from '../../../kafka/instrumentation';
import { kafkaConfig, WAITED_ON_REQUEST_TIMEOUT_MS, type KafkaClientConfig } from '../../../kafka/client';
import type { CallSink } from '../../../recorder/types';
import { inspectorCalls, type InspectorEngine } from '../../../inspector/inspector-engine';

/** kafkajs settings for reading, and a recorder for the admin requests (metadata, offsets) the read makes. */
export async function kafkaConfigFor(
  engine: InspectorEngine,
  d: Extract<Destination, { kind: 'kafka' }>,
  sink: CallSink = inspectorCalls(engine, d.name),
): Promise<{ config: KafkaClientConfig; calls: KafkaCallRecorder }> {
  return {
    // Only the destination's own secrets (issue 12): one bound to other brokers is refused before it is read.
    config: { ...(await kafkaConfig(d, engine.secretResolver.forDestination(d))), requestTimeout: WAITED_ON_REQUEST_TIMEOUT_MS, retry: { retries: 3 } },
    calls: new KafkaCallRecorder(sink, d.brokers),
  };
}
