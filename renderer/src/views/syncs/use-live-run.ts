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
