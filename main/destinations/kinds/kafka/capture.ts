import type { Destination } from '../../../../shared/config/destination';
import type { CaptureRun } from '../../../capture/capture-run';
import { captureKafka } from '../../../kafka/capture-reader';
import { kafkaConfigFor } from './read-config';
import { unreachable } from './unreachable';

/** Capture of a Kafka destination's own topic: a never-committing consumer of a fresh group, one partition each. */
export function kafkaCapture(d: Extract<Destination, { kind: 'kafka' }>): CaptureRun | string {
  const topic = d.topic;
  if (!topic) return `"${d.name}" has no topic of its own (its syncs choose one per row): capture needs a destination with a topic`;
  return {
    target: topic,
    run: async (engine, calls, o) => {
      const { config, calls: kafkaCalls } = await kafkaConfigFor(engine, d, calls);
      await captureKafka(config, { topic, ...o, calls: kafkaCalls }).catch(unreachable(d, `read ${topic}`));
    },
  };
}
