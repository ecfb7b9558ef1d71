// `sluice sync …`: list syncs, run one (with progress, --dry-run, --retry-failed, --progress ndjson), cancel a run, rename, reset or delete one.
import { fmt } from './cli-format';
import { Option, type Command } from 'commander';
import { sendingProgress, sourceSilentWords, type RunSummary } from '../../shared/config/sync';
import { snapshotWords, type SyncFootprint } from '../../shared/ipc/channels/sync-admin';
import type { Engine } from '../engine/engine';
import { CliUsageError, type Call, type WithEngine } from './cli-context';
import { runIdArgument, shellArg } from './options';
import { formatRunReport, oneLine, runReport } from './run-report';
import { requireRun } from './runs-command';
import { stopAtOnce } from './stop-at-once';
import { addSyncCancel } from './sync-cancel-command';

/** A dry run's outcome in `sync list`: nothing is sent, so "partial" says what a real run would refuse. */
function dryRunWords(run: RunSummary): string {
  return run.status === 'partial' ? `${fmt.number(run.counts.failed + run.counts.rejectedRows)} would be refused` : run.status;
}

export function addSyncCommands(program: Command, withEngine: WithEngine, call: Call): void {
  const sync = program.command('sync').description('syncs: list, run, cancel a run, rename, reset or delete one');
  sync
    .command('list')
    .description('list syncs with their last run')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const syncs = await withEngine(program, (engine) => call(engine, 'listSyncs', {}));
      if (opts.json) return void process.stdout.write(JSON.stringify(syncs, null, 2) + '\n');
      if (syncs.length === 0) process.stdout.write('No syncs. Create one with: sluice apply -f FILE\n');
      for (const s of syncs) {
        const last = s.lastRun ? `last run ${s.lastRun.id}: ${s.lastRun.status} (${s.lastRun.finishedAt ?? 'running'})` : 'never run';
        const dry = s.lastDryRun ? `; dry run ${s.lastDryRun.id} since: ${dryRunWords(s.lastDryRun)} (${s.lastDryRun.finishedAt ?? 'running'})` : '';
        process.stdout.write(`${s.sync.name}\t${s.sync.model} → ${s.sync.destination}\t[${s.sync.triggers.join(', ')}]\t${last}${dry}\n`);
      }
    });
  sync
    .command('rename <name> <newName>')
    .description('rename a sync; its runs, ledger, snapshot and template tests stay with it')
    .action(async (name: string, newName: string) => {
      // Said by the name stored (the name given is trimmed); its own name again: nothing changed, said so.
      const renamed = await withEngine(program, (engine) => call(engine, 'renameSync', { name, newName }));
      process.stdout.write(
        renamed.name === name ? `The sync "${name}" has that name already: nothing changed.\n` : `Renamed the sync "${name}" to "${renamed.name}".\n`,
      );
    });
  sync
    .command('reset <name>')
    .description('forget what the sync last delivered: its next run sends every row of the model as added (no removals)')
    .option('--yes', 'do it (without it, says how many rows the snapshot holds and changes nothing)')
    .action(async (name: string, opts: { yes?: boolean }) => {
      await withEngine(program, async (engine) => {
        if (!opts.yes) {
          const { snapshotRows, snapshotInSource } = await call(engine, 'syncFootprint', { name });
          const remembers = snapshotInSource ? 'keeps what it delivered in PostgreSQL' : `remembers ${fmt.count(snapshotRows, 'delivered row')}`;
          process.stdout.write(
            `The sync "${name}" ${remembers}; after a reset its next run sends every row of the model again. Nothing changed: run again with --yes to reset.\n`,
          );
          process.exitCode = 1;
          return;
        }
        const { cleared, inSource } = await call(engine, 'resetSyncSnapshot', { name });
        const forgot = inSource ? 'its next run starts a new snapshot in PostgreSQL and drops the old table' : `forgot ${fmt.count(cleared, 'delivered row')}`;
        process.stdout.write(`Reset the sync "${name}": ${forgot}; its next run sends every row.\n`);
      });
    });
  sync
    .command('delete <name>')
    .description("delete a sync with its runs, ledger, snapshot and template tests (the stream's records stay)")
    .option('--yes', 'do it (without it, says what would be lost and changes nothing)')
    .action(async (name: string, opts: { yes?: boolean }) => {
      await withEngine(program, async (engine) => {
        const what = (f: Omit<SyncFootprint, 'runningRun'>) =>
          `${fmt.count(f.runs, 'run')}, ${fmt.count(f.ledgerEntries, ['ledger entry', 'ledger entries'])}, ${snapshotWords(f)} and ${fmt.count(f.templateTests, 'template test')}`;
        if (!opts.yes) {
          const footprint = await call(engine, 'syncFootprint', { name });
          process.stdout.write(
            `Deleting the sync "${name}" removes ${what(footprint)} (the records already in the stream stay). Nothing changed: run again with --yes to delete.\n`,
          );
          process.exitCode = 1;
          return;
        }
        const removed = await call(engine, 'deleteSync', { name });
        process.stdout.write(`Deleted the sync "${name}" with ${what(removed)}.\n`);
      });
    });
  addSyncRun(sync, program, withEngine);
  addSyncCancel(sync, program, withEngine, call);
}

