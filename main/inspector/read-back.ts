import type { ReadBack } from '../../shared/config/inspector';
import { SluiceError } from '../../shared/ipc/errors';
import { readKafka } from './kafka-reader';
import { byArrival, readShard } from './kinesis-reader';
import { OldestRecords } from './oldest-records';
import { kafkaConfigFor, kinesisClientFor, toSentRecord, type InspectorEngine } from './inspector';
import { ledgerRecord } from './ledger-lookup';
import { compareBytes, describeData } from './record-data';

/**
 * Opens the exact record a ledger entry points at (Kinesis: its shard, AT_SEQUENCE_NUMBER, one record;
 * Kafka: its topic, partition and offset) and compares the bytes sent with the bytes read back.
 */
export async function readBack(engine: InspectorEngine, ledgerId: number): Promise<ReadBack> {
  const found = ledgerRecord(engine.db, ledgerId);
  if (!found) throw new SluiceError('not-found', `There is no ledger entry ${ledgerId}`);
  const { entry, data } = found;
  if (entry.status !== 'acknowledged') {
    throw new SluiceError('invalid-input', `Ledger entry ${ledgerId} (key ${entry.key}) was ${entry.status}, not acknowledged: it has no place in the stream to open`);
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
      const client = await kinesisClientFor(engine, d);
      try {
        const where = `${d.stream} ${entry.shardId} at ${entry.sequenceNumber}`;
        let records;
        // The response shows at most INSPECT_SHOWN_BYTES of the record; the comparison uses all its bytes.
        let readBytes: Uint8Array | null = null;
        try {
          ({ records } = await readShard(client, d.stream, entry.shardId, {
            from: { at: 'sequence', sequenceNumber: entry.sequenceNumber },
            oldest: new OldestRecords(1, byArrival),
            pageSize: 1,
            waitMs: 0,
            deadline: Date.now() + 15_000,
            onBytes: (r, bytes) => {
              if (r.sequenceNumber === entry.sequenceNumber) readBytes = bytes;
            },
          }));
        } catch (err) {
          const e = err as Error;
          if (e.name !== 'InvalidArgumentException' && e.name !== 'ResourceNotFoundException') throw err;
          return { ...base, kind: 'kinesis', read: null, match: false, detail: `The stream no longer holds the record at ${where} (${e.message})` };
        }
        const read = records.find((r) => r.sequenceNumber === entry.sequenceNumber) ?? null;
        if (!read) return { ...base, kind: 'kinesis', read: null, match: false, detail: `No record at ${where}: past the stream's retention, or the stream was recreated` };
        const { match, detail } = compareBytes(data, readBytes);
        const keyNote = entry.partitionKey !== null && entry.partitionKey !== read.partitionKey ? `; partition key differs: sent "${entry.partitionKey}", read "${read.partitionKey}"` : '';
        return { ...base, kind: 'kinesis', read, match: match && keyNote === '', detail: detail + keyNote };
      } finally {
        client.destroy();
      }
    }
    case 'kafka': {
      if (!entry.topic || entry.partition === null || entry.offset === null) {
        throw new SluiceError('invalid-input', `Ledger entry ${ledgerId} has no topic, partition and offset to open`);
      }
      const where = `${entry.topic}-${entry.partition}@${entry.offset}`;
      const { config, calls } = await kafkaConfigFor(engine, d);
      // The response shows at most INSPECT_SHOWN_BYTES of the value; the comparison uses all its bytes.
      let readBytes: Uint8Array | null = null;
      const { records } = await readKafka(config, {
        topic: entry.topic,
        partitions: [entry.partition],
        from: { at: 'offset', offset: entry.offset },
        limit: 1,
        waitMs: 0,
        calls,
        onBytes: (r, bytes) => {
          if (r.offset === entry.offset) readBytes = bytes;
        },
      });
      const read = records.find((r) => r.offset === entry.offset) ?? null;
      if (!read) return { ...base, kind: 'kafka', read: null, match: false, detail: `No record at ${where}: past the topic's retention, compacted away, or the topic was recreated` };
      return { ...base, kind: 'kafka', read, ...compareBytes(data, readBytes) };
    }
  }
}
