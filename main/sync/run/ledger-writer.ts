import { CANCEL_ABORTED, NOT_TRIED_AGAIN } from '../../../shared/config/run-arrival';
import type { RowReject } from '../../../shared/config/sync';
import type { OutRecord, RecordLocation, RecordResult } from '../../publishers/publisher';
import { backoffDelay, type BackoffPolicy } from '../backoff';
import type { WorkItem } from '../differ';
import type { Pending, SendQueue } from './send-queue';
import type { RunContext } from './context';
import type { LedgerSink } from './ledger-sink';
import type { SqlParam } from './ledger-statements';
import { steadyMs } from '../steady-clock';

type LedgerStatus = 'acknowledged' | 'failed' | 'rejected';

/** Skipped records committed together. */
const SKIP_BATCH = 1000;

/** Skipped records listed per run with their reason (all are counted). */
export const SKIPS_LISTED = 100;

/**
 * Stage 5 — commit: ledger rows for settled records, and the snapshot moves only for acknowledged
 * ones, as one unit per answered batch, through the run's ledger sink (inline, or a ledger thread for
 * long work lists: `ledger-sink.ts`). A record is counted, and a rejected or skipped one listed in
 * the run's rows not sent (`ctx.rejects`), once its unit has committed.
 */
export class LedgerWriter {
  /** Skipped records added to the sink and not committed yet: how each is listed (made only for those listed). */
  private skipped: (() => RowReject)[] = [];

  constructor(
    private readonly ctx: RunContext,
    private readonly sink: LedgerSink,
  ) {}

  /** Writes made and not committed yet (a ledger thread's backlog). */
  get backlog(): number {
    return this.sink.backlog;
  }

  /** Resolves once at most `max` writes wait for their commit. */
  below(max: number): Promise<void> {
    return this.sink.below(max);
  }

  /** Commits what is left (skipped records too, counted once committed) and lets go of the sink; rejects with the first write error. */
  async close(): Promise<void> {
    this.flushSkips();
    await this.sink.close();
  }

  /**
   * A record that was not sent (a render error, too large): rejected in the ledger, unless a dry run,
   * and counted failed (refused) and listed (`listed`, in the run's rows not sent) once that has
   * committed, as settled records are: on a ledger thread a run stopped by a failed commit counted the
   * rejects its ledger never got, and listed them still.
   */
  reject(item: WorkItem, record: OutRecord | undefined, code: string, message: string, listed: RowReject): void {
    const { counts, rejects } = this.ctx;
    const counted = () => {
      counts.failed++;
      counts.refused++;
      rejects.push(listed);
    };
    if (this.ctx.options.dryRun) return counted();
    this.write(item, record, 'rejected', 0, code, message, null, null, null);
    this.sink.commit(this.withSkips(counted));
  }

  /**
   * A record skipped on purpose (a Firehose event no route takes): no ledger row, since nothing was
   * sent; the snapshot moves as for a delivered record (unless a dry run), so the row is not looked at
   * again until it changes. Committed in batches (with the next answered batch, every SKIP_BATCH, and
   * at the end by `flushSkips`), not one per row; a run whose ledger fails first leaves some for the
   * next run, which skips them again. Counted (`skippedUnmatched`), and the first SKIPS_LISTED listed
   * as `listing` makes them, once their snapshot move has committed (in a dry run at once).
   */
  skip(item: WorkItem, listing: () => RowReject): void {
    if (this.ctx.options.dryRun) return this.skipsCommitted([listing]);
    this.delivered(item, new Date().toISOString());
    this.skipped.push(listing);
    if (this.skipped.length >= SKIP_BATCH) this.flushSkips();
  }

  /** Commits the skipped records not yet committed. */
  flushSkips(): void {
    if (this.skipped.length === 0) return;
    this.sink.commit(this.withSkips());
  }

  /** `then`, and the count of the skipped records not yet committed, for the unit about to commit (which holds their snapshot moves). */
  private withSkips(then?: () => void): (() => void) | undefined {
    const skips = this.skipped;
    if (skips.length === 0) return then;
    this.skipped = [];
    return () => {
      this.skipsCommitted(skips); // (first: made before the unit's own records)
      then?.();
    };
  }

  private skipsCommitted(skips: readonly (() => RowReject)[]): void {
    const { counts, rejects } = this.ctx;
    for (const listing of skips) if (++counts.skippedUnmatched <= SKIPS_LISTED) rejects.push(listing());
  }

