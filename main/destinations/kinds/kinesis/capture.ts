import { captureKinesis } from '../../../capture/kinesis-capture';
import type { CaptureRun } from '../../../capture/capture-run';
import { kinesisClientFor, type KinesisDestination } from './client';

/** Capture of a Kinesis stream (AWS or the sandbox): one reader per shard, parents before children. A topic is Kafka's: refused. */
export function kinesisCapture(d: KinesisDestination, topic?: string): CaptureRun | string {
  if (topic !== undefined) return `A topic is for a Kafka destination: "${d.name}" is the Kinesis stream ${d.stream}, captured whole (leave the topic out)`;
  return {
    target: d.stream,
    run: async (engine, calls, o) => {
      const client = await kinesisClientFor(engine, d, calls);
      try {
        await captureKinesis(client, { stream: d.stream, ...o });
      } finally {
        client.destroy();
      }
    },
  };
}
