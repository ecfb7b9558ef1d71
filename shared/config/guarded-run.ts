// A run the mass-removal guard stopped, as the run list, the run page and the CLI show its removals.
import { MASS_REMOVAL_PREFIX, type RunSummary } from './run';

type GuardedRun = Pick<RunSummary, 'dryRun' | 'status' | 'error' | 'counts'>;

/**
 * The removals a run the mass-removal guard stopped would have sent, else null. It sent none: the run
 * stopped before anything went. Its counts keep the diff's number (what "Send the removals (N)" confirms).
 */
export function wouldRemove(run: GuardedRun): number | null {
  return !run.dryRun && run.status === 'failed' && run.error?.startsWith(MASS_REMOVAL_PREFIX) === true ? run.counts.removed : null;
}

/** "stopped: would remove 7": why a run the guard stopped removed nothing. */
export function wouldRemoveWords(removals: number, number: (n: number) => string): string {
  return `stopped: would remove ${number(removals)}`;
}

/** The removals a run made, as a count: "7", or "0 (stopped: would remove 7)" for a run the guard stopped. */
export function removedCount(run: GuardedRun, number: (n: number) => string): string {
  const would = wouldRemove(run);
  return would === null ? number(run.counts.removed) : `0 (${wouldRemoveWords(would, number)})`;
}