  /**
   * Settles an answered batch. Answers how many records went back to the queue for a retry. A record
   * the destination could not be reached for keeps being retried until its first attempt is
   * `unreachableMs` old, whatever its count.
   *
   * Order guard: a request can carry several records of one partition key, and Kinesis answers each
   * record on its own, so a record may be throttled while a later record of its key was written. That
   * later record goes back in line behind it and is written again after it (a duplicate, never a
   * reordering: each record's last copy stays in work-list order, and the ledger keeps that copy's
   * place). Such a record goes again whatever its count of attempts (it stays behind as long as the
   * one before it is retried, which is bounded); a failure of its own is retried as any other.
   */
  settle(batch: Pending[], results: RecordResult[], attemptAt: string, policy: BackoffPolicy, queue: SendQueue): number {
    const { ctx } = this;
    // One answer per record, in the batch's order (the Publisher contract); checked before anything is written.
    if (results.length !== batch.length || batch.some((p, i) => results[i]?.seq !== p.record.seq))
      throw new Error(`The destination answered ${results.length} records out of the ${batch.length} sent, or not in their order: a bug in Sluice`);
    const now = steadyMs();
    const retries: Pending[] = [];
    /** Keys with a record of this batch going back for a retry. */
    const behind = new Set<string>();
    let resent = 0;
    let acknowledged = 0;
    let failed = 0;
    let givenUp = 0;
    for (let i = 0; i < batch.length; i++) {
      const p = batch[i]!;
      const r = results[i]!;
      const key = p.record.partitionKey;
      if (r.ok && behind.has(key)) {
        retries.push(p);
        resent++;
      } else if (r.ok) {
        this.write(p.item, p.record, 'acknowledged', p.attempts, null, null, r.location, p.firstAttemptAt, attemptAt);
        this.delivered(p.item, attemptAt);
        acknowledged++;
      } else if (
        r.retryable &&
        !ctx.cancelled &&
        (p.attempts < policy.maxAttempts || (r.unreachable === true && now - (p.firstAttemptMs ?? now) < (policy.unreachableMs ?? 0)))
      ) {
        retries.push(p);
        behind.add(key);
      } else {
        // A retryable failure is final here only because the run was cancelled, and a request the cancel gave up
        // unanswered (AbortError) failed for the cancel alone: their reason says so, and they are counted apart.
        const givenUpNow = ctx.cancelled && (r.retryable || r.code === CANCEL_ABORTED);
        const why = givenUpNow ? `${r.message} ${NOT_TRIED_AGAIN}` : r.message;
        this.write(p.item, p.record, 'failed', p.attempts, r.code, ctx.deps.redactor.redact(why), null, p.firstAttemptAt, attemptAt);
        failed++;
        if (givenUpNow) givenUp++;
      }
    }
    if (resent > 0) ctx.deps.log.info('run.order-kept', { runId: ctx.runId, records: resent, keys: behind.size });
    // Counted once the unit has committed; queued again once it is handed over (inline: committed, so
    // a failed write changes nothing; on a ledger thread a failed write stops the run, and a record
    // whose row was not written is sent again by the next run).
    this.sink.commit(
      this.withSkips(() => {
        ctx.counts.acknowledged += acknowledged;
        ctx.counts.failed += failed;
        ctx.counts.givenUp += givenUp;
      }),
    );
    for (const p of retries) p.notBefore = steadyMs() + backoffDelay(policy, Math.min(p.attempts, policy.maxAttempts));
    queue.addRetries(retries);
    return retries.length;
  }

  /** The snapshot moves for a delivered (or skipped) record: the workspace's, or for an in-database diff its outbox. */
  private delivered(item: WorkItem, at: string): void {
    const { ctx, sink } = this;
    if (ctx.snapshotOutbox) sink.add(['outbox', ctx.snapshotOutbox.entry(item)]);
    else if (item.event === 'removed') sink.add(['remove', [ctx.sync.id, item.key]]);
    else sink.add(['upsert', [ctx.sync.id, item.key, item.row, at]]);
  }

  /**
   * A ledger row, its values in the order of LEDGER_STATEMENTS.ledger's columns. Positional, made
   * straight into the one array the sink packs: through an object of named fields and an object of
   * the answer's place and times, each record made two more objects of garbage.
   */
  private write(
    item: WorkItem,
    record: OutRecord | undefined,
    status: LedgerStatus,
    attempts: number,
    errorCode: string | null,
    errorMessage: string | null,
    at: RecordLocation | null,
    firstAttemptAt: string | null,
    lastAttemptAt: string | null,
  ): void {
    const { ctx } = this;
    const data = record?.data ?? null;
    const row: SqlParam[] = [
      ctx.runId,
      ctx.sync.id,
      item.key,
      item.event,
      status,
      attempts,
      record?.partitionKey ?? null,
      null, // shard_id
      null, // sequence_number
      null, // record_id
      null, // topic (or Firehose delivery stream)
      null, // kafka_partition
      null, // kafka_offset
      errorCode,
      errorMessage,
      data,
      data?.length ?? 0,
      firstAttemptAt,
      lastAttemptAt,
    ];
    if (at) placeAt(row, at);
    this.sink.add(['ledger', row]);
  }
}

/** Where a record landed, into its ledger row's place columns (shard_id … kafka_offset). */
function placeAt(row: SqlParam[], at: RecordLocation): void {
  if ('shardId' in at) {
    row[7] = at.shardId;
    row[8] = at.sequenceNumber;
  } else if ('recordId' in at) {
    row[9] = at.recordId;
    row[10] = at.deliveryStream ?? null;
  } else {
    row[10] = at.topic;
    row[11] = at.partition;
    row[12] = at.offset;
  }
}
