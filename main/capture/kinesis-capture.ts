// Capture from Kinesis: one reader per shard, a closed parent read to its end before its children start.
import { GetRecordsCommand, GetShardIteratorCommand, type GetShardIteratorCommandInput, type KinesisClient, type Shard } from '@aws-sdk/client-kinesis';
import type { CaptureFrom, CaptureMode } from '../../shared/config/capture';
import { listShards } from '../aws/list-shards';
import type { CaptureProgress } from './capture-progress';
import type { CapturedRow, CaptureSink, Checkpoint } from './capture-sink';
import { capturedData, pause } from './captured-data';

export interface KinesisCaptureOptions {
  stream: string;
  /** Where a shard with no checkpoint starts on the first run; later runs resume from the checkpoints. */
  from: CaptureFrom;
  mode: CaptureMode;
  signal: AbortSignal;
  sink: CaptureSink;
  progress: CaptureProgress;
  /** Follow: how often to look for new shards besides when a shard closes (default 10 s). */
  relistMs?: number;
  /** Follow: how long a caught-up reader waits before asking again (default 1 s). */
  idleMs?: number;
}

const REQUEST_TIMEOUT_MS = 15_000;
/** Kinesis allows five GetRecords a second per shard. */
const MIN_INTERVAL_MS = 200;

type ReaderEnd = 'finished' | 'caught-up' | 'stopped';

const parentsOf = (s: Shard) => [s.ParentShardId, s.AdjacentParentShardId].filter((p): p is string => typeof p === 'string' && p !== '');

function iteratorInput(stream: string, shardId: string, c: Checkpoint | undefined): GetShardIteratorCommandInput {
  const base = { StreamName: stream, ShardId: shardId };
  if (c?.last) return { ...base, ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: c.last };
  if (c?.since) return { ...base, ShardIteratorType: 'AT_TIMESTAMP', Timestamp: new Date(c.since) };
  return { ...base, ShardIteratorType: 'TRIM_HORIZON' };
}

const errorName = (err: unknown) => (err instanceof Error ? err.name : '');

/**
 * Captures a stream into the sink. Every shard has one reader, which writes each GetRecords page with its
 * checkpoint in one step; a shard's children start only once every parent still listed is read to its end
 * (ListShards' ParentShardId / AdjacentParentShardId), so records of one partition key stay in order across
 * a split or merge. Returns when every shard is finished or caught up (`until-caught-up`), or when the
 * signal aborts (`follow`, or stopping early); what was written stays written.
 */
