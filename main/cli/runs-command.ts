// `sluice runs SYNC [--failures [--run ID]]` and `sluice ledger RUN_ID`: a sync's run history, the records
// a run failed or rejected and why, and a run's ledger with each record's coordinates. Listings are pages
// (`--limit`, `--after ID`) so a run of millions of records prints what was asked for, not all of it.
import { Option, type Command } from 'commander';
import {
  failureReasonWhy,
  isClientLibraryCode,
  LEDGER_STATUSES,
  removedCount,
  recordsLeft,
  type LedgerEntry,
  type RowReject,
  type RunSummary,
} from '../../shared/config/sync';
import type { Engine } from '../engine/engine';
import { CliUsageError, type Call, type WithEngine } from './cli-context';
import { runIdArgument, shellArg, wholeNumber } from './options';
import { duration, oneLine } from './run-report';
import { fmt } from './cli-format';
import { pageFooter } from './page-footer';

const PAGE_MAX = 1000;
const DEFAULT_PAGE = 100;
const FAILED: readonly LedgerEntry['status'][] = ['failed', 'rejected'];

/** The run `runId`, which must exist (and, given a sync, be one of its runs). */
export function requireRun(engine: Engine, runId: number, syncName?: string): RunSummary {
  const run = engine.runs.get(runId);
  const sync = syncName === undefined ? undefined : engine.catalog.getSync(syncName);
  const listing = sync ? `sluice runs ${shellArg(sync.definition.name)}` : 'sluice runs SYNC';
  if (!run) throw new CliUsageError(`There is no run ${runId}. A sync's runs and their ids: ${listing}`);
  if (sync && run.sync !== sync.definition.name)
    throw new CliUsageError(`Run ${runId} is a run of "${run.sync}", not of "${sync.definition.name}". The runs of "${sync.definition.name}": ${listing}`);
  return run;
}

/** Where a record landed: Kinesis shard and sequence number, Kafka topic-partition@offset, Firehose record id. */
export function coordinates(e: LedgerEntry): string {
  if (e.shardId !== null || e.sequenceNumber !== null) return `shard ${e.shardId ?? '?'} seq ${e.sequenceNumber ?? '?'}`;
  if (e.partition !== null || e.offset !== null) return `${e.topic ?? '?'}-${e.partition ?? '?'}@${e.offset ?? '?'}`;
  if (e.recordId !== null) return `record ${e.recordId}${e.topic ? ` (stream ${e.topic})` : ''}`;
  return '-';
}

function reason(e: LedgerEntry): string {
  return e.errorCode || e.errorMessage ? oneLine(failureReasonWhy(e)) : '-';
}

/**
 * One run in `sluice runs NAME`: its counts, what it left pending, its error. With `arrival` (from its ledger),
 * its records that did not arrive in the report's words: failed at the destination, not tried again because the run
 * was cancelled, and refused before sending.
 */
export function historyLine(r: RunSummary, arrival?: { failed: number; givenUp: number; rejected: number }): string {
  const c = r.counts;
  return `${r.id}\t${r.status}${r.dryRun ? ' (dry run)' : ''}\t${r.startedAt}\t${duration(r)}\tadded ${c.added}, changed ${c.changed}, removed ${removedCount(r, String)}; sent ${c.acknowledged}, ${notArrived(r, arrival)}${keyRefusals(r)}${pending(r)}${r.error ? `\t${oneLine(r.error, 1000)}` : ''}\n`;
}

/** A run's records that did not arrive: from its ledger, split as its report says them ("failed 0, 1200 not tried again (cancelled)"), else its count. */
function notArrived(r: RunSummary, arrival?: { failed: number; givenUp: number; rejected: number }): string {
  if (!arrival) return `failed ${r.counts.failed}`;
  const parts = [`failed ${arrival.failed - arrival.givenUp}`];
  if (arrival.givenUp > 0) parts.push(`${arrival.givenUp} not tried again (cancelled)`);
  if (arrival.rejected > 0) parts.push(`${arrival.rejected} refused before sending`);
  return parts.join(', ');
}

/** Rows the run did not send because of their keys (null, or on several rows), as its report counts them: without it a partial run's line gave no reason. */
function keyRefusals(r: RunSummary): string {
  const n = r.counts.rejectedRows;
  return n > 0 ? `, ${n === 1 ? '1 row refused for its key' : `${n} rows refused for their keys`}` : '';
}

