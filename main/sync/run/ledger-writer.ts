import type { Statement } from 'better-sqlite3';
import type { OutRecord, RecordLocation, RecordResult } from '../../publishers/publisher';
import { backoffDelay, type BackoffPolicy } from '../backoff';
import type { WorkItem } from '../differ';
import type { Pending, SendQueue } from './send-queue';
import type { RunContext } from './context';

type LedgerStatus = 'acknowledged' | 'failed' | 'rejected';

/** Skipped records written to the snapshot together. */
const SKIP_BATCH = 1000;

/**
 * Stage 5 — commit: ledger rows for settled records, and the snapshot moves only for acknowledged
 * ones, in one transaction per answered batch. Its statements are prepared once per run.
 */
export class LedgerWriter {
  private prepared: { upsert: Statement; remove: Statement } | undefined;
  /** Skipped records whose snapshot rows are not written yet. */
  private skipped: WorkItem[] = [];

  constructor(private readonly ctx: RunContext) {}

  /** A record that was not sent (a render error, too large): rejected in the ledger, unless a dry run. */
  reject(item: WorkItem, record: OutRecord | undefined, code: string, message: string): void {
    if (!this.ctx.options.dryRun) this.write(item, record, 'rejected', 0, code, message, null);
  }

  /**
   * A record skipped on purpose (a Firehose event no route takes): no ledger row, since nothing was
   * sent; the snapshot moves as for a delivered record (unless a dry run), so the row is not looked at
   * again until it changes. Written in batches (with the next answered batch, every SKIP_BATCH, and at
   * the end by `flushSkips`), not a transaction per row; a run that stops first leaves some for the
   * next run, which skips them again.
   */
  skip(item: WorkItem): void {
    if (this.ctx.options.dryRun) return;
    this.skipped.push(item);
    if (this.skipped.length >= SKIP_BATCH) this.ctx.deps.db.transaction(() => this.writeSkips())();
  }

  /** Writes the skipped records not yet written. */
  flushSkips(): void {
    if (this.skipped.length > 0) this.ctx.deps.db.transaction(() => this.writeSkips())();
  }

  private writeSkips(): void {
    const statements = this.statements();
    const at = new Date().toISOString();
    for (const item of this.skipped) this.delivered(item, at, statements);
    this.skipped = [];
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
    const bySeq = new Map(results.map((r) => [r.seq, r]));
    const statements = this.statements();
    const now = Date.now();
    const retries: Pending[] = [];
    /** Keys with a record of this batch going back for a retry. */
    const behind = new Set<string>();
    let resent = 0;
    ctx.deps.db.transaction(() => {
      this.writeSkips();
      for (const p of batch) {
        const r = bySeq.get(p.record.seq)!;
        const key = p.record.partitionKey;
        if (r.ok && behind.has(key)) {
          retries.push(p);
          resent++;
        } else if (r.ok) {
          this.write(p.item, p.record, 'acknowledged', p.attempts, null, null, { location: r.location, first: p.firstAttemptAt, last: attemptAt });
          this.delivered(p.item, attemptAt, statements);
        } else if (
          r.retryable &&
          !ctx.cancelled &&
          (p.attempts < policy.maxAttempts || (r.unreachable === true && now - (p.firstAttemptMs ?? now) < (policy.unreachableMs ?? 0)))
        ) {
          retries.push(p);
          behind.add(key);
        } else {
          this.write(p.item, p.record, 'failed', p.attempts, r.code, ctx.deps.redactor.redact(r.message), { first: p.firstAttemptAt, last: attemptAt });
        }
      }
    })();
    if (resent > 0) ctx.deps.log.info('run.order-kept', { runId: ctx.runId, records: resent, keys: behind.size });
    // Counted and queued only once the transaction has committed: a failed write changes nothing.
    const requeued = new Set(retries);
    for (const p of batch) {
      if (requeued.has(p)) continue;
      if (bySeq.get(p.record.seq)!.ok) ctx.counts.acknowledged++;
      else ctx.counts.failed++;
    }
    for (const p of retries) p.notBefore = Date.now() + backoffDelay(policy, Math.min(p.attempts, policy.maxAttempts));
    queue.addRetries(retries);
    return retries.length;
  }

  /** The snapshot moves for a delivered (or skipped) record: the workspace's, or for an in-database diff its outbox. */
  private delivered(item: WorkItem, at: string, statements: { upsert: Statement; remove: Statement }): void {
    const { ctx } = this;
    if (ctx.snapshotOutbox) ctx.snapshotOutbox.put(item);
    else if (item.event === 'removed') statements.remove.run(ctx.sync.id, item.key);
    else statements.upsert.run(ctx.sync.id, item.key, item.row, at);
  }

  private statements(): { upsert: Statement; remove: Statement } {
    const { db } = this.ctx.deps;
    this.prepared ??= {
      upsert: db.prepare(`INSERT INTO snapshot (sync_id, key, row, delivered_at) VALUES (?, ?, ?, ?)
                          ON CONFLICT(sync_id, key) DO UPDATE SET row = excluded.row, delivered_at = excluded.delivered_at`),
      remove: db.prepare('DELETE FROM snapshot WHERE sync_id = ? AND key = ?'),
    };
    return this.prepared;
  }

  private write(
    item: WorkItem,
    record: OutRecord | undefined,
    status: LedgerStatus,
    attempts: number,
    errorCode: string | null,
    errorMessage: string | null,
    extra: { location?: RecordLocation; first?: string; last?: string } | null,
  ): void {
    const { ctx } = this;
    ctx.deps.ledger.insert({
      runId: ctx.runId,
      syncId: ctx.sync.id,
      key: item.key,
      event: item.event,
      status,
      attempts,
      partitionKey: record?.partitionKey ?? null,
      location: extra?.location ?? null,
      errorCode,
      errorMessage,
      data: record?.data ?? null,
      firstAttemptAt: extra?.first ?? null,
      lastAttemptAt: extra?.last ?? null,
    });
  }
}
