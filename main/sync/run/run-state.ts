import { runPace, type DryRunPlan, type RowReject, type RunAnswers, type RunCounts, type RunStatus, type RunSummary } from '../../../shared/config/sync';
import { failureReasonWhy } from '../../../shared/config/ledger-reason';
import type { StoredSync } from '../../catalog/catalog-store';
import { sleep } from '../backoff';
import { steadyMs } from '../steady-clock';
import { Differ } from '../differ';
import type { PayloadRenderer } from '../payload-renderer';
import { describeRunError } from '../run-errors';
import { liveJson, ZERO_COUNTS } from '../run-store';
import { FatalRunError, type RunContext, type RunnerDeps, type RunOptions } from './context';
import type { Destination } from '../../../shared/config/destination';
import type { RowUnit } from '../../../shared/config/source';
import type { PgOutbox } from '../in-database/pg-outbox';
import { InDatabaseRun } from '../in-database/in-database-run';
import { Delivery } from './deliver';
import { dryRun } from './dry-run';
import { LedgerWriter } from './ledger-writer';
import { boundHeapGrowth } from './heap-growth';
import { InlineSink, ledgerSinkFor, type LedgerSink } from './ledger-sink';
import { diffModel, readModel } from './read-and-diff';
import { engineKind } from '../../destinations/kinds/registry';
import { RecordMaker } from './record-maker';
import { parseSyncTemplates } from '../sync-templates';
import type { RecordTarget } from './record-target';

const PROGRESS_INTERVAL_MS = 250;
/** How often the end of a run is tried to be recorded before it is answered from memory. */
const FINISH_ATTEMPTS = 6;

/**
 * One run of a sync, as named stages: read → diff → render → deliver (send queue, commit) → finish,
 * with progress reported throughout. Its counts, rejects and options are the stages' shared context.
 */
export class RunState implements RunContext {
  readonly counts: RunCounts = { ...ZERO_COUNTS };
  readonly answers: RunAnswers = { throttled: 0, retried: 0 };
  readonly rejects: RowReject[] = [];
  readonly startedAt = new Date().toISOString();
  private toSend = 0;
  private phase: RunSummary['phase'] = 'reading';
  private readonly startedMs = steadyMs();
  private sendStartedMs = 0;
  private fatal: string | null = null;
  private lastProgress = Number.NEGATIVE_INFINITY;
  private perShard: Record<string, number> | null = null;
  private dryRunPlan: DryRunPlan | null = null;
  /** Said in a dry run's summary (what a real run would stop on). */
  private readonly warnings: string[] = [];
  private differ: Differ | undefined;
  /** Where the run's writes go while it sends (its progress too: never waiting on a ledger thread's write lock). */
  private sink: LedgerSink | undefined;
  /** The records being sent, while they are (for the progress's records being retried). */
  private delivery: Delivery | undefined;
  /** A PostgreSQL model's in-database diff (`diff: in-database`), while the run has it open. */
  private inDatabase: InDatabaseRun | undefined;
  columns: readonly string[] | undefined;
  numberColumns: readonly string[] | undefined;
  sourceSilent: { server: string; seconds: number } | null = null;
  rowUnit: RowUnit = 'row';

  get snapshotOutbox(): PgOutbox | undefined {
    return this.inDatabase?.outbox;
  }

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
    this.progress(true); // at once: a model slow to give its first row showed no run in the app (nor Cancel) until then
    // Parse templates before reading anything: a template error stops the run at once.
    const { renderer, target } = parseSyncTemplates(destination, def);

    this.differ = new Differ(db.name, this.sync.id, def.model);
    if (model.diff === 'in-database' && source.kind === 'postgres') {
      this.inDatabase = await InDatabaseRun.open(this, source);
      try {
        this.phase = 'diffing';
        this.progress(true);
        this.toSend = await this.inDatabase.diff(this.differ, model, this.warnings);
        if (this.cancelled) return;
        await this.deliver(renderer, destination, target);
      } finally {
        await this.inDatabase.finish();
      }
      return;
    }
    const read = await readModel(this, this.differ, source, model);
    // A cancelled read answers 0 (nothing staged is used): its rows read so far stay counted, as its progress said them.
    if (this.cancelled) return;
    this.counts.read = read;

