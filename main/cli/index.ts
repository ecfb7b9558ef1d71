// `sluice`: the command line, on the same engine as the app. Later issues add verbs here.
import { quietAwsSdkNodeWarning } from '../quiet-sdk-warning';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { yamlPath } from '../config/config-file';
import { describeError, SluiceError } from '../../shared/ipc/errors';
import type { Channel, ChannelInput, ChannelOutput } from '../../shared/ipc/contract';
import { Engine } from '../engine/engine';
import { resolveWorkspace } from '../engine/workspace';
import { FileLogger } from '../log/logger';
import { packageVersion } from '../paths';
import { Redactor } from '../secrets/redactor';
import { CliFailure, CliUsageError } from './cli-context';
import { formatJsonError, jsonErrorOf, outputModeOf, outputModeOfArgv, type OutputMode } from './json-error';
import { addDebuggerCommands } from './debugger-command';
import { addInspectCommand } from './inspect-command';
import { addCaptureCommand } from './capture-command';
import { addRoutingCommand } from './routing-command';
import { addRunsCommands } from './runs-command';
import { addTemplateCommand } from './template-command';
import { addDestinationsCommands } from './destinations-command';
import { addSyncCommands } from './sync-command';
import { addWorkspaceCommands } from './workspace-commands';

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
  const { workspace, demo } = program.opts<{ workspace?: string; demo: boolean }>();
  // `--no-demo`: a new workspace starts empty, and stays so for later commands (as the browser host's `--no-demo`).
  const engine = await Engine.open({ workspace: resolveWorkspace(workspace), runtime: 'cli', seedDemo: demo, declineDemo: !demo });
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
  throw new CliFailure(describeError(result.error), result.error.code, result.error.issues);
}

/**
 * `onUsageError`: told of a command line commander refuses (after it printed why on standard error), before it
 * exits non-zero; set here, before the verbs are added, so that every verb inherits it.
 */
export function buildProgram(onUsageError: (err: CommanderError) => void = () => {}): Command {
  const program = new Command('sluice')
    .description('Sluice: send rows of your data to Kinesis, Firehose and Kafka.')
    .version(packageVersion(), '-v, --version', 'print the Sluice version')
    .option('--workspace <dir>', 'state folder (default: $SLUICE_HOME, else the user-data folder)')
    .option('--no-demo', 'do not create the demo on a new workspace (start empty, e.g. to apply a configuration file)')
    .showHelpAfterError()
    // Returning lets commander exit as it would (with the error's code).
    .exitOverride((err) => {
      if (err.exitCode !== 0 && !err.code.startsWith('commander.help')) onUsageError(err);
    });

  addWorkspaceCommands(program, withEngine, call);

  addDestinationsCommands(program, withEngine, call);
  addSyncCommands(program, withEngine, call);

  // --- run history, failures and the ledger: `sluice runs`, `sluice ledger` ---
  addRunsCommands(program, withEngine, call);

  // --- payload authoring: `sluice template test` (issue 5) ---
  addTemplateCommand(program, withEngine, call);

  // --- record inspector: `sluice inspect` (issue 7) ---
  addInspectCommand(program, withEngine, call);
  addCaptureCommand(program, withEngine, call);

  // --- what the UI offers, on the command line (issue 17): routing preview, Debugger export, diagnostics ---
  addRoutingCommand(program, withEngine, call);
  addDebuggerCommands(program, withEngine, call);

  return program;
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

/** The error's words for `--json`: as on standard error, without the `sluice: ` before them. */
function jsonMessageOf(err: unknown): string {
  if (err instanceof UnexpectedError) return describeForCli(err).replace(/^sluice: /, '');
  if (err instanceof CommanderError) return err.message.replace(/^error: /, '');
  return err instanceof Error ? err.message : String(err);
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
  // What the command asked standard output to be: from its parsed options once it runs, else from its words.
  let mode: OutputMode | undefined;
  let jsonErrorWritten = false;
  // `--json`, `--progress ndjson`: the error as one JSON object on standard output too (once), for the script reading it.
  const writeJsonError = (shown: unknown) => {
    const asked = mode ?? outputModeOfArgv(argv.slice(2));
    if (asked === 'text' || jsonErrorWritten) return;
    jsonErrorWritten = true;
    process.stdout.write(formatJsonError(jsonErrorOf(shown, jsonMessageOf(shown)), asked));
  };
  const program = buildProgram(writeJsonError);
  program.hook('preAction', (_program, command) => {
    mode = outputModeOf(command.opts());
  });
  const fail = (err: unknown) => {
    const shown = isReadable(err) ? err : unexpected(err, program.opts<{ workspace?: string }>().workspace);
    process.stderr.write(describeForCli(shown) + '\n');
    writeJsonError(shown);
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
