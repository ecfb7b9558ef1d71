import type { Database, Statement } from 'better-sqlite3';
import type { Destination } from '../../shared/config/destination';
import type { Row } from '../../shared/config/source';
import type { RowReject, RunCounts, RunStatus, RunSummary, SyncEvent } from '../../shared/config/sync';
import { SluiceError } from '../../shared/ipc/errors';
import type { CatalogStore, StoredSync } from '../catalog/catalog-store';
import type { Logger } from '../log/logger';
import { PublishError, type KafkaProperties, type OutRecord, type Publisher, type RecordLocation, type RecordResult } from '../publishers/publisher';
import type { Redactor } from '../secrets/redactor';
import { openModel, type SecretResolver } from '../sources/open-model';
import { SqliteReader } from '../sources/sqlite-reader';
import { backoffDelay, DEFAULT_BACKOFF, sleep, type BackoffPolicy } from './backoff';
import { Differ, type DiffCounts, type WorkItem } from './differ';
import { LedgerStore } from './ledger-store';
import { PayloadRenderer, RenderError } from './payload-renderer';
import { KafkaMessageRenderer } from './kafka-message';
import { KafkaMessageSchema, massRemovalStop } from '../../shared/config/sync';
import { kinesisShardFor, shardRangeOf, type ShardRange } from './routing';
import { RunStore, ZERO_COUNTS } from './run-store';
import { FirehoseRouter } from './firehose-routing';
import { renderAheadFor, type RenderAhead } from './render-ahead';
import type { PoolResult } from './render-pool';
import { SendRate } from './send-rate';
import { SendQueue, type Pending } from './send-queue';
import { describeRunError } from './run-errors';

export interface RunOptions {
  dryRun?: boolean;
  /** Send only the records that failed or were rejected in this earlier run. */
  retryFailedOf?: number;
  signal?: AbortSignal;
  backoff?: BackoffPolicy;
  /** Adapt the send rate to throttling (AIMD, `send-rate.ts`); on unless false. */
  adaptiveRate?: boolean;
  /** Work lists of at least this many records render on worker threads (`render-pool.ts`); default 20,000. */
  renderPoolThreshold?: number;
  /** Send removals past the sync's mass-removal limit (`maxRemovalPercent`): the user confirmed them. */
  allowMassRemoval?: boolean;
}

export interface RunnerDeps {
  db: Database;
  catalog: CatalogStore;
  runs: RunStore;
  ledger: LedgerStore;
  log: Logger;
  redactor: Redactor;
  secrets: SecretResolver;
  /** The run is passed along so the publisher's API calls are recorded under it (the Debugger). */
  publisherFor(destination: Destination, run?: { runId: number; dryRun: boolean }): Promise<Publisher & { shards?(): Promise<{ ShardId?: string; HashKeyRange?: { StartingHashKey?: string; EndingHashKey?: string } }[]> }>;
  onProgress(summary: RunSummary): void;
}

const PAGE = 500;
/** Requests on the wire at once. */
export const MAX_IN_FLIGHT = 4;
const PROGRESS_INTERVAL_MS = 250;
/** How often the end of a run is tried to be recorded before it is answered from memory. */
const FINISH_ATTEMPTS = 6;

class FatalRunError extends Error {}

/**
 * One run of a sync: read the model, diff it against the snapshot, and deliver the selected events.
 *
 * Delivery is at-least-once: a row's snapshot entry moves only in the same transaction that records
 * the destination's acknowledgement in the ledger. Whatever is not acknowledged — rejected by the
 * destination, still being retried when the run was cancelled, or in flight when the process died —
 * is still different from the snapshot, so the next run sends it again.
 */
export class SyncRunner {
  /** Ends of runs the workspace database refused to record (locked, full), recorded as soon as it takes them. */
  private readonly unrecorded = new Map<number, () => void>();

  constructor(private readonly deps: RunnerDeps) {}

