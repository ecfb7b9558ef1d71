// Firehose has no read API: the inspector shows what the ledger says was sent, and a read-back shows the record sent.
import type { Destination } from '../../../../shared/config/destination';
import type { InspectRead, InspectReadRequest, InspectTargets, ReadBack } from '../../../../shared/config/inspector';
import { toSentRecord, type InspectorEngine } from '../../../inspector/inspector-engine';
import { sentTo } from '../../../inspector/ledger-lookup';
import type { ReadBackInput } from '../kind';

type FirehoseDestination = Extract<Destination, { kind: 'firehose' }>;

export function firehoseTargets(_engine: InspectorEngine, d: FirehoseDestination): Promise<InspectTargets> {
  return Promise.resolve({ kind: 'firehose', destination: d.name, deliveryStream: d.deliveryStream });
}

export function firehoseRead(engine: InspectorEngine, d: FirehoseDestination, request: InspectReadRequest): Promise<InspectRead> {
  const records = sentTo(engine.db, d.name, request.limit).map(toSentRecord);
  return Promise.resolve({
    kind: 'firehose',
    target: d.deliveryStream,
    records,
    readers: [],
    note: 'Kinesis Data Firehose has no read API: these are the latest records Sluice sent, from the ledger.',
  });
}

export function firehoseReadBack(_engine: InspectorEngine, _d: FirehoseDestination, { found, base }: ReadBackInput): Promise<ReadBack> {
  return Promise.resolve({
    ...base,
    kind: 'firehose',
    read: toSentRecord(found),
    match: null,
    detail: `Kinesis Data Firehose has no read API: shown is what was sent (record ${found.entry.recordId ?? 'without id'}), not read back`,
  });
}