/** Records a run that stopped did not send (they stay pending for the next run), as its report says. */
function pending(r: RunSummary): string {
  const left = recordsLeft(r);
  return left > 0 ? `, ${left} pending` : '';
}

export function addRunsCommands(program: Command, withEngine: WithEngine, call: Call): void {
  program
    .command('runs <sync>')
    .description('the run history of a sync; with --failures, the records a run failed or rejected and why')
    .option(
      '--limit <n>',
      `how many runs (default 20), or with --failures how many records (default ${DEFAULT_PAGE}, at most ${PAGE_MAX})`,
      wholeNumber('--limit', { max: PAGE_MAX }),
    )
    .option('--failures', 'list each failed or rejected record of a run: key, event, status, error code and reason')
    .option('--run <id>', 'with --failures: this run (default: the latest run of the sync)', runIdArgument)
    .option('--after <ledgerId>', 'with --failures: the page after this ledger id (printed at the end of a page)', wholeNumber('--after', { min: 0 }))
    .option('--json', 'machine-readable output')
    .action(async (name: string, opts: RunsOpts) => {
      if (opts.failures) await printFailures(program, withEngine, name, opts);
      else await printHistory(program, withEngine, call, name, opts);
    });

  program
    .command('ledger')
    .description("a run's ledger: each record's key, event, status, coordinates (shard and sequence number, partition and offset, or record id) and error")
    .argument('<runId>', 'the run (see sluice runs SYNC)', runIdArgument)
    .addOption(new Option('--status <status>', 'only records of this status').choices(LEDGER_STATUSES))
    .option('--limit <n>', `at most this many records (at most ${PAGE_MAX})`, wholeNumber('--limit', { max: PAGE_MAX }), DEFAULT_PAGE)
    .option('--after <ledgerId>', 'the page after this ledger id (printed at the end of a page)', wholeNumber('--after', { min: 0 }))
    .option('--json', 'machine-readable output')
    .action(async (runId: number, opts: { status?: LedgerEntry['status']; limit: number; after?: number; json?: boolean }) => {
      const { run, entries, total, nextAfter } = await withEngine(program, async (engine) => {
        const found = requireRun(engine, runId);
        return { run: found, ...engine.ledger.page({ runId, statuses: opts.status ? [opts.status] : undefined, afterId: opts.after, limit: opts.limit }) };
      });
      if (opts.json) {
        const json = { run, total, entries, next: nextAfter === null ? null : { after: nextAfter } };
        return void process.stdout.write(JSON.stringify(json, null, 2) + '\n');
      }
      const out: string[] = [`Run ${run.id} of "${run.sync}": ${run.status}${run.dryRun ? ' (dry run: nothing was sent, so it has no ledger)' : ''}`];
      if (entries.length) {
        out.push('ID\tKEY\tEVENT\tSTATUS\tPARTITION KEY\tWHERE\tATTEMPTS\tERROR');
        for (const e of entries)
          out.push(`${e.id}\t${e.key}\t${e.event}\t${e.status}\t${e.partitionKey ?? '-'}\t${coordinates(e)}\t${e.attempts}\t${reason(e)}`);
      }
      const status = opts.status ? `${opts.status} ` : '';
      const what = [`${status}record in the ledger`, `${status}records in the ledger`] as const;
      const again = `sluice ledger ${run.id}${opts.status ? ` --status ${opts.status}` : ''} --limit ${opts.limit}`;
      out.push(pageFooter(entries.length, total, what, nextAfter, again));
      process.stdout.write(out.join('\n') + '\n');
    });
}

type RunsOpts = { limit?: number; failures?: boolean; run?: number; after?: number; json?: boolean };

/** `sluice runs SYNC`: the run history. */
async function printHistory(program: Command, withEngine: WithEngine, call: Call, name: string, opts: RunsOpts): Promise<void> {
  if (opts.run !== undefined || opts.after !== undefined)
    throw new CliUsageError('--run and --after go with --failures: sluice runs SYNC --failures [--run ID]');
  const { runs, arrivals } = await withEngine(program, async (engine) => {
    const runs = await call(engine, 'listRuns', { sync: name, limit: opts.limit ?? 20 });
    // As the run report counts them: failed at the destination apart from refused before sending (a dry run has no ledger).
    return { runs, arrivals: runs.map((r) => (r.dryRun || r.counts.failed === 0 ? undefined : engine.ledger.notArrived(r.id, r.status === 'cancelled'))) };
  });
  if (opts.json) return void process.stdout.write(JSON.stringify(runs, null, 2) + '\n');
  if (runs.length === 0) process.stdout.write(`"${name}" has not run yet.\n`);
  runs.forEach((r, i) => process.stdout.write(historyLine(r, arrivals[i])));
}