  /** Creates the run (its id is known at once) and carries it out in the background. */
  start(syncName: string, options: RunOptions = {}): { runId: number; done: Promise<RunSummary> } {
    const { catalog, runs } = this.deps;
    this.recordUnrecorded();
    const sync = catalog.getSync(syncName);
    const active = runs.activeRun(sync.id);
    if (active !== undefined) throw new SluiceError('conflict', `The sync "${syncName}" is already running (run ${active})`);
    let runId: number;
    try {
      runId = runs.create(sync.id, options.dryRun ?? false);
    } catch (err) {
      throw new SluiceError('internal', describeRunError(err, this.deps.db.name));
    }
    const state = new RunState(runId, syncName, sync, this.deps, options, (record) => this.unrecorded.set(runId, record));
    const done = (async () => {
      try {
        await state.execute();
      } catch (err) {
        state.fail(err);
      }
      return state.finish(); // never rejects: the run's end is recorded, or reported without the record
    })();
    return { runId, done };
  }

  private recordUnrecorded(): void {
    for (const [runId, record] of this.unrecorded) {
      try {
        record();
        this.unrecorded.delete(runId);
      } catch {
        // Still refused: the run stays listed as running in the history until the database takes it.
      }
    }
  }

  run(syncName: string, options: RunOptions = {}): Promise<RunSummary> {
    return this.start(syncName, options).done;
  }
}

class RunState {
  counts: RunCounts = { ...ZERO_COUNTS };
  toSend = 0;
  phase: RunSummary['phase'] = 'reading';
  private readonly startedAt = new Date().toISOString();
  private readonly startedMs = Date.now();
  private sendStartedMs = 0;
  private fatal: string | null = null;
  private lastProgress = 0;
  private perShard: Record<string, number> | null = null;
  private readonly rejects: RowReject[] = [];
  /** Said in a dry run's summary (what a real run would stop on). */
  private readonly warnings: string[] = [];
  private differ: Differ | undefined;
  private kafka: KafkaMessageRenderer | undefined;
  private firehose: FirehoseRouter | undefined;

  constructor(
    readonly runId: number,
    readonly syncName: string,
    readonly sync: StoredSync,
    readonly deps: RunnerDeps,
    readonly options: RunOptions,
    /** Called with the write of the run's end when the database refused it (tried again before the next run). */
    private readonly onUnrecorded: (record: () => void) => void = () => undefined,
  ) {}

  get cancelled(): boolean {
    return this.options.signal?.aborted ?? false;
  }

  async execute(): Promise<void> {
    const { catalog, db } = this.deps;
    const def = this.sync.definition;
    const model = catalog.getModel(def.model);
    const source = catalog.getSource(model.source);
    const destination = catalog.getDestination(def.destination);
    // Parse templates before reading anything: a template error stops the run at once.
    const renderer = new PayloadRenderer(def.payload, def.partitionKey, def.explicitHashKey);
    if (destination.kind === 'firehose' && def.firehose) this.firehose = new FirehoseRouter(def.firehose);
    if (destination.kind === 'kafka') this.kafka = new KafkaMessageRenderer(def.kafka ?? KafkaMessageSchema.parse({}), destination.topic);

    this.differ = new Differ(db.name, this.sync.id);
    const reader = await openModel(source, model, this.deps.secrets);
    const onRead = (n: number) => {
      this.counts.read = n;
      this.progress();
    };
    let read = 0;
    try {
      if (reader instanceof SqliteReader) {
        // Validated against the model alone; staged inside SQLite.
        const columns = await reader.columns();
        await reader.close();
        ({ read } = this.differ.stageSqlite(reader.file, reader.query, columns, model.primaryKey, onRead));
      } else {
        ({ read } = await this.differ.stage(reader, model.primaryKey, onRead));
      }
      this.counts.read = read;
    } finally {
      await reader.close();
    }
    if (this.cancelled) return;

    this.phase = 'diffing';
    this.progress(true);
    const dryRun = this.options.dryRun ?? false;
    const baseline = !this.sync.initialized && def.initialSync === 'baseline';
    const selected = new Set<SyncEvent>(baseline ? [] : def.triggers);
    // The mass-removal guard: checked before the snapshot changes; a dry run reports it without stopping.
    const guard = (c: DiffCounts & { snapshot: number }) => {
      const stop = this.options.allowMassRemoval ? null : massRemovalStop(c.removed, c.snapshot, def.maxRemovalPercent);
      if (stop === null) return;
      Object.assign(this.counts, { added: c.added, changed: c.changed, removed: c.removed, unchanged: c.unchanged, rejectedRows: c.rejectedRows });
      if (dryRun) this.warnings.push(stop);
      else throw new FatalRunError(stop);
    };
    const diff = this.differ.classify(selected, !dryRun, read, guard);
    Object.assign(this.counts, { added: diff.added, changed: diff.changed, removed: diff.removed, unchanged: diff.unchanged, skippedByTrigger: diff.skippedByTrigger, rejectedRows: diff.rejectedRows });
    this.toSend = diff.toSend;
    if (this.options.retryFailedOf !== undefined) {
      const { sql, params } = this.deps.ledger.failedKeysOf(this.options.retryFailedOf);
      this.toSend = this.differ.restrictTo(sql, params);
    }
    if (!dryRun && !this.sync.initialized) catalog.markInitialized(this.sync.id);
    this.rejects.push(...this.differ.listedRejects());

    this.phase = 'sending';
    this.progress(true);
    if (dryRun) await this.dryRun(renderer, destination);
    else await this.deliver(renderer, destination);
  }

