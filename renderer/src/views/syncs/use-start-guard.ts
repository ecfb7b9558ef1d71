import { useState } from 'react';
import type { RunSummary } from '../../../../shared/config/sync';
import { runningRun } from './use-live-run';

/**
 * A run being started counts as running from the click until its first progress (or its row in the
 * history) arrives: a second click in between was refused as "already running", and that banner stayed
 * after the run had succeeded.
 */
export function useStartGuard(live: RunSummary | null, history: readonly RunSummary[]) {
  const [pending, setPending] = useState<'starting' | number | null>(null);
  const starting = pending === 'starting' || (typeof pending === 'number' && !(live !== null && live.id >= pending) && !history.some((r) => r.id === pending));
  /** A run of the sync is running, or being started. */
  const busy = starting || runningRun(live, history) !== null;
  return {
    busy,
    /** False when a start is already under way (the click does nothing). */
    begin: () => {
      if (starting) return false;
      setPending('starting');
      return true;
    },
    started: (runId: number) => setPending(runId),
    failed: () => setPending(null),
  };
}
