import type { Destination } from '../../shared/config/destination';
import type { InspectedRecord, ReadBack } from '../../shared/config/inspector';
import { SluiceError } from '../../shared/ipc/errors';
import { readKafka } from '../kafka/reader';
import { byArrival, readShard } from './kinesis-reader';
import { OldestRecords } from './oldest-records';
import { kafkaConfigFor, kinesisClientFor, toSentRecord, type InspectorEngine } from './inspector';
import { ledgerRecord } from './ledger-lookup';
import { compareBytes, describeData } from './record-data';
import type { CallSink } from '../recorder/types';

/**
 * Opens the exact record a ledger entry points at (Kinesis: its shard, AT_SEQUENCE_NUMBER, one record;
 * Kafka: its topic, partition and offset) and compares the bytes sent with the bytes read back.
 */
export async function readBack(engine: InspectorEngine, ledgerId: number): Promise<ReadBack> {
  const found = ledgerRecord(engine.db, ledgerId);
  if (!found) throw new SluiceError('not-found', `There is no ledger entry ${ledgerId}`);
  const { entry, data } = found;
  if (entry.status !== 'acknowledged') {
    throw new SluiceError(
      'invalid-input',
      `Ledger entry ${ledgerId} (key ${entry.key}) was ${entry.status}, not acknowledged: it has no place in the stream to open`,
    );
  }
  const d = engine.catalog.getDestination(found.destination);
  const sent = data === null ? null : describeData(data);
  const base = { entry, destination: d.name, sent };

  switch (d.kind) {
    case 'firehose':
      return {
        ...base,
        kind: 'firehose',
        read: toSentRecord(found),
        match: null,
        detail: `Kinesis Data Firehose has no read API: shown is what was sent (record ${entry.recordId ?? 'without id'}), not read back`,
      };
    case 'kinesis':
    case 'sandbox-kinesis': {
      if (!entry.shardId || !entry.sequenceNumber) throw new SluiceError('invalid-input', `Ledger entry ${ledgerId} has no shard and sequence number to open`);
      return { ...base, ...(await readKinesisAt(engine, d, { shardId: entry.shardId, sequenceNumber: entry.sequenceNumber }, data, entry.partitionKey)) };
    }
    case 'kafka': {
      if (!entry.topic || entry.partition === null || entry.offset === null) {
        throw new SluiceError('invalid-input', `Ledger entry ${ledgerId} has no topic, partition and offset to open`);
      }
      return { ...base, ...(await readKafkaAt(engine, d, { topic: entry.topic, partition: entry.partition, offset: entry.offset }, data)) };
    }
  }
}

type ReadAt<K extends 'kinesis' | 'kafka'> = { kind: K; read: Extract<InspectedRecord, { kind: K }> | null; match: boolean; detail: string };

/**
 * Reads the one record at a shard and sequence number (GetShardIterator AT_SEQUENCE_NUMBER, one record)
 * and compares all its bytes (and its partition key, when known) with what was sent. `calls` is whose
 * Debugger context the reads go under (the inspector's by default).
 */
export async function readKinesisAt(
  engine: InspectorEngine,
  d: Extract<Destination, { kind: 'kinesis' | 'sandbox-kinesis' }>,
  at: { shardId: string; sequenceNumber: string },
  data: Uint8Array | null,
  partitionKey: string | null,
  calls?: CallSink,
): Promise<ReadAt<'kinesis'>> {
  const client = await kinesisClientFor(engine, d, calls);
  try {
    const where = `${d.stream} ${at.shardId} at ${at.sequenceNumber}`;
    let records;
    // The response shows at most INSPECT_SHOWN_BYTES of the record; the comparison uses all its bytes.
    let readBytes: Uint8Array | null = null;
    try {
      ({ records } = await readShard(client, d.stream, at.shardId, {
        from: { at: 'sequence', sequenceNumber: at.sequenceNumber },
        oldest: new OldestRecords(1, byArrival),
        pageSize: 1,
        waitMs: 0,
        deadline: Date.now() + 15_000,
        onBytes: (r, bytes) => {
          if (r.sequenceNumber === at.sequenceNumber) readBytes = bytes;
        },
      }));
    } catch (err) {
      const e = err as Error;
      if (e.name !== 'InvalidArgumentException' && e.name !== 'ResourceNotFoundException') throw err;
      return { kind: 'kinesis', read: null, match: false, detail: `The stream no longer holds the record at ${where} (${e.message})` };
    }
    const read = records.find((r) => r.sequenceNumber === at.sequenceNumber) ?? null;
    if (!read) return { kind: 'kinesis', read: null, match: false, detail: `No record at ${where}: past the stream's retention, or the stream was recreated` };
    const { match, detail } = compareBytes(data, readBytes);
    const keyNote =
      partitionKey !== null && partitionKey !== read.partitionKey ? `; partition key differs: sent "${partitionKey}", read "${read.partitionKey}"` : '';
    return { kind: 'kinesis', read, match: match && keyNote === '', detail: detail + keyNote };
  } finally {
    client.destroy();
  }
}

/** Reads the one record at a topic, partition and offset (a bounded read that never commits) and compares its value's bytes. */
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
  });
  const read = records.find((r) => r.offset === at.offset) ?? null;
  if (!read)
    return { kind: 'kafka', read: null, match: false, detail: `No record at ${where}: past the topic's retention, compacted away, or the topic was recreated` };
  return { kind: 'kafka', read, ...compareBytes(data, readBytes) };
}
