// A failed command asked for JSON (`--json`, `--progress ndjson`): its error as one JSON object on standard
// output, so a script reading standard output as JSON has something to parse; the person still reads it on
// standard error, and the exit code is non-zero as before.
import { CommanderError } from 'commander';
import { SluiceError, type ErrorCode, type FieldIssue } from '../../shared/ipc/errors';
import { CliFailure, CliUsageError } from './cli-context';

/**
 * The engine's error codes (`not-found`, `invalid-input`, `conflict`, `unavailable`, `internal`…), and the CLI's own:
 * `usage` (the command line itself is wrong: a missing argument, a malformed option), `workspace` (the workspace
 * folder cannot be used, or was written by a newer Sluice), `failed` (the command ran and failed).
 */
export type CliErrorCode = ErrorCode | 'usage' | 'workspace' | 'failed';

/** What `--json` prints on standard output when the command fails: `{"error": {"code", "message", "issues"?}}`. */
export interface CliJsonError {
  error: { code: CliErrorCode; message: string; issues?: FieldIssue[] };
}

/** How a command writes standard output: a JSON document, NDJSON lines (`--progress ndjson`), or text. */
export type OutputMode = 'json' | 'ndjson' | 'text';

/** The mode a command's parsed options ask for (`--progress ndjson` beats `--json`, as `sync run` writes it). */
export function outputModeOf(opts: Record<string, unknown>): OutputMode {
  if (opts.progress === 'ndjson') return 'ndjson';
  return opts.json === true ? 'json' : 'text';
}

/** The mode the command line asks for, read from its words: for an error commander finds before the command's options are parsed. */
export function outputModeOfArgv(args: readonly string[]): OutputMode {
  const end = args.indexOf('--');
  const words = end === -1 ? args : args.slice(0, end);
  if (words.some((w, i) => w === '--progress=ndjson' || (w === '--progress' && words[i + 1] === 'ndjson'))) return 'ndjson';
  return words.includes('--json') ? 'json' : 'text';
}

const WORKSPACE_ERROR_NAMES = new Set(['NewerDatabaseError', 'MigrationError', 'WorkspaceError']);

/** The code a script can tell errors apart by. */
function codeOf(err: unknown): CliErrorCode {
  if (err instanceof SluiceError) return err.code;
  if (err instanceof CliFailure) return err.code;
  if (err instanceof CliUsageError || err instanceof CommanderError) return 'usage';
  if (err instanceof Error && WORKSPACE_ERROR_NAMES.has(err.name)) return 'workspace';
  return 'internal';
}

/** `message`: the words printed on standard error, without the `sluice: ` before them. */
export function jsonErrorOf(err: unknown, message: string): CliJsonError {
  const issues = err instanceof SluiceError || err instanceof CliFailure ? err.issues : [];
  return { error: { code: codeOf(err), message, ...(issues.length > 0 ? { issues } : {}) } };
}

/** The error as the mode writes it: an indented document for `--json` (as its output is), one line with `type: "error"` for NDJSON. */
export function formatJsonError(error: CliJsonError, mode: Exclude<OutputMode, 'text'>): string {
  return mode === 'ndjson' ? JSON.stringify({ type: 'error', ...error }) + '\n' : JSON.stringify(error, null, 2) + '\n';
}
