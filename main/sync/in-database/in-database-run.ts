import type { Model, Source } from '../../../shared/config/source';
import { massRemovalStop, type SyncEvent } from '../../../shared/config/sync';
import type { Differ } from '../differ';
import { FatalRunError, removalsConfirmed, type RunContext } from '../run/context';
import type { DirectRecorder, Recorded } from './pg-direct-record';
import { PgOutbox } from './pg-outbox';
import { DiffCancelled, PgSnapshot, type InDatabaseDiff } from './pg-snapshot';
import { droppedSnapshotTables, snapshotTableFor, staleSnapshotTables } from './snapshot-table';

type PostgresSource = Extract<Source, { kind: 'postgres' }>;

/**
 * Outbox entries that start a flush while the run is still sending (looked at with each answered
 * batch): the snapshot is written while records go out, and little is left for the run's end.
 */
const FLUSH_AT = 1000;

/**
 * A write-back of at least this share of the snapshot's rows (a first run's every row) ends with the
 * table vacuumed: the next diff's scan of it would otherwise mark every new row version as committed
 * (hint bits) and write the pages again, which made the first diff after a 10M-row baseline take 27 s
 * against 10 s. Autovacuum does it too, in its own time; a few seconds at the end of a long run.
 */
const VACUUM_SHARE = 0.2;

/**
 * A run's in-database diff (a PostgreSQL model with `diff: in-database`): opens the snapshot table (made
 * on the first run), first moves to it what an earlier run delivered but did not write back (a killed
 * run: its outbox), then diffs in SQL into the run's work list. Delivered records reach the outbox in
 * the ledger's transaction and PostgreSQL in batches while the run goes and at its end.
 */
export class InDatabaseRun {
  private flushing: Promise<void> = Promise.resolve();
  private flushError: unknown;
  /** A background flush is running. */
  private active = false;
  /** Rows this run wrote to the snapshot table (outbox entries and rows recorded without sending), and the table's rows when it diffed (null before). */
  private written = 0;
  private snapshotRows: number | null = null;

  private constructor(
    private readonly ctx: RunContext,
    private readonly snapshot: PgSnapshot,
    readonly outbox: PgOutbox,
  ) {}

  static async open(ctx: RunContext, source: PostgresSource): Promise<InDatabaseRun> {
    const password = source.password ? await ctx.deps.secrets.forSource(source).resolve(source.password) : undefined;
    const snapshot = await PgSnapshot.open(source, password, snapshotTableFor(ctx.deps.db, ctx.sync.id), ctx.options.signal);
    const run = new InDatabaseRun(ctx, snapshot, new PgOutbox(ctx.deps.db, ctx.sync.id));
    try {
      await run.dropForgottenTables();
    } catch (err) {
      await snapshot.close();
      throw err;
    }
    try {
      const reconciled = await run.flush();
      if (reconciled > 0) ctx.deps.log.info('run.in-database-reconciled', { runId: ctx.runId, entries: reconciled });
    } catch (err) {
      await snapshot.close();
      throw new FatalRunError(
        `An earlier run's delivered rows could not be written to the snapshot in PostgreSQL, so nothing was diffed (they are kept and written first next time): ${(err as Error).message}`,
      );
    }
    return run;
  }

  /** Drops the tables of the snapshots the sync forgot when it started over (those PostgreSQL refuses stay listed, for the next run). */
  private async dropForgottenTables(): Promise<void> {
    const { deps, sync, runId } = this.ctx;
    const stale = staleSnapshotTables(deps.db, sync.id);
    if (stale.length === 0) return;
    const dropped = await this.snapshot.dropTables(stale);
    droppedSnapshotTables(deps.db, sync.id, dropped);
    deps.log.info('run.in-database-old-snapshots-dropped', { runId, dropped: dropped.length, left: stale.length - dropped.length });
  }

