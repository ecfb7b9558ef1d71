import type { Destination } from '../../../../shared/config/destination';
import { topicNameProblem } from '../../../../shared/destinations/kinds/kafka/schema';
import type { CaptureRun } from '../../../capture/capture-run';
import { captureKafka } from '../../../kafka/capture-reader';
import { kafkaConfigFor } from './read-config';
import { unreachable } from './unreachable';

/**
 * Capture of a Kafka topic: the one named (`topic`), or the destination's own; a never-committing consumer of a
 * fresh group, one partition each.
 */
export function kafkaCapture(d: Extract<Destination, { kind: 'kafka' }>, named?: string): CaptureRun | string {
  const topic = named ?? d.topic;
  if (!topic) return `"${d.name}" has no topic of its own (its syncs choose one per row): say which topic to capture (sluice capture --topic)`;
  const problem = topicNameProblem(topic);
  if (problem) return problem;
  return {
    target: topic,
    run: async (engine, calls, o) => {
      const { config, calls: kafkaCalls } = await kafkaConfigFor(engine, d, calls);
      await captureKafka(config, { topic, ...o, calls: kafkaCalls }).catch(unreachable(d, `read ${topic}`));
    },
  };
}