type RunOpts = { dryRun?: boolean; retryFailed?: number; allowMassRemoval?: boolean; json?: boolean; progress?: 'ndjson' };

function addSyncRun(sync: Command, program: Command, withEngine: WithEngine): void {
  sync
    .command('run <name>')
    .description('run a sync now; exits non-zero when records failed')
    .option('--dry-run', 'render and route every row without sending')
    .option('--retry-failed <runId>', 'send only the records that failed or were rejected in that run of this sync', runIdArgument)
    .option('--allow-mass-removal', "send the removals even when they are more than the sync's mass-removal limit (maxRemovalPercent, default 50%) of its rows")
    .option('--json', 'machine-readable summary')
    .addOption(
      new Option(
        '--progress <format>',
        'ndjson: one JSON line per progress event on standard output while the run goes, then the summary as the last line (nothing else on standard output)',
      ).choices(['ndjson']),
    )
    .action(async (name: string, opts: RunOpts) => {
      const ndjson = opts.progress === 'ndjson';
      const quiet = opts.json || ndjson || !process.stderr.isTTY;
      const outcome = await withEngine(program, (engine) => runWithProgress(engine, name, opts, { ndjson, quiet }));
      if ('nothing' in outcome) {
        const nothing = { run: null, retryFailedOf: opts.retryFailed, message: outcome.nothing };
        if (ndjson) process.stdout.write(JSON.stringify({ type: 'summary', ...nothing }) + '\n');
        else if (opts.json) process.stdout.write(JSON.stringify(nothing, null, 2) + '\n');
        else process.stdout.write(outcome.nothing + '\n');
        return;
      }
      const { report } = outcome;
      if (!quiet) process.stderr.write('\n');
      if (ndjson) process.stdout.write(JSON.stringify({ type: 'summary', run: report.id, ...report }) + '\n');
      else if (opts.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
      else process.stdout.write(formatRunReport(report));
      // Cancelled: 130 (Ctrl+C, or another process), 143 by SIGTERM, as `sluice apply` and a shell say them.
      if (report.status !== 'succeeded') process.exitCode = report.status === 'cancelled' ? (outcome.cancelledBy === 'SIGTERM' ? 143 : 130) : 1;
    });
}

/** Starts the run and follows it (progress on standard error, or NDJSON lines); Ctrl+C or SIGTERM cancels it, a second one stops at once. */
async function runWithProgress(
  engine: Engine,
  name: string,
  opts: RunOpts,
  { ndjson, quiet }: { ndjson: boolean; quiet: boolean },
): Promise<{ nothing: string } | { report: ReturnType<typeof runReport>; cancelledBy: NodeJS.Signals | undefined }> {
  if (opts.retryFailed !== undefined) {
    const nothing = nothingToRetry(engine, name, opts.retryFailed);
    if (nothing) return { nothing };
  }
  const controller = new AbortController();
  let stopped = false;
  let cancelledBy: NodeJS.Signals | undefined;
  // Ctrl+C, and SIGTERM (a service manager, `timeout`, `docker stop`), cancel the run: it ends as
  // cancelled, its acknowledged records recorded. A second one stops the process at once, saying what
  // that leaves (it stopped without a word, and the next run's records twice downstream were unexplained).
  const onSigint = (signal: NodeJS.Signals) => {
    if (!controller.signal.aborted) {
      cancelledBy = signal;
      controller.abort();
      process.stderr.write(`\nCancelling the run… (${signal === 'SIGINT' ? 'Ctrl+C' : signal} again stops at once)\n`);
      return;
    }
    stopped = true; // (no more progress lines: the stream ends on the error line)
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
    // The API calls answered so far go to the Debugger before the process ends: they wait for a batch, and while a
    // ledger thread commits, for a later flush, so the run's records were in its ledger and their calls in no Debugger.
    stopAtOnce(signal, ndjson ? 'ndjson' : opts.json ? 'json' : 'text', () => engine.recorder.flush());
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  let lastLine = 0;
  const unsubscribe = engine.onEvent((event, payload) => {
    if (event !== 'runProgress' || stopped) return;
    const p = payload as RunSummary;
    if (!engine.runner.started.has(p.id)) return; // another process's run on this workspace (the engine tells those too)
    // The run's end comes as the summary line, with its failure reasons.
    if (ndjson) {
      if (p.status === 'running') process.stdout.write(progressJson(p) + '\n');
      return;
    }
    if (quiet) return;
    if (Date.now() - lastLine < 500 && p.status === 'running') return;
    lastLine = Date.now();
    process.stderr.write(`\r${progressLine(p)}\x1b[K`);
  });
  try {
    const { runId, done } = engine.runner.start(name, {
      dryRun: opts.dryRun,
      retryFailedOf: opts.retryFailed,
      allowMassRemoval: opts.allowMassRemoval ?? false,
      signal: controller.signal,
    });
    if (!quiet) process.stderr.write(`Run ${runId} of "${name}" started\n`);
    const summary = await done;
    if (summary.status === 'cancelled' && !controller.signal.aborted && !ndjson && !opts.json)
      process.stderr.write(`${quiet ? '' : '\n'}Run ${runId} was cancelled from another Sluice process (the app, or sluice sync cancel).\n`);
    return { report: runReport(engine, summary), cancelledBy };
  } finally {
    unsubscribe();
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
    await engine.shutdown();
  }
}

/** `--progress ndjson`: one progress event as one line (the summary line that ends the stream has `type: "summary"`). */
function progressJson(p: RunSummary): string {
  const { id, sync, dryRun, phase, counts, toSend, ratePerSecond, etaSeconds, retrying, sourceSilent } = p;
  return JSON.stringify({
    type: 'progress',
    at: new Date().toISOString(),
    run: id,
    sync,
    dryRun,
    phase,
    counts,
    toSend,
    ratePerSecond,
    etaSeconds,
    retrying,
    sourceSilent,
  });
}

/**
 * The progress line on standard error: records delivered of those to send, failed and being retried
 * (`sendingProgress`, as the app's progress card says it), then the rate and time left — left out while
 * the destination settles nothing (the line then says why).
 */
export function progressLine(p: RunSummary): string {
  const c = p.counts;
  const n = fmt.number;
  if (p.phase === 'reading') return `reading: ${n(c.read)} rows${sourceSilentWords(p, fmt)}`;
  if (p.phase === 'diffing') return `diffing ${n(c.read)} rows`;
  const pace = p.retrying?.stalled ? '' : `, ${fmt.rate(p.ratePerSecond)}${p.etaSeconds !== null ? `, ETA ${p.etaSeconds} s` : ''}`;
  return `sending: ${sendingProgress(p, fmt)}${pace}`;
}

/**
 * `--retry-failed RUN`: the run must exist, be one of this sync's and have sent (a dry run has no
 * ledger). A run none of whose records failed or were rejected leaves nothing to retry: the message
 * says so and no run starts; for a run that ended before sending any record (its source could not be
 * read, the mass-removal guard stopped it, it was cancelled) it says why, and what to run instead.
 */
function nothingToRetry(engine: Engine, syncName: string, runId: number): string | null {
  const run = requireRun(engine, runId, syncName);
  if (run.dryRun)
    throw new CliUsageError(
      `Run ${runId} was a dry run: it sent nothing, so it has no failed records to retry. Retry a run that sent (sluice runs ${shellArg(run.sync)}).`,
    );
  if (run.status === 'running') throw new CliUsageError(`Run ${runId} of "${run.sync}" is still running; retry its failed records once it has finished.`);
  const { total } = engine.ledger.failureReasons(runId, 0);
  if (total > 0) return null;
  if ((run.status === 'failed' || run.status === 'cancelled') && run.counts.sent === 0) return endedBeforeSending(run);
  const keys = run.counts.rejectedRows;
  if (keys > 0)
    // (rows refused for their keys were never records: a retry reads the model again and refuses them again)
    return (
      `Run ${runId} of "${run.sync}" has no failed or rejected records to retry: its ${keys === 1 ? 'row not sent was refused for its key' : `${fmt.number(keys)} rows not sent were refused for their keys`} ` +
      `(null, or shared by several rows), which a retry would refuse again. Fix ${keys === 1 ? 'it' : 'them'} in the model (sluice runs ${shellArg(run.sync)} --failures lists them), then run the sync.`
    );
  return `Run ${runId} of "${run.sync}" has no failed or rejected records: there is nothing to retry.`;
}

/** A run that sent nothing has no failed records: why it ended, and that the sync's own run (once the cause is fixed) sends its rows. */
function endedBeforeSending(run: RunSummary): string {
  const why = run.error ? ` (${oneLine(run.error)})` : '';
  const ended = run.status === 'cancelled' ? 'was cancelled' : 'failed';
  const once = run.status === 'cancelled' ? '' : ' once the cause is fixed';
  return (
    `Run ${run.id} of "${run.sync}" ${ended} before sending any record${why}, so it has no failed records to retry. ` +
    `Run the sync without --retry-failed${once}: sluice sync run ${shellArg(run.sync)}`
  );
}