  /** Diffs in PostgreSQL into `differ`'s work list; as `diffModel` does for the local differ. Answers how many records are to be sent. */
  async diff(differ: Differ, model: Model, warnings: string[]): Promise<number> {
    const { ctx } = this;
    const { sync, options } = ctx;
    const def = sync.definition;
    const dryRun = options.dryRun ?? false;
    const baseline = !sync.initialized && def.initialSync === 'baseline';
    const selected = new Set<SyncEvent>(baseline ? [] : def.triggers);
    const unselected = (['added', 'changed', 'removed'] as const).filter((e) => !selected.has(e));
    const record = (items: readonly Recorded[]) => {
      if (!dryRun) ctx.deps.db.transaction(() => items.forEach((i) => this.outbox.put(i)))();
    };
    // Rows this run records without sending (events this sync does not send: a baseline's every row;
    // fingerprints that changed while the row did not) are written to PostgreSQL as the diff reads them
    // out (pg-direct-record.ts), not through the work list and the outbox — when the mass-removal guard
    // cannot stop the run, which would have to stop with nothing recorded. A 10M-row baseline took 200 s
    // through the outbox.
    let recordNow = false;
    let viaOutbox = false;
    const recorder = this.snapshot.directRecorder((items) => {
      if (!viaOutbox) ctx.deps.log.warn('run.in-database-record-via-outbox', { runId: ctx.runId, reason: 'no second connection to PostgreSQL' });
      viaOutbox = true;
      record(items);
    });
    let result: InDatabaseDiff;
    // Rows whose fingerprint changed while the row did not (a snapshot a Sluice with another fingerprint wrote: all of it, once).
    let refreshed = 0;
    try {
      result = await this.snapshot.diff(
        model,
        (items) => {
          if (!recordNow || unselected.length === 0) return differ.addWork(items);
          const send = items.filter((i) => selected.has(i.event));
          if (send.length > 0) differ.addWork(send);
          if (send.length < items.length) recorder.add(items.filter((i) => !selected.has(i.event)));
        },
        (items) => {
          refreshed += items.length;
          return recordNow ? recorder.add(items) : record(items);
        },
        ({ read, removed, snapshot }) => {
          ctx.counts.read = read;
          ctx.progress();
          const guarded = !removalsConfirmed(options, removed) && massRemovalStop(removed, snapshot, def.maxRemovalPercent) !== null;
          recordNow = !dryRun && !guarded;
        },
        options.signal,
        () => recorder.paced(),
      );
    } catch (err) {
      await this.closeRecorder(recorder).catch(() => undefined);
      if (err instanceof DiffCancelled) return 0; // (the run ends cancelled; nothing was read out to send)
      throw err;
    }
    await this.closeRecorder(recorder);
    if (refreshed > 0 && !dryRun) ctx.deps.log.info('run.in-database-fingerprints-refreshed', { runId: ctx.runId, rows: refreshed });
    if (result.join.sessions > 1) ctx.deps.log.info('run.in-database-join-split', { runId: ctx.runId, sessions: result.join.sessions });
    // (where only: the helper's own error may quote a row's value)
    if (result.join.gaveBack) ctx.deps.log.info('run.in-database-join-given-back', { runId: ctx.runId, at: result.join.gaveBack });
    this.snapshotRows = result.snapshot;
    ctx.numberColumns = result.numberColumns;
    const { read, added, changed, removed, unchanged, rejectedRows } = result;
    Object.assign(ctx.counts, { read, added, changed, removed, unchanged, rejectedRows });
    const stop = removalsConfirmed(options, result.removed) ? null : massRemovalStop(result.removed, result.snapshot, def.maxRemovalPercent, result.added);
    if (stop !== null) {
      if (dryRun) warnings.push(stop);
      else throw new FatalRunError(stop);
    }
    // Events whose trigger is off leave the work list (if they went into it); unless this is a dry run, the snapshot records them.
    differ.drainEvents(unselected, record);
    ctx.counts.skippedByTrigger = unselected.reduce((n, e) => n + result[e], 0);
    let toSend = differ.workCount();
    if (options.retryFailedOf !== undefined) {
      const { sql, params } = ctx.deps.ledger.failedKeysOf(options.retryFailedOf);
      toSend = differ.restrictTo(sql, params);
    }
    if (!dryRun && !sync.initialized) ctx.deps.catalog.markInitialized(sync.id);
    ctx.rejects.push(...result.rejects);
    return toSend;
  }