export async function captureKinesis(client: KinesisClient, o: KinesisCaptureOptions): Promise<void> {
  const source = `kinesis:${o.stream}`;
  const saved = o.sink.checkpoints(source);
  const firstRun = saved.size === 0;
  const startedAt = new Date().toISOString();
  const inner = new AbortController();
  const stop = AbortSignal.any([o.signal, inner.signal]);
  const request = () => ({ abortSignal: AbortSignal.any([stop, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]) });

  const known = new Map<string, Shard>();
  const finished = new Set<string>();
  const caughtUp = new Set<string>();
  const running = new Map<string, Promise<void>>();
  let failure: unknown = null;
  let wake: () => void = () => undefined;
  let listing = 0;

  const readShard = async (shardId: string): Promise<ReaderEnd> => {
    let checkpoint = saved.get(shardId);
    const fresh = async () => (await client.send(new GetShardIteratorCommand(iteratorInput(o.stream, shardId, checkpoint)), request())).ShardIterator;
    let iterator = await fresh();
    let emptyBehind = 0;
    let lastCall = 0;
    o.progress.set(shardId, { state: 'reading', position: checkpoint?.last ?? null });
    for (;;) {
      if (stop.aborted) return 'stopped';
      if (!iterator) {
        checkpoint = { last: checkpoint?.last ?? null, since: checkpoint?.since ?? null, finished: true };
        o.sink.write(source, shardId, [], checkpoint);
        return 'finished';
      }
      await pause(Math.max(0, lastCall + MIN_INTERVAL_MS - Date.now()), stop);
      if (stop.aborted) return 'stopped';
      lastCall = Date.now();
      let page;
      try {
        page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }), request());
      } catch (err) {
        if (stop.aborted) return 'stopped';
        if (errorName(err) === 'ExpiredIteratorException') {
          iterator = await fresh();
          continue;
        }
        if (errorName(err) === 'ProvisionedThroughputExceededException') {
          await pause(1000, stop);
          continue;
        }
        throw err;
      }
      const records = page.Records ?? [];
      const now = new Date().toISOString();
      const rows: CapturedRow[] = records.map((r) => ({
        stream: o.stream,
        shard: shardId,
        sequence: r.SequenceNumber ?? '',
        partitionKey: r.PartitionKey ?? '',
        ...capturedData(r.Data ?? new Uint8Array()),
        arrivalTimestamp: r.ApproximateArrivalTimestamp ? r.ApproximateArrivalTimestamp.toISOString() : null,
        ingestionTimestamp: now,
      }));
      iterator = page.NextShardIterator;
      if (rows.length > 0) {
        checkpoint = { last: rows[rows.length - 1]!.sequence, since: checkpoint?.since ?? null, finished: !iterator };
        o.sink.write(source, shardId, rows, checkpoint);
        o.progress.add(shardId, rows.length, checkpoint.last);
        o.progress.set(shardId, { state: 'reading' });
        emptyBehind = 0;
        if (!iterator) return 'finished';
        continue;
      }
      const behind = page.MillisBehindLatest ?? 0;
      // Empty pages while behind happen on sparse shards; a few in a row that say otherwise are trusted no further.
      if (iterator && (behind === 0 || ++emptyBehind > 20)) {
        if (o.mode === 'until-caught-up') return 'caught-up';
        o.progress.set(shardId, { state: 'caught-up' });
        await pause(o.idleMs ?? 1000, stop);
      }
    }
  };

  const start = (shardId: string) => {
    const done = readShard(shardId).then(
      (end) => {
        if (end === 'finished') {
          finished.add(shardId);
          o.progress.set(shardId, { state: 'finished' });
        } else if (end === 'caught-up') {
          caughtUp.add(shardId);
          o.progress.set(shardId, { state: 'caught-up' });
        } else o.progress.set(shardId, { state: 'stopped' });
      },
      (err: unknown) => {
        failure ??= err;
        inner.abort();
      },
    );
    running.set(
      shardId,
      done.finally(() => {
        running.delete(shardId);
        wake();
      }),
    );
  };

  stop.addEventListener('abort', () => wake(), { once: true });
  try {
    while (!stop.aborted) {
      const shards = await listShards(client, o.stream, request);
      const listed = new Set(shards.map((s) => s.ShardId ?? ''));
      for (const s of shards) {
        const id = s.ShardId ?? '';
        if (known.has(id)) continue;
        known.set(id, s);
        const c = saved.get(id);
        if (c?.finished) {
          finished.add(id);
          o.progress.set(id, { state: 'finished', position: c.last });
        } else if (firstRun && listing === 0 && o.from === 'latest') {
          // Only records that arrive from now on: closed shards have none to come; open ones start at this moment.
          const checkpoint: Checkpoint = s.SequenceNumberRange?.EndingSequenceNumber
            ? { last: null, since: null, finished: true }
            : { last: null, since: startedAt, finished: false };
          o.sink.write(source, id, [], checkpoint);
          saved.set(id, checkpoint);
          if (checkpoint.finished) {
            finished.add(id);
            o.progress.set(id, { state: 'finished' });
          }
        }
      }
      listing++;
      let started = 0;
      for (const [id, s] of known) {
        if (finished.has(id) || caughtUp.has(id) || running.has(id)) continue;
        // A parent no longer listed has passed the stream's retention: nothing of it is left to read first.
        if (parentsOf(s).every((p) => finished.has(p) || !listed.has(p))) {
          start(id);
          started++;
        } else o.progress.set(id, { state: 'waiting' });
      }
      if (o.mode === 'until-caught-up' && running.size === 0 && started === 0) break;
      // Wait for a reader to end (a closed shard may have children to start), or, following, for the next look at the shards.
      await new Promise<void>((resolve) => {
        wake = resolve;
        if (o.mode === 'follow') void pause(o.relistMs ?? 10_000, stop).then(resolve);
      });
      wake = () => undefined;
    }
  } catch (err) {
    if (!stop.aborted) failure ??= err;
    inner.abort();
  } finally {
    await Promise.allSettled([...running.values()]);
  }
  if (failure !== null) throw failure;
}
