import type { TestRecord } from '../../../../shared/ipc/channels/streams';
import { SluiceError } from '../../../../shared/ipc/errors';
import type { InspectorEngine } from '../../../inspector/inspector-engine';
import { notRead, readBackOf } from '../../../inspector/read-at';
import { describeData } from '../../../inspector/record-data';
import type { SentTestRecord } from '../kind';
import type { KinesisDestination } from './client';
import { readKinesisAt } from './read-at';

/** A Kinesis test record: its shard and sequence number, read back there. */
export async function kinesisTestRecordLanded(
  engine: InspectorEngine,
  d: KinesisDestination,
  { record, location, calls, signal }: SentTestRecord,
): Promise<Pick<TestRecord, 'sent' | 'landed' | 'readBack'>> {
  if (record.kind !== 'kinesis' || !('shardId' in location))
    throw new SluiceError('internal', `The publisher answered a location that does not fit a ${d.kind} destination`);
  const back = await readBackOf(() => readKinesisAt(engine, d, location, record.data, record.partitionKey, calls), signal);
  return {
    sent: record.data === null ? null : describeData(record.data),
    landed: {
      kind: 'kinesis',
      stream: d.stream,
      shardId: location.shardId,
      sequenceNumber: location.sequenceNumber,
      partitionKey: record.partitionKey,
      explicitHashKey: record.explicitHashKey ?? null,
    },
    readBack: 'failed' in back ? notRead(back.failed) : { match: back.match, detail: back.detail, read: back.read },
  };
}
