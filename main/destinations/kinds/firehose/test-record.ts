import type { Destination } from '../../../../shared/config/destination';
import type { TestRecord } from '../../../../shared/ipc/channels/streams';
import { SluiceError } from '../../../../shared/ipc/errors';
import type { InspectorEngine } from '../../../inspector/inspector-engine';
import { describeData } from '../../../inspector/record-data';
import type { SentTestRecord } from '../kind';

/** A Firehose test record: accepted with a record id; there is no read API, so what was sent (with its newline) is shown. */
export function firehoseTestRecordLanded(
  _engine: InspectorEngine,
  d: Extract<Destination, { kind: 'firehose' }>,
  { record, location }: SentTestRecord,
): Promise<Pick<TestRecord, 'sent' | 'landed' | 'readBack'>> {
  if (record.kind !== 'firehose' || !('recordId' in location))
    throw new SluiceError('internal', `The publisher answered a location that does not fit a ${d.kind} destination`);
  const sentBytes = d.appendNewline && record.data ? Buffer.concat([record.data, Buffer.from('\n')]) : record.data;
  return Promise.resolve({
    sent: sentBytes === null ? null : describeData(sentBytes),
    landed: { kind: 'firehose', deliveryStream: location.deliveryStream ?? record.deliveryStream ?? d.deliveryStream, recordId: location.recordId },
    readBack: {
      match: null,
      detail: 'Kinesis Data Firehose has no read API: the record was accepted (it reaches S3 after the buffering interval); shown is what was sent',
      read: null,
    },
  });
}