  private renderItem(renderer: PayloadRenderer, item: WorkItem): OutRecord | undefined {
    const row = JSON.parse(item.row) as Row;
    const previous = item.previous === null ? null : (JSON.parse(item.previous) as Row);
    const ctx = { key: item.key, event: item.event, row, previous, run: { id: this.runId, sync: this.syncName, startedAt: this.startedAt } };
    try {
      if (this.kafka) {
        const kafka = this.kafka.render(ctx);
        const tombstone = item.event === 'removed' && this.kafka.tombstones;
        return this.kafkaRecord(item, kafka, tombstone ? null : renderer.renderBytes(ctx));
      }
      const { data, partitionKey, explicitHashKey } = renderer.render(ctx);
      const deliveryStream = this.firehose?.route(ctx);
      this.counts.rendered++;
      return { seq: item.seq, key: item.key, event: item.event, data, partitionKey, explicitHashKey, deliveryStream };
    } catch (err) {
      if (!(err instanceof RenderError)) throw err;
      const detail = `Row ${item.rowNumber ?? '(removed)'} (key ${item.key}, ${item.event}): ${err.message}`;
      this.rejects.push({ reason: 'render-error', key: item.key, rowNumber: item.rowNumber, detail });
      if (!this.options.dryRun) this.writeLedger(item, undefined, 'rejected', 0, 'RenderError', err.message, null);
      this.counts.failed++;
      return undefined;
    }
  }

  private oversize(publisher: Publisher, record: OutRecord, item: WorkItem): boolean {
    const bytes = publisher.recordBytes(record);
    if (bytes <= publisher.limits.maxRecordBytes) return false;
    const message = `The record is ${formatBytes(bytes)} (data + partition key); the destination takes at most ${formatBytes(publisher.limits.maxRecordBytes)}`;
    this.rejects.push({ reason: 'too-large', key: item.key, rowNumber: item.rowNumber, detail: `Row ${item.rowNumber ?? '(removed)'} (key ${item.key}): ${message}` });
    if (!this.options.dryRun) this.writeLedger(item, record, 'rejected', 0, 'RecordTooLarge', message, null);
    this.counts.failed++;
    return true;
  }

  private async dryRun(renderer: PayloadRenderer, destination: Destination): Promise<void> {
    const publisher = await this.deps.publisherFor(destination, { runId: this.runId, dryRun: this.options.dryRun ?? false });
    let shards: ShardRange[] = [];
    try {
      shards = ((await publisher.shards?.()) ?? []).map(shardRangeOf);
      this.perShard = Object.fromEntries(shards.map((s) => [s.shardId, 0]));
    } catch (err) {
      this.deps.log.warn('run.dry-run-no-shards', { error: (err as Error).message });
    }
    try {
      for (let after = 0; ; ) {
        const page = this.differ!.page(after, PAGE);
        if (page.length === 0 || this.cancelled) break;
        after = page[page.length - 1]!.seq;
        for (const item of page) {
          const record = this.renderItem(renderer, item);
          if (!record || this.oversize(publisher, record, item)) continue;
          const shard = shards.length ? kinesisShardFor(shards, record.partitionKey, record.explicitHashKey) : undefined;
          if (shard && this.perShard) this.perShard[shard] = (this.perShard[shard] ?? 0) + 1;
        }
        this.progress();
      }
    } finally {
      await publisher.close();
    }
  }

