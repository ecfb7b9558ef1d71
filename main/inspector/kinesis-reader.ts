import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  type GetShardIteratorCommandInput,
  type KinesisClient,
  type Shard,
  type _Record,
} from '@aws-sdk/client-kinesis';
import { kinesisStream } from '../aws/stream-param';
import { listShards as listAllShards } from '../aws/list-shards';
import type { KinesisRecord, StartPosition } from '../../shared/config/inspector';
import { SluiceError } from '../../shared/ipc/errors';
import { OldestRecords } from './oldest-records';
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

/** Every shard of a stream (ListShards, all pages), each page with the read's request timeout. */
export function listShards(client: KinesisClient, stream: string): Promise<Shard[]> {
  return listAllShards(client, stream, opts);
}

function iteratorInput(stream: string, shardId: string, from: StartPosition): GetShardIteratorCommandInput {
  const base = { ...kinesisStream(stream), ShardId: shardId };
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

export interface ShardReadOptions {
  from: StartPosition;
  /** The read's `limit` oldest records, shared with its other readers. */
  oldest: OldestRecords<KinesisRecord>;
  /** GetRecords page size. */
  pageSize: number;
  /** After catching up (counted from the moment it first catches up), keep polling this long for new records. */
  waitMs: number;
  deadline: number;
  /** Sees each record's full bytes as it is read (the record itself shows at most INSPECT_SHOWN_BYTES). */
  onBytes?: (record: KinesisRecord, bytes: Uint8Array) => void;
}

/**
 * One shard's reader: GetShardIterator of the chosen type, then GetRecords, offering each record to the
 * read's oldest records, until a record is refused there (everything further is newer: 'limit'), the end
 * of a closed shard, or caught up (an empty page with MillisBehindLatest 0) and then `waitMs` more.
 * `records` are the ones it read that were kept at the time.
 */
export async function readShard(client: KinesisClient, stream: string, shardId: string, o: ShardReadOptions): Promise<ShardRead> {
  const done = (stopped: ShardRead['stopped']): ShardRead => ({ shardId, records: o.oldest.records().filter((r) => r.shardId === shardId), stopped });
  // A stream given by ARN is named by StreamARN on GetRecords too (its endpoint and account come from it).
  const streamRef = kinesisStream(stream);
  let { ShardIterator: iterator } = await client.send(new GetShardIteratorCommand(iteratorInput(stream, shardId, o.from)), opts());
  let emptyBehind = 0;
  let caughtUpAt: number | undefined;
  for (;;) {
    if (!iterator) return done('closed');
    if (Date.now() >= o.deadline) return done('timeout');
    const page = await client.send(
      new GetRecordsCommand({ ShardIterator: iterator, Limit: Math.min(10_000, o.pageSize), ...('StreamARN' in streamRef ? streamRef : {}) }),
      opts(),
    );
    for (const r of page.Records ?? []) {
      const record = toKinesisRecord(shardId, r);
      if (!o.oldest.offer(record)) return done('limit');
      o.onBytes?.(record, r.Data ?? new Uint8Array());
    }
    iterator = page.NextShardIterator;
    if ((page.Records ?? []).length > 0) {
      emptyBehind = 0;
      continue;
    }
    const behind = page.MillisBehindLatest ?? 0;
    // Empty pages while behind happen on sparse shards; a few in a row that say otherwise are trusted no further.
    if (behind === 0 || ++emptyBehind > 20) {
      caughtUpAt ??= Date.now();
      const waited = Date.now() - caughtUpAt;
      // With the read full, whatever arrives now is newer than every kept record: no use waiting for it.
      if (waited >= o.waitMs || o.oldest.full) return done(iterator ? 'caught-up' : 'closed');
      await sleep(Math.min(500, Math.max(50, o.waitMs - waited)));
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

/**
 * One reader per shard, in parallel, all offering their records to one collection of the `limit`
 * oldest (by arrival time, then shard and sequence number): the read holds at most `limit` records plus
 * each reader's page in hand, and returns the `limit` oldest records from the start position across the
 * chosen shards (within the timeout), oldest first.
 */
export async function readKinesis(client: KinesisClient, o: KinesisReadOptions): Promise<{ records: KinesisRecord[]; readers: ShardRead[] }> {
  const all = (await listShards(client, o.stream)).map((s) => s.ShardId ?? '');
  const chosen = o.shards && o.shards.length > 0 ? o.shards : all;
  const unknown = chosen.filter((s) => !all.includes(s));
  if (unknown.length) {
    throw new SluiceError('invalid-input', `The stream "${o.stream}" has no shard ${unknown.join(', ')} (its shards: ${all.join(', ')})`);
  }
  if (o.from.at === 'timestamp' && Date.parse(o.from.timestamp) > Date.now()) {
    throw new SluiceError(
      'invalid-input',
      `The timestamp ${o.from.timestamp} is still to come: a read starts at a time up to now (to wait for new records, start at LATEST and listen for them)`,
    );
  }
  if (o.from.at === 'sequence' && chosen.length !== 1) {
    throw new SluiceError('invalid-input', 'A sequence number belongs to one shard: choose that shard to read from it');
  }
  const deadline = Date.now() + (o.timeoutMs ?? 20_000) + o.waitMs;
  const oldest = new OldestRecords<KinesisRecord>(o.limit, byArrival);
  // Pages of a reader's share of the limit (at least 100, to keep GetRecords calls few): what a read holds stays near `limit`.
  const pageSize = Math.min(o.limit, Math.max(100, Math.ceil(o.limit / chosen.length)));
  const readers = await Promise.all(
    chosen.map((shardId) => readShard(client, o.stream, shardId, { from: o.from, oldest, pageSize, waitMs: o.waitMs, deadline })),
  );
  const records = oldest.records();
  // A reader's list was taken when it stopped; what the others read later may have pushed some out.
  for (const r of readers) r.records = records.filter((x) => x.shardId === r.shardId);
  return { records, readers };
}
