// Capture from Kinesis: one reader per shard, a closed parent read to its end before its children start.
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
  type GetRecordsCommandOutput,
  type GetShardIteratorCommandInput,
  type KinesisClient,
  type Shard,
} from '@aws-sdk/client-kinesis';
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
  await new KinesisCapture(client, o).run();
}

class KinesisCapture {
  private readonly source: string;
  private readonly saved: Map<string, Checkpoint>;
  private readonly firstRun: boolean;
  private readonly startedAt = new Date().toISOString();
  private readonly inner = new AbortController();
  private readonly stop: AbortSignal;
  private readonly known = new Map<string, Shard>();
  private readonly finished = new Set<string>();
  private readonly caughtUp = new Set<string>();
  private readonly running = new Map<string, Promise<void>>();
  private failure: unknown = null;
  private wake: () => void = () => undefined;
  private listing = 0;

  constructor(
    private readonly client: KinesisClient,
    private readonly o: KinesisCaptureOptions,
  ) {
    this.source = `kinesis:${o.stream}`;
    this.saved = o.sink.checkpoints(this.source);
    this.firstRun = this.saved.size === 0;
    this.stop = AbortSignal.any([o.signal, this.inner.signal]);
  }

  private readonly request = () => ({ abortSignal: AbortSignal.any([this.stop, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]) });

