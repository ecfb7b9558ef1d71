import type { Destination } from '../../../../shared/config/destination';
import type { TestRecord } from '../../../../shared/ipc/channels/streams';
import { SluiceError } from '../../../../shared/ipc/errors';
import type { InspectorEngine } from '../../../inspector/inspector-engine';
import { notRead, readBackOf } from '../../../inspector/read-at';
import { describeData } from '../../../inspector/record-data';
import type { SentTestRecord } from '../kind';
import { readKafkaAt } from './read-at';

/** A Kafka test record: its topic, partition and offset, read back there. */
export async function kafkaTestRecordLanded(
  engine: InspectorEngine,
  d: Extract<Destination, { kind: 'kafka' }>,
  { record, location, calls, signal }: SentTestRecord,
): Promise<Pick<TestRecord, 'sent' | 'landed' | 'readBack'>> {
  if (record.kind !== 'kafka' || !('topic' in location))
    throw new SluiceError('internal', `The publisher answered a location that does not fit a ${d.kind} destination`);
  const back = await readBackOf(() => readKafkaAt(engine, d, location, record.data, calls), signal);
  return {
    sent: record.data === null ? null : describeData(record.data),
    landed: {
      kind: 'kafka',
      topic: location.topic,
      partition: location.partition,
      offset: location.offset,
      key: record.kafka.key,
      headers: record.kafka.headers,
    },
    readBack: 'failed' in back ? notRead(back.failed) : { match: back.match, detail: back.detail, read: back.read },
  };
}