  /**
   * While sending (called with each answered batch): a flush in the background once enough entries
   * wait, one at a time, each until the outbox is empty — so the write-back keeps pace with the sending
   * and little is left for the run's end. A failure is kept for `finish`, which tries once more.
   */
  kick(): void {
    // (The snapshot's connection is the diff's until it has read the delta out.)
    if (this.snapshot.diffing || this.active || this.flushError !== undefined || !this.outbox.holds(FLUSH_AT)) return;
    this.active = true;
    this.flushing = this.flushing.then(async () => {
      try {
        await this.flush();
      } catch (err) {
        this.flushError = err;
      } finally {
        this.active = false;
      }
    });
  }

  /** Waits for the rows recorded without sending to be written; a refusal stops the run (before anything is sent). */
  private async closeRecorder(recorder: DirectRecorder): Promise<void> {
    try {
      await recorder.close();
    } catch (err) {
      const where = recorder.fallbackFailed ? "kept in the workspace's outbox for the snapshot in PostgreSQL" : 'written to the snapshot in PostgreSQL';
      throw new FatalRunError(
        `Rows this run records without sending them could not be ${where} (nothing was sent; the next run finds them again): ${(err as Error).message}`,
      );
    } finally {
      this.written += recorder.written;
    }
  }

  private async flush(): Promise<number> {
    const moved = await this.snapshot.flush(this.outbox);
    this.written += moved;
    return moved;
  }

  /** VACUUM (ANALYZE) of the snapshot table; if PostgreSQL refuses (not its owner, say), autovacuum does it in its own time. */
  private async vacuum(): Promise<void> {
    const started = Date.now();
    try {
      await this.snapshot.vacuum();
      this.ctx.deps.log.info('run.in-database-snapshot-vacuumed', { runId: this.ctx.runId, written: this.written, ms: Date.now() - started });
    } catch (err) {
      this.ctx.deps.log.warn('run.in-database-snapshot-not-vacuumed', { runId: this.ctx.runId, error: (err as Error).message });
    }
  }

  /**
   * The end of the run: the rest of the outbox to PostgreSQL. If PostgreSQL refuses, the entries stay
   * in the workspace and the next run writes them before it diffs (nothing is sent twice for it).
   */
  async finish(): Promise<void> {
    try {
      // The run's connection goes on with what is left (after the flush started while sending), and a
      // second connection beside it takes every other batch (pg-write-back.ts).
      const beside = this.snapshot.flushBeside(this.outbox).then((moved) => {
        this.written += moved;
        if (moved > 0) this.ctx.deps.log.info('run.in-database-written-beside', { runId: this.ctx.runId, entries: moved });
      });
      const own = this.flushing.then(() => this.flush());
      for (const settled of await Promise.allSettled([own, beside])) if (settled.status === 'rejected') throw settled.reason;
      if (this.written > 0 && this.snapshotRows !== null && this.written >= VACUUM_SHARE * this.snapshotRows) await this.vacuum();
    } catch (err) {
      this.flushError ??= err;
    } finally {
      await this.snapshot.close();
    }
    if (this.flushError !== undefined && this.outbox.pending() > 0) {
      this.ctx.deps.log.warn('run.in-database-snapshot-deferred', {
        runId: this.ctx.runId,
        pending: this.outbox.pending(),
        error: (this.flushError as Error).message,
      });
    }
  }
}
