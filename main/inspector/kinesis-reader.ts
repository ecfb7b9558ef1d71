import { GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand, type GetShardIteratorCommandInput, type KinesisClient, type Shard, type _Record } from '@aws-sdk/client-kinesis';
import type { KinesisRecord, StartPosition } from '../../shared/config/inspector';
import { SluiceError } from '../../shared/ipc/errors';
import { describeData } from './record-data';

export interface ShardRead {
  shardId: string;
  records: KinesisRecord[];
  stopped: 'limit' | 'caught-up' | 'timeout' | 'closed';
}

export interface KinesisReadOptions {
  stream: string;
  /** Shards to read; all of the stream's when empty or absent. */
  shards?: string[];
  from: StartPosition;
  limit: number;
  /** After catching up, keep polling this long for new records. */
  waitMs: number;
  /** Give up (returning what was read) after this long. */
  timeoutMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const REQUEST_TIMEOUT_MS = 15_000;
const opts = (): { abortSignal: AbortSignal } => ({ abortSignal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });

/** Every shard of a stream (ListShards, all pages). */
export async function listShards(client: KinesisClient, stream: string): Promise<Shard[]> {
  const shards: Shard[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new ListShardsCommand(nextToken ? { NextToken: nextToken } : { StreamName: stream }), opts());
    shards.push(...(page.Shards ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  return shards;
}

function iteratorInput(stream: string, shardId: string, from: StartPosition): GetShardIteratorCommandInput {
  const base = { StreamName: stream, ShardId: shardId };
  switch (from.at) {
    case 'earliest':
      return { ...base, ShardIteratorType: 'TRIM_HORIZON' };
    case 'latest':
      return { ...base, ShardIteratorType: 'LATEST' };
    case 'timestamp':
      return { ...base, ShardIteratorType: 'AT_TIMESTAMP', Timestamp: new Date(from.timestamp) };
    case 'sequence':
      return { ...base, ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: from.sequenceNumber };
    case 'offset':
      throw new SluiceError('invalid-input', 'A Kinesis stream has no offsets: start at TRIM_HORIZON, LATEST, a timestamp or a sequence number');
  }
}

export function toKinesisRecord(shardId: string, r: _Record): KinesisRecord {
  return {
    kind: 'kinesis',
    shardId,
    sequenceNumber: r.SequenceNumber ?? '',
    partitionKey: r.PartitionKey ?? '',
    arrivalTimestamp: r.ApproximateArrivalTimestamp ? r.ApproximateArrivalTimestamp.toISOString() : null,
    data: describeData(r.Data ?? new Uint8Array()),
  };
}

/**
 * One shard's reader: GetShardIterator of the chosen type, then GetRecords until the limit, the end of
 * a closed shard, or caught up (an empty page with MillisBehindLatest 0) and the wait is over.
 */
export async function readShard(client: KinesisClient, stream: string, shardId: string, o: { from: StartPosition; limit: number; waitMs: number; deadline: number }): Promise<ShardRead> {
  const started = Date.now();
  const records: KinesisRecord[] = [];
  let { ShardIterator: iterator } = await client.send(new GetShardIteratorCommand(iteratorInput(stream, shardId, o.from)), opts());
  let emptyBehind = 0;
  for (;;) {
    if (records.length >= o.limit) return { shardId, records, stopped: 'limit' };
    if (!iterator) return { shardId, records, stopped: 'closed' };
    if (Date.now() >= o.deadline) return { shardId, records, stopped: 'timeout' };
    const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: Math.min(10_000, o.limit - records.length) }), opts());
    for (const r of page.Records ?? []) records.push(toKinesisRecord(shardId, r));
    iterator = page.NextShardIterator;
    if ((page.Records ?? []).length > 0) {
      emptyBehind = 0;
      continue;
    }
    const behind = page.MillisBehindLatest ?? 0;
    // Empty pages while behind happen on sparse shards; a few in a row that say otherwise are trusted no further.
    if (behind === 0 || ++emptyBehind > 20) {
      if (Date.now() - started >= o.waitMs) return { shardId, records, stopped: iterator ? 'caught-up' : 'closed' };
      await sleep(Math.min(500, Math.max(50, o.waitMs - (Date.now() - started))));
    } else {
      await sleep(200);
    }
  }
}

function compareSequence(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}

/** Oldest first: by arrival time, then shard, then sequence number. */
export function byArrival(a: KinesisRecord, b: KinesisRecord): number {
  const ta = a.arrivalTimestamp ?? '';
  const tb = b.arrivalTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  if (a.shardId !== b.shardId) return a.shardId < b.shardId ? -1 : 1;
  return compareSequence(a.sequenceNumber, b.sequenceNumber);
}

/** One reader per shard, in parallel; their records merged by arrival time, at most `limit` of them. */
export async function readKinesis(client: KinesisClient, o: KinesisReadOptions): Promise<{ records: KinesisRecord[]; readers: ShardRead[] }> {
  const all = (await listShards(client, o.stream)).map((s) => s.ShardId ?? '');
  const chosen = o.shards && o.shards.length > 0 ? o.shards : all;
  const unknown = chosen.filter((s) => !all.includes(s));
  if (unknown.length) {
    throw new SluiceError('invalid-input', `The stream "${o.stream}" has no shard ${unknown.join(', ')} (its shards: ${all.join(', ')})`);
  }
  if (o.from.at === 'sequence' && chosen.length !== 1) {
    throw new SluiceError('invalid-input', 'A sequence number belongs to one shard: choose that shard to read from it');
  }
  const deadline = Date.now() + (o.timeoutMs ?? 20_000) + o.waitMs;
  const readers = await Promise.all(chosen.map((shardId) => readShard(client, o.stream, shardId, { from: o.from, limit: o.limit, waitMs: o.waitMs, deadline })));
  const records = readers.flatMap((r) => r.records).sort(byArrival).slice(0, o.limit);
  return { records, readers };
}
