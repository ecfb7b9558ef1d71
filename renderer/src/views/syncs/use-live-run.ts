import { useEffect, useState } from 'react';
import type { RunSummary } from '../../../../shared/config/sync';
import { useSession } from '../../api/context';
import { nextSamples, type RunSamples } from './run-samples';

/** The latest progress of this sync's run (from `runProgress`), and the live chart's points for the run being sent. */
export function useLiveRun(sync: string): { live: RunSummary | null; samples: RunSamples | null } {
  const { api } = useSession();
  const [live, setLive] = useState<RunSummary | null>(null);
  const [samples, setSamples] = useState<RunSamples | null>(null);
  useEffect(
    () =>
      api.on('runProgress', (run) => {
        if (run.sync !== sync) return;
        setLive(run);
        const now = Date.now();
        setSamples((prev) => nextSamples(prev, run, now));
      }),
    [api, sync],
  );
  return { live, samples };
}

/** The runs with the live run's row as its latest progress has it: the list is read at a run's start and end, the progress comes with every event. */
export function withLive(runs: readonly RunSummary[], live: RunSummary | null): readonly RunSummary[] {
  return live ? runs.map((r) => (r.id === live.id ? live : r)) : runs;
}

/**
 * The sync's run that is running, if any: its latest progress, or its history row when no progress has
 * come since (a page opened or reloaded while a run reads a slow model): the panel and its Cancel show
 * either way. A progress of the listed run, or of a later one, wins (it may say the run has ended).
 */
export function runningRun(live: RunSummary | null, history: readonly RunSummary[]): RunSummary | null {
  const listed = history.find((r) => r.status === 'running');
  if (live !== null && (listed === undefined || live.id >= listed.id)) return live.status === 'running' ? live : null;
  return listed ?? null;
}