  /**
   * Sends the work list with up to MAX_IN_FLIGHT requests at once. Order per partition key is kept:
   * a record is never sent while an earlier record with the same partition key is on the wire or
   * waiting for a retry, so a retry can never overtake, or be overtaken by, its successors.
   */
  private async deliver(renderer: PayloadRenderer, destination: Destination): Promise<void> {
    const publisher = await this.deps.publisherFor(destination, { runId: this.runId, dryRun: this.options.dryRun ?? false });
    const policy = this.options.backoff ?? DEFAULT_BACKOFF;
    const rate = this.options.adaptiveRate === false ? undefined : new SendRate();
    const queue = new SendQueue(publisher);
    // A long work list renders on worker threads ahead of the sender (both cores); results keep their order.
    // Created inside the try below, so the publisher is closed even if starting the threads fails.
    let ahead: RenderAhead | undefined;
    const inFlight = new Set<Promise<void>>();
    let after = 0;
    let exhausted = false;
    let fatal: FatalRunError | undefined;
    this.sendStartedMs = Date.now();

    const refill = () => {
      while (!exhausted && queue.freshCount < PAGE) {
        if (ahead) {
          let got: ReturnType<RenderAhead['take']>;
          try {
            got = ahead.take();
          } catch (err) {
            // A render thread stopped: the rest renders here, from the first record not yet taken.
            this.deps.log.warn('run.render-pool-lost', { error: (err as Error).message });
            void ahead.close();
            ahead = undefined;
            continue;
          }
          if (got === 'done') exhausted = true;
          if (got === undefined || got === 'done') break;
          after = got.items[got.items.length - 1]!.seq;
          got.items.forEach((item, i) => {
            const record = this.pooledRecord(renderer, item, got.results[i]!);
            if (record && !this.oversize(publisher, record, item)) queue.addFresh({ record, item, attempts: 0, firstAttemptAt: '', notBefore: 0 });
          });
          continue;
        }
        const page = this.differ!.page(after, PAGE);
        if (page.length === 0) {
          exhausted = true;
          break;
        }
        after = page[page.length - 1]!.seq;
        for (const item of page) {
          const record = this.renderItem(renderer, item);
          if (record && !this.oversize(publisher, record, item)) queue.addFresh({ record, item, attempts: 0, firstAttemptAt: '', notBefore: 0 });
        }
      }
    };

    const launch = (batch: Pending[]) => {
      const attemptAt = new Date().toISOString();
      const attemptMs = Date.now();
      for (const p of batch) {
        p.attempts++;
        if (!p.firstAttemptAt) {
          p.firstAttemptAt = attemptAt;
          p.firstAttemptMs = attemptMs;
        }
      }
      this.counts.sent += batch.length;
      queue.markInFlight(batch);
      // This chain never rejects: whatever goes wrong while settling a batch (a failed ledger write —
      // disk full, a locked database) stops the run with its cause, instead of escaping as an
      // unhandled rejection that would take the process down.
      const request = publisher
        .send(batch.map((p) => p.record))
        .then(
          (results) => ({ results, error: undefined as PublishError | undefined }),
          (error: unknown) => ({ results: undefined, error: error instanceof PublishError ? error : new PublishError('Error', String(error), false) }),
        )
        .then(({ results, error }) => {
          queue.clearInFlight(batch);
          const outcome = results ?? batch.map((p): RecordResult => ({ seq: p.record.seq, ok: false, code: error!.code, message: error!.message, retryable: error!.retryable, ...(error!.unreachable ? { unreachable: true } : {}) }));
          const requeued = this.commit(batch, outcome, attemptAt, policy, queue);
          rate?.observe(outcome);
          if (error && !error.retryable) fatal ??= new FatalRunError(`${destinationLabel(destination)}: ${error.code}: ${error.message}`);
          if (error && requeued === 0 && !this.cancelled) {
            const tried = Math.max(...batch.map((p) => p.attempts));
            fatal ??= new FatalRunError(`${destinationLabel(destination)} kept failing after ${tried} attempts: ${error.code}: ${error.message}`);
          }
          this.progress();
        })
        .catch((err: unknown) => {
          fatal ??= new FatalRunError(describeRunError(err, this.deps.db.name));
        });
      inFlight.add(request);
      void request.finally(() => inFlight.delete(request));
    };

    try {
      if (!this.firehose) {
        const kafka = destination.kind === 'kafka' ? { message: this.sync.definition.kafka ?? KafkaMessageSchema.parse({}), defaultTopic: destination.topic } : undefined;
        ahead = renderAheadFor(this.sync.definition, this.toSend, this.options.renderPoolThreshold, { id: this.runId, sync: this.syncName, startedAt: this.startedAt }, (a, n) => this.differ!.page(a, n), kafka);
        if (ahead) this.deps.log.info('run.render-pool', { runId: this.runId, threads: ahead.threads, records: this.toSend });
      }
      refill();
      for (;;) {
        if (!this.cancelled && !fatal) {
          while (inFlight.size < MAX_IN_FLIGHT) {
            const batch = queue.nextBatch(Date.now(), rate?.allowance() ?? Number.POSITIVE_INFINITY);
            if (batch.length === 0) break;
            rate?.take(batch.length);
            launch(batch);
            // Render the next records while requests are on the wire.
            refill();
          }
        }
        if (inFlight.size > 0) {
          await Promise.race(inFlight);
          refill();
          continue;
        }
        if (this.cancelled || fatal) break;
        if (queue.freshCount === 0 && !exhausted) {
          await ahead?.ready();
          refill();
          continue;
        }
        const wake = queue.nextRetryAt();
        const paced = rate?.waitMs() ?? 0;
        if (wake === undefined) {
          if (queue.freshCount === 0) break;
          // Records wait, nothing is on the wire or due for a retry, and the rate does not hold them
          // back: the queue could not form a batch. Never spin on that; stop the run saying so.
          if (paced <= 0) throw new FatalRunError(`Sluice could not form a request from the ${queue.freshCount} records waiting (a bug: please report it with the diagnostics export)`);
          await sleep(paced, this.options.signal);
          continue;
        }
        await sleep(Math.max(0, wake - Date.now(), paced), this.options.signal);
      }
      if (fatal) throw fatal;
    } finally {
      await Promise.allSettled(inFlight);
      await ahead?.close();
      await publisher.close();
    }
  }

