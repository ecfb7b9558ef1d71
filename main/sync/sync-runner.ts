import type { RunSummary } from '../../shared/config/sync';
import { SluiceError } from '../../shared/ipc/errors';
import { describeRunError } from './run-errors';
import type { RunnerDeps, RunOptions } from './run/context';
import { RunState } from './run/run-state';
import { RUN_HEARTBEAT_MS, RUN_STALE_AFTER_MS } from './run-store';

export type { RunnerDeps, RunOptions } from './run/context';
export { MAX_IN_FLIGHT } from './run/deliver';

/** How often a run looks whether another process asked it to stop (`RunStore.requestCancel`). */
export const CANCEL_POLL_MS = 1000;

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
  /** Runs this runner created (an engine tells only other processes' runs it sees in the database). */
  readonly started = new Set<number>();

  constructor(private readonly deps: RunnerDeps) {}

  /** Creates the run (its id is known at once) and carries it out in the background. */
  start(syncName: string, options: RunOptions = {}): { runId: number; done: Promise<RunSummary> } {
    const { catalog, runs } = this.deps;
    this.recordUnrecorded();
    const sync = catalog.getSync(syncName);
    try {
      runs.markInterrupted(); // a run left 'running' by a process that is gone no longer blocks this one
    } catch {
      // A locked database: creating the run below says so.
    }
    const active = runs.activeRun(sync.id);
    if (active !== undefined) {
      throw new SluiceError(
        'conflict',
        `The sync "${syncName}" is already running (run ${active}). Wait for it to end or cancel it (Cancel in the app, Ctrl+C where \`sluice sync run\` runs); a run whose process is gone, or silent for ${RUN_STALE_AFTER_MS / 60_000} minutes, is marked interrupted by the next start`,
      );
    }
    let runId: number;
    try {
      runId = runs.create(sync.id, options.dryRun ?? false);
      this.started.add(runId);
    } catch (err) {
      throw new SluiceError('internal', describeRunError(err, this.deps.db.name));
    }
    // Cancelled by its caller's signal, or by another process asking through the runs table (the app
    // cancelling a run `sluice sync run` started, or `sluice sync cancel`), looked at each second.
    const asked = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, asked.signal]) : asked.signal;
    const state = new RunState(runId, syncName, sync, this.deps, { ...options, signal }, (record) => this.unrecorded.set(runId, record));
    const heartbeat = setInterval(() => {
      try {
        runs.touch(runId);
      } catch {
        // A locked or full database: the next progress or ledger write reports it.
      }
    }, RUN_HEARTBEAT_MS);
    heartbeat.unref();
    const cancelWatch = setInterval(() => {
      try {
        if (runs.cancelRequested(runId)) {
          this.deps.log.info('run.cancel-requested', { runId });
          asked.abort();
          clearInterval(cancelWatch);
        }
      } catch {
        // A locked database: looked at again in a second.
      }
    }, CANCEL_POLL_MS);
    cancelWatch.unref();
    const done = (async () => {
      try {
        await state.execute();
      } catch (err) {
        state.fail(err);
      } finally {
        clearInterval(heartbeat);
        clearInterval(cancelWatch);
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
