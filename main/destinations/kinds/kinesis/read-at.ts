// One Kinesis record read back at its shard and sequence number, compared byte for byte with what was sent.
import type { ReadAt } from '../../../inspector/read-at';
import { byArrival, readShard } from '../../../inspector/kinesis-reader';
import { OldestRecords } from '../../../inspector/oldest-records';
import type { InspectorEngine } from '../../../inspector/inspector-engine';
import { compareBytes } from '../../../inspector/record-data';
import type { CallSink } from '../../../recorder/types';
import { kinesisClientFor, type KinesisDestination } from './client';
import { unreachable } from './unreachable';

/**
 * Reads the one record at a shard and sequence number (GetShardIterator AT_SEQUENCE_NUMBER, one record)
 * and compares all its bytes (and its partition key, when known) with what was sent. `calls` is whose
 * Debugger context the reads go under (the inspector's by default). An endpoint out of reach is
 * `unavailable`, said with it.
 */
export async function readKinesisAt(
  engine: InspectorEngine,
  d: KinesisDestination,
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
      if (e.name === 'InvalidArgumentException' || e.name === 'ResourceNotFoundException')
        return { kind: 'kinesis', read: null, match: false, detail: `The stream no longer holds the record at ${where} (${e.message})` };
      return unreachable(d, `read back ${where}`)(err); // (throws: an endpoint out of reach in words, anything else as it is)
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
