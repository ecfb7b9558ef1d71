// The inspector for both Kinesis kinds: the stream's shards, one reader per shard, and a ledger entry read back at its sequence number.
import type { InspectRead, InspectReadRequest, InspectTargets, ReadBack } from '../../../../shared/config/inspector';
import { SluiceError } from '../../../../shared/ipc/errors';
import type { InspectorEngine } from '../../../inspector/inspector-engine';
import { listShards, readKinesis } from '../../../inspector/kinesis-reader';
import type { ReadBackInput } from '../kind';
import { kinesisClientFor, type KinesisDestination } from './client';
import { readKinesisAt } from './read-at';
import { unreachable } from './unreachable';

export async function kinesisTargets(engine: InspectorEngine, d: KinesisDestination): Promise<InspectTargets> {
  const client = await kinesisClientFor(engine, d);
  try {
    const shards = await listShards(client, d.stream).catch(unreachable(d, `list the shards of ${d.stream}`));
    return {
      kind: 'kinesis',
      destination: d.name,
      stream: d.stream,
      shards: shards.map((s) => ({ shardId: s.ShardId ?? '', open: !s.SequenceNumberRange?.EndingSequenceNumber })),
    };
  } finally {
    client.destroy();
  }
}

export async function kinesisRead(engine: InspectorEngine, d: KinesisDestination, request: InspectReadRequest): Promise<InspectRead> {
  if (request.topic || request.partitions) throw new SluiceError('invalid-input', `"${d.name}" is a Kinesis stream: choose shards, not a topic or partitions`);
  const stream = request.stream ?? d.stream;
  const client = await kinesisClientFor(engine, d);
  try {
    const { records, readers } = await readKinesis(client, {
      stream,
      shards: request.shards,
      from: request.from,
      limit: request.limit,
      waitMs: request.waitMs,
    }).catch(unreachable(d, `read ${stream}`));
    return {
      kind: 'kinesis',
      target: stream,
      records,
      readers: readers.map((r) => ({ part: r.shardId, read: r.records.length, stopped: r.stopped })),
      note: null,
    };
  } finally {
    client.destroy();
  }
}

export async function kinesisReadBack(engine: InspectorEngine, d: KinesisDestination, { found, base }: ReadBackInput): Promise<ReadBack> {
  const { entry, data } = found;
  if (!entry.shardId || !entry.sequenceNumber) throw new SluiceError('invalid-input', `Ledger entry ${entry.id} has no shard and sequence number to open`);
  return { ...base, ...(await readKinesisAt(engine, d, { shardId: entry.shardId, sequenceNumber: entry.sequenceNumber }, data, entry.partitionKey)) };
}
