// One Kafka record read back at its topic, partition and offset, compared byte for byte with what was sent.
import type { Destination } from '../../../../shared/config/destination';
import { readKafka } from '../../../kafka/reader';
import type { ReadAt } from '../../../inspector/read-at';
import type { InspectorEngine } from '../../../inspector/inspector-engine';
import { compareBytes } from '../../../inspector/record-data';
import type { CallSink } from '../../../recorder/types';
import { kafkaConfigFor } from './read-config';
import { unreachable } from './unreachable';

/** Reads the one record at a topic, partition and offset (a bounded read that never commits) and compares its value's bytes; brokers out of reach are `unavailable`, said with them. */
export async function readKafkaAt(
  engine: InspectorEngine,
  d: Extract<Destination, { kind: 'kafka' }>,
  at: { topic: string; partition: number; offset: string },
  data: Uint8Array | null,
  calls?: CallSink,
): Promise<ReadAt<'kafka'>> {
  const where = `${at.topic}-${at.partition}@${at.offset}`;
  const { config, calls: recorder } = await kafkaConfigFor(engine, d, calls);
  // The response shows at most INSPECT_SHOWN_BYTES of the value; the comparison uses all its bytes.
  let readBytes: Uint8Array | null = null;
  const { records } = await readKafka(config, {
    topic: at.topic,
    partitions: [at.partition],
    from: { at: 'offset', offset: at.offset },
    limit: 1,
    waitMs: 0,
    calls: recorder,
    onBytes: (r, bytes) => {
      if (r.offset === at.offset) readBytes = bytes;
    },
  }).catch(unreachable(d, `read back ${where}`));
  const read = records.find((r) => r.offset === at.offset) ?? null;
  if (!read)
    return { kind: 'kafka', read: null, match: false, detail: `No record at ${where}: past the topic's retention, compacted away, or the topic was recreated` };
  return { kind: 'kafka', read, ...compareBytes(data, readBytes) };
}