  /** A Kafka record: order is kept per topic and key; keyless records spread round-robin and need none. */
  private kafkaRecord(item: WorkItem, kafka: KafkaProperties, data: Buffer | null): OutRecord {
    this.counts.rendered++;
    const orderingKey = kafka.key === null ? `${kafka.topic}\u0000#${item.seq}` : `${kafka.topic}\u0000${kafka.key}`;
    return { seq: item.seq, key: item.key, event: item.event, data, partitionKey: orderingKey, kafka };
  }

  /** A record rendered on a pool thread; a row that failed there renders again here, for the usual rejection. */
  private pooledRecord(renderer: PayloadRenderer, item: WorkItem, result: PoolResult): OutRecord | undefined {
    if (!result.ok) return this.renderItem(renderer, item);
    const data = result.data === null ? null : Buffer.from(result.data, 'utf8');
    if (result.kafka) return this.kafkaRecord(item, result.kafka, data);
    this.counts.rendered++;
    return { seq: item.seq, key: item.key, event: item.event, data, partitionKey: result.partitionKey, explicitHashKey: result.explicitHashKey };
  }

  /**
   * One transaction per batch: ledger rows for settled records and the snapshot moves for acknowledged
   * ones. Answers how many records went back to the queue for a retry. A record the destination
   * could not be reached for keeps being retried until its first attempt is `unreachableMs` old.
   */
  private commit(batch: Pending[], results: RecordResult[], attemptAt: string, policy: BackoffPolicy, queue: SendQueue): number {
    const bySeq = new Map(results.map((r) => [r.seq, r]));
    const { db } = this.deps;
    const statements = this.statements();
    const now = Date.now();
    const retries: Pending[] = [];
    db.transaction(() => {
      for (const p of batch) {
        const r = bySeq.get(p.record.seq)!;
        if (r.ok) {
          this.writeLedger(p.item, p.record, 'acknowledged', p.attempts, null, null, { location: r.location, first: p.firstAttemptAt, last: attemptAt });
          if (p.item.event === 'removed') statements.remove.run(this.sync.id, p.item.key);
          else statements.upsert.run(this.sync.id, p.item.key, p.item.row, attemptAt);
        } else if (r.retryable && !this.cancelled && (p.attempts < policy.maxAttempts || (r.unreachable === true && now - (p.firstAttemptMs ?? now) < (policy.unreachableMs ?? 0)))) {
          retries.push(p);
        } else {
          this.writeLedger(p.item, p.record, 'failed', p.attempts, r.code, this.deps.redactor.redact(r.message), { first: p.firstAttemptAt, last: attemptAt });
        }
      }
    })();
    // Counted and queued only once the transaction has committed: a failed write changes nothing.
    const requeued = new Set(retries);
    for (const p of batch) {
      const r = bySeq.get(p.record.seq)!;
      if (r.ok) this.counts.acknowledged++;
      else if (!requeued.has(p)) this.counts.failed++;
    }
    for (const p of retries) p.notBefore = Date.now() + backoffDelay(policy, Math.min(p.attempts, policy.maxAttempts));
    queue.addRetries(retries);
    return retries.length;
  }

