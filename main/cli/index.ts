// `sluice`: the command line, on the same engine as the app. Later issues add verbs here.
import { quietAwsSdkNodeWarning } from '../quiet-sdk-warning';
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import type { RunSummary } from '../../shared/config/sync';
import { applyConfig, exportConfig, yamlPath } from '../config/config-file';
import { describeError, SluiceError } from '../../shared/ipc/errors';
import type { Channel, ChannelInput, ChannelOutput } from '../../shared/ipc/contract';
import { Engine } from '../engine/engine';
import { resolveWorkspace } from '../engine/workspace';
import { FileLogger } from '../log/logger';
import { packageVersion } from '../paths';
import { Redactor } from '../secrets/redactor';
import { CliFailure, CliUsageError } from './cli-context';
import { readFileOrExplain, writeFileOrExplain } from './files';
import { addDebuggerCommands } from './debugger-command';
import { addInspectCommand } from './inspect-command';
import { addCaptureCommand } from './capture-command';
import { addRoutingCommand } from './routing-command';
import { runIdArgument, shellArg } from './options';
import { formatRunReport, runReport } from './run-report';
import { addRunsCommands, requireRun } from './runs-command';
import { addTemplateCommand } from './template-command';

/** An error no message was written for (a bug, a library's surprise): its stack is in the log, not on the screen. */
class UnexpectedError extends Error {
  override name = 'UnexpectedError';
  constructor(
    message: string,
    readonly logFile: string | null,
  ) {
    super(message);
  }
}

/** Errors whose message is written for people (the workspace's own: newer database, unusable folder, failed migration). */
const READABLE_ERROR_NAMES = new Set(['NewerDatabaseError', 'MigrationError', 'WorkspaceError']);

function isReadable(err: unknown): boolean {
  if (err instanceof SluiceError) return err.code !== 'internal';
  if (err instanceof CliFailure || err instanceof CliUsageError || err instanceof CommanderError || err instanceof UnexpectedError) return true;
  return err instanceof Error && READABLE_ERROR_NAMES.has(err.name);
}

const logFileOf = (workspace: string) => path.join(workspace, 'logs', 'sluice.log');
const firstLine = (text: string) => text.split('\n')[0]!.trim();
const stackOf = (err: unknown) => (err instanceof Error ? (err.stack ?? err.message) : String(err));

async function withEngine<T>(program: Command, work: (engine: Engine) => Promise<T>): Promise<T> {
  const { workspace } = program.opts<{ workspace?: string }>();
  const engine = await Engine.open({ workspace: resolveWorkspace(workspace), runtime: 'cli' });
  try {
    return await work(engine);
  } catch (err) {
    if (isReadable(err)) throw err;
    engine.log.error('cli.unexpected-error', { command: process.argv.slice(2).join(' '), error: stackOf(err) });
    throw new UnexpectedError(engine.redactor.redact(firstLine(err instanceof Error ? err.message : String(err))), logFileOf(engine.options.workspace));
  } finally {
    engine.close();
  }
}