    this.phase = 'diffing';
    this.progress(true);
    this.toSend = diffModel(this, this.differ, read, this.warnings);
    await this.deliver(renderer, destination, target);
  }

  /** Render, send and commit the work list. */
  private async deliver(parsed: PayloadRenderer, destination: Destination, target: RecordTarget): Promise<void> {
    const differ = this.differ!;
    const renderer = parsed.withNumberColumns(this.numberColumns ?? []);
    this.phase = 'sending';
    this.progress(true);
    if (this.options.dryRun) {
      const records = new RecordMaker(this, renderer, new LedgerWriter(this, new InlineSink(this.deps.db)), target, engineKind(destination.kind).sizedAs);
      const dry = await dryRun(this, differ, records, destination);
      ({ perShard: this.perShard, plan: this.dryRunPlan } = dry);
      if (dry.failure) throw dry.failure; // a plan without places is no plan (it said "succeeded" with a note)
      return;
    }
    const sink = ledgerSinkFor(this.deps.db, this.toSend, this.options.ledgerThreadThreshold, (err) => this.delivery?.stop(err));
    this.sink = sink;
    const ledger = new LedgerWriter(this, sink);
    const unboundHeap = boundHeapGrowth();
    try {
      const records = new RecordMaker(this, renderer, ledger, target, engineKind(destination.kind).sizedAs);
      const publisher = await this.deps.publisherFor(destination, { runId: this.runId, dryRun: false });
      this.sendStartedMs = steadyMs();
      this.delivery = new Delivery(this, differ, records, ledger, destination, publisher);
      // Firehose routes are decided on the main thread: no render pool.
      await this.delivery.run(this.toSend, target.pool !== null);
      ledger.flushSkips(); // (a run that stopped early leaves them: the next run skips those rows again)
    } finally {
      this.sink = undefined;
      this.delivery = undefined;
      try {
        await ledger.close(); // every row written before the run's end is (a write error stops the run here)
      } finally {
        unboundHeap();
      }
    }
  }

  fail(err: unknown): void {
    const message = err instanceof FatalRunError ? err.message : describeRunError(err, this.deps.db.name);
    this.fatal ??= this.deps.redactor.redact(message);
    this.safeLog('error', 'run.failed', { runId: this.runId, sync: this.syncName, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }

  /**
   * Records how the run ended. The workspace database may refuse for a while (another process holding
   * its write lock, a full disk): the write is tried again with backoff for about half a minute, and if
   * it still fails the summary is answered from memory, naming why it could not be recorded (it is
   * written before the next run; a restart marks the run interrupted and reconciles it from the ledger).
   */
  async finish(): Promise<RunSummary> {
    this.phase = 'done';
    try {
      this.differ?.dispose();
    } catch (err) {
      this.safeLog('warn', 'run.differ-dispose-failed', { error: (err as Error).message });
    }
    const status = this.status();
    const { runs, db } = this.deps;
    const counts = { ...this.counts };
    const error = this.fatal ?? (this.warnings.length ? this.deps.redactor.redact(`A real run would stop here. ${this.warnings.join(' ')}`) : null);
    const record = () =>
      db.transaction(() => {
        if (this.rejects.length) runs.addRejects(this.runId, this.rejects.slice(0, 1000));
        runs.finish(this.runId, status, counts, error);
      })();
    let summary: RunSummary | undefined;
    let lastError: unknown;
    for (let attempt = 0; attempt < FINISH_ATTEMPTS && summary === undefined; attempt++) {
      if (attempt > 0) await sleep(Math.min(5000, 250 * 2 ** attempt));
      try {
        record();
        summary = {
          ...runs.get(this.runId)!,
          ratePerSecond: this.pace('done', undefined).ratePerSecond,
          etaSeconds: null,
          perShard: this.perShard,
          dryRunPlan: this.dryRunPlan,
          topReason: this.topReason(),
        };
      } catch (err) {
        lastError = err;
      }
    }
    if (summary === undefined) {
      this.onUnrecorded(record);
      summary = this.unrecordedSummary(status, describeRunError(lastError, db.name));
    }
    this.safeLog('info', 'run.finished', { runId: this.runId, sync: this.syncName, status, counts: this.counts, ms: Math.round(steadyMs() - this.startedMs) });
    try {
      this.deps.onProgress(summary);
    } catch (err) {
      this.safeLog('warn', 'run.progress-event-failed', { error: (err as Error).message });
    }
    return summary;
  }

  /** Why records were not sent, the most frequent reason (for the end event: alerts name it). */
  private topReason(): RunSummary['topReason'] {
    if (this.options.dryRun || (this.counts.failed === 0 && this.counts.rejectedRows === 0)) return null;
    try {
      const top = this.deps.ledger.failureReasons(this.runId, 1).reasons[0];
      if (top) return { message: this.deps.redactor.redact(failureReasonWhy(top)), count: top.count };
    } catch (err) {
      this.safeLog('warn', 'run.top-reason-unread', { error: (err as Error).message });
    }
    const keyed = this.rejects.filter((r) => r.reason === 'null-key' || r.reason === 'duplicate-key');
    return keyed[0] ? { message: this.deps.redactor.redact(keyed[0].detail), count: keyed.filter((r) => r.reason === keyed[0]!.reason).length } : null;
  }

  private unrecordedSummary(status: RunStatus, why: string): RunSummary {
    this.safeLog('error', 'run.finish-not-recorded', { runId: this.runId, error: why });
    return {
      ...this.live('done'),
      status,
      finishedAt: new Date().toISOString(),
      etaSeconds: null,
      error: this.deps.redactor.redact(
        this.fatal ? `${this.fatal} — and the run's end could not be recorded: ${why}` : `The run's end could not be recorded: ${why}`,
      ),
    };
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
    if (this.counts.failed > 0 || this.counts.rejectedRows > 0)
      return this.counts.acknowledged > 0 || this.options.dryRun ? 'partial' : this.toSend > 0 ? 'failed' : 'partial';
    return 'succeeded';
  }

  /** Its rate and time left, timed from when sending started. */
  private pace(phase: RunSummary['phase'], retrying: RunSummary['retrying']): Pick<RunSummary, 'ratePerSecond' | 'etaSeconds'> {
    const seconds = (steadyMs() - (this.sendStartedMs || this.startedMs)) / 1000;
    return runPace({ dryRun: this.options.dryRun ?? false, toSend: this.toSend, counts: this.counts, phase, retrying }, seconds);
  }

  /** The run as it stands, for progress events. */
  private live(phase: RunSummary['phase']): RunSummary {
    const retrying = this.delivery?.retrying();
    const pace = this.pace(phase, retrying);
    return {
      id: this.runId,
      sync: this.syncName,
      status: 'running',
      dryRun: this.options.dryRun ?? false,
      phase,
      startedAt: this.startedAt,
      finishedAt: null,
      counts: { ...this.counts },
      toSend: this.toSend,
      ...pace,
      error: null,
      perShard: this.perShard,
      answers: { ...this.answers },
      ...(retrying ? { retrying } : {}),
      ...(phase === 'reading' && this.sourceSilent ? { sourceSilent: { ...this.sourceSilent } } : {}),
    };
  }

  progress(force = false): void {
    this.inDatabase?.kick(); // (not throttled: the write-back starts as soon as enough is delivered)
    const now = steadyMs();
    if (!force && now - this.lastProgress < PROGRESS_INTERVAL_MS) return;
    this.lastProgress = now;
    const summary = this.live(this.phase);
    const live = liveJson(summary);
    try {
      if (this.sink) {
        this.sink.add(['progress', [this.phase, JSON.stringify(this.counts), this.toSend, live, new Date().toISOString(), this.runId]]);
        this.sink.commit();
      } else this.deps.runs.update(this.runId, { phase: this.phase, counts: this.counts, toSend: this.toSend, live });
    } catch (err) {
      // Progress is best-effort (the ledger is what counts); a locked or full database is reported
      // by the next ledger write, which stops the run.
      this.safeLog('warn', 'run.progress-not-saved', { runId: this.runId, error: (err as Error).message });
    }
    this.deps.onProgress(summary);
  }
}