  private prepared: { upsert: Statement; remove: Statement } | undefined;

  /** The snapshot statements, prepared once per run. */
  private statements(): { upsert: Statement; remove: Statement } {
    const { db } = this.deps;
    this.prepared ??= {
      upsert: db.prepare(`INSERT INTO snapshot (sync_id, key, row, delivered_at) VALUES (?, ?, ?, ?)
                          ON CONFLICT(sync_id, key) DO UPDATE SET row = excluded.row, delivered_at = excluded.delivered_at`),
      remove: db.prepare('DELETE FROM snapshot WHERE sync_id = ? AND key = ?'),
    };
    return this.prepared;
  }

  private writeLedger(
    item: WorkItem,
    record: OutRecord | undefined,
    status: 'acknowledged' | 'failed' | 'rejected',
    attempts: number,
    errorCode: string | null,
    errorMessage: string | null,
    extra: { location?: RecordLocation; first?: string; last?: string } | null,
  ): void {
    this.deps.ledger.insert({
      runId: this.runId,
      syncId: this.sync.id,
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

  fail(err: unknown): void {
    const message = err instanceof FatalRunError ? err.message : describeRunError(err, this.deps.db.name);
    this.fatal ??= this.deps.redactor.redact(message);
    this.safeLog('error', 'run.failed', { runId: this.runId, sync: this.syncName, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }

  /**
   * Records how the run ended. The workspace database may refuse for a while (another process holding
   * its write lock, a full disk): the write is tried again with backoff for about half a minute, and if
   * it still fails the summary is answered from memory, naming why it could not be recorded (the next
   * start marks the run interrupted and reconciles its counts from the ledger).
   */
  async finish(): Promise<RunSummary> {
    this.phase = 'done';
    try {
      this.differ?.dispose();
    } catch (err) {
      this.safeLog('warn', 'run.differ-dispose-failed', { error: (err as Error).message });
    }
    const status = this.status();
    let summary: RunSummary | undefined;
    let lastError: unknown;
    const { runs, db } = this.deps;
    const counts = { ...this.counts };
    const error = this.fatal ?? (this.warnings.length ? this.deps.redactor.redact(`A real run would stop here. ${this.warnings.join(' ')}`) : null);
    const record = () =>
      db.transaction(() => {
        if (this.rejects.length) runs.addRejects(this.runId, this.rejects.slice(0, 1000));
        runs.finish(this.runId, status, counts, error);
      })();
    for (let attempt = 0; attempt < FINISH_ATTEMPTS && summary === undefined; attempt++) {
      if (attempt > 0) await sleep(Math.min(5000, 250 * 2 ** attempt));
      try {
        record();
        summary = { ...runs.get(this.runId)!, ratePerSecond: this.rate(), etaSeconds: null, perShard: this.perShard };
      } catch (err) {
        lastError = err;
      }
    }
    if (summary === undefined) {
      const why = describeRunError(lastError, this.deps.db.name);
      this.onUnrecorded(record);
      this.safeLog('error', 'run.finish-not-recorded', { runId: this.runId, error: why });
      summary = {
        id: this.runId,
        sync: this.syncName,
        status,
        dryRun: this.options.dryRun ?? false,
        phase: 'done',
        startedAt: this.startedAt,
        finishedAt: new Date().toISOString(),
        counts: { ...this.counts },
        toSend: this.toSend,
        ratePerSecond: this.rate(),
        etaSeconds: null,
        error: this.deps.redactor.redact(this.fatal ? `${this.fatal} — and the run's end could not be recorded: ${why}` : `The run's end could not be recorded: ${why}`),
        perShard: this.perShard,
      };
    }
    this.safeLog('info', 'run.finished', { runId: this.runId, sync: this.syncName, status, counts: this.counts, ms: Date.now() - this.startedMs });
    try {
      this.deps.onProgress(summary);
    } catch (err) {
      this.safeLog('warn', 'run.progress-event-failed', { error: (err as Error).message });
    }
    return summary;
  }

  /** A log line that cannot fail the run (the log's disk may be the full one). */
  private safeLog(level: 'info' | 'warn' | 'error', event: string, fields: Record<string, unknown>): void {
    try {
      this.deps.log[level](event, fields);
    } catch {
      // Nothing more to do: the run's outcome still reaches the caller.
    }
  }

  private status(): RunStatus {
    if (this.cancelled) return 'cancelled';
    if (this.fatal !== null) return this.counts.acknowledged > 0 ? 'partial' : 'failed';
    if (this.counts.failed > 0 || this.counts.rejectedRows > 0) return this.counts.acknowledged > 0 || this.options.dryRun ? 'partial' : this.toSend > 0 ? 'failed' : 'partial';
    return 'succeeded';
  }

  private rate(): number {
    const seconds = (Date.now() - (this.sendStartedMs || this.startedMs)) / 1000;
    const done = this.options.dryRun ? this.counts.rendered : this.counts.acknowledged;
    return seconds > 0 ? Math.round((done / seconds) * 10) / 10 : 0;
  }

  progress(force = false): void {
    const now = Date.now();
    if (!force && now - this.lastProgress < PROGRESS_INTERVAL_MS) return;
    this.lastProgress = now;
    try {
      this.deps.runs.update(this.runId, { phase: this.phase, counts: this.counts, toSend: this.toSend });
    } catch (err) {
      // Progress is best-effort (the ledger is what counts); a locked or full database is reported
      // by the next ledger write, which stops the run.
      this.safeLog('warn', 'run.progress-not-saved', { runId: this.runId, error: (err as Error).message });
    }
    const rate = this.rate();
    const remaining = this.toSend - this.counts.acknowledged - this.counts.failed;
    this.deps.onProgress({
      id: this.runId,
      sync: this.syncName,
      status: 'running',
      dryRun: this.options.dryRun ?? false,
      phase: this.phase,
      startedAt: this.startedAt,
      finishedAt: null,
      counts: { ...this.counts },
      toSend: this.toSend,
      ratePerSecond: rate,
      etaSeconds: this.phase === 'sending' && rate > 0 ? Math.ceil(remaining / rate) : null,
      error: null,
      perShard: this.perShard,
    });
  }
}

function destinationLabel(destination: Destination): string {
  switch (destination.kind) {
    case 'kinesis':
      return `Kinesis stream ${destination.stream}`;
    case 'firehose':
      return `Firehose delivery stream ${destination.deliveryStream}`;
    case 'sandbox-kinesis':
      return `Sandbox stream ${destination.stream}`;
    case 'kafka':
      return `Kafka (${destination.brokers.join(', ')})`;
  }
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(2)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} B`;
}