/** The CLI goes through the same dispatcher as the UI: same validation, same errors. */
async function call<C extends Channel>(engine: Engine, channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const result = await engine.dispatcher.dispatch(channel, input, { transport: 'websocket', origin: 'cli', trusted: true });
  if (result.ok) return result.value as ChannelOutput<C>;
  // The dispatcher logged an unexpected error's stack: say where.
  if (result.error.code === 'internal') throw new UnexpectedError(firstLine(describeError(result.error)), logFileOf(engine.options.workspace));
  throw new CliFailure(describeError(result.error));
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

export function buildProgram(): Command {
  const program = new Command('sluice')
    .description('Sluice: send rows of your data to Kinesis, Firehose and Kafka.')
    .version(packageVersion(), '-v, --version', 'print the Sluice version')
    .option('--workspace <dir>', 'state folder (default: $SLUICE_HOME, else the user-data folder)')
    .showHelpAfterError();

  program
    .command('info')
    .description('show the workspace, schema version and where secrets are kept')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const info = await withEngine(program, (engine) => call(engine, 'getAppInfo', {}));
      if (opts.json) return void process.stdout.write(JSON.stringify(info, null, 2) + '\n');
      process.stdout.write(
        [
          `Sluice ${info.version} (${info.platform})`,
          `workspace:      ${info.workspace}`,
          `schema version: ${info.schemaVersion}`,
          `secrets:        ${info.keychain.backend === 'os' ? 'OS keychain' : `memory only — ${info.keychain.problem ?? ''}`}`,
        ].join('\n') + '\n',
      );
    });

  const secrets = program.command('secrets').description('named secrets, kept in the OS keychain');
  secrets
    .command('list')
    .description('list secret names (never values)')
    .action(async () => {
      const refs = await withEngine(program, (engine) => call(engine, 'listSecrets', {}));
      if (refs.length === 0) process.stdout.write('No secrets saved.\n');
      for (const ref of refs) process.stdout.write(`${ref.name}\t${ref.backend}\t${ref.updatedAt}\n`);
    });
  secrets
    .command('set <name>')
    .description('save a secret; the value is read from standard input, never from the command line')
    .action(async (name: string) => {
      const value = await readStdin();
      const ref = await withEngine(program, async (engine) => {
        if (engine.keychain.backend !== 'os') {
          throw new CliFailure(`${engine.keychain.problem ?? 'No OS keychain'}. ${engine.keychain.howToEnable ?? ''}`);
        }
        return call(engine, 'saveSecret', { name, value });
      });
      process.stdout.write(`Saved "${ref.name}" in the OS keychain.\n`);
    });
  secrets
    .command('delete <name>')
    .description('delete a secret')
    .action(async (name: string) => {
      const { deleted } = await withEngine(program, (engine) => call(engine, 'deleteSecret', { name }));
      process.stdout.write(deleted ? `Deleted "${name}".\n` : `There is no secret named "${name}".\n`);
      if (!deleted) process.exitCode = 1;
    });

  program
    .command('apply')
    .description('create or update sources, models, destinations and syncs from a YAML file (all or nothing)')
    .requiredOption('-f, --file <file>', 'the configuration file')
    .action(async (opts: { file: string }) => {
      const text = readFileOrExplain(opts.file);
      const summary = await withEngine(program, async (engine) => applyConfig(engine.db, engine.catalog, text, opts.file));
      process.stdout.write(
        `Applied ${opts.file}: ${summary.sources} sources, ${summary.models} models, ${summary.destinations} destinations, ${summary.syncs} syncs.\n`,
      );
    });

  program
    .command('export')
    .description('print the configuration as YAML (secrets by reference only)')
    .option('-o, --output <file>', 'write to a file instead')
    .action(async (opts: { output?: string }) => {
      const text = await withEngine(program, async (engine) => exportConfig(engine.catalog, engine.db));
      if (opts.output) writeFileOrExplain(opts.output, text);
      else process.stdout.write(text);
    });

  const destinations = program.command('destinations').description('destinations: list them, test a connection');
  destinations
    .command('list')
    .description('list destinations')
    .action(async () => {
      const list = await withEngine(program, (engine) => call(engine, 'listDestinations', {}));
      for (const d of list) process.stdout.write(`${d.name}\t${d.kind}\n`);
    });
  destinations
    .command('test <name>')
    .description('test a destination step by step: name resolution, TCP, TLS, authentication, authorisation, listing')
    .option('--json', 'machine-readable output')
    .action(async (name: string, opts: { json?: boolean }) => {
      const result = await withEngine(program, async (engine) => {
        try {
          return await call(engine, 'testDestination', { destination: name });
        } finally {
          await engine.shutdown();
        }
      });
      if (opts.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
      else {
        for (const s of result.steps) {
          const mark = s.status === 'ok' ? '✓' : s.status === 'warning' ? '!' : s.status === 'failed' ? '✗' : '–';
          process.stdout.write(`${mark} ${s.step.padEnd(16)} ${s.detail}\n`);
          if (s.hint) process.stdout.write(`  ${''.padEnd(16)} → ${s.hint}\n`);
          if (s.status === 'failed' && s.raw) process.stdout.write(`  ${''.padEnd(16)}   (${s.raw})\n`);
        }
        if (result.listed.length) process.stdout.write(`Listed: ${result.listed.join(', ')}\n`);
      }
      if (!result.ok) process.exitCode = 1;
    });

  const sync = program.command('sync').description('syncs: list, run, rename, reset or delete one');
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
        process.stdout.write(`${s.sync.name}\t${s.sync.model} → ${s.sync.destination}\t[${s.sync.triggers.join(', ')}]\t${last}\n`);
      }
    });
  sync
    .command('rename <name> <newName>')
    .description('rename a sync; its runs, ledger, snapshot and template tests stay with it')
    .action(async (name: string, newName: string) => {
      await withEngine(program, (engine) => call(engine, 'renameSync', { name, newName }));
      process.stdout.write(`Renamed the sync "${name}" to "${newName}".\n`);
    });
  sync
    .command('reset <name>')
    .description('forget what the sync last delivered: its next run sends every row of the model as added (no removals)')
    .option('--yes', 'do it (without it, says how many rows the snapshot holds and changes nothing)')
    .action(async (name: string, opts: { yes?: boolean }) => {
      await withEngine(program, async (engine) => {
        if (!opts.yes) {
          const { snapshotRows } = await call(engine, 'syncFootprint', { name });
          process.stdout.write(
            `The sync "${name}" remembers ${snapshotRows.toLocaleString('en-US')} delivered rows; after a reset its next run sends every row of the model again. Nothing changed: run again with --yes to reset.\n`,
          );
          process.exitCode = 1;
          return;
        }
        const { cleared } = await call(engine, 'resetSyncSnapshot', { name });
        process.stdout.write(`Reset the sync "${name}": forgot ${cleared.toLocaleString('en-US')} delivered rows; its next run sends every row.\n`);
      });
    });
  sync
    .command('delete <name>')
    .description("delete a sync with its runs, ledger, snapshot and template tests (the stream's records stay)")
    .option('--yes', 'do it (without it, says what would be lost and changes nothing)')
    .action(async (name: string, opts: { yes?: boolean }) => {
      await withEngine(program, async (engine) => {
        const n = (count: number, one: string, many: string) => `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
        const what = (f: { runs: number; ledgerEntries: number; snapshotRows: number; templateTests: number }) =>
          `${n(f.runs, 'run', 'runs')}, ${n(f.ledgerEntries, 'ledger entry', 'ledger entries')}, the snapshot of ${n(f.snapshotRows, 'row', 'rows')} and ${n(f.templateTests, 'template test', 'template tests')}`;
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
  sync
    .command('run <name>')
    .description('run a sync now; exits non-zero when records failed')
    .option('--dry-run', 'render and route every row without sending')
    .option('--retry-failed <runId>', 'send only the records that failed or were rejected in that run of this sync', runIdArgument)
    .option(
      '--allow-mass-removal',
      "send the removals even when they are more than the sync's mass-removal limit (maxRemovalPercent, default 50 %) of its rows",
    )
    .option('--json', 'machine-readable summary')
    .addOption(
      new Option(
        '--progress <format>',
        'ndjson: one JSON line per progress event on standard output while the run goes, then the summary as the last line (nothing else on standard output)',
      ).choices(['ndjson']),
    )
    .action(async (name: string, opts: { dryRun?: boolean; retryFailed?: number; allowMassRemoval?: boolean; json?: boolean; progress?: 'ndjson' }) => {
      const ndjson = opts.progress === 'ndjson';
      const quiet = opts.json || ndjson || !process.stderr.isTTY;
      const outcome = await withEngine(program, async (engine) => {
        if (opts.retryFailed !== undefined) {
          const nothing = nothingToRetry(engine, name, opts.retryFailed);
          if (nothing) return { nothing };
        }
        const controller = new AbortController();
        const onSigint = () => controller.abort();
        // Ctrl+C, and SIGTERM (a service manager, `timeout`, `docker stop`), cancel the run: it ends as
        // cancelled, its acknowledged records recorded. A second Ctrl+C stops the process at once.
        process.once('SIGINT', onSigint);
        process.once('SIGTERM', onSigint);
        let lastLine = 0;
        const unsubscribe = engine.onEvent((event, payload) => {
          if (event !== 'runProgress') return;
          const p = payload as RunSummary;
          // The run's end comes as the summary line, with its failure reasons.
          if (ndjson) {
            if (p.sync === name && p.status === 'running') process.stdout.write(progressJson(p) + '\n');
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
          return { report: runReport(engine, await done) };
        } finally {
          unsubscribe();
          process.off('SIGINT', onSigint);
          process.off('SIGTERM', onSigint);
          await engine.shutdown();
        }
      });
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
      if (report.status !== 'succeeded') process.exitCode = report.status === 'cancelled' ? 130 : 1;
    });

  // --- run history, failures and the ledger: `sluice runs`, `sluice ledger` ---
  addRunsCommands(program, withEngine, call);

  // --- payload authoring: `sluice template test` (issue 5) ---
  addTemplateCommand(program, withEngine, call);

  /** Assume role, in words: the account the role trusts and the external ID(s) it requires. */
  const trustSentence = (trust: { account?: string; principal?: string; externalIds: string[] }) =>
    `The role must trust ${trust.principal ? `${trust.principal} (account ${trust.account})` : 'the identity of the base credentials'}` +
    (trust.externalIds.length ? ` and require the external ID${trust.externalIds.length > 1 ? 's' : ''} ${trust.externalIds.join(', ')}.` : '.');

  // --- destinations (issue 6) ---
  destinations
    .command('policy <name>')
    .description('print the least-privilege IAM policy for a destination (tests the connection to learn the stream ARN and encryption)')
    .option('--inspector', 'include the read actions the record inspector needs')
    .option('--no-probe', 'do not connect; use placeholders for what only the connection would tell')
    .action(async (name: string, opts: { inspector?: boolean; probe: boolean }) => {
      const { advice, probed } = await withEngine(program, async (engine) => {
        try {
          return await call(engine, 'destinationPolicy', { destination: name, inspector: opts.inspector ?? false, probe: opts.probe });
        } finally {
          await engine.shutdown();
        }
      });
      if (!advice) {
        process.stdout.write(`"${name}" needs no IAM policy.\n`);
        return;
      }
      const failed = probed?.steps.find((s) => s.status === 'failed');
      if (failed)
        process.stderr.write(
          `Note: the connection test failed at ${failed.step} (${failed.detail}); the policy uses placeholders where it would have read the stream.\n`,
        );
      process.stdout.write(JSON.stringify(advice.policy, null, 2) + '\n');
      if (advice.trustPolicy) process.stderr.write(`\nTrust policy of the role:\n${JSON.stringify(advice.trustPolicy, null, 2)}\n`);
      if (advice.trust) process.stderr.write(`${trustSentence(advice.trust)}\n`);
      if (advice.placeholders.length) process.stderr.write(`Replace: ${advice.placeholders.join(', ')}\n`);
    });
  destinations
    .command('delete <name>')
    .description('delete a destination no sync uses')
    .action(async (name: string) => {
      await withEngine(program, (engine) => call(engine, 'deleteDestination', { name }));
      process.stdout.write(`Deleted the destination "${name}".\n`);
    });

  // --- record inspector: `sluice inspect` (issue 7) ---
  addInspectCommand(program, withEngine, call);
  addCaptureCommand(program, withEngine, call);

  // --- what the UI offers, on the command line (issue 17): routing preview, Debugger export, diagnostics ---
  addRoutingCommand(program, withEngine, call);
  addDebuggerCommands(program, withEngine, call);

  return program;
}

/** `--progress ndjson`: one progress event as one line (the summary line that ends the stream has `type: "summary"`). */
function progressJson(p: RunSummary): string {
  const { id, sync, dryRun, phase, counts, toSend, ratePerSecond, etaSeconds } = p;
  return JSON.stringify({ type: 'progress', at: new Date().toISOString(), run: id, sync, dryRun, phase, counts, toSend, ratePerSecond, etaSeconds });
}

function progressLine(p: RunSummary): string {
  const c = p.counts;
  if (p.phase === 'reading') return `reading: ${c.read} rows`;
  if (p.phase === 'diffing') return `diffing ${c.read} rows`;
  const done = c.acknowledged + c.failed;
  const pct = p.toSend > 0 ? Math.floor((done / p.toSend) * 100) : 100;
  return `sending: ${done}/${p.toSend} (${pct}%), ${c.failed} failed, ${p.ratePerSecond}/s${p.etaSeconds !== null ? `, ETA ${p.etaSeconds} s` : ''}`;
}

/**
 * `--retry-failed RUN`: the run must exist, be one of this sync's and have sent (a dry run has no
 * ledger). A run none of whose records failed or were rejected leaves nothing to retry: the message
 * says so and no run starts.
 */
function nothingToRetry(engine: Engine, syncName: string, runId: number): string | null {
  const run = requireRun(engine, runId, syncName);
  if (run.dryRun)
    throw new CliUsageError(
      `Run ${runId} was a dry run: it sent nothing, so it has no failed records to retry. Retry a run that sent (sluice runs ${shellArg(run.sync)}).`,
    );
  if (run.status === 'running') throw new CliUsageError(`Run ${runId} of "${run.sync}" is still running; retry its failed records once it has finished.`);
  const { total } = engine.ledger.failureReasons(runId, 0);
  return total === 0 ? `Run ${runId} of "${run.sync}" has no failed or rejected records: there is nothing to retry.` : null;
}

/** What the user reads for an error: one line, then a SluiceError's field problems one per line with their YAML paths. */
function describeForCli(err: unknown): string {
  if (err instanceof UnexpectedError) return `sluice: unexpected error: ${err.message}${err.logFile ? ` (details in the log: ${err.logFile})` : ''}`;
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof SluiceError && err.issues.length > 0) {
    return [`sluice: ${message}:`, ...err.issues.map((i) => `  ${i.path ? `${yamlPath(i.path)}: ` : ''}${i.message}`)].join('\n');
  }
  return `sluice: ${message}`;
}

/** An error that escaped a verb's own handling: its stack goes to the workspace's log (when one can be written). */
function unexpected(err: unknown, workspaceOption: string | undefined): UnexpectedError {
  const message = firstLine(err instanceof Error ? err.message : String(err)) || 'unknown error';
  try {
    const redactor = new Redactor();
    const log = new FileLogger(path.join(resolveWorkspace(workspaceOption), 'logs'), redactor);
    log.error('cli.unexpected-error', { command: process.argv.slice(2).join(' '), error: stackOf(err) });
    return new UnexpectedError(redactor.redact(message), log.file);
  } catch {
    return new UnexpectedError(message, null);
  }
}

/**
 * Runs `sluice`. Every error it prints exits non-zero, and none prints a stack trace: a readable error
 * prints its message, anything else one line and where the log (with the stack) is.
 */
export async function runCli(argv: string[]): Promise<void> {
  quietAwsSdkNodeWarning();
  const program = buildProgram();
  const fail = (err: unknown) => {
    const shown = isReadable(err) ? err : unexpected(err, program.opts<{ workspace?: string }>().workspace);
    process.stderr.write(describeForCli(shown) + '\n');
    process.exitCode = err instanceof CommanderError && err.exitCode !== 0 ? err.exitCode : 1;
  };
  // `sluice … | head`: the reader has gone; stop quietly rather than crash on the next write.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') fail(err);
    process.exit(err.code === 'EPIPE' ? (process.exitCode ?? 0) : 1);
  });
  // Nothing a library throws later (from a timer, a socket event) prints a raw stack trace either.
  process.on('uncaughtException', (err) => {
    fail(err);
    process.exit(1);
  });
  process.on('unhandledRejection', (err) => {
    fail(err);
    process.exit(1);
  });
  try {
    await program.parseAsync(argv);
  } catch (err) {
    fail(err);
  }
}

if (require.main === module) void runCli(process.argv);
