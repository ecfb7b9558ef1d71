// What a CLI verb module gets from `main/cli/index.ts`: the engine opener, the typed dispatcher call, usage errors.
import type { Command } from 'commander';
import type { Channel, ChannelInput, ChannelOutput } from '../../shared/ipc/contract';
import type { ErrorCode, FieldIssue } from '../../shared/ipc/errors';
import type { Engine } from '../engine/engine';

/** Opens the workspace's engine for one piece of work and closes it after. */
export type WithEngine = <T>(program: Command, work: (engine: Engine) => Promise<T>) => Promise<T>;

/** One contract channel through the engine's dispatcher (same validation and errors as the UI). */
export type Call = <C extends Channel>(engine: Engine, channel: C, input: ChannelInput<C>) => Promise<ChannelOutput<C>>;

/** The command line was used wrongly (a missing argument, a malformed option): the message says how to use it. */
export class CliUsageError extends Error {
  override name = 'CliUsageError';
}

/**
 * A command that ran but failed (the engine refused, the run failed): the message says why. `code`: the engine's
 * error code when the engine refused (`--json` prints it), else `failed`; `issues`: the fields it refused.
 */
export class CliFailure extends Error {
  override name = 'CliFailure';
  constructor(
    message: string,
    readonly code: ErrorCode | 'failed' = 'failed',
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
  }
}