/** `sluice runs SYNC --failures`: a run's failed and rejected records, a page at a time, and the rows it refused for their keys. */
async function printFailures(program: Command, withEngine: WithEngine, name: string, opts: RunsOpts): Promise<void> {
  const limit = opts.limit ?? DEFAULT_PAGE;
  const result = await withEngine(program, async (engine) => {
    const sync = engine.catalog.getSync(name);
    const run = opts.run !== undefined ? requireRun(engine, opts.run, name) : engine.runs.list(sync.id, 1)[0];
    if (!run) return { sync: sync.definition.name, run: null };
    const page = engine.ledger.page({ runId: run.id, statuses: FAILED, afterId: opts.after, limit });
    // Rows listed by the run rather than in the ledger: refused for their keys (a dry run: every row it could not send).
    const more = engine.runs.rejects(run.id, limit + 1); // one past the limit: whether the list goes on
    const listed = more.slice(0, limit);
    const rows: RowReject[] = run.dryRun ? listed : listed.filter((r) => r.reason === 'null-key' || r.reason === 'duplicate-key');
    return { sync: sync.definition.name, run, ...page, rows, rowsCut: more.length > limit };
  });
  if (!result.run) {
    if (opts.json) process.stdout.write(JSON.stringify({ run: null, total: 0, entries: [], next: null, rows: [] }, null, 2) + '\n');
    else process.stdout.write(`"${result.sync}" has not run yet.\n`);
    return;
  }
  const { run, entries, total, nextAfter, rows, rowsCut } = result;
  if (opts.json) {
    const json = { run, total, entries, next: nextAfter === null ? null : { after: nextAfter }, rows };
    return void process.stdout.write(JSON.stringify(json, null, 2) + '\n');
  }
  process.stdout.write(failuresText(run, entries, total, nextAfter, { rows, cut: rowsCut }, limit));
}

/** `rows`: the rows the run listed (`cut`: the first `limit` of more). */
function failuresText(
  run: RunSummary,
  entries: LedgerEntry[],
  total: number,
  nextAfter: number | null,
  { rows, cut }: { rows: RowReject[]; cut: boolean },
  limit: number,
): string {
  const out: string[] = [`Run ${run.id} of "${run.sync}": ${run.status}${run.dryRun ? ' (dry run)' : ''}, ${run.startedAt}`];
  if (run.error) out.push(`  error: ${oneLine(run.error, 1000)}`);

  if (entries.length) {
    out.push('KEY\tEVENT\tSTATUS\tCODE\tREASON');
    for (const e of entries)
      out.push(`${e.key}\t${e.event}\t${e.status}\t${e.errorCode && !isClientLibraryCode(e.errorCode) ? e.errorCode : '-'}\t${oneLine(e.errorMessage ?? '-')}`);
  }
  if (!run.dryRun)
    out.push(
      pageFooter(
        entries.length,
        total,
        ['failed or rejected record', 'failed or rejected records'],
        nextAfter,
        `sluice runs ${shellArg(run.sync)} --failures --run ${run.id} --limit ${limit}`,
      ),
    );
  if (run.dryRun) {
    out.push(
      rows.length
        ? `A dry run sends nothing and writes no ledger; the rows it could not send${cut ? ` (first ${rows.length})` : ''}:`
        : 'A dry run sends nothing and writes no ledger; every row could be sent.',
    );
  } else if (rows.length) {
    out.push(
      `${fmt.count(run.counts.rejectedRows, 'row')} not sent because of ${run.counts.rejectedRows === 1 ? 'its key' : 'their keys'}${cut ? ` (the first ${rows.length} listed; --limit lists more)` : ''}:`,
    );
  }
  for (const r of rows) out.push(`  - ${oneLine(r.detail)}`);
  return out.join('\n') + '\n';
}