  async run(): Promise<void> {
    const { o, stop } = this;
    stop.addEventListener('abort', () => this.wake(), { once: true });
    try {
      while (!stop.aborted) {
        const shards = await listShards(this.client, o.stream, this.request);
        for (const s of shards) this.meet(s);
        this.listing++;
        const started = this.startReady(new Set(shards.map((s) => s.ShardId ?? '')));
        if (o.mode === 'until-caught-up' && this.running.size === 0 && started === 0) break;
        // Wait for a reader to end (a closed shard may have children to start), or, following, for the next look at the shards.
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          if (o.mode === 'follow') void pause(o.relistMs ?? 10_000, stop).then(resolve);
        });
        this.wake = () => undefined;
      }
    } catch (err) {
      if (!stop.aborted) this.failure ??= err;
      this.inner.abort();
    } finally {
      await Promise.allSettled([...this.running.values()]);
    }
    if (this.failure !== null) throw this.failure;
  }

  /** A shard listed for the first time: finished already (its checkpoint says so), or, capturing from `latest` on the first run, started at this moment. */
  private meet(s: Shard): void {
    const { o } = this;
    const id = s.ShardId ?? '';
    if (this.known.has(id)) return;
    this.known.set(id, s);
    const c = this.saved.get(id);
    if (c?.finished) {
      this.finished.add(id);
      o.progress.set(id, { state: 'finished', position: c.last });
    } else if (this.firstRun && this.listing === 0 && o.from === 'latest') {
      // Only records that arrive from now on: closed shards have none to come; open ones start at this moment.
      const checkpoint: Checkpoint = s.SequenceNumberRange?.EndingSequenceNumber
        ? { last: null, since: null, finished: true }
        : { last: null, since: this.startedAt, finished: false };
      o.sink.write(this.source, id, [], checkpoint);
      this.saved.set(id, checkpoint);
      if (checkpoint.finished) {
        this.finished.add(id);
        o.progress.set(id, { state: 'finished' });
      }
    }
  }

  /** Starts a reader on every shard whose parents are read to their end (or no longer listed); the number started. */
  private startReady(listed: Set<string>): number {
    let started = 0;
    for (const [id, s] of this.known) {
      if (this.finished.has(id) || this.caughtUp.has(id) || this.running.has(id)) continue;
      // A parent no longer listed has passed the stream's retention: nothing of it is left to read first.
      if (parentsOf(s).every((p) => this.finished.has(p) || !listed.has(p))) {
        this.start(id);
        started++;
      } else this.o.progress.set(id, { state: 'waiting' });
    }
    return started;
  }

  private start(shardId: string): void {
    const { o } = this;
    const done = this.readShard(shardId).then(
      (end) => {
        if (end === 'finished') {
          this.finished.add(shardId);
          o.progress.set(shardId, { state: 'finished' });
        } else if (end === 'caught-up') {
          this.caughtUp.add(shardId);
          o.progress.set(shardId, { state: 'caught-up' });
        } else o.progress.set(shardId, { state: 'stopped' });
      },
      (err: unknown) => {
        this.failure ??= err;
        this.inner.abort();
      },
    );
    this.running.set(
      shardId,
      done.finally(() => {
        this.running.delete(shardId);
        this.wake();
      }),
    );
  }

  private async readShard(shardId: string): Promise<ReaderEnd> {
    const { o, stop } = this;
    let checkpoint = this.saved.get(shardId);
    const fresh = async () => (await this.client.send(new GetShardIteratorCommand(iteratorInput(o.stream, shardId, checkpoint)), this.request())).ShardIterator;
    let iterator = await fresh();
    let emptyBehind = 0;
    let lastCall = 0;
    o.progress.set(shardId, { state: 'reading', position: checkpoint?.last ?? null });
    for (;;) {
      if (stop.aborted) return 'stopped';
      if (!iterator) return this.finish(shardId, checkpoint);
      await pause(Math.max(0, lastCall + MIN_INTERVAL_MS - Date.now()), stop);
      if (stop.aborted) return 'stopped';
      lastCall = Date.now();
      const page = await this.getRecords(iterator);
      if (page === 'stopped') return 'stopped';
      if (page === 'expired') {
        iterator = await fresh();
        continue;
      }
      if (page === 'throttled') continue;
      const rows = this.rowsOf(shardId, page.Records ?? []);
      iterator = page.NextShardIterator;
      if (rows.length > 0) {
        checkpoint = this.write(shardId, rows, checkpoint, !iterator);
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
  }

  /** The shard is read to its end (it was closed): its checkpoint says so. */
  private finish(shardId: string, c: Checkpoint | undefined): 'finished' {
    this.o.sink.write(this.source, shardId, [], { last: c?.last ?? null, since: c?.since ?? null, finished: true });
    return 'finished';
  }

  /** A page's rows written with the shard's new checkpoint in one step. */
  private write(shardId: string, rows: CapturedRow[], c: Checkpoint | undefined, finished: boolean): Checkpoint {
    const checkpoint = { last: rows[rows.length - 1]!.sequence, since: c?.since ?? null, finished };
    this.o.sink.write(this.source, shardId, rows, checkpoint);
    this.o.progress.add(shardId, rows.length, checkpoint.last);
    this.o.progress.set(shardId, { state: 'reading' });
    return checkpoint;
  }

  /** One GetRecords page; an expired iterator or a throttled shard (after a second's pause) says so instead. */
  private async getRecords(iterator: string): Promise<GetRecordsCommandOutput | 'stopped' | 'expired' | 'throttled'> {
    try {
      return await this.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }), this.request());
    } catch (err) {
      if (this.stop.aborted) return 'stopped';
      if (errorName(err) === 'ExpiredIteratorException') return 'expired';
      if (errorName(err) === 'ProvisionedThroughputExceededException') {
        await pause(1000, this.stop);
        return 'throttled';
      }
      throw err;
    }
  }

  private rowsOf(shardId: string, records: _Record[]): CapturedRow[] {
    const now = new Date().toISOString();
    return records.map((r) => ({
      stream: this.o.stream,
      shard: shardId,
      sequence: r.SequenceNumber ?? '',
      partitionKey: r.PartitionKey ?? '',
      ...capturedData(r.Data ?? new Uint8Array()),
      arrivalTimestamp: r.ApproximateArrivalTimestamp ? r.ApproximateArrivalTimestamp.toISOString() : null,
      ingestionTimestamp: now,
    }));
  }
}
